import * as crypto from 'crypto';
import * as path from 'path';
import { isNonEmptyString, requireArgument } from '../checks/rules';
import { readBoundedFile } from '../output/safe-fs';

/**
 * The body of the first PEM `CERTIFICATE` block, read as Go's `encoding/pem` reads it (kubeseal's
 * `cert.ParseCertsPEM`): lines may end in CRLF, spaces or tabs; text may come before, between and
 * after blocks; other block types are skipped. Undefined when there is no such block.
 */
function firstCertificateBody(text: string): { body: string } | undefined {
  const lines = text.split('\n').map((l) => l.replace(/[ \t\r]+$/, ''));
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].replace(/^\uFEFF/, '').trimStart() !== '-----BEGIN CERTIFICATE-----') continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j].trim();
      if (line === '-----END CERTIFICATE-----') return { body: body.join('') };
      if (line.startsWith('-----')) break;
      body.push(line.replace(/[ \t]+/g, ''));
    }
    return { body: '' }; // a BEGIN without its END: malformed
  }
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The sealed-secrets controller's public certificate: the PEM `CERTIFICATE` that
 * `kubeseal --fetch-cert` prints. Every SealedSecret of a cluster is sealed with it.
 *
 * Keep it in the repo as `pub-sealed-secrets-<cluster>.pem` and give it to the `FluxCluster`.
 * Like kubeseal, it accepts only an RSA certificate (of at least 2048 bits) that has not expired.
 */
export class SealingCertificate {
  /** Reads the certificate from a file (relative paths are resolved from the current directory). */
  public static fromFile(file: string): SealingCertificate {
    requireArgument('SealingCertificate.fromFile', 'file', file, 'a path to a PEM file', isNonEmptyString);
    const abs = path.resolve(file);
    let text: string;
    try {
      text = readBoundedFile(abs).toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`sealing certificate file '${abs}' does not exist: fetch it with 'kubeseal --controller-namespace=flux-system --fetch-cert > ${path.basename(file)}'`);
      }
      throw new Error(`cannot read sealing certificate file '${abs}': ${(e as Error).message}`);
    }
    return new SealingCertificate(text, `file '${abs}'`, new Date());
  }

  /** Reads the certificate from PEM text. */
  public static fromPem(pem: string): SealingCertificate {
    requireArgument('SealingCertificate.fromPem', 'pem', pem, 'PEM text', (v) => typeof v === 'string');
    return new SealingCertificate(pem, 'PEM', new Date());
  }

  /** @internal: reads the certificate as of a given time (tests of expiry). */
  public static _fromPemAt(pem: string, now: Date): SealingCertificate {
    return new SealingCertificate(pem, 'PEM', now);
  }

  /** Identifies the key pair: `sha256:` and the hex SHA-256 of the DER SubjectPublicKeyInfo. */
  public readonly fingerprint: string;

  /** The end of the certificate's validity, ISO 8601. */
  public readonly notAfter: string;

  /** The RSA key size in bits. */
  public readonly keySize: number;

  /** The certificate, as one normalized PEM block. */
  public readonly pem: string;

  private readonly publicKey: crypto.KeyObject;

  private constructor(text: string, source: string, now: Date) {
    if (typeof text !== 'string') {
      throw new Error(`sealing certificate from ${source} must be PEM text, got ${typeof text}`);
    }
    const block = firstCertificateBody(text);
    if (!block) {
      const hint = /-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(text)
        ? 'got a private key; use the public certificate that \'kubeseal --fetch-cert\' prints, and keep the private key out of the repo'
        : /-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)
          ? 'got a bare public key; kubeseal needs the certificate that \'kubeseal --fetch-cert\' prints'
          : 'got no \'-----BEGIN CERTIFICATE-----\' block; use the output of \'kubeseal --fetch-cert\'';
      throw new Error(`sealing certificate from ${source} must be a PEM certificate: ${hint}`);
    }
    let cert: crypto.X509Certificate;
    if (!BASE64.test(block.body) || block.body === '') {
      throw new Error(`sealing certificate from ${source} cannot be parsed as an X.509 certificate (the PEM block is not base64 between its BEGIN and END lines); use the output of 'kubeseal --fetch-cert'`);
    }
    try {
      cert = new crypto.X509Certificate(Buffer.from(block.body, 'base64'));
    } catch {
      // OpenSSL's own message ('PEM routines::no start line') says nothing useful here.
      throw new Error(`sealing certificate from ${source} cannot be parsed as an X.509 certificate (its PEM block does not hold a DER-encoded certificate: truncated or damaged?); use the output of 'kubeseal --fetch-cert'`);
    }
    const key = cert.publicKey;
    if (key.asymmetricKeyType !== 'rsa') {
      throw new Error(`sealing certificate from ${source} must hold an RSA key, got ${String(key.asymmetricKeyType).toUpperCase()}: sealed-secrets seals with RSA-OAEP only`);
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) {
      throw new Error(`sealing certificate from ${source} must hold an RSA key of at least 2048 bits, got ${bits} bits: the controller makes 4096-bit keys`);
    }
    const notAfter = new Date(cert.validTo);
    if (notAfter.getTime() < now.getTime()) {
      throw new Error(`sealing certificate from ${source} expired on ${notAfter.toISOString()} (kubeseal: 'failed to encrypt using an expired certificate'): fetch the controller's current one with 'kubeseal --fetch-cert'`);
    }
    this.publicKey = key;
    this.keySize = bits;
    this.notAfter = notAfter.toISOString();
    this.fingerprint = 'sha256:' + crypto.createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
    const body = cert.raw.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
    this.pem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  }

  /** The RSA public key. @internal */
  public _publicKey(): crypto.KeyObject {
    return this.publicKey;
  }
}
