/**
 * End to end, as a new user would: pack the library, `projen new --from` it in an empty folder
 * with no flags, build the generated repo, catch a hand edit (and a deleted or stray file) as
 * drift, change the options in .projenrc.ts, seal a secret per cluster, build as CI does without
 * the secrets, and run the flux/kubeseal tasks against stub CLIs that record their arguments.
 * Slow (npm installs the new project): minutes.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { mkdtemp, readTree, schemaViolations } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const PROJEN = path.join(ROOT, 'node_modules', 'projen', 'bin', 'projen');
const CERTIFICATE = path.join(ROOT, 'test', 'fixtures', 'sealing', 'rsa4096.crt');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com',
};

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, unset: string[] = []): SpawnSyncReturns<string> {
  // As a user runs it: not in CI mode (projen would then insist on a lockfile), not under jest.
  const childEnv: Record<string, string | undefined> = { ...process.env, ...GIT_ENV, ...env };
  for (const k of ['CI', 'JEST_WORKER_ID', 'PROJEN_DISABLE_POST', 'NODE_ENV', ...unset]) delete childEnv[k];
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
  const git = (...args: string[]) => ok(run('git', args, project), `git ${args.join(' ')}`).stdout;
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };

  beforeAll(() => {
    // The library as npm would ship it: compiled with jsii (lib/, .jsii) and packed.
    ok(run('node', [path.join(ROOT, 'scripts', 'bundle-schemas.mjs')], ROOT), 'bundle:schemas');
    ok(run('npx', ['jsii', '--silence-warnings=reserved-word'], ROOT), 'jsii');
    const packs = mkdtemp('pack-');
    ok(run('npm', ['pack', '--pack-destination', packs], ROOT), 'npm pack');
    const tarball = path.join(packs, fs.readdirSync(packs).find((f) => f.endsWith('.tgz'))!);

    project = mkdtemp('fleet-');
    // no option flags: every option has a default
    ok(run('node', [PROJEN, 'new', '--from', `cdk8s-flux-gitops@file:${tarball}`, 'flux-gitops'], project), 'projen new');
  }, 15 * 60 * 1000);

  test('scaffolds a repo whose build synthesizes a tree that passes the checks and the official schemas', () => {
    expect(fs.readFileSync(path.join(project, '.projenrc.ts'), 'utf8')).toMatch(/import \{ FluxGitopsProject \} from ['"]cdk8s-flux-gitops['"];/);
    expect(fs.readdirSync(path.join(project, '.github', 'workflows'))).toEqual(['gitops.yml']);
    expect(git('log', '--format=%s')).toEqual('chore: project created with projen\n');
    ok(run('npx', ['projen', 'build'], project), 'projen build');
    const files = readTree(path.join(project, 'clusters'));
    expect(Object.keys(files).sort()).toEqual(['dev/helm/releases/podinfo.yaml', 'dev/helm/repositories/podinfo.yaml', 'dev/kustomization.yaml']);
    expect(schemaViolations(Object.fromEntries(Object.entries(files).map(([k, v]) => [`clusters/${k}`, v])))).toEqual([]);

    // plain kustomize builds the cluster, also once flux bootstrap has added flux-system/
    if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) {
      const fluxSystem = path.join(project, 'clusters/dev/flux-system');
      fs.mkdirSync(fluxSystem);
      fs.writeFileSync(path.join(fluxSystem, 'gotk-components.yaml'), '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
      fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n');
      ok(run('npx', ['projen', 'synth'], project), 'projen synth (bootstrapped)');
      const built = ok(run('kubectl', ['kustomize', 'clusters/dev'], project), 'kubectl kustomize').stdout;
      expect(built).toContain('kind: Namespace');
      expect(built).toContain('kind: HelmRelease');
      fs.rmSync(fluxSystem, { recursive: true });
      ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    }
    expect(fs.readFileSync(path.join(project, '.gitignore'), 'utf8')).toContain('*-values-*.yaml\n!*-sealed.yaml\n');
    expect(fs.existsSync(path.join(project, 'dist'))).toBe(false); // no npm pack of a GitOps repo
    ok(run('npx', ['cdk8s-flux-gitops', 'check', '.'], project), 'cdk8s-flux-gitops check');
  }, 15 * 60 * 1000);

  test('the drift check passes on the committed tree and names hand-edited, deleted and stray files', () => {
    // before the tree is committed, drift names it
    const uncommitted = run('npx', ['projen', 'drift'], project);
    expect(uncommitted.status).not.toBe(0);
    expect(uncommitted.stderr).toContain('?? clusters/dev/helm/releases/podinfo.yaml');

    commit('synth');
    const clean = run('npx', ['projen', 'drift'], project);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('no drift: the committed GitOps tree is what the code produces');
    // a second build changes nothing
    ok(run('npx', ['projen', 'build'], project), 'projen build (again)');
    expect(git('status', '--porcelain')).toEqual('');

    // what CI sees: a committed hand edit, put back by the build's synth, shows up as drift
    const release = path.join(project, 'clusters/dev/helm/releases/podinfo.yaml');
    fs.writeFileSync(release, fs.readFileSync(release, 'utf8').replace('replicaCount: 2', 'replicaCount: 5'));
    commit('hand edit');
    ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    const drift = run('npx', ['projen', 'drift'], project);
    expect(drift.status).not.toBe(0);
    expect(drift.stderr).toContain('drift: the committed GitOps tree differs from what the code produces in these files:');
    expect(drift.stderr).toContain(' M clusters/dev/helm/releases/podinfo.yaml');
    git('reset', '-q', '--hard', 'HEAD~1');

    // a generated file deleted in the commit comes back as a new file
    git('rm', '-q', 'clusters/dev/helm/repositories/podinfo.yaml');
    git('commit', '-q', '-m', 'delete');
    ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    const deleted = run('npx', ['projen', 'drift'], project);
    expect(deleted.status).not.toBe(0);
    expect(deleted.stderr).toContain('?? clusters/dev/helm/repositories/podinfo.yaml');
    git('reset', '-q', '--hard', 'HEAD~1');

    // a file in clusters/ that is not committed is named too
    fs.writeFileSync(path.join(project, 'clusters/dev/stray.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n');
    const stray = run('npx', ['projen', 'drift'], project);
    expect(stray.status).not.toBe(0);
    expect(stray.stderr).toContain('?? clusters/dev/stray.yaml');
    fs.rmSync(path.join(project, 'clusters/dev/stray.yaml'));
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('options changed in .projenrc.ts reach the tasks and the code; src/main.ts is never overwritten', () => {
    const rc = path.join(project, '.projenrc.ts');
    const main = path.join(project, 'src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('replicaCount: 2', 'replicaCount: 3'));
    const edited = fs.readFileSync(main, 'utf8');
    const before = fs.readFileSync(rc, 'utf8');
    const after = before.replace(/(\n\s*name: ['"][^'"]+['"],)/, '$1\n  clusters: [\'dev\', \'prod\'],\n  githubOwner: \'acme\',\n  githubRepository: \'fleet-infra\',');
    expect(after).not.toEqual(before);
    fs.writeFileSync(rc, after);
    ok(run('npx', ['projen'], project), 'projen');
    ok(run('npx', ['projen', 'build'], project), 'projen build');
    expect(fs.readFileSync(main, 'utf8')).toEqual(edited);
    expect(fs.readFileSync(path.join(project, 'src/fleet.generated.ts'), 'utf8')).toContain('export const CLUSTERS: string[] = [\'dev\', \'prod\'];');
    expect(fs.readFileSync(path.join(project, 'clusters/prod/helm/releases/podinfo.yaml'), 'utf8')).toContain('replicaCount: 3');
    commit('prod');
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('a SealedSecret per cluster with its certificate; CI, without the plain text, keeps the sealed files', () => {
    for (const c of ['dev', 'prod']) fs.copyFileSync(CERTIFICATE, path.join(project, `pub-sealed-secrets-${c}.pem`));
    const main = path.join(project, 'src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8')
      .replace('HelmRepository, SealingCertificate }', 'HelmRepository, SealedSecret, SealingCertificate, SecretValue }')
      .replace('    const podinfo = new HelmRepository(', '    const creds = new SealedSecret(cluster, \'creds\', { data: { token: SecretValue.fromEnv(\'PODINFO_TOKEN\') } });\n    const podinfo = new HelmRepository(')
      .replace('      values: { replicaCount: 3 },', '      values: { replicaCount: 3 },\n      valuesFrom: [creds.valuesReference({ valuesKey: \'token\', targetPath: \'auth.token\' })],'));
    ok(run('npx', ['projen', 'build'], project, { PODINFO_TOKEN: 'e2e-plain-text-token' }), 'projen build (with the secret)');
    const sealed = fs.readFileSync(path.join(project, 'clusters/prod/helm/secrets/creds-sealed.yaml'), 'utf8');
    expect(sealed).toContain('kind: SealedSecret');
    expect(sealed).not.toContain('e2e-plain-text-token');
    commit('sealed');

    // as in CI: the variable is not set; the build (and the sample test) keep the sealed files
    ok(run('npx', ['projen', 'build'], project, {}, ['PODINFO_TOKEN']), 'projen build (without the secret)');
    expect(fs.readFileSync(path.join(project, 'clusters/prod/helm/secrets/creds-sealed.yaml'), 'utf8')).toEqual(sealed);
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('the flux and kubeseal tasks pass the right arguments to the real CLIs, and say when one is missing', () => {
    const bin = mkdtemp('stub-bin-');
    const record = path.join(bin, 'calls.log');
    const certificate = fs.readFileSync(CERTIFICATE, 'utf8');
    fs.writeFileSync(path.join(bin, 'flux'), `#!/bin/sh\necho "flux $*" >> "${record}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'kubeseal'), [
      '#!/bin/sh',
      `echo "kubeseal $*" >> "${record}"`,
      'if [ -n "$KUBESEAL_FAIL" ]; then echo "cannot fetch certificate" >&2; exit 1; fi',
      `cat "${CERTIFICATE}"`,
      '',
    ].join('\n'), { mode: 0o755 });
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    for (const task of ['flux:bootstrap:dev', 'flux:bootstrap:prod', 'flux:check', 'flux:status', 'flux:logs', 'seal:fetch-cert:dev']) {
      ok(run('npx', ['projen', task], project, env), task);
    }
    expect(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean)).toEqual([
      'flux bootstrap github --owner=acme --repository=fleet-infra --branch=main --path=clusters/dev --personal',
      'flux bootstrap github --owner=acme --repository=fleet-infra --branch=main --path=clusters/prod --personal',
      'flux check',
      'flux get all -A',
      'flux logs -A',
      'kubeseal --controller-namespace=flux-system --controller-name=sealed-secrets-controller --fetch-cert',
    ]);
    expect(fs.readFileSync(path.join(project, 'pub-sealed-secrets-dev.pem'), 'utf8')).toEqual(certificate);

    // a failed fetch leaves neither an empty certificate (synth would fail on it) nor a temp file
    fs.rmSync(path.join(project, 'pub-sealed-secrets-prod.pem'));
    const failed = run('npx', ['projen', 'seal:fetch-cert:prod'], project, { ...env, KUBESEAL_FAIL: '1' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('cannot fetch certificate');
    expect(fs.readdirSync(project).filter((f) => f.startsWith('pub-sealed-secrets-prod'))).toEqual([]);
    ok(run('npx', ['projen', 'seal:fetch-cert:prod'], project, env), 'seal:fetch-cert:prod');
    expect(fs.readFileSync(path.join(project, 'pub-sealed-secrets-prod.pem'), 'utf8')).toEqual(certificate);
    expect(git('status', '--porcelain')).toEqual('');

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
      'clusters/dev/helm/releases/podinfo.yaml', 'clusters/prod/helm/secrets/creds-sealed.yaml',
      'src/fleet.generated.ts', 'src/main.ts', 'test/main.test.ts',
    ]));
  });
});
