import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { defineFleet } from './fault-fleet';
import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealedSecret, SealingCertificate, SecretValue } from '../../src';
import { _faultCount, _resetFaultCount } from '../../src/output/transaction';
import { sha256 } from '../../src/output/writer';
import { unseal } from '../sealing/unseal';
import { mkdtemp, quietly, synthError } from '../util';

/**
 * Synth killed at every file operation (a child process that SIGKILLs itself at the N-th one),
 * failing with an I/O error at every one, run concurrently, and stopped by symbolic links: the
 * next synth must leave a correct, fully recorded tree, and nothing outside the repo is touched.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'sealing');
const CERT = path.join(FIXTURES, 'rsa2048.crt');
const KEY = path.join(FIXTURES, 'rsa2048.key');
const SECRET_FILE = 'clusters/dev/helm/secrets/db-credentials-sealed.yaml';
const FAULT = 'CDK8S_FLUX_GITOPS_TEST_FAULT';

let bundle: string;
let stagedCert: string;

beforeAll(() => {
  // The child's synth, bundled once (ts-node per child would take seconds each) with everything it
  // needs, in a folder of its own that any user may read: the permission tests run it as nobody,
  // who may not be able to enter the checkout (a clone in a mktemp -d folder, say). It sits two
  // folders below that folder's root, as src/checks does, so that the schema bundle is found at
  // the same '../../lib/vendor'.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-child-'));
  fs.chmodSync(dir, 0o755);
  bundle = path.join(dir, 'test', 'output', 'fault-child.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('esbuild').buildSync({
    entryPoints: [path.join(__dirname, 'fault-child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
  fs.mkdirSync(path.join(dir, 'lib', 'vendor'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'lib', 'vendor', 'flux-schemas.cjs'), path.join(dir, 'lib', 'vendor', 'flux-schemas.cjs'));
  stagedCert = path.join(dir, 'rsa2048.crt');
  fs.copyFileSync(CERT, stagedCert);
  for (const d of [dir, path.join(dir, 'test'), path.join(dir, 'test', 'output'), path.join(dir, 'lib'), path.join(dir, 'lib', 'vendor')]) fs.chmodSync(d, 0o755);
  for (const f of [bundle, stagedCert, path.join(dir, 'lib', 'vendor', 'flux-schemas.cjs')]) fs.chmodSync(f, 0o644);
});

afterAll(() => {
  fs.rmSync(path.dirname(path.dirname(path.dirname(bundle))), { recursive: true, force: true });
});

afterEach(() => {
  delete process.env[FAULT];
  delete process.env.FI_SECRET;
  delete process.env.CDK8S_FLUX_GITOPS_LOCK_WAIT_MS;
  _resetFaultCount();
});

/** Runs the child synth; returns how it ended. */
function child(outdir: string, variant: 'a' | 'b', secret: string, fault?: string): { killed: boolean; status: number | null; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, FI_SECRET: secret };
  if (fault) env[FAULT] = fault;
  else delete env[FAULT];
  const r = spawnSync(process.execPath, [bundle, outdir, variant, stagedCert], { env, encoding: 'utf8', timeout: 30_000 });
  return { killed: r.signal === 'SIGKILL', status: r.status, stderr: r.stderr };
}

/** Synth in this process. */
function synth(outdir: string, variant: 'a' | 'b', secret: string) {
  process.env.FI_SECRET = secret;
  try {
    return quietly(() => defineFleet(outdir, variant, CERT).synth());
  } finally {
    delete process.env.FI_SECRET;
  }
}

/** Every file below a folder, dot-folders included (relative path → bytes as text). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), rel);
      else out[rel] = e.isSymbolicLink() ? `-> ${fs.readlinkSync(path.join(d, e.name))}` : fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** The tree of a variant, with the sealed ciphertext masked (it is random). */
function masked(tree: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, text] of Object.entries(tree)) {
    if (rel.startsWith('.cdk8s-flux-gitops/') || rel === '.cdk8s-flux-gitops.json') continue;
    out[rel] = text.replace(/^(\s+password): \S+$/m, '$1: <ciphertext>');
  }
  return out;
}

/** What a correct tree of a variant looks like, synthesized once in a fresh folder. */
const expected = new Map<string, Record<string, string>>();
function reference(variant: 'a' | 'b'): Record<string, string> {
  if (!expected.has(variant)) {
    const dir = mkdtemp();
    synth(dir, variant, 'reference-secret-value');
    expected.set(variant, masked(snapshot(dir)));
  }
  return expected.get(variant)!;
}

/** Asserts the tree is the variant's, fully recorded, sealing `secret`, with nothing stray. */
function assertCorrect(outdir: string, variant: 'a' | 'b', secret: string, where: string): void {
  const tree = snapshot(outdir);
  expect({ where, tree: masked(tree) }).toEqual({ where, tree: reference(variant) });
  const record = JSON.parse(tree['.cdk8s-flux-gitops.json']);
  const owned = Object.keys(tree).filter((f) => f.startsWith('clusters/')).sort();
  expect({ where, files: Object.keys(record.files).sort() }).toEqual({ where, files: owned });
  for (const f of owned) expect({ where, f, hash: record.files[f].sha256 }).toEqual({ where, f, hash: sha256(tree[f]) });
  // the local state holds only the state file: no lock, no staging, no journal
  expect({ where, state: Object.keys(tree).filter((f) => f.startsWith('.cdk8s-flux-gitops/')) }).toEqual({ where, state: ['.cdk8s-flux-gitops/sealing-state.json'] });
  expect({ where, stray: Object.keys(tree).filter((f) => /\.tmp$|stale|journal/.test(f)) }).toEqual({ where, stray: [] });
  expect({ where, sealed: unsealPassword(tree[SECRET_FILE]) }).toEqual({ where, sealed: secret });
}

/** The sealed password, decrypted here (fast; test/sealing/unseal.py checks the format independently). */
function unsealPassword(text: string): string {
  const b = Buffer.from(parseYaml(text).spec.encryptedData.password, 'base64');
  const k = b.readUInt16BE(0);
  const sessionKey = crypto.privateDecrypt(
    { key: fs.readFileSync(KEY), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from('flux-system/db-credentials') },
    b.subarray(2, 2 + k),
  );
  const d = crypto.createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  d.setAuthTag(b.subarray(b.length - 16));
  return Buffer.concat([d.update(b.subarray(2 + k, b.length - 16)), d.final()]).toString('utf8');
}

/** Kills the child synth at operation 1, 2, … until it finishes; calls `check` after each kill. */
function everyKillPoint(setUp: () => string, variant: 'a' | 'b', secret: string, check: (outdir: string, n: number) => void): number {
  for (let n = 1; n < 500; n++) {
    const outdir = setUp();
    const r = child(outdir, variant, secret, `crash:${n}`);
    if (!r.killed) {
      expect({ n, status: r.status, stderr: r.stderr.replace(/^warning: .*\n/gm, '') }).toEqual({ n, status: 0, stderr: '' });
      return n - 1;
    }
    check(outdir, n);
  }
  throw new Error('the synth never finished');
}

describe('a synth killed at any file operation', () => {
  test('into a fresh folder: the next synth finishes the job', () => {
    const points = everyKillPoint(() => mkdtemp(), 'a', 'first-secret-value', (outdir, n) => {
      synth(outdir, 'a', 'first-secret-value');
      assertCorrect(outdir, 'a', 'first-secret-value', `fresh, killed at ${n}`);
    });
    expect(points).toBeGreaterThan(10);
  }, 120_000);

  test('while updating a tree (a file changed, one removed, one added, a new secret): the next synth of either version is correct', () => {
    const base = mkdtemp();
    synth(base, 'a', 'first-secret-value');
    const copy = () => {
      const dir = mkdtemp();
      fs.cpSync(base, dir, { recursive: true });
      return dir;
    };
    const points = everyKillPoint(copy, 'b', 'second-secret-value', (outdir, n) => {
      // the code goes back to 'a' and its secret: the sealed file must not keep the new value
      const reverted = mkdtemp();
      fs.cpSync(outdir, reverted, { recursive: true });
      synth(reverted, 'a', 'first-secret-value');
      assertCorrect(reverted, 'a', 'first-secret-value', `reverted after a kill at ${n}`);
      synth(outdir, 'b', 'second-secret-value');
      assertCorrect(outdir, 'b', 'second-secret-value', `killed at ${n}`);
    });
    expect(points).toBeGreaterThan(10);
  }, 120_000);
});

test('a synth killed while it finishes an interrupted one: the one after finishes both', () => {
  const base = mkdtemp();
  synth(base, 'a', 'first-secret-value');
  // kill the update half-way through moving files (the journal is there), then kill the recovery
  let crashed: string | undefined;
  for (let n = 1; n < 100 && crashed === undefined; n++) {
    const dir = mkdtemp();
    fs.cpSync(base, dir, { recursive: true });
    if (child(dir, 'b', 'second-secret-value', `crash:${n}`).killed && fs.existsSync(path.join(dir, '.cdk8s-flux-gitops/txn/journal.json'))) crashed = dir;
  }
  expect(crashed).toBeDefined();
  let m = 1;
  for (; m < 100; m++) {
    const outdir = mkdtemp();
    fs.cpSync(crashed!, outdir, { recursive: true });
    const r = child(outdir, 'b', 'second-secret-value', `crash:${m}`);
    if (!r.killed) break;
    synth(outdir, 'b', 'second-secret-value');
    assertCorrect(outdir, 'b', 'second-secret-value', `recovery killed at ${m}`);
  }
  expect(m).toBeGreaterThan(10);
}, 120_000);

describe('an I/O error at any file operation', () => {
  test('puts every file back as it was, with a message naming the file and the fix', () => {
    const base = mkdtemp();
    synth(base, 'a', 'first-secret-value');
    const before = snapshot(base);
    let n = 1;
    for (; n < 500; n++) {
      const outdir = mkdtemp();
      fs.cpSync(base, outdir, { recursive: true });
      _resetFaultCount();
      process.env[FAULT] = `fail:${n}`;
      let message: string | undefined;
      try {
        synth(outdir, 'b', 'second-secret-value');
      } catch (e) {
        message = (e as Error).message;
      } finally {
        delete process.env[FAULT];
      }
      if (message === undefined) {
        if (_faultCount() < n) break; // no operation left to fail at: every one was tried
        // the fault fell after the commit (deleting the journal or the staging): the files are in
        // place, and the next synth cleans up
        synth(outdir, 'b', 'second-secret-value');
        assertCorrect(outdir, 'b', 'second-secret-value', `failed at ${n}, after the commit`);
        continue;
      }
      expect(message).toMatch(/^synth could not (write|delete) '[^']+'( \(staged in '.cdk8s-flux-gitops\/txn'\))?: EIO: injected I\/O error .*(back as it was|nothing was changed), so synth again once it is fixed$/);
      expect({ n, tree: snapshot(outdir) }).toEqual({ n, tree: before });
      synth(outdir, 'b', 'second-secret-value');
      assertCorrect(outdir, 'b', 'second-secret-value', `after a failure at ${n}`);
    }
    expect(n).toBeGreaterThan(10);
  }, 120_000);
});

describe('a real permission error', () => {
  // As root, permissions do not stop a write: the child synth runs as nobody then.
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? 65534 : process.getuid?.();
  (process.platform === 'linux' ? test : test.skip)('a read-only subfolder: rolled back, a message naming the file and the fix', () => {
    const outdir = mkdtemp();
    synth(outdir, 'a', 'first-secret-value');
    fs.chmodSync(outdir, 0o755);
    if (asRoot) spawnSync('chown', ['-R', `${uid}`, outdir]);
    const releases = path.join(outdir, 'clusters/dev/helm/releases');
    fs.chmodSync(releases, 0o555);
    const before = snapshot(outdir);
    const r = spawnSync(process.execPath, [bundle, outdir, 'b', stagedCert], {
      env: { ...process.env, FI_SECRET: 'second-secret-value' },
      encoding: 'utf8',
      uid,
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`synth could not (write|delete) 'clusters/dev/helm/releases/[a-z]+\\.yaml': permission denied \\(EACCES\\): make '${releases}' writable \\(chmod u\\+w\\) or run synth as the user who owns it; every file it had changed is back as it was, so synth again once it is fixed`));
    expect(snapshot(outdir)).toEqual(before);
    fs.chmodSync(releases, 0o755);
    synth(outdir, 'b', 'second-secret-value');
    assertCorrect(outdir, 'b', 'second-secret-value', 'after the folder was made writable');
  }, 30_000);

  (process.platform === 'linux' ? test : test.skip)('a read-only outdir: the usual message, nothing written', () => {
    const outdir = mkdtemp();
    fs.chmodSync(outdir, 0o555);
    if (asRoot) spawnSync('chown', [`${uid}`, outdir]);
    const r = spawnSync(process.execPath, [bundle, outdir, 'a', stagedCert], {
      env: { ...process.env, FI_SECRET: 'first-secret-value' },
      encoding: 'utf8',
      uid,
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`synth found 1 problem and wrote nothing:\n  - GitOpsRepo: outdir: must be a folder synth can write: cannot create '${outdir}/.cdk8s-flux-gitops' for synth's lock: permission denied (EACCES): make '${outdir}' writable (chmod u+w) or run synth as the user who owns it (got "${outdir}")`);
    expect(fs.readdirSync(outdir)).toEqual([]);
  }, 30_000);
});

describe('concurrent synths of one folder', () => {
  test('run one after the other: nothing is lost', async () => {
    const outdir = mkdtemp();
    const run = (variant: 'a' | 'b') => new Promise<number | null>((resolve) => {
      const p = spawn(process.execPath, [bundle, outdir, variant, stagedCert], {
        env: { ...process.env, FI_SECRET: 'same-secret-value' },
        stdio: 'ignore',
      });
      p.on('exit', (code) => resolve(code));
    });
    const codes = await Promise.all([run('a'), run('a'), run('a'), run('a')]);
    expect(codes).toEqual([0, 0, 0, 0]);
    assertCorrect(outdir, 'a', 'same-secret-value', 'after 4 concurrent synths');
    // two versions of the code at once: the tree is one of them, whole and fully recorded
    expect(await Promise.all([run('b'), run('a'), run('b'), run('a')])).toEqual([0, 0, 0, 0]);
    const last = JSON.stringify(masked(snapshot(outdir))) === JSON.stringify(reference('b')) ? 'b' : 'a';
    assertCorrect(outdir, last, 'same-secret-value', 'after 4 concurrent synths of two versions');
  }, 60_000);

  test('a synth that holds the lock too long: the second fails with a message naming it', () => {
    const outdir = mkdtemp();
    fs.mkdirSync(path.join(outdir, '.cdk8s-flux-gitops'));
    const lock = path.join(outdir, '.cdk8s-flux-gitops', 'synth.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', token: 'x' }));
    process.env.CDK8S_FLUX_GITOPS_LOCK_WAIT_MS = '200';
    expect(() => synth(outdir, 'a', 'first-secret-value')).toThrow(
      `GitOpsRepo: outdir: must be a folder synth can write: another synth (process ${process.pid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z) is writing '${outdir}', and it did not finish within 0 s: run one synth of a folder at a time; if no synth is running, delete '${lock}'`);
    expect(fs.existsSync(path.join(outdir, 'clusters'))).toBe(false);
  });

  test('the lock of a process that died is taken over', () => {
    const outdir = mkdtemp();
    fs.mkdirSync(path.join(outdir, '.cdk8s-flux-gitops'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(path.join(outdir, '.cdk8s-flux-gitops', 'synth.lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), since: '2026-01-01T00:00:00.000Z', token: 'x' }));
    synth(outdir, 'a', 'first-secret-value');
    assertCorrect(outdir, 'a', 'first-secret-value', 'after a stale lock');
  });
});

describe('symbolic links', () => {
  /** A folder outside the repo, with one file in it. */
  function outside(): { dir: string; before: Record<string, string> } {
    const dir = mkdtemp('outside-');
    fs.writeFileSync(path.join(dir, 'keep.yaml'), 'mine\n');
    return { dir, before: snapshot(dir) };
  }

  function synthFails(outdir: string, variant: 'a' | 'b' = 'a'): string {
    try {
      synth(outdir, variant, 'first-secret-value');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('synth did not fail');
  }

  test.each(['clusters/dev', 'clusters/dev/helm', 'clusters'])('a symlinked %s: an error naming it, nothing written outside', (link) => {
    const outdir = mkdtemp();
    const out = outside();
    fs.mkdirSync(path.dirname(path.join(outdir, link)), { recursive: true });
    fs.symlinkSync(out.dir, path.join(outdir, link));
    const message = synthFails(outdir);
    expect(message).toContain(`'${link}' is a symbolic link, and synth never reads, writes or deletes through one`);
    expect(snapshot(out.dir)).toEqual(out.before);
  });

  test('a symlinked .gitignore: an error, its target untouched', () => {
    const outdir = mkdtemp();
    const out = outside();
    fs.symlinkSync(path.join(out.dir, 'keep.yaml'), path.join(outdir, '.gitignore'));
    expect(synthFails(outdir)).toContain('.gitignore: path: must be a file, not a symbolic link');
    expect(snapshot(out.dir)).toEqual(out.before);
  });

  test('a record entry through a symlinked folder: an error, the file outside is not deleted', () => {
    const outdir = mkdtemp();
    synth(outdir, 'a', 'first-secret-value');
    const out = outside();
    fs.writeFileSync(path.join(out.dir, 'postgresql.yaml'), 'not the repo\'s\n');
    const releases = path.join(outdir, 'clusters/dev/helm/releases');
    fs.rmSync(releases, { recursive: true });
    fs.symlinkSync(out.dir, releases);
    const message = synthFails(outdir, 'b');
    expect(message).toContain("'clusters/dev/helm/releases' is a symbolic link");
    expect(fs.readFileSync(path.join(out.dir, 'postgresql.yaml'), 'utf8')).toEqual('not the repo\'s\n');
  });

  test('a record entry outside the repo is never deleted', () => {
    const outdir = mkdtemp();
    synth(outdir, 'a', 'first-secret-value');
    const out = outside();
    const recordFile = path.join(outdir, '.cdk8s-flux-gitops.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    record.files[path.relative(outdir, path.join(out.dir, 'keep.yaml'))] = { sha256: 'x' };
    record.files[path.join(out.dir, 'keep.yaml')] = { sha256: 'x' };
    fs.writeFileSync(recordFile, JSON.stringify(record));
    synth(outdir, 'a', 'first-secret-value');
    expect(snapshot(out.dir)).toEqual(out.before);
  });

  test('a symlinked local state folder: an error naming it', () => {
    const outdir = mkdtemp();
    const out = outside();
    fs.symlinkSync(out.dir, path.join(outdir, '.cdk8s-flux-gitops'));
    expect(synthFails(outdir)).toContain('is a symbolic link: synth keeps its lock and local state there');
    expect(snapshot(out.dir)).toEqual(out.before);
  });
});

describe('leftovers', () => {
  test('temporary files of an older synth and staging of an uncommitted one are removed', () => {
    const outdir = mkdtemp();
    synth(outdir, 'a', 'first-secret-value');
    fs.writeFileSync(path.join(outdir, 'clusters/dev/helm/releases/redis.yaml.12345.tmp'), 'half');
    fs.writeFileSync(path.join(outdir, '.cdk8s-flux-gitops.json.999.tmp'), 'half');
    fs.writeFileSync(path.join(outdir, '.cdk8s-flux-gitops/sealing-state.json.999.tmp'), 'half');
    fs.writeFileSync(path.join(outdir, '.cdk8s-flux-gitops/synth.lock.stale-999999999'), '{}');
    fs.mkdirSync(path.join(outdir, '.cdk8s-flux-gitops/txn'));
    fs.writeFileSync(path.join(outdir, '.cdk8s-flux-gitops/txn/new-0'), 'staged');
    synth(outdir, 'a', 'first-secret-value');
    assertCorrect(outdir, 'a', 'first-secret-value', 'after leftovers');
    // and once with the independent decryption
    expect(unseal(KEY, parseYaml(fs.readFileSync(path.join(outdir, SECRET_FILE), 'utf8')))).toEqual({ ok: true, data: { password: Buffer.from('first-secret-value') } });
  });
});

describe('hostile inputs, each within a time bound', () => {
  function releaseWithSecretValues(outdir: string, file: string) {
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
    const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
    new HelmRelease(dev, 'redis', { repository: bitnami, chart: 'redis', secretValues: SecretValue.fromFile(file) });
    return repo;
  }

  test('a YAML alias bomb in a secretValues file is refused quickly', () => {
    const outdir = mkdtemp();
    const levels = 'abcdefghij'.split('');
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < levels.length; i++) lines.push(`${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
    const bomb = path.join(outdir, 'redis-values-bomb.yaml');
    fs.writeFileSync(bomb, lines.join('\n') + '\n');
    const started = Date.now();
    const message = synthError(releaseWithSecretValues(outdir, bomb));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(message).toContain('dev/redis/SecretValues: data.values.yaml: must be a YAML map of chart values that can be read safely: file ');
    expect(message).toContain('aliases (*name) expand too much');
  }, 10_000);

  test('a secretValues file of 0.9 MB with 30,000 keys is read in linear time; a duplicate key is named by its line', () => {
    const outdir = mkdtemp();
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) lines.push(`key-${i}: value-${i}-${'x'.repeat(8)}`);
    const file = path.join(outdir, 'redis-values-big.yaml');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const started = Date.now();
    expect(() => quietly(() => releaseWithSecretValues(outdir, file).synth())).not.toThrow();
    expect(Date.now() - started).toBeLessThan(15_000);
    fs.writeFileSync(file, lines.join('\n') + '\nkey-7: again\n');
    expect(synthError(releaseWithSecretValues(outdir, file))).toContain(`dev/redis/SecretValues: data.values.yaml: must be a YAML map of chart values: file ${file} does not parse as YAML (DUPLICATE_KEY at line ${lines.length + 1}, column 1)`);
  }, 30_000);

  test('a 5 MB hand-written manifest in a cluster path is checked in linear time', () => {
    const outdir = mkdtemp();
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: big', '  namespace: default', 'data:'];
    for (let i = 0; i < 100_000; i++) lines.push(`  key-${i}: value-${'x'.repeat(32)}`);
    fs.mkdirSync(path.join(outdir, 'clusters/dev/apps'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'clusters/dev/apps/big.yaml'), lines.join('\n') + '\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\n');
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'dev');
    const started = Date.now();
    expect(synthError(repo)).toContain("dev: path: must not hold a plain Secret: 'clusters/dev/apps/big.yaml'");
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 40_000);

  test.each([
    ['/dev/zero', 'is not a regular file (a device)'],
    ['a folder', 'is not a regular file (a folder)'],
    ['a named pipe', 'is not a regular file (a named pipe)'],
    ['a 1 MiB + 1 byte file', 'is larger than the limit of 1048576 bytes (it has 1048577)'],
  ])('SecretValue.fromFile of %s is refused without hanging', (what, rule) => {
    const outdir = mkdtemp();
    let file = what;
    if (what === 'a folder') file = outdir;
    if (what === 'a named pipe') {
      file = path.join(outdir, 'pipe-values-x.yaml');
      expect(spawnSync('mkfifo', [file]).status).toBe(0);
    }
    if (what.startsWith('a 1 MiB')) {
      file = path.join(outdir, 'big-values-x.yaml');
      fs.writeFileSync(file, Buffer.alloc(1024 * 1024 + 1, 'a'));
    }
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
    new SealedSecret(dev, 'creds', { data: { token: SecretValue.fromFile(file) } });
    const message = synthError(repo);
    expect(message).toContain(`dev/creds: data.token: cannot read secret file '${path.resolve(file)}': it ${rule}`);
  }, 10_000);

  test('values nested 7,000 deep, a throwing getter, a class instance, a function, a symbol: the usual message', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev');
    const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
    let deep: any = 'x';
    for (let i = 0; i < 7000; i++) deep = { a: deep };
    const getter = {};
    Object.defineProperty(getter, 'boom', { enumerable: true, get: () => { throw new Error('boom'); } });
    new HelmRelease(dev, 'deep', { repository: bitnami, chart: 'redis', values: deep });
    new HelmRelease(dev, 'hostile', {
      repository: bitnami,
      chart: 'redis',
      values: { getter, when: new Date(0), fn: () => 1, sym: Symbol('s'), [Symbol('k')]: 1 } as any,
    });
    const message = synthError(repo);
    expect(message).toContain(`dev/deep: values${'.a'.repeat(100)}: must nest at most 100 levels deep: flatten it (got "more than 100 levels")`);
    expect(message).toContain('dev/hostile: values.getter.boom: must be plain data: a getter or setter is not');
    expect(message).toContain('dev/hostile: values.when: must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries()) (got "a Date")');
    expect(message).toContain('dev/hostile: values.fn: must be plain data');
    expect(message).toContain('(got "a function")');
    expect(message).toContain('dev/hostile: values.sym: must be plain data');
    expect(message).toContain('dev/hostile: values: must have only string keys: a symbol key is not written (got "Symbol(k)")');
  }, 10_000);

  test('null or missing props, and bad arguments of the static factories: the usual message', () => {
    const repo = new GitOpsRepo({ outdir: mkdtemp() });
    const dev = new FluxCluster(repo, 'dev');
    expect(() => new HelmRelease(dev, 'r', null as any)).toThrow('dev/r: props: must be an object of HelmReleaseProps (got null)');
    expect(() => new HelmRepository(dev, 'h', undefined as any)).toThrow('dev/h: props: must be an object of HelmRepositoryProps (got "undefined")');
    expect(() => new SealedSecret(dev, 's', 'x' as any)).toThrow('dev/s: props: must be an object of SealedSecretProps (got "x")');
    expect(() => new FluxCluster(repo, 'c', null as any)).toThrow('c: props: must be an object of FluxClusterProps (got null)');
    expect(() => new GitOpsRepo(null as any)).toThrow('GitOpsRepo: props: must be an object of GitOpsRepoProps (got null)');
    expect(() => new GitOpsRepo({ outdir: 42 as any })).toThrow('GitOpsRepo: outdir: must be a path to a folder (a non-empty string) (got 42)');
    expect(() => SecretValue.fromFile(undefined as any)).toThrow('SecretValue.fromFile: filePath: must be a path to a file (got "undefined")');
    expect(() => SecretValue.fromEnv('')).toThrow('SecretValue.fromEnv: name: must be the name of an environment variable (got "")');
    expect(() => SealingCertificate.fromFile(null as any)).toThrow('SealingCertificate.fromFile: file: must be a path to a PEM file (got null)');
    expect(() => new FluxCluster(repo, 'p', { path: 7 as any })).toThrow("p: path: must be a folder inside the repo, such as 'clusters/dev' (got 7)");
    const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
    expect(() => new HelmRelease(dev, 'v', { repository: bitnami, chart: 'x', valuesFrom: 'creds' as any })).toThrow('dev/v: valuesFrom: must be an array (got "creds")');
    const creds = new SealedSecret(dev, 'creds', { data: { a: SecretValue.fromEnv('A') } });
    expect(() => creds.valuesReference(null as any)).toThrow('dev/creds.valuesReference(): options: must be an object of SealedValuesReferenceOptions (got null)');
  });

  test('a prop that throws when read: a message naming the cluster, no stack trace', () => {
    const repo = new GitOpsRepo({ outdir: mkdtemp() });
    const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
    const labels = {};
    Object.defineProperty(labels, 'app', { enumerable: true, get: () => { throw new Error('label getter failed'); } });
    new SealedSecret(dev, 'creds', { data: { a: SecretValue.unsafePlainText('value-of-a') }, labels });
    expect(synthError(repo)).toContain('dev: (its constructs): cannot be synthesized: label getter failed; check the props of the constructs in it');
  });

  test('an override nested 7,000 deep: a message, no stack trace', () => {
    const repo = new GitOpsRepo({ outdir: mkdtemp() });
    const dev = new FluxCluster(repo, 'dev');
    const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
    const release = new HelmRelease(dev, 'redis', { repository: bitnami, chart: 'redis' });
    let deep: any = 'x';
    for (let i = 0; i < 7000; i++) deep = { a: deep };
    release.addOverride('spec.values', deep);
    expect(synthError(repo)).toMatch(/dev: \(its constructs\): cannot be synthesized: a value nests too deep to write \(Maximum call stack size exceeded\): keep values, overrides and patches within 100 levels/);
  }, 10_000);

  test('an outdir that cannot be a folder: the usual message, nothing written', () => {
    const dir = mkdtemp();
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const repo = new GitOpsRepo({ outdir: path.join(file, 'repo') });
    new FluxCluster(repo, 'dev');
    expect(synthError(repo)).toMatch(/^synth found 1 problem and wrote nothing:\n {2}- GitOpsRepo: outdir: must be a folder synth can write: cannot create '.*' for synth's lock: something else is in the way \(ENOTDIR\): move it \(got ".*a-file\/repo"\)$/);
    expect(fs.readdirSync(dir)).toEqual(['a-file']);
  });
});
