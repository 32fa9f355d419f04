import { cdk8s, javascript } from 'projen';

// Versions are pinned on purpose: the library's constructs must be the very copy projen itself
// uses (jsii-pacmak refuses "conflicting versions of constructs in type system" otherwise), and
// the schema bundle must come from a known release of the official Flux CRDs.
const CDK8S_VERSION = '2.70.106';
const CDK8S_PLUS_VERSION = '2.22.79';
const CONSTRUCTS_VERSION = '10.8.1';
const PROJEN_VERSION = '0.103.25';
const YAML_VERSION = '2.9.1';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-flux-gitops',
  description:
    'Typed constructs and a projen project type that synthesize a Flux CD GitOps repository: HelmRepositories, HelmReleases and SealedSecrets, checked before they reach a cluster.',
  author: 'cdk8s-flux-gitops contributors',
  authorAddress: 'maintainers@cdk8s-flux-gitops.dev',
  repositoryUrl: 'https://github.com/cdk8s-flux-gitops/cdk8s-flux-gitops.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'flux', 'fluxcd', 'gitops', 'helm', 'sealed-secrets', 'projen'],
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  // What users need (engines: >= 20.0.0). The build needs more: jsii wants Node >= 20.16, so the
  // build workflow runs the latest Node 20, the version of the machines that build and test this.
  minNodeVersion: '20.0.0',
  workflowNodeVersion: '20.x',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.3',

  cdk8sVersion: CDK8S_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  cdk8sVersionPinning: false,
  constructsVersionPinning: false,

  peerDeps: [
    `cdk8s@^${CDK8S_VERSION}`,
    `cdk8s-plus-25@^${CDK8S_PLUS_VERSION}`,
    `constructs@^${CONSTRUCTS_VERSION}`,
    `projen@^${PROJEN_VERSION}`,
  ],
  bundledDeps: [`yaml@${YAML_VERSION}`],
  devDeps: [
    `cdk8s@${CDK8S_VERSION}`,
    `cdk8s-plus-25@${CDK8S_PLUS_VERSION}`,
    `constructs@${CONSTRUCTS_VERSION}`,
    `projen@${PROJEN_VERSION}`,
    // The official Flux and sealed-secrets CRD schemas, as pre-compiled validators. They are
    // ESM-only, so scripts/bundle-schemas.mjs bundles them into CommonJS at build time.
    '@kubernetes-models/flux-cd@4.0.0',
    '@kubernetes-models/sealed-secrets@6.0.0',
    'esbuild@0.28.2',
    'ts-node@10.9.2',
  ],

  bin: { 'cdk8s-flux-gitops': 'lib/cli.js' },

  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 30_000,
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/dist/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/vendor/'],
    },
  },
  gitignore: ['/out/', '/out-fleet/', '/.bench/'],
  npmignoreEnabled: true,

  // The project lives in a sandbox without a release pipeline.
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  autoApproveUpgrades: false,
  docgen: true,
});

// The registry these machines reach lacks some platform bindings of unrs-resolver 1.13 (a jest and
// eslint dependency), which makes `npm ci` refuse the lockfile; 1.12.0 has every binding.
project.package.addField('overrides', { 'unrs-resolver': '1.12.0' });

// The schema validators are bundled from the pinned npm packages into lib/vendor/flux-schemas.cjs,
// which the package ships (lib/ is in it) and src/checks/schema.ts requires. Every path that builds
// or packs the package writes it first: compile (so `compile` + `package:js` gives a whole
// tarball, as `build` does), the tests, and package:js itself. The script does nothing when the
// bundle is newer than its inputs.
const bundleSchemas = project.addTask('bundle:schemas', {
  description: 'Bundle the official Flux and SealedSecret CRD validators into lib/vendor/ (CommonJS)',
  exec: 'node scripts/bundle-schemas.mjs',
});
project.compileTask.prependSpawn(bundleSchemas);
project.testTask.prependSpawn(bundleSchemas);
project.tasks.tryFind('package:js')?.prependSpawn(bundleSchemas);

for (const p of ['/examples/', '/scripts/', '/bench/', '/out/', '/out-fleet/', '/BENCHMARKS.md', '/docs/', '/.ci/']) {
  project.npmignore?.exclude(p);
}

project.addTask('example', {
  description: 'Synthesize the example GitOps repo (examples/dev-cluster.ts) into ./out and list what it wrote',
  exec: 'ts-node --project test/tsconfig.json examples/dev-cluster.ts out',
});

project.addTask('example:fleet', {
  description: 'Synthesize the layered two-cluster fleet (examples/fleet.ts, the layout of flux2-kustomize-helm-example) into ./out-fleet',
  exec: 'ts-node --project test/tsconfig.json examples/fleet.ts out-fleet',
});

project.addTask('bench', {
  description: 'Benchmark synth and check of a fleet against plain cdk8s and raw YAML writing',
  exec: 'ts-node --project test/tsconfig.json bench/fleet.ts',
});

project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');


project.synth();
