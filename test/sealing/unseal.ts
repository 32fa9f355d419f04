import { spawnSync } from 'child_process';
import * as path from 'path';

const UNSEAL = path.join(__dirname, '..', 'fixtures', 'sealing', 'unseal.py');

export type UnsealResult = { ok: true; data: Record<string, Buffer> } | { ok: false; error: string };

/**
 * Decrypts a SealedSecret object with a private key through `unseal.py`, an independent
 * implementation of the sealed-secrets controller's decryption (Python `cryptography`).
 */
export function unseal(privateKeyPath: string, sealedSecret: object): UnsealResult {
  const r = spawnSync('python3', [UNSEAL, privateKeyPath], { input: JSON.stringify(sealedSecret), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status === 0) {
    const out = JSON.parse(r.stdout) as Record<string, string>;
    return { ok: true, data: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Buffer.from(v, 'base64')])) };
  }
  if (r.status === 1) return { ok: false, error: r.stderr.trim() };
  throw new Error(`unseal.py failed (exit ${r.status}): ${r.stderr}`);
}
