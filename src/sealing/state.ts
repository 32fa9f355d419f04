import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The folder, at the repo root, where synth keeps local state. Git-ignored: never committed. */
export const LOCAL_STATE_DIR = '.cdk8s-flux-gitops';
const STATE_FILE = 'sealing-state.json';

/**
 * Remembers, per sealed key, a keyed digest (HMAC-SHA-256) of what was sealed: the plain text,
 * the sealing label and the certificate. The HMAC key is random and lives only in this local,
 * git-ignored file, so nothing about the plain text reaches Git; a digest that still matches
 * means the committed ciphertext is still right and is kept byte for byte (no re-seal churn).
 */
export class SealingState {
  /** Loads the state of a repo, or starts an empty one with a fresh key. */
  public static load(outdir: string): SealingState {
    const file = path.join(outdir, LOCAL_STATE_DIR, STATE_FILE);
    try {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (typeof raw.hmacKey === 'string' && raw.entries && typeof raw.entries === 'object') {
        return new SealingState(Buffer.from(raw.hmacKey, 'base64'), new Map(Object.entries(raw.entries as Record<string, string>)), false);
      }
    } catch {
      // no state yet, or unreadable: start afresh (the worst case is one re-seal)
    }
    return new SealingState(crypto.randomBytes(32), new Map(), true);
  }

  private readonly next = new Map<string, string>();

  private constructor(private readonly key: Buffer, private readonly previous: Map<string, string>, private readonly fresh: boolean) {}

  /** The digest of one sealed value. */
  public digest(label: Buffer, certificateFingerprint: string, plaintext: Buffer): string {
    const h = crypto.createHmac('sha256', this.key);
    for (const part of [label, Buffer.from(certificateFingerprint, 'utf8'), plaintext]) {
      const len = Buffer.alloc(8);
      len.writeBigUInt64BE(BigInt(part.length));
      h.update(len).update(part);
    }
    return h.digest('hex');
  }

  /** Whether `entry` (file#key) was sealed from exactly this digest last time. */
  public matches(entry: string, digest: string): boolean {
    const prev = this.previous.get(entry);
    return prev !== undefined && prev.length === digest.length
      && crypto.timingSafeEqual(Buffer.from(prev, 'hex'), Buffer.from(digest, 'hex'));
  }

  /** Records the digest an entry was sealed from in this synth. */
  public record(entry: string, digest: string): void {
    this.next.set(entry, digest);
  }

  /** Keeps an entry whose source was absent this time, so its state survives. */
  public carry(entry: string): void {
    const prev = this.previous.get(entry);
    if (prev !== undefined) this.next.set(entry, prev);
  }

  /** Writes the state (only the entries of this synth) when it changed. */
  public save(outdir: string): void {
    const entries = Object.fromEntries([...this.next.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const unchanged = !this.fresh && this.previous.size === this.next.size
      && [...this.next.entries()].every(([k, v]) => this.previous.get(k) === v);
    if (unchanged) return;
    if (this.fresh && this.next.size === 0) return;
    const dir = path.join(outdir, LOCAL_STATE_DIR);
    fs.mkdirSync(dir, { recursive: true });
    const text = JSON.stringify({ hmacKey: this.key.toString('base64'), entries }, undefined, 2) + '\n';
    fs.writeFileSync(path.join(dir, STATE_FILE), text, { mode: 0o600 });
  }
}
