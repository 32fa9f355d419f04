/**
 * End to end, as a new user would: build the library's tarball as its build does (compile, then
 * package:js), install it in an empty npm project and check a repository with it, `projen new --from` it in an empty folder
 * with no flags, build the generated repo, catch a hand edit (and a deleted or stray file) as
 * drift, change the options in .projenrc.ts, seal a secret per cluster, build as CI does without
 * the secrets, and run the flux/kubeseal tasks against stub CLIs that record their arguments.
 * Slow (npm installs the new project): minutes.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { mkdtemp, readTree, schemaViolations } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const PROJEN = path.join(ROOT, 'node_modules', 'projen', 'bin', 'projen');
const CERTIFICATE = path.join(ROOT, 'test', 'fixtures', 'sealing', 'rsa4096.crt');
/** The kube context of the prod cluster in .projenrc.ts (clusterContexts): an EKS ARN, with ':' and '/'. */
const PROD_CONTEXT = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod';
/** What `npx projen package:js` writes under dist/js/. */
const PACKED = 'cdk8s-flux-gitops@0.0.0.jsii.tgz';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
  // not this machine's git configuration (an init.defaultBranch of its own would change gitBranch)
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
/** git's init.defaultBranch, as a user who set it has it. */
const DEFAULT_BRANCH_MASTER = {
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'init.defaultBranch',
  GIT_CONFIG_VALUE_0: 'master',
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
  let tarball: string;
  const gitIn = (dir: string, ...args: string[]) => ok(run('git', args, dir), `git ${args.join(' ')}`).stdout;
  const git = (...args: string[]) => gitIn(project, ...args);
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };

  beforeAll(() => {
    // The library as npm would ship it, built by the two tasks a maintainer runs (the build runs
    // them too): compile (the schema bundle, then jsii) and package:js (jsii-pacmak, npm pack).
    ok(run('npx', ['projen', 'compile'], ROOT), 'projen compile');
    ok(run('npx', ['projen', 'package:js'], ROOT), 'projen package:js');
    // a copy of its own, under the name the build gives it: a later build cannot change it under these tests
    tarball = path.join(mkdtemp('pack-'), PACKED);
    fs.copyFileSync(path.join(ROOT, 'dist', 'js', PACKED), tarball);

    project = mkdtemp('fleet-');
    // no option flags: every option has a default
    ok(run('node', [PROJEN, 'new', '--from', `cdk8s-flux-gitops@file:${tarball}`, 'flux-gitops'], project), 'projen new');
  }, 15 * 60 * 1000);

  test('the tarball of compile + package:js is whole: installed in a fresh project (no engine warning), its check runs the official schemas', () => {
    const files = ok(run('tar', ['tzf', tarball], ROOT), 'tar tzf').stdout.split('\n').filter((f) => f !== '' && !f.startsWith('package/node_modules/'));
    expect(files).toEqual(expect.arrayContaining(['package/lib/vendor/flux-schemas.cjs', 'package/lib/cli.js', 'package/lib/index.js', 'package/.jsii', 'package/package.json']));
    // the build's own inputs stay out of it
    expect(files.filter((f) => /^package\/(src|scripts|test|vendor)\//.test(f))).toEqual([]);

    const consumer = mkdtemp('consumer-');
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, undefined, 2));
    // npm installs the peers (cdk8s, cdk8s-plus-25, constructs, projen) with it
    const install = ok(run('npm', ['install', '--no-audit', '--no-fund', tarball], consumer), 'npm install <tarball>');
    // on this Node.js, none of what a user installs asks for another (the Node >= 22 packages are our build's only)
    expect(`${install.stdout}\n${install.stderr}`).not.toContain('EBADENGINE');
    for (const peer of ['cdk8s', 'cdk8s-plus-25', 'constructs', 'projen']) expect(fs.existsSync(path.join(consumer, 'node_modules', peer, 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(consumer, 'node_modules', 'cdk8s-flux-gitops', 'lib', 'vendor', 'flux-schemas.cjs'))).toBe(true);

    // a hand-written repository: a value outside an enum of the official HelmRelease CRD, which
    // only the bundled schemas know
    const release = (crds: string) => [
      '---', 'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: podinfo', '  namespace: flux-system', 'spec:',
      '  chart:', '    spec:', '      chart: podinfo', '      sourceRef:', '        kind: HelmRepository', '        name: podinfo', '      version: "6.5.0"',
      '  install:', `    crds: ${crds}`, '  interval: 10m0s', '',
    ].join('\n');
    const repository = '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  url: https://stefanprodan.github.io/podinfo\n';
    const repo = path.join(consumer, 'fleet');
    fs.mkdirSync(path.join(repo, 'clusters', 'dev'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'clusters', 'dev', 'podinfo.yaml'), `${repository}${release('Create')}`);
    const good = run('npx', ['cdk8s-flux-gitops', 'check', 'fleet', '--no-color'], consumer);
    expect({ status: good.status, stdout: good.stdout, stderr: good.stderr }).toEqual({ status: 0, stdout: '✔ 1 file, 2 objects: 0 errors, 0 warnings\n', stderr: '' });
    fs.writeFileSync(path.join(repo, 'clusters', 'dev', 'podinfo.yaml'), `${repository}${release('Always')}`);
    const bad = run('npx', ['cdk8s-flux-gitops', 'check', 'fleet', '--json'], consumer);
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({ status: 1, stderr: '' });
    expect(JSON.parse(bad.stdout).findings.map((f: any) => [f.rule, f.message])).toEqual([['crd-schema', 'spec.install.crds: must be one of "Skip", "Create", "CreateReplace"']]);
    if (!process.env.KEEP_E2E) fs.rmSync(consumer, { recursive: true, force: true });
  }, 15 * 60 * 1000);

  test('scaffolds a repo whose build synthesizes a tree that passes the checks and the official schemas', () => {
    expect(fs.readFileSync(path.join(project, '.projenrc.ts'), 'utf8')).toMatch(/import \{ FluxGitopsProject \} from ['"]cdk8s-flux-gitops['"];/);
    expect(fs.readdirSync(path.join(project, '.github', 'workflows'))).toEqual(['gitops.yml']);
    expect(git('log', '--format=%s')).toEqual('chore: project created with projen\n');
    expect(git('symbolic-ref', '--short', 'HEAD')).toEqual('main\n');
    ok(run('npx', ['projen', 'build'], project), 'projen build');
    // the sample's two layers: infrastructure (the Helm repository and release), then apps (a cdk8s-plus workload)
    const files: Record<string, string> = {};
    for (const top of ['clusters', 'infrastructure', 'apps']) {
      for (const [k, v] of Object.entries(readTree(path.join(project, top)))) files[`${top}/${k}`] = v;
    }
    expect(Object.keys(files).sort()).toEqual([
      'apps/dev/hello.k8s.yaml', 'apps/dev/kustomization.yaml',
      'clusters/dev/apps.yaml', 'clusters/dev/infrastructure.yaml', 'clusters/dev/kustomization.yaml',
      'infrastructure/dev/helm/releases/podinfo.yaml', 'infrastructure/dev/helm/repositories/podinfo.yaml', 'infrastructure/dev/kustomization.yaml',
    ]);
    expect(schemaViolations(files)).toEqual([]);

    // plain kustomize builds the cluster, also once flux bootstrap has added flux-system/
    if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) {
      const fluxSystem = path.join(project, 'clusters/dev/flux-system');
      fs.mkdirSync(fluxSystem);
      fs.writeFileSync(path.join(fluxSystem, 'gotk-components.yaml'), '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
      fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n');
      ok(run('npx', ['projen', 'synth'], project), 'projen synth (bootstrapped)');
      const built = ok(run('kubectl', ['kustomize', 'clusters/dev'], project), 'kubectl kustomize').stdout;
      expect(built).toContain('kind: Namespace');
      expect(built).toContain('kind: Kustomization');
      expect(ok(run('kubectl', ['kustomize', 'infrastructure/dev'], project), 'kubectl kustomize infrastructure/dev').stdout).toContain('kind: HelmRelease');
      expect(ok(run('kubectl', ['kustomize', 'apps/dev'], project), 'kubectl kustomize apps/dev').stdout).toContain('kind: Deployment');
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
    expect(uncommitted.stderr).toContain('?? infrastructure/dev/helm/releases/podinfo.yaml');

    commit('synth');
    const clean = run('npx', ['projen', 'drift'], project);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('no drift: the committed tree, GitOps manifests and project files, is what the code produces');
    // a second build changes nothing
    ok(run('npx', ['projen', 'build'], project), 'projen build (again)');
    expect(git('status', '--porcelain')).toEqual('');

    // what CI sees: a committed hand edit, put back by the build's synth, shows up as drift
    const release = path.join(project, 'infrastructure/dev/helm/releases/podinfo.yaml');
    fs.writeFileSync(release, fs.readFileSync(release, 'utf8').replace('replicaCount: 2', 'replicaCount: 5'));
    commit('hand edit');
    ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    const drift = run('npx', ['projen', 'drift'], project);
    expect(drift.status).not.toBe(0);
    expect(drift.stderr).toContain('drift: the committed GitOps tree differs from what the code produces in these files:');
    // a layer's folder outside clusters/ is GitOps manifests too (synth owns it)
    expect(drift.stderr).toContain(' M infrastructure/dev/helm/releases/podinfo.yaml\nrun \'npx projen synth\'');
    git('reset', '-q', '--hard', 'HEAD~1');

    // a generated file deleted in the commit comes back as a new file
    git('rm', '-q', 'infrastructure/dev/helm/repositories/podinfo.yaml');
    git('commit', '-q', '-m', 'delete');
    ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    const deleted = run('npx', ['projen', 'drift'], project);
    expect(deleted.status).not.toBe(0);
    expect(deleted.stderr).toContain('?? infrastructure/dev/helm/repositories/podinfo.yaml');
    git('reset', '-q', '--hard', 'HEAD~1');

    // a file in clusters/ that is not committed is named too
    fs.writeFileSync(path.join(project, 'clusters/dev/stray.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n');
    const stray = run('npx', ['projen', 'drift'], project);
    expect(stray.status).not.toBe(0);
    expect(stray.stderr).toContain('?? clusters/dev/stray.yaml');
    fs.rmSync(path.join(project, 'clusters/dev/stray.yaml'));
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('the drift check covers the whole work tree: .projenrc.ts changed without npx projen, a file the build\'s eslint --fix rewrites', () => {
    // what CI sees: .projenrc.ts committed without running npx projen; the build regenerates the workflow
    const rc = path.join(project, '.projenrc.ts');
    fs.writeFileSync(rc, fs.readFileSync(rc, 'utf8').replace(/(\n\s*name: ['"][^'"]+['"],)/, '$1\n  gitBranch: \'trunk\','));
    commit('gitBranch, without npx projen');
    const build = ok(run('npx', ['projen', 'build'], project), 'projen build');
    // and the repository has no branch trunk
    expect(build.stderr).toContain('FluxGitopsProject: gitBranch is \'trunk\', but this repository is on branch \'main\' and has no branch \'trunk\'');
    const projenrc = run('npx', ['projen', 'drift'], project);
    expect(projenrc.status).not.toBe(0);
    expect(projenrc.stderr).toContain('drift: these other files differ from the commit after the build (project files projen writes from .projenrc.ts, or files the build rewrote, as eslint --fix does):\n'
      + '   M .github/workflows/gitops.yml\n'
      + 'run \'npx projen\' (after changing .projenrc.ts) or \'npx projen build\', and commit the result');
    expect(projenrc.stderr).not.toContain('GitOps tree');
    git('reset', '-q', '--hard', 'HEAD~1');

    // a file eslint --fix rewrites in the build
    const main = path.join(project, 'src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('chart: \'podinfo\',', 'chart: "podinfo",'));
    commit('double quotes');
    ok(run('npx', ['projen', 'eslint'], project), 'projen eslint (a step of the build)');
    const lint = run('npx', ['projen', 'drift'], project);
    expect(lint.status).not.toBe(0);
    expect(lint.stderr).toContain('   M src/main.ts\n');
    git('reset', '-q', '--hard', 'HEAD~1');
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('options changed in .projenrc.ts reach the tasks and the code; src/main.ts is never overwritten', () => {
    const rc = path.join(project, '.projenrc.ts');
    const main = path.join(project, 'src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('replicaCount: 2', 'replicaCount: 3'));
    const edited = fs.readFileSync(main, 'utf8');
    const before = fs.readFileSync(rc, 'utf8');
    const after = before.replace(/(\n\s*name: ['"][^'"]+['"],)/,
      '$1\n  clusters: [\'dev\', \'prod\'],\n  githubOwner: \'acme\',\n  githubRepository: \'fleet-infra\',\n  sealingCertificates: { prod: \'certs/prod cluster.pem\' },'
      + `\n  clusterContexts: { dev: 'kind-dev', prod: '${PROD_CONTEXT}' },`);
    expect(after).not.toEqual(before);
    fs.writeFileSync(rc, after);
    ok(run('npx', ['projen'], project), 'projen');
    ok(run('npx', ['projen', 'build'], project), 'projen build');
    expect(fs.readFileSync(main, 'utf8')).toEqual(edited);
    expect(fs.readFileSync(path.join(project, 'src/fleet.generated.ts'), 'utf8')).toContain('export const CLUSTERS: string[] = [\'dev\', \'prod\'];');
    expect(fs.readFileSync(path.join(project, 'infrastructure/prod/helm/releases/podinfo.yaml'), 'utf8')).toContain('replicaCount: 3');
    commit('prod');
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('a SealedSecret per cluster with its certificate; CI, without the plain text, keeps the sealed files', () => {
    fs.copyFileSync(CERTIFICATE, path.join(project, 'pub-sealed-secrets-dev.pem'));
    fs.mkdirSync(path.join(project, 'certs'));
    fs.copyFileSync(CERTIFICATE, path.join(project, 'certs/prod cluster.pem'));
    const main = path.join(project, 'src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8')
      .replace(' SealingCertificate }', ' SealedSecret, SealingCertificate, SecretValue }')
      .replace('    const podinfo = new HelmRepository(', '    const creds = new SealedSecret(infrastructure, \'creds\', { data: { token: SecretValue.fromEnv(\'PODINFO_TOKEN\') } });\n    const podinfo = new HelmRepository(')
      .replace('      values: { replicaCount: 3 },', '      values: { replicaCount: 3 },\n      valuesFrom: [creds.valuesReference({ valuesKey: \'token\', targetPath: \'auth.token\' })],'));
    ok(run('npx', ['projen', 'build'], project, { PODINFO_TOKEN: 'e2e-plain-text-token' }), 'projen build (with the secret)');
    const sealed = fs.readFileSync(path.join(project, 'infrastructure/prod/helm/secrets/creds-sealed.yaml'), 'utf8');
    expect(sealed).toContain('kind: SealedSecret');
    expect(sealed).not.toContain('e2e-plain-text-token');
    commit('sealed');

    // as in CI: the variable is not set; the build (and the sample test) keep the sealed files
    ok(run('npx', ['projen', 'build'], project, {}, ['PODINFO_TOKEN']), 'projen build (without the secret)');
    expect(fs.readFileSync(path.join(project, 'infrastructure/prod/helm/secrets/creds-sealed.yaml'), 'utf8')).toEqual(sealed);
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  /**
   * flux and kubeseal stubs that record their argv as JSON, one call a line (every argument's
   * boundaries show), on PATH before the real ones; a kubeconfig whose current context is
   * `current`, so that a task without a pinned context names it.
   */
  const stubs = (current: string) => {
    const bin = mkdtemp('stub-bin-');
    const record = path.join(bin, 'calls.jsonl');
    const stub = (name: string, ...body: string[]) => fs.writeFileSync(path.join(bin, name), [
      `#!${process.execPath}`,
      `require('fs').appendFileSync(${JSON.stringify(record)}, JSON.stringify([${JSON.stringify(name)}, ...process.argv.slice(2)]) + '\\n');`,
      ...body,
      '',
    ].join('\n'), { mode: 0o755 });
    stub('flux');
    stub('kubeseal',
      'if (process.env.KUBESEAL_FAIL) { console.error(\'cannot fetch certificate\'); process.exit(1); }',
      `process.stdout.write(require('fs').readFileSync(${JSON.stringify(CERTIFICATE)}));`);
    const kubeconfig = path.join(bin, 'kubeconfig.yaml');
    fs.writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: ${current}\n`);
    const calls = () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
    return { calls, env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, KUBECONFIG: kubeconfig } };
  };

  test('each cluster\'s flux and kubeseal tasks pass the right arguments and its kube context to the real CLIs, and say when one is missing', () => {
    const certificate = fs.readFileSync(CERTIFICATE, 'utf8');
    // the current context is neither cluster's: every task must name its own
    const { calls, env } = stubs('kind-elsewhere');
    const printed: Record<string, string> = {};
    const tasks = ['flux:precheck:dev', 'flux:bootstrap:dev', 'flux:bootstrap:prod', 'flux:check:dev', 'flux:check:prod', 'flux:status:prod',
      'flux:logs:dev', 'flux:reconcile:prod', 'seal:fetch-cert:dev'];
    for (const task of tasks) printed[task] = ok(run('npx', ['projen', task], project, env), task).stdout;
    const dev = '--context=kind-dev';
    const prod = `--context=${PROD_CONTEXT}`;
    expect(calls()).toEqual([
      ['flux', 'check', '--pre', dev],
      ['flux', 'bootstrap', 'github', '--owner=acme', '--repository=fleet-infra', '--branch=main', '--path=clusters/dev', dev, '--personal'],
      ['flux', 'bootstrap', 'github', '--owner=acme', '--repository=fleet-infra', '--branch=main', '--path=clusters/prod', prod, '--personal'],
      ['flux', 'check', dev],
      ['flux', 'check', prod],
      ['flux', 'get', 'all', '-A', prod],
      ['flux', 'logs', '-A', dev],
      ['flux', 'reconcile', 'kustomization', 'flux-system', '--with-source', prod],
      ['kubeseal', '--controller-namespace=flux-system', '--controller-name=sealed-secrets-controller', '--fetch-cert', dev],
    ]);
    // each task says which context it uses
    for (const task of tasks) {
      expect(printed[task]).toContain(task.endsWith(':prod')
        ? `prod: kube context '${PROD_CONTEXT}' (clusterContexts in .projenrc.ts)\n`
        : 'dev: kube context \'kind-dev\' (clusterContexts in .projenrc.ts)\n');
    }
    // with two clusters there is no task that would have to guess the cluster
    const unsuffixed = run('npx', ['projen', 'flux:check'], project, env);
    expect(unsuffixed.status).not.toBe(0);
    expect(calls().length).toBe(9);
    expect(fs.readFileSync(path.join(project, 'pub-sealed-secrets-dev.pem'), 'utf8')).toEqual(certificate);

    // a certificate whose path has a space, in a folder that does not exist yet; a failed fetch
    // leaves neither an empty certificate (synth would fail on it) nor a temp file
    fs.rmSync(path.join(project, 'certs'), { recursive: true });
    const failed = run('npx', ['projen', 'seal:fetch-cert:prod'], project, { ...env, KUBESEAL_FAIL: '1' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('cannot fetch certificate');
    expect(fs.readdirSync(path.join(project, 'certs'))).toEqual([]);
    ok(run('npx', ['projen', 'seal:fetch-cert:prod'], project, env), 'seal:fetch-cert:prod');
    expect(calls().slice(9)).toEqual([
      ['kubeseal', '--controller-namespace=flux-system', '--controller-name=sealed-secrets-controller', '--fetch-cert', prod],
      ['kubeseal', '--controller-namespace=flux-system', '--controller-name=sealed-secrets-controller', '--fetch-cert', prod],
    ]);
    expect(fs.readdirSync(path.join(project, 'certs'))).toEqual(['prod cluster.pem']);
    expect(fs.readFileSync(path.join(project, 'certs/prod cluster.pem'), 'utf8')).toEqual(certificate);
    expect(git('status', '--porcelain')).toEqual('');

    // a PATH without the tools, wherever this machine has them (node from a folder of its own)
    const nodeOnly = mkdtemp('node-bin-');
    fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
    const withoutTools = (process.env.PATH ?? '').split(path.delimiter)
      .filter((d) => d !== '' && !['flux', 'kubeseal'].some((t) => fs.existsSync(path.join(d, t))));
    const missing = run(path.join(project, 'node_modules', '.bin', 'projen'), ['flux:check:dev'], project, { PATH: [nodeOnly, ...withoutTools].join(path.delimiter) });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('flux not found on PATH: install it (https://fluxcd.io/flux/installation/) and run this task again');
  }, 15 * 60 * 1000);

  test('a cluster removed from .projenrc.ts: drift names its deleted files as GitOps manifests', () => {
    const rc = path.join(project, '.projenrc.ts');
    const before = fs.readFileSync(rc, 'utf8');
    const after = before.replace('clusters: [\'dev\', \'prod\'],', 'clusters: [\'dev\'],').replace('sealingCertificates: { prod: \'certs/prod cluster.pem\' },', '')
      .replace(/\n\s*clusterContexts: \{[^}]*\},/, '');
    expect(after).not.toContain('prod');
    fs.writeFileSync(rc, after);
    ok(run('npx', ['projen'], project), 'projen');

    // one cluster, no context pinned: the short task names run dev's tasks on the current context, and name it
    const { calls, env } = stubs('kind-dev');
    const printed = ['flux:precheck', 'flux:check', 'flux:status', 'flux:logs', 'flux:reconcile'].map((t) => ok(run('npx', ['projen', t], project, env), t).stdout);
    expect(calls()).toEqual([
      ['flux', 'check', '--pre'],
      ['flux', 'check'],
      ['flux', 'get', 'all', '-A'],
      ['flux', 'logs', '-A'],
      ['flux', 'reconcile', 'kustomization', 'flux-system', '--with-source'],
    ]);
    for (const out of printed) expect(out).toContain('dev: kube context \'kind-dev\', the current one (no clusterContexts entry for dev in .projenrc.ts)\n');

    ok(run('npx', ['projen', 'synth'], project), 'projen synth');
    const drift = run('npx', ['projen', 'drift'], project);
    expect(drift.status).not.toBe(0);
    const [manifests, others] = drift.stderr.split('drift: these other files');
    expect(manifests).toContain('drift: the committed GitOps tree differs from what the code produces in these files:\n');
    for (const f of ['clusters/prod/apps.yaml', 'clusters/prod/infrastructure.yaml', 'clusters/prod/kustomization.yaml', 'apps/prod/hello.k8s.yaml',
      'infrastructure/prod/helm/releases/podinfo.yaml', 'infrastructure/prod/helm/repositories/podinfo.yaml', 'infrastructure/prod/helm/secrets/creds-sealed.yaml']) {
      expect(manifests).toContain(`   D ${f}\n`);
    }
    expect(manifests).toContain('   M .cdk8s-flux-gitops.json\n');
    for (const f of ['.projenrc.ts', 'src/fleet.generated.ts', '.projen/tasks.json']) expect(others).toContain(`   M ${f}\n`);
    git('reset', '-q', '--hard');
    ok(run('npx', ['projen'], project), 'projen');
    expect(run('npx', ['projen', 'drift'], project).status).toBe(0);
  }, 15 * 60 * 1000);

  test('projen new puts the repository on gitBranch, and keeps git\'s own default branch in .projenrc.ts', () => {
    // --no-post: no npm install of the new project (its files and first commit are what counts here)
    const create = (args: string[]) => {
      const dir = mkdtemp('fleet-branch-');
      ok(run('node', [PROJEN, 'new', '--from', `cdk8s-flux-gitops@file:${tarball}`, 'flux-gitops', '--no-post', ...args], dir, DEFAULT_BRANCH_MASTER), `projen new ${args.join(' ')}`);
      const workflow = parse(fs.readFileSync(path.join(dir, '.github/workflows/gitops.yml'), 'utf8'));
      return { dir, workflow, rc: fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf8') };
    };
    // --git-branch=trunk, where git would start the repository on master
    const trunk = create(['--git-branch=trunk']);
    expect(gitIn(trunk.dir, 'symbolic-ref', '--short', 'HEAD')).toEqual('trunk\n');
    expect(gitIn(trunk.dir, 'log', '--format=%s')).toEqual('chore: project created with projen\n');
    expect(trunk.workflow.on.push).toEqual({ branches: ['trunk'] });
    expect(trunk.rc).toMatch(/gitBranch: ['"]trunk['"]/);

    // no option: git's init.defaultBranch, written into .projenrc.ts so that later synths keep it
    const master = create([]);
    expect(gitIn(master.dir, 'symbolic-ref', '--short', 'HEAD')).toEqual('master\n');
    expect(master.workflow.on.push).toEqual({ branches: ['master'] });
    expect(master.rc).toMatch(/gitBranch: ['"]master['"]/);
    for (const dir of [trunk.dir, master.dir]) if (!process.env.KEEP_E2E) fs.rmSync(dir, { recursive: true, force: true });
  }, 15 * 60 * 1000);

  afterAll(() => {
    if (project && !process.env.KEEP_E2E) fs.rmSync(project, { recursive: true, force: true });
  });

  test('the generated repo reads like the README says (tree at a glance)', () => {
    const tree = Object.keys(readTree(project)).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('.git/') && !f.startsWith('lib/') && !f.startsWith('dist/') && !f.startsWith('test-reports/') && !f.startsWith('coverage/'));
    expect(tree).toEqual(expect.arrayContaining([
      '.cdk8s-flux-gitops.json', '.github/workflows/gitops.yml', '.gitignore', '.projenrc.ts', 'README.md',
      'clusters/dev/infrastructure.yaml', 'infrastructure/dev/helm/releases/podinfo.yaml', 'infrastructure/prod/helm/secrets/creds-sealed.yaml',
      'src/fleet.generated.ts', 'src/main.ts', 'test/main.test.ts',
    ]));
  });
});
