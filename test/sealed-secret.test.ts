import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import {
  CrdsPolicy, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealedSecret, SealingCertificate, SealingScope, SecretValue,
} from '../src';
import { unseal } from './sealing/unseal';
import { golden, mkdtemp, quietly, readTree, schemaViolations, synthError } from './util';

const FIXTURES = path.join(__dirname, 'fixtures', 'sealing');
const KEY_4096 = path.join(FIXTURES, 'rsa4096.key');
const CERT_4096 = path.join(FIXTURES, 'rsa4096.crt');
const CERT_2048 = path.join(FIXTURES, 'rsa2048.crt');
const KEY_2048 = path.join(FIXTURES, 'rsa2048.key');

/** Environment variables set for one test, restored after it. */
const env: Record<string, string | undefined> = {};
function setEnv(name: string, value: string | undefined): void {
  if (!(name in env)) env[name] = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
afterEach(() => {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    delete env[name];
  }
});

function masked(text: string): string {
  return text.replace(/^(\s+[^\s:]+): Ag[A-Za-z0-9+/=]+$/gm, '$1: <ciphertext>').replace(/^(\s+[^\s:]+): AQ[A-Za-z0-9+/=]+$/gm, '$1: <ciphertext>');
}

function sealedFile(outdir: string, rel: string): any {
  return parseYaml(fs.readFileSync(path.join(outdir, rel), 'utf8'));
}

function cluster(outdir: string, cert: string = CERT_4096) {
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(cert) });
  return { repo, dev };
}

describe('SealedSecret', () => {
  test('is written as kubeseal -o yaml writes it (strict scope)', () => {
    const outdir = mkdtemp();
    setEnv('GRAFANA_ADMIN_PASSWORD', 'prom-operator');
    const { repo, dev } = cluster(outdir);
    new SealedSecret(dev, 'prometheus-stack-credentials', { data: { grafana_admin_password: SecretValue.fromEnv('GRAFANA_ADMIN_PASSWORD') } });
    repo.synth();
    const text = fs.readFileSync(path.join(outdir, 'clusters/dev/helm/secrets/prometheus-stack-credentials-sealed.yaml'), 'utf8');
    expect(masked(text)).toEqual(golden('kubeseal/strict.yaml'));
    const result = unseal(KEY_4096, sealedFile(outdir, 'clusters/dev/helm/secrets/prometheus-stack-credentials-sealed.yaml'));
    expect(result).toEqual({ ok: true, data: { grafana_admin_password: Buffer.from('prom-operator') } });
  });

  test('namespace-wide scope with template labels, annotations, type and immutable', () => {
    const outdir = mkdtemp();
    const { repo, dev } = cluster(outdir);
    new SealedSecret(dev, 'registry', {
      name: 'registry-auth',
      namespace: 'apps',
      scope: SealingScope.NAMESPACE_WIDE,
      type: 'kubernetes.io/dockerconfigjson',
      labels: { 'app.kubernetes.io/part-of': 'fleet' },
      annotations: { owner: 'platform-team' },
      immutable: true,
      data: { '.dockerconfigjson': SecretValue.unsafePlainText('{"auths":{}}') },
    });
    repo.synth();
    const rel = 'clusters/dev/helm/secrets/registry-auth-sealed.yaml';
    expect(schemaViolations(readTree(outdir))).toEqual([]);
    expect(masked(fs.readFileSync(path.join(outdir, rel), 'utf8'))).toEqual(golden('kubeseal/namespace-wide-with-template.yaml'));
    const object = sealedFile(outdir, rel);
    expect(unseal(KEY_4096, object)).toEqual({ ok: true, data: { '.dockerconfigjson': Buffer.from('{"auths":{}}') } });
    // namespace-wide: any name in the namespace, but not another namespace
    expect(unseal(KEY_4096, { ...object, metadata: { ...object.metadata, name: 'renamed' } }).ok).toBe(true);
    expect(unseal(KEY_4096, { ...object, metadata: { ...object.metadata, namespace: 'other' } }).ok).toBe(false);
  });

  test('cluster-wide scope decrypts under any name and namespace', () => {
    const outdir = mkdtemp();
    const { repo, dev } = cluster(outdir);
    new SealedSecret(dev, 'shared-token', { scope: SealingScope.CLUSTER_WIDE, data: { token: SecretValue.unsafePlainText('t0ken-value') } });
    repo.synth();
    const rel = 'clusters/dev/helm/secrets/shared-token-sealed.yaml';
    expect(masked(fs.readFileSync(path.join(outdir, rel), 'utf8'))).toEqual(golden('kubeseal/cluster-wide.yaml'));
    const object = sealedFile(outdir, rel);
    expect(unseal(KEY_4096, { ...object, metadata: { ...object.metadata, name: 'x', namespace: 'y' } })).toEqual({ ok: true, data: { token: Buffer.from('t0ken-value') } });
  });

  test('a strict secret moved to another namespace or renamed does not decrypt', () => {
    const outdir = mkdtemp();
    const { repo, dev } = cluster(outdir);
    new SealedSecret(dev, 'db', { data: { password: SecretValue.unsafePlainText('hunter2-hunter2') } });
    repo.synth();
    const object = sealedFile(outdir, 'clusters/dev/helm/secrets/db-sealed.yaml');
    expect(unseal(KEY_4096, object).ok).toBe(true);
    expect(unseal(KEY_4096, { ...object, metadata: { ...object.metadata, namespace: 'default' } })).toEqual({ ok: false, error: 'no key could decrypt secret (password)' });
    expect(unseal(KEY_4096, { ...object, metadata: { ...object.metadata, name: 'db2' } }).ok).toBe(false);
  });

  test('empty, binary, non-ASCII and large values round-trip byte for byte, with a 2048-bit key too', () => {
    const outdir = mkdtemp();
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const unicode = 'pässwörd-密码-🔑';
    // the whole Secret at the API server's limit (1 MiB): the large value takes what is left
    const large = Buffer.alloc(1024 * 1024 - binary.length - Buffer.byteLength(unicode), 'x');
    fs.writeFileSync(path.join(outdir, 'blob-values-binary.yaml'), binary);
    fs.writeFileSync(path.join(outdir, 'blob-values-large.yaml'), large);
    fs.writeFileSync(path.join(outdir, 'blob-values-empty.yaml'), '');
    setEnv('UNICODE_VALUE', unicode);
    for (const [cert, key] of [[CERT_4096, KEY_4096], [CERT_2048, KEY_2048]]) {
      const { repo, dev } = cluster(outdir, cert);
      new SealedSecret(dev, 'mixed', {
        data: {
          empty: SecretValue.fromFile(path.join(outdir, 'blob-values-empty.yaml')),
          unicode: SecretValue.fromEnv('UNICODE_VALUE'),
          binary: SecretValue.fromFile(path.join(outdir, 'blob-values-binary.yaml')),
          large: SecretValue.fromFile(path.join(outdir, 'blob-values-large.yaml')),
        },
      });
      repo.synth();
      const object = sealedFile(outdir, 'clusters/dev/helm/secrets/mixed-sealed.yaml');
      expect(object.spec.encryptedData.empty.startsWith(cert === CERT_4096 ? 'Ag' : 'AQ')).toBe(true);
      expect(unseal(key, object)).toEqual({
        ok: true,
        data: { empty: Buffer.alloc(0), unicode: Buffer.from('pässwörd-密码-🔑'), binary, large },
      });
    }
  });

  describe('no churn', () => {
    function define(outdir: string, cert: string = CERT_4096, name: string = 'creds') {
      const { repo, dev } = cluster(outdir, cert);
      new SealedSecret(dev, 'creds', {
        name,
        data: { user: SecretValue.fromEnv('CHURN_USER'), password: SecretValue.fromEnv('CHURN_PASSWORD') },
      });
      return repo;
    }

    test('a second synth with the same plain text leaves every sealed file byte-identical', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const before = readTree(outdir);
      const again = define(outdir).synth();
      expect(again.written).toEqual([]);
      expect(readTree(outdir)).toEqual(before);
    });

    test('changing one key re-seals that key only', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      const before = sealedFile(outdir, rel).spec.encryptedData;
      setEnv('CHURN_PASSWORD', 'new-s3cret-password');
      define(outdir).synth();
      const after = sealedFile(outdir, rel);
      expect(after.spec.encryptedData.user).toEqual(before.user);
      expect(after.spec.encryptedData.password).not.toEqual(before.password);
      expect(unseal(KEY_4096, after)).toEqual({ ok: true, data: { user: Buffer.from('admin-user'), password: Buffer.from('new-s3cret-password') } });
    });

    test('every source missing (as in CI) keeps the committed file as it is, with a warning', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const before = readTree(outdir);
      fs.rmSync(path.join(outdir, '.cdk8s-flux-gitops'), { recursive: true });
      setEnv('CHURN_USER', undefined);
      setEnv('CHURN_PASSWORD', undefined);
      const result = quietly(() => define(outdir).synth());
      expect(result.written).toEqual([]);
      expect(result.warnings).toEqual([
        'clusters/dev/helm/secrets/creds-sealed.yaml: kept the committed sealed value of password (environment variable CHURN_PASSWORD), user (environment variable CHURN_USER): the source is absent',
        'clusters/dev/kustomization.yaml: lists no \'flux-system/\' folder, as there is none with a kustomization.yaml yet; synth again after \'flux bootstrap\' so that Flux keeps managing itself from Git',
      ]);
      const after = readTree(outdir);
      delete before['.cdk8s-flux-gitops/sealing-state.json'];
      expect(after).toEqual(before);
    });

    test('a variable set but empty (as a CI secret that is not there) keeps the committed value, with a warning', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const before = fs.readFileSync(path.join(outdir, 'clusters/dev/helm/secrets/creds-sealed.yaml'), 'utf8');
      setEnv('CHURN_PASSWORD', '');
      const result = quietly(() => define(outdir).synth());
      expect(result.warnings).toEqual([
        'clusters/dev/helm/secrets/creds-sealed.yaml: kept the committed sealed value of password (environment variable CHURN_PASSWORD, set but empty): the source is absent',
        'clusters/dev/kustomization.yaml: lists no \'flux-system/\' folder, as there is none with a kustomization.yaml yet; synth again after \'flux bootstrap\' so that Flux keeps managing itself from Git',
      ]);
      expect(result.written).toEqual([]);
      expect(fs.readFileSync(path.join(outdir, 'clusters/dev/helm/secrets/creds-sealed.yaml'), 'utf8')).toEqual(before);
      // with no committed value it is an error, saying why
      setEnv('CHURN_OTHER', '');
      const { repo, dev } = cluster(outdir);
      new SealedSecret(dev, 'other', { data: { token: SecretValue.fromEnv('CHURN_OTHER') } });
      expect(() => repo.synth()).toThrow('dev/other: data.token: has no committed sealed value and its source (environment variable CHURN_OTHER) is set but empty: provide it (set the variable or create the file) and synth again');
    });

    test('an empty file where there was a value re-seals it empty, with a warning', () => {
      const outdir = mkdtemp();
      const file = path.join(outdir, 'token-values-v1.yaml');
      fs.writeFileSync(file, 'a-token-value\n');
      const define2 = () => {
        const { repo, dev } = cluster(outdir);
        new SealedSecret(dev, 'creds', { data: { token: SecretValue.fromFile(file) } });
        return repo;
      };
      define2().synth();
      fs.writeFileSync(file, '');
      const result = quietly(() => define2().synth());
      expect(result.warnings).toContain(`clusters/dev/helm/secrets/creds-sealed.yaml: re-sealed token (file ${file}) as an empty value: check that the source is set`);
      expect(unseal(KEY_4096, sealedFile(outdir, 'clusters/dev/helm/secrets/creds-sealed.yaml'))).toEqual({ ok: true, data: { token: Buffer.alloc(0) } });
    });

    test('a missing source with no committed sealed value is an error', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', undefined);
      expect(() => define(outdir).synth()).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev/creds: data.password: has no committed sealed value and its source (environment variable CHURN_PASSWORD) is absent: provide it (set the variable or create the file) and synth again',
      ].join('\n'));
      expect(readTree(outdir)).toEqual({});
    });

    test('a new certificate re-seals everything; without the sources it is an error', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      const before = sealedFile(outdir, rel).spec.encryptedData;
      setEnv('CHURN_PASSWORD', undefined);
      expect(() => quietly(() => define(outdir, CERT_2048).synth())).toThrow(
        'data.password: cannot be re-sealed with the new certificate: its source (environment variable CHURN_PASSWORD) is absent; provide it and synth again');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir, CERT_2048).synth();
      const after = sealedFile(outdir, rel);
      expect(after.spec.encryptedData.user).not.toEqual(before.user);
      expect(after.spec.encryptedData.password).not.toEqual(before.password);
      expect(unseal(KEY_2048, after).ok).toBe(true);
    });

    test('a sealed file that went back to an older version (branch switch, revert) is re-sealed from the source', () => {
      const outdir = mkdtemp();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 'password-on-branch-a');
      define(outdir).synth();
      const branchA = fs.readFileSync(path.join(outdir, rel), 'utf8');
      setEnv('CHURN_PASSWORD', 'password-on-branch-b');
      define(outdir).synth();
      fs.writeFileSync(path.join(outdir, rel), branchA); // git checkout branch-a -- or git revert
      const result = define(outdir).synth();
      expect(result.written).toContain(rel);
      const after = sealedFile(outdir, rel);
      expect(after.spec.encryptedData.user).toEqual(parseYaml(branchA).spec.encryptedData.user); // same plain text: kept
      expect(unseal(KEY_4096, after)).toEqual({ ok: true, data: { user: Buffer.from('admin-user'), password: Buffer.from('password-on-branch-b') } });
    });

    test('a file sealed on another machine from the same plain text is kept, so two machines do not re-seal each other\'s', () => {
      const outdir = mkdtemp();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      const stateDir = path.join(outdir, '.cdk8s-flux-gitops');
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const mine = fs.readFileSync(path.join(stateDir, 'sealing-state.json'));
      fs.rmSync(stateDir, { recursive: true }); // another machine: no local state, re-seals once
      define(outdir).synth();
      const theirs = fs.readFileSync(path.join(outdir, rel), 'utf8');
      fs.writeFileSync(path.join(stateDir, 'sealing-state.json'), mine); // back on the first machine, after a pull
      expect(define(outdir).synth().written).toEqual([]);
      expect(fs.readFileSync(path.join(outdir, rel), 'utf8')).toEqual(theirs);
      expect(unseal(KEY_4096, sealedFile(outdir, rel)).ok).toBe(true);
    });

    test('a file restored to a version sealed on another machine, which this machine replaced since, is re-sealed', () => {
      const outdir = mkdtemp();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      const stateDir = path.join(outdir, '.cdk8s-flux-gitops');
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 'value-one-from-b');
      define(outdir).synth(); // machine B seals value one
      const fromB = fs.readFileSync(path.join(outdir, rel), 'utf8');
      fs.rmSync(stateDir, { recursive: true }); // machine A: no state of B's
      setEnv('CHURN_PASSWORD', 'value-two-from-a');
      define(outdir).synth(); // A seals value two over B's file
      fs.writeFileSync(path.join(outdir, rel), fromB); // git revert: B's file is back
      expect(define(outdir).synth().written).toContain(rel);
      expect(unseal(KEY_4096, sealedFile(outdir, rel))).toEqual({ ok: true, data: { user: Buffer.from('admin-user'), password: Buffer.from('value-two-from-a') } });
    });

    test('a local state that is damaged or readable by others is replaced, not trusted', () => {
      const outdir = mkdtemp();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      const stateFile = path.join(outdir, '.cdk8s-flux-gitops', 'sealing-state.json');
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      for (const entry of Object.values<any>(state.entries)) entry.records[0].digest = 'g'.repeat(64);
      fs.writeFileSync(stateFile, JSON.stringify(state));
      fs.chmodSync(stateFile, 0o644);
      fs.chmodSync(path.dirname(stateFile), 0o755);
      expect(define(outdir).synth().written).toContain(rel); // nothing to trust: re-sealed
      expect(unseal(KEY_4096, sealedFile(outdir, rel)).ok).toBe(true);
      const mode = (p: string) => (fs.statSync(p).mode % 0o1000).toString(8);
      expect(mode(stateFile)).toEqual('600');
      expect(mode(path.dirname(stateFile))).toEqual('700');
    });

    test('the local state of an earlier version (one digest per key) still avoids re-sealing', () => {
      const outdir = mkdtemp();
      const stateFile = path.join(outdir, '.cdk8s-flux-gitops', 'sealing-state.json');
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      const digests = Object.entries(state.entries).map(([k, v]) => [k, (v as any).records[0].digest]);
      const v1 = { hmacKey: state.hmacKey, entries: Object.fromEntries(digests) };
      fs.writeFileSync(stateFile, JSON.stringify(v1));
      const before = fs.readFileSync(path.join(outdir, 'clusters/dev/helm/secrets/creds-sealed.yaml'), 'utf8');
      expect(define(outdir).synth().written).toEqual([]);
      expect(fs.readFileSync(path.join(outdir, 'clusters/dev/helm/secrets/creds-sealed.yaml'), 'utf8')).toEqual(before);
    });

    test('a committed value that cannot be a ciphertext of the certificate is re-sealed, or is an error without its source', () => {
      const outdir = mkdtemp();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const text = fs.readFileSync(path.join(outdir, rel), 'utf8');
      const good = sealedFile(outdir, rel).spec.encryptedData.password as string;
      const truncated = Buffer.from(good, 'base64').subarray(0, 2 + 512 + 4).toString('base64');
      fs.writeFileSync(path.join(outdir, rel), text.replace(good, truncated));
      define(outdir).synth();
      const after = sealedFile(outdir, rel);
      expect(after.spec.encryptedData.password).not.toEqual(truncated);
      expect(unseal(KEY_4096, after)).toEqual({ ok: true, data: { user: Buffer.from('admin-user'), password: Buffer.from('s3cret-password') } });
      // without the source: refused, not kept
      fs.writeFileSync(path.join(outdir, rel), text.replace(good, truncated));
      setEnv('CHURN_PASSWORD', undefined);
      expect(() => quietly(() => define(outdir).synth())).toThrow(
        'data.password: cannot keep its committed sealed value (it is truncated) and its source (environment variable CHURN_PASSWORD) is absent: provide it and synth again');
    });

    test('renaming re-seals for the new name; without the sources it is an error', () => {
      const outdir = mkdtemp();
      setEnv('CHURN_USER', 'admin-user');
      setEnv('CHURN_PASSWORD', 's3cret-password');
      define(outdir).synth();
      const rel = 'clusters/dev/helm/secrets/creds-sealed.yaml';
      const text = fs.readFileSync(path.join(outdir, rel), 'utf8');
      // a hand move to another namespace in the committed file is caught the same way
      fs.writeFileSync(path.join(outdir, rel), text.replace(/namespace: flux-system/g, 'namespace: moved'));
      setEnv('CHURN_USER', undefined);
      expect(() => quietly(() => define(outdir).synth())).toThrow(
        'data.user: cannot be re-sealed for the new name, namespace or scope: its source (environment variable CHURN_USER) is absent; provide it and synth again');
      setEnv('CHURN_USER', 'admin-user');
      define(outdir).synth();
      expect(unseal(KEY_4096, sealedFile(outdir, rel)).ok).toBe(true);
    });
  });

  describe('guards', () => {
    test('no plain text of any source, nor its base64, appears anywhere in the repo', () => {
      const outdir = mkdtemp();
      const secrets = ['correct-horse-battery-staple', 'Tr0ub4dor&3-value', 'values-file-secret-42'];
      setEnv('GUARD_A', secrets[0]);
      fs.writeFileSync(path.join(outdir, 'app-values-v1.yaml'), `password: ${secrets[2]}\n`);
      const { repo, dev } = cluster(outdir);
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      const creds = new SealedSecret(dev, 'app-creds', { data: { a: SecretValue.fromEnv('GUARD_A'), b: SecretValue.unsafePlainText(secrets[1]) } });
      new HelmRelease(dev, 'app', {
        repository: bitnami,
        chart: 'nginx',
        valuesFrom: [creds.valuesReference({ valuesKey: 'a', targetPath: 'auth.password' })],
        secretValues: SecretValue.fromFile(path.join(outdir, 'app-values-v1.yaml')),
      });
      repo.synth();
      const files = readTree(outdir);
      delete files['app-values-v1.yaml'];
      const all = Object.values(files).join('\n');
      for (const s of [...secrets, `password: ${secrets[2]}\n`]) {
        expect(all).not.toContain(s);
        expect(all).not.toContain(Buffer.from(s).toString('base64'));
      }
      expect(Object.keys(files)).toContain('clusters/dev/helm/secrets/app-values-sealed.yaml');
    });

    test('a secret value that also appears in values is refused', () => {
      const outdir = mkdtemp();
      const { repo, dev } = cluster(outdir);
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      new SealedSecret(dev, 'app-creds', { data: { a: SecretValue.unsafePlainText('leaked-password-123') } });
      new HelmRelease(dev, 'app', { repository: bitnami, chart: 'nginx', values: { auth: { password: 'leaked-password-123' } } });
      expect(() => repo.synth()).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev/app-creds: data: must not appear in plain text: a secret value of this SealedSecret is written in plain text (or base64) in \'clusters/dev/helm/releases/app.yaml\' (by dev/app); move it out of values and into the SealedSecret',
      ].join('\n'));
    });

    test('a secret the YAML writer escapes, quotes or folds in values is refused too', () => {
      const outdir = mkdtemp();
      const { repo, dev } = cluster(outdir);
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
      const quoted = "it's: a secret";
      const tabbed = 'tab\there-secret';
      new SealedSecret(dev, 'tls', { data: { 'tls.key': SecretValue.unsafePlainText(key), 'q': SecretValue.unsafePlainText(quoted), 't': SecretValue.unsafePlainText(tabbed) } });
      new HelmRelease(dev, 'app', { repository: bitnami, chart: 'nginx', values: { tls: { key }, note: quoted, other: tabbed } });
      expect(() => repo.synth()).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev/tls: data: must not appear in plain text: a secret value of this SealedSecret is written in plain text (or base64) in \'clusters/dev/helm/releases/app.yaml\' (by dev/app); move it out of values and into the SealedSecret',
      ].join('\n'));
      expect(fs.existsSync(path.join(outdir, 'clusters'))).toBe(false);
    });

    test('a value of a sealed values file that also appears in plain text is a warning, naming the key, never the value', () => {
      const outdir = mkdtemp();
      fs.writeFileSync(path.join(outdir, 'app-values-v1.yaml'), 'auth:\n  password: from-the-values-file-42\nshort: abc\n');
      const { repo, dev } = cluster(outdir);
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      new HelmRelease(dev, 'app', { repository: bitnami, chart: 'nginx', secretValues: SecretValue.fromFile(path.join(outdir, 'app-values-v1.yaml')) });
      new HelmRelease(dev, 'web', { repository: bitnami, chart: 'nginx', values: { p: 'from-the-values-file-42', q: 'abc' } });
      new HelmRelease(dev, 'api', { repository: bitnami, chart: 'nginx', values: { p: 'from-the-values-file-42' } });
      const result = quietly(() => repo.synth());
      expect(result.warnings.filter((w) => w.startsWith('dev/'))).toEqual([
        `dev/app/SecretValues: the value at 'auth.password' of its sealed values (file ${path.join(outdir, 'app-values-v1.yaml')}) is also written in plain text in 'clusters/dev/helm/releases/api.yaml', 'clusters/dev/helm/releases/web.yaml': if it is a secret, keep it only in the sealed values`,
      ]);
    });

    test('secretValues must be a YAML map of chart values; the message never quotes the file', () => {
      const outdir = mkdtemp();
      const files = { 'list-values-v1.yaml': '- a-secret-item\n', 'broken-values-v1.yaml': 'password: [unclosed-secret\n', 'two-values-v1.yaml': 'a: 1\n---\nb: 2\n', 'empty-values-v1.yaml': '' };
      for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(outdir, f), text);
      const { repo, dev } = cluster(outdir);
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      for (const f of Object.keys(files)) {
        new HelmRelease(dev, f.split('-')[0], { repository: bitnami, chart: 'nginx', secretValues: SecretValue.fromFile(path.join(outdir, f)) });
      }
      const file = (f: string) => `file ${path.join(outdir, f)}`;
      const message = synthError(repo);
      expect(message).toEqual([
        'synth found 3 problems and wrote nothing:',
        `  - dev/list/SecretValues: data.values.yaml: must be a YAML map of chart values: ${file('list-values-v1.yaml')} holds a list; helm-controller fails on anything but a map`,
        `  - dev/broken/SecretValues: data.values.yaml: must be a YAML map of chart values: ${file('broken-values-v1.yaml')} does not parse as YAML (BAD_INDENT at line 2, column 1); helm-controller would fail to read it`,
        `  - dev/two/SecretValues: data.values.yaml: must be a YAML map of chart values: ${file('two-values-v1.yaml')} holds 2 YAML documents; helm-controller reads one`,
      ].join('\n'));
      expect(message).not.toContain('secret');
    });

    test('a hand-written plain Secret in a cluster path is refused; a SOPS-encrypted one is not', () => {
      const outdir = mkdtemp();
      fs.mkdirSync(path.join(outdir, 'clusters/dev/apps'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters/dev/apps/db.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\nstringData:\n  password: hunter2\n');
      fs.writeFileSync(path.join(outdir, 'clusters/dev/apps/sops.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: apps\ndata:\n  token: ENC[AES256_GCM,data:abc]\nsops:\n  version: 3.8.1\n');
      const { repo } = cluster(outdir);
      expect(() => repo.synth()).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev: path: must not hold a plain Secret: \'clusters/dev/apps/db.yaml\' has Secret apps/db in plain text, and Flux would apply it from Git as it is; define a SealedSecret in the code instead and delete the file (or encrypt it with SOPS) (got "clusters/dev/apps/db.yaml")',
      ].join('\n'));
    });

    test('a values file inside a cluster path, or one Git would not ignore, is refused', () => {
      const outdir = mkdtemp();
      fs.mkdirSync(path.join(outdir, 'clusters/dev'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters/dev/app-values-v1.yaml'), 'a: 1\n');
      fs.writeFileSync(path.join(outdir, 'secrets.yaml'), 'a: 1\n');
      const { repo, dev } = cluster(outdir);
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      new HelmRelease(dev, 'app', { repository: bitnami, chart: 'nginx', secretValues: SecretValue.fromFile(path.join(outdir, 'clusters/dev/app-values-v1.yaml')) });
      new HelmRelease(dev, 'web', { repository: bitnami, chart: 'nginx', secretValues: SecretValue.fromFile(path.join(outdir, 'secrets.yaml')) });
      expect(() => repo.synth()).toThrow([
        'synth found 2 problems and wrote nothing:',
        '  - dev/app/SecretValues: data.values.yaml: must not be inside the cluster path \'clusters/dev\': Flux would try to apply it and fail (\'missing Resource metadata\'); keep it at the repo root (got "clusters/dev/app-values-v1.yaml")',
        '  - dev/web/SecretValues: data.values.yaml: must be git-ignored: inside the repo, name a plain-text file \'<name>-values-<anything>.yaml\' (the .gitignore rule \'*-values-*.yaml\'), list it in .gitignore, or keep it outside the repo (got "secrets.yaml")',
      ].join('\n'));
    });

    test('bad keys, names, no data, no certificate, a valuesKey it lacks and another namespace are refused', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir });
      const dev = new FluxCluster(repo, 'dev');
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      new SealedSecret(dev, 'Bad_Name', { data: {} });
      const other = new SealedSecret(dev, 'other-ns', {
        namespace: 'apps',
        data: { 'bad key': SecretValue.unsafePlainText('x') },
        annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' },
      });
      new HelmRelease(dev, 'app', { repository: bitnami, chart: 'nginx', valuesFrom: [other.valuesReference({ valuesKey: 'password' })] });
      expect(() => repo.synth()).toThrow([
        'synth found 8 problems and wrote nothing:',
        '  - dev/Bad_Name: name: must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "Bad_Name")',
        '  - dev/Bad_Name: data: must have at least one key (kubeseal refuses empty data) (got {})',
        '  - dev/Bad_Name: sealingCertificate: must be set on FluxCluster \'dev\' to seal secrets: fetch it with \'kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-dev.pem\' and pass SealingCertificate.fromFile() as sealingCertificate',
        '  - dev/other-ns: data.bad key: must be a Secret key: at most 253 letters, digits, \'-\', \'_\' and \'.\' (got "bad key")',
        '  - dev/other-ns: annotations.sealedsecrets.bitnami.com/cluster-wide: must not be set by hand: use the scope property (got "sealedsecrets.bitnami.com/cluster-wide")',
        '  - dev/other-ns: sealingCertificate: must be set on FluxCluster \'dev\' to seal secrets: fetch it with \'kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-dev.pem\' and pass SealingCertificate.fromFile() as sealingCertificate',
        '  - dev/app: valuesFrom[0].name: must refer to a Secret in the HelmRelease\'s namespace \'flux-system\': SealedSecret \'other-ns\' is in \'apps\'; set its namespace to \'flux-system\' (got "other-ns")',
        '  - dev/app: valuesFrom[0].valuesKey: must be a key of SealedSecret \'other-ns\' (\'bad key\') (got "password")',
      ].join('\n'));
    });
  });

  test('label and annotation values and the type must be strings, immutable a boolean (JavaScript callers)', () => {
    const outdir = mkdtemp();
    const { repo, dev } = cluster(outdir);
    new SealedSecret(dev, 'creds', {
      data: { a: SecretValue.unsafePlainText('x') },
      type: 1 as any,
      labels: { tier: 1 as any },
      annotations: { enabled: true as any },
      immutable: 'yes' as any,
    });
    expect(() => repo.synth()).toThrow([
      'synth found 4 problems and wrote nothing:',
      '  - dev/creds: type: must be a non-empty string such as \'Opaque\' or \'kubernetes.io/tls\' (got 1)',
      '  - dev/creds: immutable: must be true or false (a boolean, not a string or a number) (got "yes")',
      '  - dev/creds: labels.tier: must be a string (Kubernetes labels map strings to strings): quote it (got 1)',
      '  - dev/creds: annotations.enabled: must be a string (Kubernetes annotations map strings to strings): quote it (got true)',
    ].join('\n'));
  });

  describe('what the API server would refuse of the Secret', () => {
    test('keys \'.\' and \'..\'-prefixed, the keys a built-in type needs, and a service account token without its annotation', () => {
      const outdir = mkdtemp();
      const { repo, dev } = cluster(outdir);
      const v = () => SecretValue.unsafePlainText('value-1234');
      new SealedSecret(dev, 'dots', { data: { '.': v(), '..a': v(), '.ok': v(), 'a..b': v() } });
      new SealedSecret(dev, 'tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': v() } });
      new SealedSecret(dev, 'docker', { type: 'kubernetes.io/dockerconfigjson', data: { config: v() } });
      new SealedSecret(dev, 'basic', { type: 'kubernetes.io/basic-auth', data: { user: v() } });
      new SealedSecret(dev, 'ssh', { type: 'kubernetes.io/ssh-auth', data: { key: v() } });
      new SealedSecret(dev, 'sa', { type: 'kubernetes.io/service-account-token', data: { token: v() } });
      expect(() => repo.synth()).toThrow([
        'synth found 7 problems and wrote nothing:',
        '  - dev/dots: data..: must be a Secret key: not \'.\' and not starting with \'..\' (the API server refuses it) (got ".")',
        '  - dev/dots: data...a: must be a Secret key: not \'.\' and not starting with \'..\' (the API server refuses it) (got "..a")',
        '  - dev/tls: data: must have the key \'tls.key\': the API server refuses a Secret of type kubernetes.io/tls without it (got ["tls.crt"])',
        '  - dev/docker: data: must have the key \'.dockerconfigjson\': the API server refuses a Secret of type kubernetes.io/dockerconfigjson without it (got ["config"])',
        '  - dev/basic: data: must have the key \'username\' or \'password\': the API server refuses a Secret of type kubernetes.io/basic-auth without one (got ["user"])',
        '  - dev/ssh: data: must have the key \'ssh-privatekey\': the API server refuses a Secret of type kubernetes.io/ssh-auth without it (got ["key"])',
        '  - dev/sa: annotations: must have \'kubernetes.io/service-account.name\': the API server refuses a Secret of type kubernetes.io/service-account-token without it (got {})',
      ].join('\n'));
    });

    test('a docker config that is not a JSON object, an empty SSH key and more than 1 MiB in all, without showing the value', () => {
      const outdir = mkdtemp();
      const { repo, dev } = cluster(outdir);
      fs.writeFileSync(path.join(outdir, 'big-values-a.yaml'), Buffer.alloc(700 * 1024, 'a'));
      fs.writeFileSync(path.join(outdir, 'big-values-b.yaml'), Buffer.alloc(400 * 1024, 'b'));
      new SealedSecret(dev, 'docker', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': SecretValue.unsafePlainText('auths: not-json-secret') } });
      new SealedSecret(dev, 'ssh', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': SecretValue.unsafePlainText('') } });
      new SealedSecret(dev, 'big', {
        data: { a: SecretValue.fromFile(path.join(outdir, 'big-values-a.yaml')), b: SecretValue.fromFile(path.join(outdir, 'big-values-b.yaml')) },
      });
      const message = synthError(repo);
      expect(message).toEqual([
        'synth found 3 problems and wrote nothing:',
        '  - dev/docker: data..dockerconfigjson: must be a JSON object (as \'kubectl create secret docker-registry\' writes it): the API server refuses a Secret of type kubernetes.io/dockerconfigjson whose .dockerconfigjson is not',
        '  - dev/ssh: data.ssh-privatekey: must not be empty: the API server refuses a Secret of type kubernetes.io/ssh-auth with an empty ssh-privatekey',
        '  - dev/big: data: must hold at most 1048576 bytes (1 MiB) in all: the API server refuses a larger Secret (got "1126400 bytes")',
      ].join('\n'));
      expect(message).not.toContain('not-json-secret');
    });

    test('a source file listed in the user\'s own .gitignore is accepted (git check-ignore)', () => {
      const outdir = mkdtemp();
      const git = spawnSync('git', ['init', '-q', outdir]);
      if (git.status !== 0) return; // no git here
      fs.writeFileSync(path.join(outdir, '.gitignore'), '.env\n');
      fs.writeFileSync(path.join(outdir, '.env'), 'DB_PASSWORD="from-dotenv-file"\n');
      fs.writeFileSync(path.join(outdir, 'tracked.env'), 'DB_PASSWORD=x\n');
      const { repo, dev } = cluster(outdir);
      new SealedSecret(dev, 'db', { data: { password: SecretValue.fromEnvFile(path.join(outdir, '.env'), 'DB_PASSWORD') } });
      repo.synth();
      expect(unseal(KEY_4096, sealedFile(outdir, 'clusters/dev/helm/secrets/db-sealed.yaml'))).toEqual({ ok: true, data: { password: Buffer.from('from-dotenv-file') } });
      const other = cluster(outdir);
      new SealedSecret(other.dev, 'db', { data: { password: SecretValue.fromEnvFile(path.join(outdir, 'tracked.env'), 'DB_PASSWORD') } });
      expect(() => other.repo.synth()).toThrow('data.password: must be git-ignored');
    });
  });

  test('secretValues seals the values file into <release>-values and reads it through valuesFrom', () => {
    const outdir = mkdtemp();
    const values = 'webhook:\n  token: webhook-token-123\n';
    fs.writeFileSync(path.join(outdir, 'cert-manager-values-v1.8.0.yaml'), values);
    const { repo, dev } = cluster(outdir);
    const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
    new HelmRelease(dev, 'cert-manager', {
      repository: jetstack,
      chart: 'cert-manager',
      version: '1.8.0',
      secretValues: SecretValue.fromFile(path.join(outdir, 'cert-manager-values-v1.8.0.yaml')),
    });
    repo.synth();
    const release = parseYaml(fs.readFileSync(path.join(outdir, 'clusters/dev/helm/releases/cert-manager.yaml'), 'utf8'));
    expect(release.spec.valuesFrom).toEqual([{ kind: 'Secret', name: 'cert-manager-values' }]);
    const sealed = sealedFile(outdir, 'clusters/dev/helm/secrets/cert-manager-values-sealed.yaml');
    expect(unseal(KEY_4096, sealed)).toEqual({ ok: true, data: { 'values.yaml': Buffer.from(values) } });
  });

  test('the release that installs the sealed-secrets controller cannot need a SealedSecret, itself or through dependsOn', () => {
    const outdir = mkdtemp();
    fs.writeFileSync(path.join(outdir, 'ss-values-v1.yaml'), 'fullnameOverride: sealed-secrets-controller\n');
    const { repo, dev } = cluster(outdir);
    const ss = new HelmRepository(dev, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets' });
    const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
    const creds = new SealedSecret(dev, 'creds', { data: { token: SecretValue.unsafePlainText('a-token-value-123') } });
    const base = new HelmRelease(dev, 'base', { repository: bitnami, chart: 'nginx', valuesFrom: [creds.valuesReference({ valuesKey: 'token', targetPath: 't' })] });
    new HelmRelease(dev, 'optional-ok', { repository: bitnami, chart: 'nginx', valuesFrom: [creds.valuesReference({ valuesKey: 'token', targetPath: 't', optional: true })] });
    new HelmRelease(dev, 'sealed-secrets-controller', {
      repository: ss,
      chart: 'sealed-secrets',
      crds: CrdsPolicy.CREATE_REPLACE,
      secretValues: SecretValue.fromFile(path.join(outdir, 'ss-values-v1.yaml')),
      dependsOn: [base],
    });
    expect(() => repo.synth()).toThrow([
      'synth found 2 problems and wrote nothing:',
      '  - dev/sealed-secrets-controller: valuesFrom: must not need a SealedSecret: this release installs the sealed-secrets controller, and it reads SealedSecret \'sealed-secrets-controller-values\', which only that controller can unseal, so neither would ever be ready; give the controller its values inline, or mark the reference optional (got "sealed-secrets-controller-values")',
      '  - dev/sealed-secrets-controller: dependsOn: must not need a SealedSecret: this release installs the sealed-secrets controller, and it depends on \'dev/base\', which reads SealedSecret \'creds\', which only that controller can unseal, so neither would ever be ready; give the controller its values inline, or mark the reference optional (got "creds")',
    ].join('\n'));
  });

  describe('one push on a fresh cluster (DESIGN rule 8)', () => {
    test('with the release that installs the CRD, the SealedSecrets get a Flux Kustomization of their own', () => {
      const outdir = mkdtemp();
      fs.mkdirSync(path.join(outdir, 'clusters/dev/apps'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters/dev/apps/namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n');
      const { repo, dev } = cluster(outdir);
      const repoSealed = new HelmRepository(dev, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets' });
      new HelmRelease(dev, 'sealed-secrets-controller', { repository: repoSealed, chart: 'sealed-secrets', crds: CrdsPolicy.CREATE_REPLACE });
      new SealedSecret(dev, 'creds', { data: { a: SecretValue.unsafePlainText('value-a') } });
      quietly(() => repo.synth());
      const files = readTree(outdir);
      expect(files['clusters/dev/kustomization.yaml']).toEqual([
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '- apps/namespace.yaml',
        '- helm/releases/sealed-secrets-controller.yaml',
        '- helm/repositories/sealed-secrets.yaml',
        '- helm/secrets-kustomization.yaml',
        '',
      ].join('\n'));
      // helm/secrets/ builds on its own too, with plain kustomize as with kustomize-controller.
      expect(files['clusters/dev/helm/secrets/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- creds-sealed.yaml\n');
      delete files['clusters/dev/apps/namespace.yaml'];
      expect(schemaViolations(files)).toEqual([]);
      expect(files['clusters/dev/helm/secrets-kustomization.yaml']).toEqual([
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:',
        '  name: helm-secrets',
        '  namespace: flux-system',
        'spec:',
        '  interval: 10m0s',
        '  path: ./clusters/dev/helm/secrets',
        '  prune: true',
        '  retryInterval: 1m0s',
        '  sourceRef:',
        '    kind: GitRepository',
        '    name: flux-system',
        '',
      ].join('\n'));
    });

    test('a hand-written SealedSecret that the cluster\'s own Kustomization would apply next to the CRD release is refused; in helm/secrets/ it is fine', () => {
      const outdir = mkdtemp();
      const sealed = 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: legacy\n  namespace: apps\nspec:\n  encryptedData:\n    a: AgB=\n';
      fs.mkdirSync(path.join(outdir, 'clusters/dev/apps'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters/dev/apps/legacy-sealed.yaml'), sealed);
      const define2 = () => {
        const { repo, dev } = cluster(outdir);
        const ss = new HelmRepository(dev, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets' });
        new HelmRelease(dev, 'sealed-secrets-controller', { repository: ss, chart: 'sealed-secrets' });
        new SealedSecret(dev, 'creds', { data: { a: SecretValue.unsafePlainText('value-a') } });
        return repo;
      };
      expect(() => define2().synth()).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev: path: must not hold a hand-written SealedSecret where the cluster\'s own Kustomization applies it: \'clusters/dev/apps/legacy-sealed.yaml\' has SealedSecret apps/legacy, and this cluster installs the sealed-secrets CRD, so on a fresh cluster its dry-run fails (\'no matches for kind "SealedSecret"\') and the whole cluster with it; define it in the code (synth applies the SealedSecrets on their own), or move the file to \'clusters/dev/helm/secrets/\' (got "clusters/dev/apps/legacy-sealed.yaml")',
      ].join('\n'));
      fs.rmSync(path.join(outdir, 'clusters/dev/apps'), { recursive: true });
      fs.mkdirSync(path.join(outdir, 'clusters/dev/helm/secrets'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters/dev/helm/secrets/legacy-sealed.yaml'), sealed);
      quietly(() => define2().synth());
      expect(readTree(outdir)['clusters/dev/helm/secrets/kustomization.yaml']).toContain('- legacy-sealed.yaml\n');
    });

    test('without it (the CRD exists already), helm/secrets/ is applied with the rest, by the cluster kustomization.yaml', () => {
      const outdir = mkdtemp();
      const { repo, dev } = cluster(outdir);
      new SealedSecret(dev, 'creds', { data: { a: SecretValue.unsafePlainText('value-a') } });
      quietly(() => repo.synth());
      const files = readTree(outdir);
      expect(Object.keys(files).filter((f) => f.startsWith('clusters/'))).toEqual(['clusters/dev/helm/secrets/creds-sealed.yaml', 'clusters/dev/kustomization.yaml']);
      expect(files['clusters/dev/kustomization.yaml']).toContain('resources:\n- helm/secrets/creds-sealed.yaml\n');
    });
  });
});
