import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { github, javascript, LogLevel } from 'projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { parse } from 'yaml';
import { FluxBootstrapProvider, FluxGitopsProject } from '../../src';
import { mkdtemp } from '../util';

function project(options: Partial<ConstructorParameters<typeof FluxGitopsProject>[0]> = {}) {
  // Always an outdir of its own: without one, projen synthesizes a test project into the current
  // folder when that folder is under the OS temp dir (as a CI clone made with mktemp is), and
  // synthSnapshot then deletes it.
  return new FluxGitopsProject({ name: 'fleet', defaultReleaseBranch: 'main', outdir: mkdtemp('projen-'), ...options });
}

function steps(out: Record<string, any>, task: string): string[] {
  return (out['.projen/tasks.json'].tasks[task]?.steps ?? []).map((s: any) => s.exec ?? `spawn ${s.spawn}`);
}

describe('FluxGitopsProject (flux-gitops)', () => {
  test('depends on the constructs and their peers', () => {
    const out = synthSnapshot(project());
    const dev = out['package.json'].devDependencies;
    expect(dev['cdk8s-flux-gitops']).toEqual('*');
    expect(dev.cdk8s).toEqual('^2.70.106');
    expect(dev.constructs).toEqual('^10.8.1');
    expect(dev['cdk8s-plus-25']).toEqual('^2.22.79');
  });

  test('does not add the library again when projen new --from already did', () => {
    const out = synthSnapshot(project({ devDeps: ['cdk8s-flux-gitops@file:./cdk8s-flux-gitops-0.0.0.tgz'] }));
    expect(out['package.json'].devDependencies['cdk8s-flux-gitops']).toEqual('file:./cdk8s-flux-gitops-0.0.0.tgz');
  });

  test('build synthesizes and checks after compiling; drift names the files that differ', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'] }));
    expect(steps(out, 'synth')).toEqual(['ts-node --project test/tsconfig.json src/main.ts']);
    expect(steps(out, 'check')).toEqual(['cdk8s-flux-gitops check .']);
    expect(steps(out, 'post-compile')).toEqual(['spawn synth', 'spawn check']);
    // the whole work tree; clusters/ as a whole is the GitOps tree (a removed cluster's files too)
    expect(steps(out, 'drift')).toEqual(['cdk8s-flux-gitops drift clusters .cdk8s-flux-gitops.json']);
  });

  test('flux and kubeseal tasks run the real CLIs with the project\'s options, and say when a tool is missing', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'], githubOwner: 'acme', githubRepository: 'fleet-infra', gitBranch: 'trunk' }));
    const missing = (tool: string) => `cdk8s-flux-gitops require-tool ${tool}`;
    expect(steps(out, 'flux:bootstrap:dev')).toEqual([
      missing('flux'),
      // the kube context it is about to use: here the current one
      'cdk8s-flux-gitops kube-context dev',
      'flux bootstrap github --owner=acme --repository=fleet-infra --branch=trunk --path=clusters/dev --personal',
    ]);
    expect(steps(out, 'flux:bootstrap:prod')[2]).toEqual('flux bootstrap github --owner=acme --repository=fleet-infra --branch=trunk --path=clusters/prod --personal');
    expect(steps(out, 'flux:precheck:dev')).toEqual([missing('flux'), 'cdk8s-flux-gitops kube-context dev', 'flux check --pre']);
    expect(steps(out, 'flux:check:dev')).toEqual([missing('flux'), 'cdk8s-flux-gitops kube-context dev', 'flux check']);
    expect(steps(out, 'flux:status:prod')[2]).toEqual('flux get all -A');
    expect(steps(out, 'flux:logs:prod')[2]).toEqual('flux logs -A');
    expect(steps(out, 'flux:reconcile:prod')[2]).toEqual('flux reconcile kustomization flux-system --with-source');
    // with two clusters, a task without the cluster's name could only guess which one is meant
    for (const t of ['flux:precheck', 'flux:check', 'flux:status', 'flux:logs', 'flux:reconcile']) expect(out['.projen/tasks.json'].tasks[t]).toBeUndefined();
    expect(steps(out, 'seal:fetch-cert:prod')).toEqual([
      missing('kubeseal'),
      'cdk8s-flux-gitops kube-context prod',
      // the controller the README tells to install (and not whatever SEALED_SECRETS_CONTROLLER_NAME says);
      // a failed fetch leaves no empty .pem behind (synth would then fail on it)
      'kubeseal --controller-namespace=flux-system --controller-name=sealed-secrets-controller --fetch-cert > pub-sealed-secrets-prod.pem.tmp'
        + ' && mv pub-sealed-secrets-prod.pem.tmp pub-sealed-secrets-prod.pem || (rm -f pub-sealed-secrets-prod.pem.tmp && exit 1)',
    ]);
  });

  test('the plain-git bootstrap, an organisation, and another Flux namespace', () => {
    const git = synthSnapshot(project({ bootstrapProvider: FluxBootstrapProvider.GIT, gitUrl: 'ssh://git@git.example.com/ops/fleet.git', fluxNamespace: 'gitops' }));
    expect(steps(git, 'flux:bootstrap:dev')[2]).toEqual('flux bootstrap git --url=ssh://git@git.example.com/ops/fleet.git --branch=main --path=clusters/dev --namespace=gitops');
    // flux check takes the namespace as the global --namespace (it has no --flux-namespace);
    // flux logs has --flux-namespace; flux get all -A lists every namespace anyway
    expect(steps(git, 'flux:check:dev')[2]).toEqual('flux check --namespace=gitops');
    expect(steps(git, 'flux:precheck:dev')[2]).toEqual('flux check --pre');
    expect(steps(git, 'flux:status:dev')[2]).toEqual('flux get all -A');
    expect(steps(git, 'flux:logs:dev')[2]).toEqual('flux logs -A --flux-namespace=gitops');
    // flux bootstrap names its Kustomization after the namespace (as FluxCluster's sync does)
    expect(steps(git, 'flux:reconcile:dev')[2]).toEqual('flux reconcile kustomization gitops --with-source --namespace=gitops');
    expect(steps(git, 'seal:fetch-cert:dev')[2]).toMatch(/^kubeseal --controller-namespace=gitops --controller-name=sealed-secrets-controller --fetch-cert > /);
    const named = synthSnapshot(project({ sealedSecretsControllerName: 'sealed-secrets', sealingCertificates: { dev: 'certs/dev.pem' } }));
    // the folder of the certificate first: a redirect into a missing folder fails
    expect(steps(named, 'seal:fetch-cert:dev').slice(2)).toEqual([
      'mkdir -p certs',
      'kubeseal --controller-namespace=flux-system --controller-name=sealed-secrets --fetch-cert > certs/dev.pem.tmp && mv certs/dev.pem.tmp certs/dev.pem || (rm -f certs/dev.pem.tmp && exit 1)',
    ]);
    const org = synthSnapshot(project({ githubOwner: 'acme', githubPersonal: false }));
    expect(steps(org, 'flux:bootstrap:dev')[2]).toEqual('flux bootstrap github --owner=acme --repository=fleet --branch=main --path=clusters/dev');
    const unset = synthSnapshot(project());
    expect(steps(unset, 'flux:bootstrap:dev')[2]).toEqual('node -e "console.error(\\"set githubOwner (and githubRepository) in .projenrc.ts, then run npx projen\\"); process.exit(1)"');
  });

  test('each cluster\'s flux and kubeseal tasks pass its kube context (clusterContexts), and print the context they use', () => {
    const out = synthSnapshot(project({
      clusters: ['dev', 'prod', 'lab'],
      githubOwner: 'acme',
      fluxNamespace: 'gitops',
      // lab: none, the current context
      clusterContexts: { dev: 'kind-dev', prod: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' },
    }));
    const tasks = out['.projen/tasks.json'].tasks;
    const prod = ' --context=arn:aws:eks:eu-west-1:123456789012:cluster/prod';
    const announce = 'cdk8s-flux-gitops kube-context prod arn:aws:eks:eu-west-1:123456789012:cluster/prod';
    expect(steps(out, 'flux:bootstrap:prod')).toEqual([
      'cdk8s-flux-gitops require-tool flux',
      announce,
      `flux bootstrap github --owner=acme --repository=fleet --branch=main --path=clusters/prod --namespace=gitops${prod} --personal`,
    ]);
    expect(steps(out, 'flux:precheck:prod')).toEqual(['cdk8s-flux-gitops require-tool flux', announce, `flux check --pre${prod}`]);
    expect(steps(out, 'flux:check:prod').slice(1)).toEqual([announce, `flux check --namespace=gitops${prod}`]);
    expect(steps(out, 'flux:status:prod').slice(1)).toEqual([announce, `flux get all -A${prod}`]);
    expect(steps(out, 'flux:logs:prod').slice(1)).toEqual([announce, `flux logs -A --flux-namespace=gitops${prod}`]);
    expect(steps(out, 'flux:reconcile:prod').slice(1)).toEqual([announce, `flux reconcile kustomization gitops --with-source --namespace=gitops${prod}`]);
    expect(steps(out, 'seal:fetch-cert:prod')).toEqual([
      'cdk8s-flux-gitops require-tool kubeseal',
      announce,
      `kubeseal --controller-namespace=gitops --controller-name=sealed-secrets-controller --fetch-cert${prod} > pub-sealed-secrets-prod.pem.tmp`
        + ' && mv pub-sealed-secrets-prod.pem.tmp pub-sealed-secrets-prod.pem || (rm -f pub-sealed-secrets-prod.pem.tmp && exit 1)',
    ]);
    expect(steps(out, 'flux:check:dev').slice(1)).toEqual(['cdk8s-flux-gitops kube-context dev kind-dev', 'flux check --namespace=gitops --context=kind-dev']);
    // no context: no --context, and the task names the current one
    expect(steps(out, 'flux:check:lab').slice(1)).toEqual(['cdk8s-flux-gitops kube-context lab', 'flux check --namespace=gitops']);
    expect(tasks['flux:bootstrap:prod'].description).toEqual('Install Flux on prod (kube context \'arn:aws:eks:eu-west-1:123456789012:cluster/prod\') and point it at clusters/prod (flux bootstrap)');
    expect(tasks['flux:bootstrap:lab'].description).toEqual('Install Flux on lab (the current kube context) and point it at clusters/lab (flux bootstrap)');
    // every flux and kubeseal task of a cluster has the context
    for (const [name, task] of Object.entries<any>(tasks)) {
      if (!/^(flux|seal):.*:prod$/.test(name)) continue;
      const command = task.steps[task.steps.length - 1].exec;
      expect(command).toContain(prod);
    }
    const readme: string = out['README.md'];
    expect(readme).toContain('`flux bootstrap github --owner=acme --repository=fleet --branch=main --path=clusters/dev --namespace=gitops --context=kind-dev --personal`');
    expect(readme).toContain('on the cluster of kube context `kind-dev` (option `clusterContexts`)');
    expect(readme).toContain('`clusterContexts`: dev: `kind-dev`, prod: `arn:aws:eks:eu-west-1:123456789012:cluster/prod`, lab: the current context)');
  });

  test('one cluster: the short task names run that cluster\'s tasks', () => {
    const out = synthSnapshot(project({ clusterContexts: { dev: 'kind-dev' }, githubOwner: 'acme' }));
    for (const t of ['flux:precheck', 'flux:check', 'flux:status', 'flux:logs', 'flux:reconcile']) {
      expect(steps(out, t)).toEqual([`spawn ${t}:dev`]);
      expect(steps(out, `${t}:dev`)[1]).toEqual('cdk8s-flux-gitops kube-context dev kind-dev');
    }
    expect(steps(out, 'flux:reconcile:dev')[2]).toEqual('flux reconcile kustomization flux-system --with-source --context=kind-dev');
    const readme: string = out['README.md'];
    expect(readme).toContain('`npx projen flux:precheck:dev` first checks that the cluster meets Flux\'s prerequisites (`flux check --pre`).\n   To bootstrap, `npx projen flux:bootstrap:dev` runs');
    expect(readme.indexOf('npx projen flux:precheck:dev')).toBeLessThan(readme.indexOf('npx projen flux:bootstrap:dev'));
    expect(readme).toContain('`npx projen flux:reconcile:dev` makes Flux fetch and apply the push now');
    expect(readme).toContain('With one cluster, `flux:precheck`, `flux:check`, `flux:status`, `flux:logs` and\n`flux:reconcile` are short for the `:dev` tasks.');
    const unpinned: string = synthSnapshot(project())['README.md'];
    expect(unpinned).toContain('on the cluster your current kube context points at\n   (each task prints which context that is; pin one per cluster with the option `clusterContexts`).');
    expect(unpinned).toContain('To bootstrap, first set `githubOwner`');
  });

  test('kube contexts a shell would read specially are quoted; bad ones are refused, naming the option', () => {
    const out = synthSnapshot(project({ clusterContexts: { dev: 'admin@dev cluster\'s' } }));
    expect(steps(out, 'flux:check:dev').slice(1)).toEqual([
      'cdk8s-flux-gitops kube-context dev \'admin@dev cluster\'"\'"\'s\'',
      'flux check --context=\'admin@dev cluster\'"\'"\'s\'',
    ]);
    expect(() => project({ clusters: ['dev', 'prod'], clusterContexts: { prd: 'prod' } })).toThrow(
      'FluxGitopsProject: clusterContexts: \'prd\' is not one of the clusters (dev, prod): use a cluster name as the key, or add \'prd\' to clusters');
    for (const context of ['', ' kind-dev', 'kind-dev\n', 'a\u0000b', 42 as any]) {
      expect(() => project({ clusterContexts: { dev: context } })).toThrow(
        `FluxGitopsProject: clusterContexts: dev: '${context}' must be the name of a kube context (as kubectl config get-contexts lists it): not empty, no control characters, no spaces around it`);
    }
    expect(() => project({ clusters: ['dev', 'staging', 'prod'], clusterContexts: { dev: 'kind', staging: 'eks', prod: 'kind' } })).toThrow(
      'FluxGitopsProject: clusterContexts: \'dev\' and \'prod\' both use kube context \'kind\': one cluster\'s flux bootstrap would point the other\'s Flux at its own path; give each cluster its own context');
  });

  test('the CI workflow installs with the project\'s package manager, builds, then fails on drift; no other workflow', () => {
    const out = synthSnapshot(project({ packageManager: javascript.NodePackageManager.NPM }));
    const wf = parse(out['.github/workflows/gitops.yml']);
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(wf.jobs.gitops.permissions).toEqual({ contents: 'read' });
    const steps_ = wf.jobs.gitops.steps;
    expect(steps_.map((s: any) => s.run ?? s.uses.replace(/@.*/, ''))).toEqual([
      'actions/checkout', 'actions/setup-node', 'npm ci', 'npx projen build', 'npx projen drift',
    ]);
    // the action versions projen maintains, and Node.js LTS (not a pinned, end-of-life major)
    expect(steps_[0].uses).toEqual(github.ActionRefs.ACTIONS_CHECKOUT);
    expect(steps_[1].uses).toEqual(github.ActionRefs.ACTIONS_SETUP_NODE);
    expect(steps_[1].with['node-version']).toEqual('lts/*');
    expect(JSON.stringify(wf)).not.toContain('secrets.');
    // a GitOps repo gets no semantic-PR-title lint unless asked for
    expect(Object.keys(out).filter((f) => f.startsWith('.github/workflows/'))).toEqual(['.github/workflows/gitops.yml']);

    for (const [packageManager, install] of [
      [javascript.NodePackageManager.PNPM, 'pnpm i --frozen-lockfile'],
      [undefined, 'yarn install --check-files --frozen-lockfile'], // projen's default outside of projen new
    ] as const) {
      const other = parse(synthSnapshot(project({ packageManager }))['.github/workflows/gitops.yml']);
      expect(other.jobs.gitops.steps.map((s: any) => s.run).filter(Boolean)).toEqual([install, 'npx projen build', 'npx projen drift']);
    }
  });

  test('the repo is not an npm package: no main, no npm pack in the build', () => {
    const out = synthSnapshot(project());
    expect(out['package.json'].main).toBeUndefined();
    expect(out['package.json'].types).toBeUndefined();
    expect(steps(out, 'package')).toEqual([]);
  });

  test('src/main.ts reads the options from a projen-managed src/fleet.generated.ts, so clusters added later reach the code', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'], fluxNamespace: 'gitops', githubOwner: 'acme', writeSyncManifests: true }));
    expect(out['src/fleet.generated.ts']).toContain('// ~~ Generated by projen.');
    expect(out['src/fleet.generated.ts']).toContain('export const CLUSTERS: string[] = [\'dev\', \'prod\'];');
    expect(out['src/fleet.generated.ts']).toContain('export const FLUX_NAMESPACE = \'gitops\';');
    expect(out['src/fleet.generated.ts']).toContain('  \'prod\': \'pub-sealed-secrets-prod.pem\',');
    expect(out['src/fleet.generated.ts']).toContain('export const SYNC: { url: string; branch: string } | undefined = { url: \'ssh://git@github.com/acme/fleet\', branch: \'main\' };');
    expect(out['.projen/files.json'].files).toContain('src/fleet.generated.ts');
    // the sample is the same whatever the options: nothing in it goes stale
    expect(out['src/main.ts']).toEqual(synthSnapshot(project())['src/main.ts']);
    expect(out['src/main.ts']).toContain('import { CLUSTERS, FLUX_NAMESPACE, SEALING_CERTIFICATES, SYNC } from \'./fleet.generated\';');
    expect(out['src/main.ts']).toContain('  for (const name of CLUSTERS) {');
    // certificates are found in the repo, also when a test synthesizes elsewhere
    expect(out['src/main.ts']).toContain('const certificate = path.join(ROOT, SEALING_CERTIFICATES[name]);');
    const plain = synthSnapshot(project());
    expect(plain['src/fleet.generated.ts']).toContain('export const SYNC: { url: string; branch: string } | undefined = undefined;');
  });

  test('git-ignores plain-text values and the local sealing state, never the sealed files', () => {
    const lines = synthSnapshot(project())['.gitignore'].split('\n');
    expect(lines).toEqual(expect.arrayContaining(['*-values-*.yaml', '!*-sealed.yaml', '/.cdk8s-flux-gitops/', '*.pem.tmp']));
    expect(lines.indexOf('!*-sealed.yaml')).toBeGreaterThan(lines.indexOf('*-values-*.yaml'));
  });

  test('writes a sample entry point, test and README for every cluster', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'], githubOwner: 'acme', writeSyncManifests: true }));
    expect(out['src/main.ts']).toContain('import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, Kustomization, SealingCertificate } from \'cdk8s-flux-gitops\';');
    // two layers: the infrastructure, then the apps with a cdk8s-plus workload
    expect(out['src/main.ts']).toContain('const apps = new Kustomization(cluster, \'apps\', {\n      dependsOn: [infrastructure],');
    expect(out['src/main.ts']).toContain('new kplus.Deployment(this, \'deployment\', {');
    expect(out['test/main.test.ts']).toContain('FluxTesting.synth(cluster.node.findChild(\'apps\'))');
    // the test synthesizes a copy of the committed tree, so committed sealed files whose plain text is absent are kept
    expect(out['test/main.test.ts']).toContain('fs.cpSync(path.join(ROOT, f), path.join(outdir, f), { recursive: true });');
    expect(out['test/main.test.ts']).toContain('for (const cluster of CLUSTERS) {');
    // both tests read the committed tree: CI, without the plain text of a SealedSecret, keeps its sealed file
    expect(out['test/main.test.ts']).toContain('const repo = defineRepo(committedCopy());');
    expect(out['test/main.test.ts'].match(/committedCopy\(\)/g)).toHaveLength(3);
    expect(out['README.md']).toContain('kubeseal --controller-namespace=flux-system --controller-name=sealed-secrets-controller --fetch-cert > pub-sealed-secrets-dev.pem');
    expect(out['README.md']).toContain('flux bootstrap github --owner=acme --repository=fleet --branch=main --path=clusters/dev --personal');
    expect(out['README.md']).toContain('new HelmRelease(cluster, \'sealed-secrets-controller\', {');
    expect(out['src/index.ts']).toBeUndefined();
    const git = synthSnapshot(project({ bootstrapProvider: FluxBootstrapProvider.GIT, gitUrl: 'https://git.example.com/ops/fleet.git' }));
    expect(git['README.md']).toContain('flux bootstrap git --url=https://git.example.com/ops/fleet.git --branch=main --path=clusters/dev');
    expect(git['README.md']).not.toContain('GITHUB_TOKEN');
  });

  test('values a shell would read specially reach the task lines quoted', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'], sealingCertificates: { dev: 'my certs/dev\'s.pem' }, bootstrapProvider: FluxBootstrapProvider.GIT, gitUrl: 'https://git.example.com/ops/fleet?ref=$HOME&x=1' }));
    expect(steps(out, 'seal:fetch-cert:dev').slice(2)).toEqual([
      'mkdir -p \'my certs\'',
      'kubeseal --controller-namespace=flux-system --controller-name=sealed-secrets-controller --fetch-cert'
        + ' > \'my certs/dev\'"\'"\'s.pem.tmp\' && mv \'my certs/dev\'"\'"\'s.pem.tmp\' \'my certs/dev\'"\'"\'s.pem\' || (rm -f \'my certs/dev\'"\'"\'s.pem.tmp\' && exit 1)',
    ]);
    expect(steps(out, 'seal:fetch-cert:prod').slice(2)).toEqual([
      'kubeseal --controller-namespace=flux-system --controller-name=sealed-secrets-controller --fetch-cert > pub-sealed-secrets-prod.pem.tmp && mv pub-sealed-secrets-prod.pem.tmp pub-sealed-secrets-prod.pem || (rm -f pub-sealed-secrets-prod.pem.tmp && exit 1)',
    ]);
    expect(steps(out, 'flux:bootstrap:dev')[2]).toEqual('flux bootstrap git --url=\'https://git.example.com/ops/fleet?ref=$HOME&x=1\' --branch=main --path=clusters/dev');
    expect(out['src/fleet.generated.ts']).toContain('  \'dev\': \'my certs/dev\\\'s.pem\',');
    expect(out['README.md']).toContain('--fetch-cert > \'my certs/dev\'"\'"\'s.pem\'`');
  });

  test('gitBranch is the branch of the workflow, of flux bootstrap and of projen itself', () => {
    const p = project({ gitBranch: 'release/v1', githubOwner: 'acme', defaultReleaseBranch: undefined });
    expect(p.gitBranch).toEqual('release/v1');
    const out = synthSnapshot(p);
    expect(parse(out['.github/workflows/gitops.yml']).on.push).toEqual({ branches: ['release/v1'] });
    expect(steps(out, 'flux:bootstrap:dev')[2]).toEqual('flux bootstrap github --owner=acme --repository=fleet --branch=release/v1 --path=clusters/dev --personal');
    expect(out['README.md']).toContain('git push -u origin release/v1');
    // projen's default release branch follows it (its release workflow, when turned on)
    const released = synthSnapshot(project({ gitBranch: 'trunk', defaultReleaseBranch: undefined, release: true }));
    expect(parse(released['.github/workflows/release.yml']).on.push).toEqual({ branches: ['trunk'] });
  });

  test('the README creates and pushes the repository before flux bootstrap, with the Flux namespace\'s folder', () => {
    const out = synthSnapshot(project({ githubOwner: 'acme', githubRepository: 'fleet-infra', fluxNamespace: 'flux', gitBranch: 'trunk' }));
    const readme: string = out['README.md'];
    expect(readme).toContain('1. **Create the Git repository and push** first');
    expect(readme).toContain('   gh repo create acme/fleet-infra --private\n   git remote add origin git@github.com:acme/fleet-infra.git\n   git push -u origin trunk\n');
    expect(readme.indexOf('git push -u origin trunk')).toBeLessThan(readme.indexOf('npx projen flux:bootstrap:dev'));
    expect(readme).toContain('flux bootstrap github --owner=acme --repository=fleet-infra --branch=trunk --path=clusters/dev --namespace=flux --personal');
    expect(readme).toContain('It pushes `clusters/dev/flux/` to `trunk`');
    expect(readme).toContain('lists `flux/` and Flux keeps managing itself from Git');
    expect(readme).not.toContain('flux-system');
    const git = synthSnapshot(project({ bootstrapProvider: FluxBootstrapProvider.GIT, gitUrl: 'ssh://git@git.example.com/ops/fleet.git' }))['README.md'];
    expect(git).toContain('   # an empty repository on your Git server\n   git remote add origin ssh://git@git.example.com/ops/fleet.git\n   git push -u origin main\n');
    const unset = synthSnapshot(project())['README.md'];
    expect(unset).toContain('git remote add origin git@github.com:<owner>/<repository>.git');
  });

  test('refuses bad options with a message', () => {
    expect(() => project({ clusters: [] })).toThrow('FluxGitopsProject: clusters must name at least one cluster, got []: use the default [\'dev\'] or list yours');
    expect(() => project({ clusters: ['Dev'] })).toThrow('FluxGitopsProject: clusters: \'Dev\' must be a lowercase DNS-1123 label (letters, digits, \'-\'): it names clusters/Dev and the tasks of that cluster');
    expect(() => project({ gitUrl: 'git@github.com:acme/fleet.git' })).toThrow('FluxGitopsProject: gitUrl: \'git@github.com:acme/fleet.git\' must be an ssh://, https:// or http:// URL (flux bootstrap git --url does not take the scp form git@host:path)');
    expect(() => project({ fluxNamespace: 'Flux_System' })).toThrow('FluxGitopsProject: fluxNamespace: \'Flux_System\' must be a lowercase DNS-1123 label (letters, digits, \'-\')');
    expect(() => project({ writeSyncManifests: true })).toThrow('FluxGitopsProject: writeSyncManifests needs gitUrl or githubOwner, got neither: set one of them, or leave flux-system/ to flux bootstrap');
    expect(() => project({ clusters: ['dev', 'prod', 'dev'] })).toThrow('FluxGitopsProject: clusters: \'dev\' is listed twice, got [\'dev\', \'prod\', \'dev\']: list each cluster once');
  });

  test('refuses option values that would reach a shell line or a URL broken, naming the option', () => {
    // a key that is not a cluster would be ignored
    expect(() => project({ clusters: ['dev', 'prod'], sealingCertificates: { prd: 'prod.pem' } })).toThrow(
      'FluxGitopsProject: sealingCertificates: \'prd\' is not one of the clusters (dev, prod): use a cluster name as the key, or add \'prd\' to clusters');
    for (const file of ['/etc/dev.pem', '../dev.pem', 'certs/', 'certs\\dev.pem', '', 'a\nb.pem']) {
      expect(() => project({ sealingCertificates: { dev: file } })).toThrow(
        `FluxGitopsProject: sealingCertificates: dev: '${file}' must be the path of a file in the repository, relative to its root and with '/' between folders (as 'certs/dev.pem')`);
    }
    // the GitHub names have their own message (not one about gitUrl, an option never set)
    expect(() => project({ githubOwner: 'acme corp' })).toThrow(
      'FluxGitopsProject: githubOwner: \'acme corp\' must be a GitHub user or organisation name (letters, digits and single \'-\' between them, at most 39 characters), as in github.com/<owner>');
    expect(() => project({ githubOwner: '-acme' })).toThrow('FluxGitopsProject: githubOwner: \'-acme\' must be');
    expect(() => project({ githubOwner: 'acme', githubRepository: 'fleet infra' })).toThrow(
      'FluxGitopsProject: githubRepository: \'fleet infra\' must be a GitHub repository name (letters, digits, \'.\', \'_\' and \'-\', at most 100 characters), as in github.com/<owner>/<repository>');
    expect(() => project({ name: '@acme/fleet', githubOwner: 'acme' })).toThrow(
      'FluxGitopsProject: githubRepository defaults to the project name \'@acme/fleet\', which is not a GitHub repository name (letters, digits, \'.\', \'_\' and \'-\'): set githubRepository');
    // without githubOwner the repository is not used
    expect(() => project({ name: '@acme/fleet' })).not.toThrow();
    for (const [branch, why] of [
      ['feature branch', 'may hold only letters, digits, \'.\', \'_\', \'-\' and \'/\''],
      ['main;reboot', 'may hold only letters, digits, \'.\', \'_\', \'-\' and \'/\''],
      ['-main', 'must not start with \'-\''],
      ['a..b', 'must be a Git branch name (no \'..\' or \'//\', no part that starts with \'.\' or ends with \'.lock\', no \'/\' or \'.\' at the end)'],
      ['main.lock', 'must be a Git branch name'],
    ]) {
      expect(() => project({ gitBranch: branch })).toThrow(`FluxGitopsProject: gitBranch: '${branch}' ${why}`);
    }
    expect(() => project({ gitBranch: 'feature branch' })).toThrow(': it is flux bootstrap\'s --branch and the branch the gitops workflow runs on');
    expect(() => project({ bootstrapProvider: FluxBootstrapProvider.GIT, gitUrl: 'https://[fleet/x' })).toThrow('FluxGitopsProject: gitUrl: \'https://[fleet/x\' must be an ssh://, https:// or http:// URL');
    expect(() => project({ sealedSecretsControllerName: 'sealed secrets' })).toThrow(
      'FluxGitopsProject: sealedSecretsControllerName: \'sealed secrets\' must be the name of the controller\'s Service, a lowercase RFC 1035 label (a letter, then letters, digits, \'-\'; at most 63)');
  });

  describe('the branch of the Git repository', () => {
    const git = (cwd: string, ...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
    const saved = { env: { ...process.env }, argv: process.argv };
    // synth() itself, not synthSnapshot (which deletes the folder), and no npm install after it
    const synth = (p: FluxGitopsProject) => {
      process.env.PROJEN_DISABLE_POST = 'true';
      p.synth();
    };
    afterEach(() => {
      process.env = { ...saved.env };
      process.argv = saved.argv;
    });
    // the options as projen new passes them (the __new__ field), while it creates the project
    const creating = (options: Partial<ConstructorParameters<typeof FluxGitopsProject>[0]>, gitConfig: Record<string, string> = {}) => {
      const outdir = mkdtemp('projen-new-');
      Object.entries(gitConfig).forEach(([k, v], i) => {
        process.env[`GIT_CONFIG_KEY_${i}`] = k;
        process.env[`GIT_CONFIG_VALUE_${i}`] = v;
      });
      process.env.GIT_CONFIG_COUNT = String(Object.keys(gitConfig).length);
      process.env.PROJEN_CREATE_PROJECT = 'true';
      const args: Record<string, unknown> = { name: 'fleet', ...options };
      const p = project({ outdir, ...options, __new__: { fqn: 'projen.typescript.TypeScriptProject', args, comments: 'none', synth: true, post: false } } as any);
      synth(p);
      const head = fs.existsSync(path.join(outdir, '.git')) ? git(outdir, 'symbolic-ref', '--short', 'HEAD').stdout.trim() : undefined;
      return { p, args, head, outdir };
    };

    test('projen new creates the repository on gitBranch (projen\'s git init then keeps it)', () => {
      const { head, outdir } = creating({ gitBranch: 'trunk' }, { 'init.defaultBranch': 'master' });
      expect(head).toEqual('trunk');
      // what projen new runs next
      expect(git(outdir, 'init', '-b', 'master').status).toBe(0);
      expect(git(outdir, 'symbolic-ref', '--short', 'HEAD').stdout.trim()).toEqual('trunk');
    });

    test('projen new without gitBranch takes git\'s init.defaultBranch and writes it into .projenrc.ts', () => {
      const master = creating({}, { 'init.defaultBranch': 'master' });
      expect(master.p.gitBranch).toEqual('master');
      expect(master.args.gitBranch).toEqual('master'); // what .projenrc.ts is written from
      expect(master.head).toBeUndefined(); // projen new's git init chooses master itself
      const plain = creating({});
      expect(plain.p.gitBranch).toEqual('main');
      expect(plain.args.gitBranch).toBeUndefined(); // the default: nothing to write
      // a default branch git takes but this project type refuses: main, as projen new does without one
      const odd = creating({ gitBranch: undefined }, { 'init.defaultBranch': 'next+1' });
      expect(odd.p.gitBranch).toEqual('main');
      expect(odd.head).toEqual('main');
    });

    test('no repository of its own with projen new --no-git, or inside another repository', () => {
      process.argv = [...saved.argv, '--no-git'];
      expect(creating({ gitBranch: 'trunk' }).head).toBeUndefined();
      process.argv = saved.argv;
      const mono = mkdtemp('monorepo-');
      git(mono, 'init', '-q', '-b', 'main');
      const outdir = path.join(mono, 'fleet');
      fs.mkdirSync(outdir);
      process.env.PROJEN_CREATE_PROJECT = 'true';
      synth(project({ outdir, gitBranch: 'trunk', __new__: { fqn: 'projen.typescript.TypeScriptProject', args: {}, comments: 'none', synth: true, post: false } } as any));
      expect(fs.existsSync(path.join(outdir, '.git'))).toBe(false);
    });

    test('npx projen warns when the repository has no branch gitBranch', () => {
      const warnings: string[] = [];
      const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => {
        warnings.push(m);
      });
      try {
        const outdir = mkdtemp('repo-');
        git(outdir, 'init', '-q', '-b', 'master');
        synth(project({ outdir, logging: { level: LogLevel.WARN } }));
        expect(warnings.join('\n')).toContain('FluxGitopsProject: gitBranch is \'main\', but this repository is on branch \'master\' and has no branch \'main\': '
          + 'the gitops workflow runs on pushes to main and flux bootstrap makes Flux follow main. '
          + 'Rename the branch (git branch -m master main), or set gitBranch: \'master\' in .projenrc.ts and run npx projen');
        warnings.length = 0;
        // on gitBranch, or on a feature branch of a repository that has it: nothing to say
        synth(project({ outdir, gitBranch: 'master', logging: { level: LogLevel.WARN } }));
        git(outdir, 'commit', '-q', '--allow-empty', '-m', 'init');
        git(outdir, 'checkout', '-q', '-b', 'feature');
        synth(project({ outdir, gitBranch: 'master', logging: { level: LogLevel.WARN } }));
        expect(warnings.filter((w) => w.includes('gitBranch'))).toEqual([]);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
