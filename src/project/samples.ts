/** The files `flux-gitops` writes once into a new repo (projen SampleFiles: never overwritten). */

/** The projen-managed file with the project's options that `src/main.ts` reads. */
export const OPTIONS_FILE = 'src/fleet.generated.ts';

/**
 * src/main.ts: the fleet, in code. It reads the clusters, the Flux namespace, the certificates
 * and the sync settings from `src/fleet.generated.ts`, which `npx projen` rewrites from
 * .projenrc.ts, so the sample itself never needs regenerating.
 */
export function sampleMain(): string {
  const lines = [
    'import * as fs from \'fs\';',
    'import * as path from \'path\';',
    'import { Chart, Duration } from \'cdk8s\';',
    'import * as kplus from \'cdk8s-plus-25\';',
    'import { Construct } from \'constructs\';',
    'import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, Kustomization, SealingCertificate } from \'cdk8s-flux-gitops\';',
    'import { CLUSTERS, FLUX_NAMESPACE, SEALING_CERTIFICATES, SYNC } from \'./fleet.generated\';',
    '',
    '/** The repository root: certificates (and values files) are found there. */',
    'const ROOT = path.join(__dirname, \'..\');',
    '',
    '/** A small workload written with cdk8s-plus: a Deployment behind a Service, in its own namespace. */',
    'export class Hello extends Chart {',
    '  constructor(scope: Construct, id: string, replicas: number) {',
    '    super(scope, id);',
    '    new kplus.Namespace(this, \'namespace\', { metadata: { name: \'hello\' } });',
    '    const deployment = new kplus.Deployment(this, \'deployment\', {',
    '      metadata: { name: \'hello\', namespace: \'hello\' },',
    '      replicas,',
    '      containers: [{',
    '        image: \'ghcr.io/stefanprodan/podinfo:6.7.1\',',
    '        portNumber: 9898,',
    '        securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },',
    '      }],',
    '    });',
    '    deployment.exposeViaService({ name: \'hello\', ports: [{ port: 80, targetPort: 9898 }] });',
    '  }',
    '}',
    '',
    '/**',
    ' * The fleet: every cluster and what Flux installs on it, in two layers (Flux Kustomizations):',
    ' * `infrastructure` (Helm repositories and controllers, in infrastructure/<cluster>/), then `apps`',
    ' * (the workloads, in apps/<cluster>/), applied once the infrastructure is ready. `npx projen synth`',
    ' * writes it; `npx projen build` also checks it and runs the tests. The clusters come from',
    ' * `clusters` in .projenrc.ts (`npx projen` updates src/fleet.generated.ts).',
    ' */',
    'export function defineRepo(outdir: string = ROOT): GitOpsRepo {',
    '  const repo = new GitOpsRepo({ outdir });',
    '  for (const name of CLUSTERS) {',
    '    const certificate = path.join(ROOT, SEALING_CERTIFICATES[name]);',
    '    const cluster = new FluxCluster(repo, name, {',
    '      namespace: FLUX_NAMESPACE,',
    '      sync: SYNC,',
    '      // SealedSecrets need the certificate: `npx projen seal:fetch-cert:<cluster>` once the',
    '      // sealed-secrets controller runs, then commit the .pem.',
    '      sealingCertificate: fs.existsSync(certificate) ? SealingCertificate.fromFile(certificate) : undefined,',
    '    });',
    '',
    '    const infrastructure = new Kustomization(cluster, \'infrastructure\', {',
    '      wait: true,',
    '      interval: Duration.hours(1),',
    '      retryInterval: Duration.minutes(2),',
    '      timeout: Duration.minutes(5),',
    '    });',
    '    const podinfo = new HelmRepository(infrastructure, \'podinfo\', {',
    '      url: \'https://stefanprodan.github.io/podinfo\',',
    '      interval: Duration.minutes(10),',
    '    });',
    '    new HelmRelease(infrastructure, \'podinfo-release\', {',
    '      name: \'podinfo\',',
    '      repository: podinfo,',
    '      chart: \'podinfo\',',
    '      version: \'6.7.1\',',
    '      targetNamespace: \'podinfo\',',
    '      createNamespace: true,',
    '      installRetries: 3,',
    '      upgradeRetries: 3,',
    '      values: { replicaCount: 2 },',
    '    });',
    '',
    '    const apps = new Kustomization(cluster, \'apps\', {',
    '      dependsOn: [infrastructure],',
    '      interval: Duration.minutes(10),',
    '      retryInterval: Duration.minutes(2),',
    '      timeout: Duration.minutes(5),',
    '    });',
    '    new Hello(apps, \'hello\', 1);',
    '  }',
    '  return repo;',
    '}',
    '',
    'if (require.main === module) {',
    '  const result = defineRepo().synth();',
    '  console.log(`synth: ${result.files.length} files owned, ${result.written.length} written, ${result.removed.length} removed`);',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** test/main.test.ts: the fleet synthesizes and passes the repository check. */
export function sampleTest(): string {
  return [
    'import * as fs from \'fs\';',
    'import * as os from \'os\';',
    'import * as path from \'path\';',
    'import { FluxCluster, FluxTesting } from \'cdk8s-flux-gitops\';',
    'import { CLUSTERS } from \'../src/fleet.generated\';',
    'import { defineRepo } from \'../src/main\';',
    '',
    'const ROOT = path.join(__dirname, \'..\');',
    '',
    '/**',
    ' * A copy of the committed tree in a temp folder: sealed files whose plain text is absent here',
    ' * (as in CI) are kept as they are, as synth keeps them in the repo.',
    ' */',
    'function committedCopy(): string {',
    '  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), \'fleet-\'));',
    '  for (const f of [\'clusters\', \'infrastructure\', \'apps\', \'.cdk8s-flux-gitops.json\']) {',
    '    if (fs.existsSync(path.join(ROOT, f))) fs.cpSync(path.join(ROOT, f), path.join(outdir, f), { recursive: true });',
    '  }',
    '  return outdir;',
    '}',
    '',
    'test(\'every cluster synthesizes and passes the repository check\', () => {',
    '  const outdir = committedCopy();',
    '  const result = defineRepo(outdir).synth();',
    '  for (const cluster of CLUSTERS) {',
    '    expect(result.files.filter((f) => f.startsWith(`clusters/${cluster}/`))).not.toEqual([]);',
    '  }',
    '  const report = defineRepo(outdir).check();',
    '  expect(report.findings.filter((f) => f.severity === \'error\')).toEqual([]);',
    '});',
    '',
    'test(\'the apps layer holds the hello workload (in memory, nothing written)\', () => {',
    '  // the committed tree too: a SealedSecret whose plain text is absent needs its committed sealed file',
    '  const repo = defineRepo(committedCopy());',
    '  const cluster = repo.node.findChild(CLUSTERS[0]) as FluxCluster;',
    '  const { manifests } = FluxTesting.synth(cluster.node.findChild(\'apps\'));',
    '  expect(manifests.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining([\'Deployment/hello\', \'Service/hello\', \'Kustomization/apps\']));',
    '});',
    '',
  ].join('\n');
}

export interface SampleReadmeOptions {
  readonly name: string;
  readonly clusters: string[];
  readonly fluxNamespace: string;
  readonly certificates: Record<string, string>;
  /** The bootstrap command of the first cluster, when the options give one. */
  readonly bootstrap?: string;
  readonly bootstrapProvider: string;
  /** The fetch-cert command of the first cluster. */
  readonly fetchCert: string;
  readonly controllerName: string;
  /** The branch Flux follows and CI runs on. */
  readonly branch: string;
  readonly githubOwner?: string;
  readonly githubRepository: string;
  /** The URL Flux clones (given, or derived from githubOwner). */
  readonly gitUrl?: string;
  /** The kube context of each cluster that has one (option clusterContexts). */
  readonly contexts: Record<string, string>;
}

/** README.md: the workflow, from bootstrap to sealed secrets. */
export function sampleReadme(o: SampleReadmeOptions): string {
  const c = o.clusters[0];
  const github = o.bootstrapProvider === 'github';
  const bootstrap = o.bootstrap
    ? `\`npx projen flux:bootstrap:${c}\` runs\n   \`${o.bootstrap}\`.`
    : `first set ${github ? '`githubOwner` (and `githubRepository`, `githubPersonal: false` for an organisation;\n   or `gitUrl` with `bootstrapProvider: FluxBootstrapProvider.GIT` for another Git server)' : '`gitUrl`'}
   in \`.projenrc.ts\` and run \`npx projen\`; then \`npx projen flux:bootstrap:${c}\` runs
   \`flux bootstrap ${github ? 'github --owner=… --repository=…' : 'git --url=…'} --branch=${o.branch} --path=clusters/${c}${github ? ' --personal' : ''}\`.`;
  const ns = o.fluxNamespace;
  const context = o.contexts[c] !== undefined
    ? `the cluster of kube context \`${o.contexts[c]}\` (option \`clusterContexts\`)`
    : 'the cluster your current kube context points at\n   (each task prints which context that is; pin one per cluster with the option `clusterContexts`)';
  const remote = github
    ? `git@github.com:${o.githubOwner ?? '<owner>'}/${o.githubOwner ? o.githubRepository : '<repository>'}.git`
    : o.gitUrl ?? '<url>';
  const create = github
    ? `# an empty repository (no README, licence or .gitignore) on github.com, or with the GitHub CLI:
   gh repo create ${o.githubOwner ?? '<owner>'}/${o.githubOwner ? o.githubRepository : '<repository>'} --private`
    : '# an empty repository on your Git server';
  return `# ${o.name}

A Flux CD GitOps repository written in TypeScript with
[cdk8s-flux-gitops](https://github.com/cdk8s-flux-gitops/cdk8s-flux-gitops). \`src/main.ts\` defines
the clusters (${o.clusters.map((x) => `\`clusters/${x}\``).join(', ')}); \`npx projen synth\` writes the
manifests Flux reads. Never edit \`clusters/\` by hand: CI fails when the committed tree differs from
what the code produces.

## Every day

\`\`\`sh
npm install            # once after cloning
npx projen build       # synth, check (official Flux CRD schemas, references, secrets), tests
git add -A && git commit
npx projen drift       # what CI runs after the build: fails and names the files that differ from the commit
\`\`\`

Options live in \`.projenrc.ts\` (\`FluxGitopsProject\`): add a cluster to \`clusters\`, run
\`npx projen\`, and \`src/fleet.generated.ts\`, the tasks and the CI drift check follow;
\`src/main.ts\` is yours and is never overwritten. CI (\`.github/workflows/gitops.yml\`) runs on
pull requests and on pushes to \`${o.branch}\` (option \`gitBranch\`), the branch Flux follows.

## From an empty cluster to sealed secrets

1. **Create the Git repository and push** first: \`flux bootstrap\` pushes its manifests to it${github ? ', and\n   `flux bootstrap github` creates a missing repository itself with nothing but the Flux manifests,\n   onto which this history no longer pushes cleanly' : ''}.

   \`\`\`sh
   npx projen build && git add -A && git commit -m "Define the clusters"
   ${create}
   git remote add origin ${remote}
   git push -u origin ${o.branch}
   \`\`\`
2. **Bootstrap Flux** (needs the \`flux\` CLI${github ? ' and a `GITHUB_TOKEN`' : ' and access to the Git server'}) on ${context}.
   \`npx projen flux:precheck:${c}\` first checks that the cluster meets Flux's prerequisites (\`flux check --pre\`).
   To bootstrap, ${bootstrap}
   It pushes \`clusters/${c}/${ns}/\` to \`${o.branch}\`: \`git pull\`, run \`npx projen build\` and commit, so
   that \`clusters/${c}/kustomization.yaml\` lists \`${ns}/\` and Flux keeps managing itself from Git.
3. **Check it**: \`npx projen flux:check:${c}\`, \`npx projen flux:status:${c}\`, \`npx projen flux:logs:${c}\`.
4. **Add charts** in \`src/main.ts\` (\`HelmRepository\`, \`HelmRelease\`), then build, commit and push;
   \`npx projen flux:reconcile:${c}\` makes Flux fetch and apply the push now rather than at its next interval.
5. **Sealed secrets**: install the controller as release \`${o.controllerName}\` in \`${ns}\`
   (the name \`kubeseal\` looks for), in the loop of \`src/main.ts\`:

   \`\`\`ts
   const sealedSecrets = new HelmRepository(cluster, 'sealed-secrets', {
     url: 'https://bitnami-labs.github.io/sealed-secrets',
     interval: Duration.minutes(10),
   });
   new HelmRelease(cluster, '${o.controllerName}', {
     repository: sealedSecrets,
     chart: 'sealed-secrets',
     version: '2.18.5',
     releaseName: '${o.controllerName}',
     targetNamespace: '${ns}',
   });
   \`\`\`

   Build, commit and push; once the controller runs, fetch the certificate:
   \`npx projen seal:fetch-cert:${c}\` runs
   \`${o.fetchCert}\`. Commit the \`.pem\`.
6. **Seal values**: \`new SealedSecret(cluster, 'creds', { data: { token: SecretValue.fromEnv('TOKEN') } })\`
   and \`valuesFrom: [creds.valuesReference({ valuesKey: 'token', targetPath: 'auth.token' })]\`, or a
   whole values file: \`secretValues: SecretValue.fromFile('<release>-values-v<version>.yaml')\`.
   Files named \`*-values-*.yaml\` are git-ignored, so their plain text never reaches Git; the sealed
   \`helm/secrets/*-sealed.yaml\` files are committed. A value whose plain text did not change keeps
   its ciphertext, and CI, where the variables and values files are absent, keeps the committed
   sealed files as they are.

## Tasks

| task | what it runs |
| --- | --- |
| \`synth\` | \`ts-node src/main.ts\`: writes \`clusters/…\`, \`.gitignore\`, \`.cdk8s-flux-gitops.json\` |
| \`check\` | \`cdk8s-flux-gitops check .\` |
| \`drift\` | fails when \`git status\` shows any change after the build, naming the files: GitOps manifests (\`npx projen synth\`) apart from project files (\`npx projen\`) |
| \`flux:precheck:<cluster>\` | \`flux check --pre\`, before bootstrap |
| \`flux:bootstrap:<cluster>\` | \`flux bootstrap ${github ? 'github' : 'git'} …\` |
| \`flux:check:<cluster>\`, \`flux:status:<cluster>\`, \`flux:logs:<cluster>\` | \`flux check\`, \`flux get all -A\`, \`flux logs -A\` |
| \`flux:reconcile:<cluster>\` | \`flux reconcile kustomization ${ns} --with-source\`: fetch and apply the last push now |
| \`seal:fetch-cert:<cluster>\` | \`kubeseal --controller-namespace=${o.fluxNamespace} --controller-name=${o.controllerName} --fetch-cert\` into the cluster's \`.pem\` (${o.clusters.map((x) => `\`${o.certificates[x]}\``).join(', ')}) |

Every flux and kubeseal task of a cluster runs against its kube context (\`--context\`, option
\`clusterContexts\`: ${o.clusters.map((x) => `${x}: ${o.contexts[x] !== undefined ? `\`${o.contexts[x]}\`` : 'the current context'}`).join(', ')}) and first prints the
context it uses.${o.clusters.length === 1 ? ` With one cluster, \`flux:precheck\`, \`flux:check\`, \`flux:status\`, \`flux:logs\` and
\`flux:reconcile\` are short for the \`:${c}\` tasks.` : ''}
`;
}
