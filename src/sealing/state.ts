import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The folder, at the repo root, where synth keeps local state. Git-ignored: never committed. */
export const LOCAL_STATE_DIR = '.cdk8s-flux-gitops';
/** The state file, in LOCAL_STATE_DIR. */
export const STATE_FILE = 'sealing-state.json';
const STATE_VERSION = 3;
/** How many sealings, and how many replaced ciphertexts, of one key are remembered. */
const MAX_RECORDS = 50;

/** One sealing this machine did: the keyed digest of what was sealed, and the ciphertext written. */
interface SealRecord {
  /** HMAC of the label, the certificate and the plain text (`SealingState.digest`). */
  readonly digest: string;
  /** SHA-256 of the ciphertext that was written (public data: it is committed). */
  readonly sealed?: string;
}

/** What this machine knows of one sealed key. */
interface EntryState {
  readonly records: SealRecord[];
  /** SHA-256 of every committed ciphertext this machine replaced with a new sealing. */
  readonly replaced: string[];
}

/**
 * Remembers, per sealed key, which ciphertexts this machine wrote and a keyed digest
 * (HMAC-SHA-256) of what each one seals: the plain text, the sealing label and the certificate;
 * and which committed ciphertexts it replaced. The HMAC key is random and lives only in this
 * local, git-ignored file, so nothing about the plain text reaches Git.
 *
 * A committed ciphertext is kept byte for byte (no re-seal churn) when this machine wrote it
 * from the same digest. One it wrote from another digest, or one it replaced before (the file
 * went back to an older version: a branch switch, a revert), is re-sealed, since it holds another
 * value. One it has never seen (sealed on another machine) is kept when the digest this machine
 * last sealed matches, so that two people with the same plain text do not re-seal each other's
 * files back and forth.
 */
export class SealingState {
  /** Loads the state of a repo, or starts an empty one with a fresh key. */
  public static load(outdir: string): SealingState {
    const file = path.join(outdir, LOCAL_STATE_DIR, STATE_FILE);
    let text: string | undefined;
    try {
      // never through a symbolic link (synth refuses one there)
      if (fs.lstatSync(path.dirname(file)).isSymbolicLink() || !fs.lstatSync(file).isFile()) throw new Error('not a file');
      text = fs.readFileSync(file, 'utf8');
      const raw = JSON.parse(text);
      if (typeof raw.hmacKey === 'string' && raw.entries && typeof raw.entries === 'object') {
        const entries = new Map<string, EntryState>();
        for (const [entry, value] of Object.entries(raw.entries as Record<string, unknown>)) {
          const state = readEntry(value);
          if (state.records.length > 0 || state.replaced.length > 0) entries.set(entry, state);
        }
        return new SealingState(Buffer.from(raw.hmacKey, 'base64'), entries, text);
      }
    } catch {
      // no state yet, or unreadable: start afresh (the worst case is one re-seal)
    }
    return new SealingState(crypto.randomBytes(32), new Map(), undefined);
  }

  private readonly next = new Map<string, EntryState>();

  private constructor(
    private readonly key: Buffer,
    private readonly previous: Map<string, EntryState>,
    /** The state file's text as loaded; undefined for a fresh state. */
    private readonly loadedText: string | undefined,
  ) {}

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

  /**
   * Whether the committed ciphertext of `entry` (file#key) still seals the value whose digest
   * is given, as far as this machine can tell (see the class comment).
   */
  public matches(entry: string, digest: string, committed: string): boolean {
    const state = this.previous.get(entry);
    if (state === undefined) return false;
    const sealed = sealedHash(committed);
    const mine = state.records.find((r) => r.sealed === sealed);
    if (mine) return sameDigest(mine.digest, digest);
    if (state.replaced.includes(sealed)) return false;
    const last = state.records[state.records.length - 1];
    return last !== undefined && sameDigest(last.digest, digest);
  }

  /**
   * Records that `ciphertext` of an entry seals the value of `digest` in this synth, and that it
   * replaced the committed ciphertext `replaced`, if it did.
   */
  public record(entry: string, digest: string, ciphertext: string, replaced?: string): void {
    const sealed = sealedHash(ciphertext);
    const prev = this.previous.get(entry) ?? { records: [], replaced: [] };
    const records = prev.records.filter((r) => r.sealed !== undefined && r.sealed !== sealed);
    let replacedHashes = prev.replaced.filter((h) => h !== sealed);
    if (replaced !== undefined && replaced !== ciphertext) {
      const h = sealedHash(replaced);
      replacedHashes = [...replacedHashes.filter((x) => x !== h), h];
    }
    this.next.set(entry, {
      records: [...records, { digest, sealed }].slice(-MAX_RECORDS),
      replaced: replacedHashes.slice(-MAX_RECORDS),
    });
  }

  /** Keeps an entry whose source was absent this time, so its state survives. */
  public carry(entry: string): void {
    const prev = this.previous.get(entry);
    if (prev !== undefined) this.next.set(entry, prev);
  }

  /**
   * The new text of the state file (only the entries of this synth), or undefined when it did not
   * change. Synth writes it in the same transaction as the sealed files, so that a crash never
   * leaves a sealed file whose ciphertext the state does not know.
   */
  public serialize(): string | undefined {
    if (this.loadedText === undefined && this.next.size === 0) return undefined;
    const entries = Object.fromEntries([...this.next.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([entry, { records, replaced }]) => [entry, {
        records: records.map((r) => (r.sealed === undefined ? { digest: r.digest } : { ...r })),
        ...(replaced.length > 0 ? { replaced } : {}),
      }]));
    const text = JSON.stringify({ version: STATE_VERSION, hmacKey: this.key.toString('base64'), entries }, undefined, 2) + '\n';
    return text === this.loadedText ? undefined : text;
  }

  /** Writes the state when it changed (outside a synth's transaction). */
  public save(outdir: string): void {
    const text = this.serialize();
    if (text === undefined) return;
    // The HMAC key and the digests are for this user's eyes only.
    const dir = path.join(outdir, LOCAL_STATE_DIR);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const file = path.join(dir, STATE_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  }
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * The state of one entry: `{ records, replaced }` (version 3), a list of records (version 2) or the
 * single digest of version 1. Anything malformed is dropped (the worst case is one re-seal).
 */
function readEntry(value: unknown): EntryState {
  const v = value as { records?: unknown; replaced?: unknown } | undefined;
  const list = typeof value === 'string' ? [{ digest: value }] : Array.isArray(value) ? value : Array.isArray(v?.records) ? v!.records as unknown[] : [];
  const records = (list as any[])
    .filter((r) => r && typeof r.digest === 'string' && HEX_DIGEST.test(r.digest) && (r.sealed === undefined || (typeof r.sealed === 'string' && HEX_DIGEST.test(r.sealed))))
    .map((r) => ({ digest: r.digest, sealed: r.sealed }));
  const replaced = Array.isArray(v?.replaced) ? (v!.replaced as unknown[]).filter((h): h is string => typeof h === 'string' && HEX_DIGEST.test(h)) : [];
  return { records, replaced };
}

function sealedHash(ciphertext: string): string {
  return crypto.createHash('sha256').update(ciphertext, 'utf8').digest('hex');
}

function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
