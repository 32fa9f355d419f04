import * as fs from 'fs';
import * as path from 'path';
import { SealingCertificate } from '../../src';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'sealing');
const pem = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('SealingCertificate', () => {
  test('reads the controller\'s certificate: key size, expiry and a stable key fingerprint', () => {
    const cert = SealingCertificate.fromFile(path.join(FIXTURES, 'rsa4096.crt'));
    expect(cert.keySize).toBe(4096);
    expect(cert.notAfter).toMatch(/^2125-/);
    expect(cert.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(SealingCertificate.fromPem(pem('rsa4096.crt')).fingerprint).toEqual(cert.fingerprint);
    expect(SealingCertificate.fromPem(pem('rsa2048.crt')).fingerprint).not.toEqual(cert.fingerprint);
    expect(cert.pem).toEqual(pem('rsa4096.crt'));
  });

  test('takes the first certificate of a PEM bundle, with text around it', () => {
    const bundle = `# fetched with kubeseal --fetch-cert\n${pem('rsa2048.crt')}${pem('rsa4096.crt')}`;
    expect(SealingCertificate.fromPem(bundle).keySize).toBe(2048);
  });

  test('reads a certificate made as the controller makes it: empty subject, CA, KeyUsage encipherOnly alone', () => {
    // made with openssl: Python's cryptography refuses encipherOnly without keyAgreement
    const cert = SealingCertificate.fromFile(path.join(FIXTURES, 'controller4096.crt'));
    expect(cert.keySize).toBe(4096);
    expect(cert.pem).toEqual(pem('controller4096.crt'));
  });

  test('reads PEM as Go\'s encoding/pem does: CRLF, trailing blanks on lines, text around, the first of several blocks', () => {
    const expected = SealingCertificate.fromPem(pem('rsa4096.crt')).fingerprint;
    const crlf = pem('rsa4096.crt').replace(/\n/g, '\r\n');
    const blanks = pem('rsa4096.crt').replace(/\n/g, ' \t \n');
    for (const text of [
      crlf,
      blanks,
      `# kubeseal --fetch-cert\n\n${crlf}\n\n   \n`,
      `-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n${pem('rsa4096.crt')}`,
      pem('rsa4096.crt').trimEnd(),
    ]) {
      expect(SealingCertificate.fromPem(text).fingerprint).toEqual(expected);
    }
    // the first block is the one kubeseal uses, even with blanks at the ends of its lines
    expect(SealingCertificate.fromPem(blanks + pem('rsa2048.crt')).fingerprint).toEqual(expected);
    expect(SealingCertificate.fromPem(pem('rsa2048.crt').replace(/\n/g, '  \n') + pem('rsa4096.crt')).keySize).toBe(2048);
  });

  describe('refuses', () => {
    test('a missing file, with the command that fetches it', () => {
      expect(() => SealingCertificate.fromFile('/nonexistent/pub-sealed-secrets-dev.pem')).toThrow(
        'sealing certificate file \'/nonexistent/pub-sealed-secrets-dev.pem\' does not exist: fetch it with \'kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-dev.pem\'');
    });

    test('a bare public key', () => {
      expect(() => SealingCertificate.fromPem(pem('public-key.pem'))).toThrow(
        'sealing certificate from PEM must be a PEM certificate: got a bare public key; kubeseal needs the certificate that \'kubeseal --fetch-cert\' prints');
    });

    test('a private key, saying to keep it out of the repo', () => {
      expect(() => SealingCertificate.fromPem(pem('rsa2048.key'))).toThrow(
        'sealing certificate from PEM must be a PEM certificate: got a private key; use the public certificate that \'kubeseal --fetch-cert\' prints, and keep the private key out of the repo');
    });

    test('a certificate block that is not base64, or has no END line', () => {
      expect(() => SealingCertificate.fromPem('-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n')).toThrow(
        /^sealing certificate from PEM cannot be parsed as an X\.509 certificate \(the PEM block is not base64 between its BEGIN and END lines\)/);
      expect(() => SealingCertificate.fromPem(pem('rsa4096.crt').replace('-----END CERTIFICATE-----', ''))).toThrow(
        /^sealing certificate from PEM cannot be parsed as an X\.509 certificate/);
    });

    test('text that is no certificate', () => {
      expect(() => SealingCertificate.fromPem('hello')).toThrow(
        'sealing certificate from PEM must be a PEM certificate: got no \'-----BEGIN CERTIFICATE-----\' block; use the output of \'kubeseal --fetch-cert\'');
    });

    test('a malformed certificate', () => {
      expect(() => SealingCertificate.fromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(
        'sealing certificate from PEM cannot be parsed as an X.509 certificate (its PEM block does not hold a DER-encoded certificate: truncated or damaged?); use the output of \'kubeseal --fetch-cert\'');
    });

    test('a non-RSA key', () => {
      expect(() => SealingCertificate.fromPem(pem('ec.crt'))).toThrow(
        'sealing certificate from PEM must hold an RSA key, got EC: sealed-secrets seals with RSA-OAEP only');
    });

    test('a key under 2048 bits', () => {
      expect(() => SealingCertificate.fromPem(pem('rsa1024.crt'))).toThrow(
        'sealing certificate from PEM must hold an RSA key of at least 2048 bits, got 1024 bits: the controller makes 4096-bit keys');
    });

    test('an expired certificate, naming its NotAfter', () => {
      expect(() => SealingCertificate.fromPem(pem('expired.crt'))).toThrow(
        'sealing certificate from PEM expired on 2020-01-01T00:00:00.000Z (kubeseal: \'failed to encrypt using an expired certificate\'): fetch the controller\'s current one with \'kubeseal --fetch-cert\'');
    });

    test('a valid certificate once its time is past', () => {
      expect(() => SealingCertificate._fromPemAt(pem('rsa2048.crt'), new Date('2200-01-01T00:00:00Z'))).toThrow(/^sealing certificate from PEM expired on 2125-/);
    });
  });
});
