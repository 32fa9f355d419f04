/**
 * End to end, as a new user would: pack the library, `projen new --from` it in an empty folder,
 * build the generated repo, catch a hand edit as drift, and run the flux/kubeseal tasks against
 * stub CLIs that record their arguments. Slow (npm installs the new project): minutes.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { mkdtemp, readTree, schemaViolations } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const PROJEN = path.join(ROOT, 'node_modules', 'projen', 'bin', 'projen');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com',
};

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  // As a user runs it: not in CI mode (projen would then insist on a lockfile), not under jest.
  const childEnv: Record<string, string | undefined> = { ...process.env, ...GIT_ENV, ...env };
  for (const k of ['CI', 'JEST_WORKER_ID', 'PROJEN_DISABLE_POST', 'NODE_ENV']) delete childEnv[k];
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: childEnv as NodeJS.ProcessEnv,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout?.slice(-4000)}\n${r.stderr?.slice(-4000)}`);
  }
  return r;
}

describe('projen new --from cdk8s-flux-gitops flux-gitops (end to end)', () => {
  let project: string;

  beforeAll(() => {
    // The library as npm would ship it: compiled with jsii (lib/, .jsii) and packed.
    ok(run('node', [path.join(ROOT, 'scripts', 'bundle-schemas.mjs')], ROOT), 'bundle:schemas');
    ok(run('npx', ['jsii', '--silence-warnings=reserved-word'], ROOT), 'jsii');
    const packs = mkdtemp('pack-');
    ok(run('npm', ['pack', '--pack-destination', packs], ROOT), 'npm pack');
    const tarball = path.join(packs, fs.readdirSync(packs).find((f) => f.endsWith('.tgz'))!);

    project = mkdtemp('fleet-');
    ok(run('node', [PROJEN, 'new', '--from', `cdk8s-flux-gitops@file:${tarball}`, 'flux-gitops', '--github-owner=acme', '--github-repository=fleet-infra'], project), 'projen new');
  }, 15 * 60 * 1000);

  test('scaffolds a repo whose build synthesizes a tree that passes the checks and the official schemas', () => {
    expect(fs.readFileSync(path.join(project, '.projenrc.ts'), 'utf8')).toMatch(/import \{ FluxGitopsProject \} from ['"]cdk8s-flux-gitops['"];/);
    ok(run('npx', ['projen', 'build'], project), 'projen build');
    const files = readTree(path.join(project, 'clusters'));
    expect(Object.keys(files).sort()).toEqual(['dev/helm/releases/podinfo.yaml', 'dev/helm/repositories/podinfo.yaml']);
    expect(schemaViolations(Object.fromEntries(Object.entries(files).map(([k, v]) => [`clusters/${k}`, v])))).toEqual([]);
    expect(fs.readFileSync(path.join(project, '.gitignore'), 'utf8')).toContain('*-values-*.yaml\n!*-sealed.yaml\n');
  }, 15 * 60 * 1000);

  test('the drift check passes on the committed tree and names a hand-edited manifest', () => {
    ok(run('git', ['add', '-A'], project), 'git add');
    ok(run('git', ['commit', '-q', '-m', 'synth'], project), 'git commit');
    const clean = run('npx', ['projen', 'drift'], project);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('no drift: the committed GitOps tree is what the code produces');

    const release = path.join(project, 'clusters/dev/helm/releases/podinfo.yaml');
    fs.writeFileSync(release, fs.readFileSync(release, 'utf8').replace('replicaCount: 2', 'replicaCount: 5'));
    const drift = run('npx', ['projen', 'drift'], project);
    expect(drift.status).not.toBe(0);
    expect(drift.stderr).toContain('drift: the committed GitOps tree differs from what the code produces in these files:');
    expect(drift.stderr).toContain(' M clusters/dev/helm/releases/podinfo.yaml');
    expect(drift.stderr).toContain('clusters/dev/helm/releases/podinfo.yaml');

    // what CI does: synth puts the tree back, and there is no drift left
    ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('the flux and kubeseal tasks pass the right arguments to the real CLIs, and say when one is missing', () => {
    const bin = mkdtemp('stub-bin-');
    const record = path.join(bin, 'calls.log');
    for (const tool of ['flux', 'kubeseal']) {
      fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${record}"\n${tool === 'kubeseal' ? 'echo "-----BEGIN CERTIFICATE-----"\n' : ''}`, { mode: 0o755 });
    }
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    for (const task of ['flux:bootstrap:dev', 'flux:check', 'flux:status', 'flux:logs', 'seal:fetch-cert:dev']) {
      ok(run('npx', ['projen', task], project, env), task);
    }
    expect(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean)).toEqual([
      'flux bootstrap github --owner=acme --repository=fleet-infra --branch=main --path=clusters/dev --personal',
      'flux check',
      'flux get all -A',
      'flux logs -A',
      'kubeseal --controller-namespace=flux-system --fetch-cert',
    ]);
    expect(fs.readFileSync(path.join(project, 'pub-sealed-secrets-dev.pem'), 'utf8')).toEqual('-----BEGIN CERTIFICATE-----\n');

    const nodeOnly = mkdtemp('node-bin-');
    fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
    const missing = run(path.join(project, 'node_modules', '.bin', 'projen'), ['flux:check'], project, { PATH: `${nodeOnly}${path.delimiter}/usr/bin${path.delimiter}/bin` });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('flux not found on PATH: install it (https://fluxcd.io/flux/installation/) and run this task again');
  }, 15 * 60 * 1000);

  afterAll(() => {
    if (project && !process.env.KEEP_E2E) fs.rmSync(project, { recursive: true, force: true });
  });

  test('the generated repo reads like the README says (tree at a glance)', () => {
    const tree = Object.keys(readTree(project)).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('.git/') && !f.startsWith('lib/') && !f.startsWith('dist/') && !f.startsWith('test-reports/') && !f.startsWith('coverage/'));
    expect(tree).toEqual(expect.arrayContaining([
      '.cdk8s-flux-gitops.json', '.github/workflows/gitops.yml', '.gitignore', '.projenrc.ts', 'README.md',
      'clusters/dev/helm/releases/podinfo.yaml', 'src/main.ts', 'test/main.test.ts',
    ]));
  });
});
