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

  describe('refuses', () => {
    test('a missing file, with the command that fetches it', () => {
      expect(() => SealingCertificate.fromFile('/nonexistent/pub-sealed-secrets-dev.pem')).toThrow(
        'sealing certificate file \'/nonexistent/pub-sealed-secrets-dev.pem\' does not exist: fetch it with \'kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-dev.pem\'');
    });

    test('a bare public key', () => {
      expect(() => SealingCertificate.fromPem(pem('public-key.pem'))).toThrow(
        'sealing certificate from PEM must be a PEM certificate: got a bare public key; kubeseal needs the certificate that \'kubeseal --fetch-cert\' prints');
    });

    test('text that is no certificate', () => {
      expect(() => SealingCertificate.fromPem('hello')).toThrow(
        'sealing certificate from PEM must be a PEM certificate: got no \'-----BEGIN CERTIFICATE-----\' block; use the output of \'kubeseal --fetch-cert\'');
    });

    test('a malformed certificate', () => {
      expect(() => SealingCertificate.fromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(
        /^sealing certificate from PEM cannot be parsed as an X\.509 certificate \(.+\); use the output of 'kubeseal --fetch-cert'$/);
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
