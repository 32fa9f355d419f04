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
    expect(steps(out, 'drift')).toEqual(['cdk8s-flux-gitops drift clusters/dev clusters/prod .cdk8s-flux-gitops.json .gitignore']);
  });

  test('flux and kubeseal tasks run the real CLIs with the project\'s options, and say when a tool is missing', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'], githubOwner: 'acme', githubRepository: 'fleet-infra', gitBranch: 'trunk' }));
    const missing = (tool: string) => `cdk8s-flux-gitops require-tool ${tool}`;
    expect(steps(out, 'flux:bootstrap:dev')).toEqual([
      missing('flux'),
      'flux bootstrap github --owner=acme --repository=fleet-infra --branch=trunk --path=clusters/dev --personal',
    ]);
    expect(steps(out, 'flux:bootstrap:prod')[1]).toEqual('flux bootstrap github --owner=acme --repository=fleet-infra --branch=trunk --path=clusters/prod --personal');
    expect(steps(out, 'flux:check')).toEqual([missing('flux'), 'flux check']);
    expect(steps(out, 'flux:status')[1]).toEqual('flux get all -A');
    expect(steps(out, 'flux:logs')[1]).toEqual('flux logs -A');
    expect(steps(out, 'seal:fetch-cert:prod')).toEqual([
      missing('kubeseal'),
      'kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-prod.pem',
    ]);
  });

  test('the plain-git bootstrap, an organisation, and another Flux namespace', () => {
    const git = synthSnapshot(project({ bootstrapProvider: FluxBootstrapProvider.GIT, gitUrl: 'ssh://git@git.example.com/ops/fleet.git', fluxNamespace: 'gitops' }));
    expect(steps(git, 'flux:bootstrap:dev')[1]).toEqual('flux bootstrap git --url=ssh://git@git.example.com/ops/fleet.git --branch=main --path=clusters/dev --namespace=gitops');
    expect(steps(git, 'flux:check')[1]).toEqual('flux check --flux-namespace=gitops');
    expect(steps(git, 'seal:fetch-cert:dev')[1]).toEqual('kubeseal --controller-namespace=gitops --fetch-cert > pub-sealed-secrets-dev.pem');
    const org = synthSnapshot(project({ githubOwner: 'acme', githubPersonal: false }));
    expect(steps(org, 'flux:bootstrap:dev')[1]).toEqual('flux bootstrap github --owner=acme --repository=fleet --branch=main --path=clusters/dev');
    const unset = synthSnapshot(project());
    expect(steps(unset, 'flux:bootstrap:dev')[1]).toEqual('node -e "console.error(\\"set githubOwner (and githubRepository) in .projenrc.ts, then run npx projen\\"); process.exit(1)"');
  });

  test('the CI workflow builds, then fails on drift', () => {
    const wf = parse(synthSnapshot(project())['.github/workflows/gitops.yml']);
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(wf.jobs.gitops.steps.map((s: any) => s.run ?? s.uses)).toEqual([
      'actions/checkout@v4', 'actions/setup-node@v4', 'npm ci', 'npx projen build', 'npx projen drift',
    ]);
  });

  test('git-ignores plain-text values and the local sealing state, never the sealed files', () => {
    const lines = synthSnapshot(project())['.gitignore'].split('\n');
    expect(lines).toEqual(expect.arrayContaining(['*-values-*.yaml', '!*-sealed.yaml', '/.cdk8s-flux-gitops/']));
    expect(lines.indexOf('!*-sealed.yaml')).toBeGreaterThan(lines.indexOf('*-values-*.yaml'));
  });

  test('writes a sample entry point, test and README for every cluster', () => {
    const out = synthSnapshot(project({ clusters: ['dev', 'prod'], githubOwner: 'acme', writeSyncManifests: true }));
    expect(out['src/main.ts']).toContain('for (const name of [\'dev\', \'prod\']) {');
    expect(out['src/main.ts']).toContain('sync: { url: \'ssh://git@github.com/acme/fleet\', branch: \'main\' },');
    expect(out['src/main.ts']).toContain('import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealingCertificate } from \'cdk8s-flux-gitops\';');
    expect(out['test/main.test.ts']).toContain('expect(result.files).toContain(\'clusters/prod/helm/releases/podinfo.yaml\');');
    expect(out['README.md']).toContain('kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-dev.pem');
    expect(out['README.md']).toContain('flux bootstrap github --owner=acme --repository=fleet --branch=main --path=clusters/dev --personal');
    expect(out['src/index.ts']).toBeUndefined();
  });

  test('refuses bad options with a message', () => {
    expect(() => project({ clusters: [] })).toThrow('FluxGitopsProject: clusters must name at least one cluster, got []: use the default [\'dev\'] or list yours');
    expect(() => project({ clusters: ['Dev'] })).toThrow('FluxGitopsProject: clusters: \'Dev\' must be a lowercase DNS-1123 label (letters, digits, \'-\'): it names clusters/Dev and the tasks of that cluster');
    expect(() => project({ writeSyncManifests: true })).toThrow('FluxGitopsProject: writeSyncManifests needs gitUrl or githubOwner, got neither: set one of them, or leave flux-system/ to flux bootstrap');
  });
});
