/** The files `flux-gitops` writes once into a new repo (projen SampleFiles: never overwritten). */

export interface SampleMainOptions {
  readonly clusters: string[];
  readonly fluxNamespace: string;
  readonly certificates: Record<string, string>;
  readonly sync?: { readonly url: string; readonly branch: string };
}

/** src/main.ts: the fleet, in code. */
export function sampleMain(o: SampleMainOptions): string {
  const lines = [
    'import * as fs from \'fs\';',
    'import * as path from \'path\';',
    'import { Duration } from \'cdk8s\';',
    'import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealingCertificate } from \'cdk8s-flux-gitops\';',
    '',
    '/** The sealed-secrets certificate of each cluster (`npx projen seal:fetch-cert:<cluster>`). */',
    `const CERTIFICATES: Record<string, string> = ${JSON.stringify(o.certificates, undefined, 2).replace(/"/g, '\'')};`,
    '',
    '/**',
    ' * The fleet: every cluster and what Flux installs on it. `npx projen synth` writes it to',
    ' * clusters/<name>/ (and the .gitignore); `npx projen build` also checks it and runs the tests.',
    ' */',
    'export function defineRepo(outdir: string): GitOpsRepo {',
    '  const repo = new GitOpsRepo({ outdir });',
    `  for (const name of ${JSON.stringify(o.clusters).replace(/"/g, '\'').replace(/,/g, ', ')}) {`,
    '    const certificate = path.join(outdir, CERTIFICATES[name]);',
    '    const cluster = new FluxCluster(repo, name, {',
    ...(o.fluxNamespace !== 'flux-system' ? [`      namespace: '${o.fluxNamespace}',`] : []),
    ...(o.sync ? [`      sync: { url: '${o.sync.url}', branch: '${o.sync.branch}' },`] : []),
    '      // SealedSecrets need the certificate: fetch it once the sealed-secrets controller runs.',
    '      sealingCertificate: fs.existsSync(certificate) ? SealingCertificate.fromFile(certificate) : undefined,',
    '    });',
    '',
    '    const podinfo = new HelmRepository(cluster, \'podinfo\', {',
    '      url: \'https://stefanprodan.github.io/podinfo\',',
    '      interval: Duration.minutes(10),',
    '    });',
    '    new HelmRelease(cluster, \'podinfo-release\', {',
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
    '  }',
    '  return repo;',
    '}',
    '',
    'if (require.main === module) {',
    '  const result = defineRepo(process.cwd()).synth();',
    '  console.log(`synth: ${result.files.length} files owned, ${result.written.length} written, ${result.removed.length} removed`);',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** test/main.test.ts: the fleet synthesizes and passes the repository check. */
export function sampleTest(clusters: string[]): string {
  return [
    'import * as fs from \'fs\';',
    'import * as os from \'os\';',
    'import * as path from \'path\';',
    'import { defineRepo } from \'../src/main\';',
    '',
    'test(\'every cluster synthesizes and passes the repository check\', () => {',
    '  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), \'fleet-\'));',
    '  const result = defineRepo(outdir).synth();',
    ...clusters.map((c) => `  expect(result.files).toContain('clusters/${c}/helm/releases/podinfo.yaml');`),
    '  const report = defineRepo(outdir).check();',
    '  expect(report.findings.filter((f) => f.severity === \'error\')).toEqual([]);',
    '});',
    '',
  ].join('\n');
}

export interface SampleReadmeOptions {
  readonly name: string;
  readonly clusters: string[];
  readonly fluxNamespace: string;
  readonly certificates: Record<string, string>;
  readonly owner?: string;
  readonly repository: string;
  readonly branch: string;
}

/** README.md: the workflow, from bootstrap to sealed secrets. */
export function sampleReadme(o: SampleReadmeOptions): string {
  const c = o.clusters[0];
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
npx projen drift       # what CI runs after the build: fails and names the files that differ
git add -A && git commit
\`\`\`

## From an empty cluster to sealed secrets

1. **Bootstrap Flux** on the cluster your kube context points at (needs the \`flux\` CLI and a
   \`GITHUB_TOKEN\`): \`npx projen flux:bootstrap:${c}\` runs
   \`flux bootstrap github --owner=${o.owner ?? '<githubOwner>'} --repository=${o.repository} --branch=${o.branch} --path=clusters/${c} --personal\`.
   It commits \`clusters/${c}/flux-system/\`; pull it. Set \`githubOwner\` (or \`gitUrl\` with
   \`bootstrapProvider: FluxBootstrapProvider.GIT\`) in \`.projenrc.ts\` first.
2. **Check it**: \`npx projen flux:check\`, \`npx projen flux:status\`, \`npx projen flux:logs\`.
3. **Add charts** in \`src/main.ts\` (\`HelmRepository\`, \`HelmRelease\`), then build, commit and push.
4. **Sealed secrets**: add a \`HelmRelease\` of the \`sealed-secrets\` chart (release name
   \`sealed-secrets-controller\`, target namespace \`${o.fluxNamespace}\`), push, and once it runs fetch the
   certificate: \`npx projen seal:fetch-cert:${c}\` runs
   \`kubeseal --controller-namespace=${o.fluxNamespace} --fetch-cert > ${o.certificates[c]}\`. Commit the \`.pem\`.
5. **Seal values**: \`new SealedSecret(cluster, 'creds', { data: { token: SecretValue.fromEnv('TOKEN') } })\`
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
| \`drift\` | fails when \`git status\` shows changes in the generated files |
| \`flux:bootstrap:<cluster>\` | \`flux bootstrap github …\` (or \`flux bootstrap git …\`) |
| \`flux:check\`, \`flux:status\`, \`flux:logs\` | \`flux check\`, \`flux get all -A\`, \`flux logs -A\` |
| \`seal:fetch-cert:<cluster>\` | \`kubeseal --controller-namespace=${o.fluxNamespace} --fetch-cert > pub-sealed-secrets-<cluster>.pem\` |
`;
}
