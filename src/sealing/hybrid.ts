import * as crypto from 'crypto';
import { SealingCertificate } from './certificate';

/**
 * sealed-secrets' hybrid encryption (`HybridEncrypt` in bitnami-labs/sealed-secrets
 * pkg/crypto/crypto.go): a fresh 32-byte AES-256 key wrapped with RSA-OAEP (SHA-256, MGF1-SHA-256)
 * under the scope's label, the data sealed with AES-256-GCM under an all-zero nonce, laid out as
 * `uint16 BE length of the RSA part ‖ RSA part ‖ GCM ciphertext ‖ 16-byte tag`.
 */
export function hybridEncrypt(publicKey: crypto.KeyObject, plaintext: Buffer, label: Buffer): Buffer {
  const sessionKey = crypto.randomBytes(32);
  const wrapped = crypto.publicEncrypt(
    { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    sessionKey,
  );
  const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(wrapped.length);
  return Buffer.concat([prefix, wrapped, sealed]);
}

/** The OAEP label of a scope: `namespace/name` (strict), `namespace` (namespace-wide) or empty (cluster-wide). */
export function sealingLabel(scope: string, namespace: string, name: string): Buffer {
  switch (scope) {
    case 'namespace-wide': return Buffer.from(namespace, 'utf8');
    case 'cluster-wide': return Buffer.alloc(0);
    default: return Buffer.from(`${namespace}/${name}`, 'utf8');
  }
}

/** Seals one value as kubeseal does and returns it in the form `encryptedData` holds (standard base64). */
export function sealValue(cert: SealingCertificate, scope: string, namespace: string, name: string, plaintext: Buffer): string {
  return hybridEncrypt(cert._publicKey(), plaintext, sealingLabel(scope, namespace, name)).toString('base64');
}

/**
 * Why a committed `encryptedData` value cannot be a ciphertext of this certificate's key, or
 * undefined when its form is right: standard base64 of `uint16 BE k ‖ k bytes ‖ ≥ 16 bytes`,
 * k being the key's modulus size in bytes. (Only the private key can tell more.)
 */
export function ciphertextFormProblem(cert: SealingCertificate, value: string): string | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) return 'it is not standard base64';
  const bytes = Buffer.from(value, 'base64');
  const k = Math.ceil(cert.keySize / 8);
  if (bytes.length < 2 || bytes.readUInt16BE(0) !== k) {
    return `it was not sealed with a ${cert.keySize}-bit key like the certificate's`;
  }
  if (bytes.length < 2 + k + 16) return 'it is truncated';
  return undefined;
}
