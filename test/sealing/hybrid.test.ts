import * as fs from 'fs';
import * as path from 'path';
import { unseal } from './unseal';
import { SealingCertificate } from '../../src';
import { hybridEncrypt, sealingLabel, sealValue } from '../../src/sealing/hybrid';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'sealing');
const cert4096 = SealingCertificate.fromFile(path.join(FIXTURES, 'rsa4096.crt'));
const cert2048 = SealingCertificate.fromFile(path.join(FIXTURES, 'rsa2048.crt'));

function sealedSecret(name: string, namespace: string, data: Record<string, string>, annotations?: Record<string, string>) {
  return { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name, namespace, annotations }, spec: { encryptedData: data } };
}

describe('hybrid encryption (kubeseal\'s HybridEncrypt)', () => {
  test('labels: namespace/name for strict, namespace for namespace-wide, empty for cluster-wide', () => {
    expect(sealingLabel('strict', 'team-a', 'app-secret').toString()).toEqual('team-a/app-secret');
    expect(sealingLabel('namespace-wide', 'team-a', 'app-secret').toString()).toEqual('team-a');
    expect(sealingLabel('cluster-wide', 'team-a', 'app-secret').length).toBe(0);
  });

  test('lays out uint16 length ‖ RSA part ‖ GCM ciphertext ‖ tag', () => {
    const plain = Buffer.from('hello');
    const out4096 = hybridEncrypt(cert4096._publicKey(), plain, Buffer.from('ns/name'));
    expect(out4096.readUInt16BE(0)).toBe(512);
    expect(out4096.length).toBe(2 + 512 + plain.length + 16);
    expect(out4096.toString('base64').startsWith('Ag')).toBe(true);
    const out2048 = hybridEncrypt(cert2048._publicKey(), Buffer.alloc(0), Buffer.alloc(0));
    expect(out2048.readUInt16BE(0)).toBe(256);
    expect(out2048.length).toBe(2 + 256 + 16);
    expect(out2048.toString('base64').startsWith('AQ')).toBe(true);
  });

  test('standard base64 with padding and no line breaks; never the same twice', () => {
    const a = sealValue(cert4096, 'strict', 'ns', 'name', Buffer.from('same'));
    const b = sealValue(cert4096, 'strict', 'ns', 'name', Buffer.from('same'));
    expect(a).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(a).not.toEqual(b);
  });

  test('the controller\'s decryption (independent implementation) recovers each scope\'s values under the right names only', () => {
    const strict = sealValue(cert4096, 'strict', 'team-a', 'app', Buffer.from('v1'));
    const nsWide = sealValue(cert4096, 'namespace-wide', 'team-a', 'app', Buffer.from('v2'));
    const clWide = sealValue(cert4096, 'cluster-wide', 'team-a', 'app', Buffer.from('v3'));
    const key = path.join(FIXTURES, 'rsa4096.key');
    expect(unseal(key, sealedSecret('app', 'team-a', { k: strict }))).toEqual({ ok: true, data: { k: Buffer.from('v1') } });
    expect(unseal(key, sealedSecret('app', 'team-b', { k: strict }))).toEqual({ ok: false, error: 'no key could decrypt secret (k)' });
    expect(unseal(key, sealedSecret('other', 'team-a', { k: nsWide }, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }))).toEqual({ ok: true, data: { k: Buffer.from('v2') } });
    expect(unseal(key, sealedSecret('app', 'team-a', { k: nsWide })).ok).toBe(false);
    expect(unseal(key, sealedSecret('x', 'y', { k: clWide }, { 'sealedsecrets.bitnami.com/cluster-wide': 'true' }))).toEqual({ ok: true, data: { k: Buffer.from('v3') } });
    expect(unseal(path.join(FIXTURES, 'rsa2048.key'), sealedSecret('app', 'team-a', { k: strict })).ok).toBe(false);
  });

  test('a value sealed with a certificate made as the controller makes it decrypts with its key', () => {
    const cert = SealingCertificate.fromFile(path.join(FIXTURES, 'controller4096.crt'));
    const value = sealValue(cert, 'strict', 'kube-system', 'x', Buffer.from([0, 1, 2, 255]));
    expect(unseal(path.join(FIXTURES, 'controller4096.key'), sealedSecret('x', 'kube-system', { k: value }))).toEqual({ ok: true, data: { k: Buffer.from([0, 1, 2, 255]) } });
  });

  test('the fixtures are what the example seals with', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'pub-sealed-secrets-dev.pem'), 'utf8')).toEqual(fs.readFileSync(path.join(FIXTURES, 'rsa4096.crt'), 'utf8'));
  });
});
