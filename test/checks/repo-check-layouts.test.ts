import { Finding, FluxCluster, GitOpsRepo, HelmRepository, RepositoryCheck } from '../../src';
import { readAsKubernetes, readAsKustomize } from '../../src/checks/repo-check/yaml11';
import { crdViolations } from '../../src/checks/schema';
import { main } from '../../src/cli';
import { mkdtemp, quietly, writeTree } from '../util';

/*
 * Layouts of real public Flux repos, and the defects planted in them: the check must read them as
 * kustomize-controller does (sources, ArtifactGenerators, ignore files, namespaces, substitution).
 */

const tree = (files: Record<string, string>): string => writeTree(files, 'repo-layout-');

function rules(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''}${f.object ? ` ${f.object}` : ''}`);
}

const check = (files: Record<string, string>) => RepositoryCheck.run(tree(files));

const K = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const PLACEHOLDER = '# This file will be generated automatically by flux boostrap.\n';
const FLUX_SYSTEM = (cluster: string) => ({
  [`clusters/${cluster}/flux-system/gotk-components.yaml`]: PLACEHOLDER,
  [`clusters/${cluster}/flux-system/gotk-sync.yaml`]: PLACEHOLDER,
  [`clusters/${cluster}/flux-system/kustomization.yaml`]: `${K}resources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\n`,
});

const fluxKs = (name: string, spec: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1h
  prune: true
${spec}`;

/** fluxcd/flux2-kustomize-helm-example as of 2026 (Flux 2.7+): ArtifactGenerator + ExternalArtifact. */
function artifactExample(): Record<string, string> {
  const files: Record<string, string> = {
    '.sourceignore': '# Exclude all\n/*\n\n# Include manifest directories\n!/apps/\n!/clusters/\n!/infrastructure/\n',
    '.gitignore': 'bin/\n',
    '.fluxschema.yml': 'apiVersion: schema.plugin.fluxcd.io/v1beta1\nkind: Config\nvalidate:\n  skipMissingSchemas: true\n',
    'scripts/validate.sh': '#!/bin/sh\n',
    'apps/base/podinfo/kustomization.yaml': `${K}namespace: podinfo\nresources:\n  - namespace.yaml\n  - repository.yaml\n  - release.yaml\n`,
    'apps/base/podinfo/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n',
    'apps/base/podinfo/repository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  interval: 5m\n  url: https://stefanprodan.github.io/podinfo\n',
    'apps/base/podinfo/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  interval: 50m\n  releaseName: podinfo\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n  install:\n    strategy:\n      name: RetryOnFailure\n  values:\n    redis:\n      enabled: true\n      tag: 8.6.2\n',
    'infrastructure/controllers/kustomization.yaml': `${K}resources:\n  - cert-manager.yaml\n`,
    'infrastructure/controllers/cert-manager.yaml': '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cert-manager\n  namespace: cert-manager\nspec:\n  interval: 24h\n  url: oci://quay.io/jetstack/charts/cert-manager\n  layerSelector:\n    mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip"\n    operation: copy\n  ref:\n    semver: "1.x"\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cert-manager\n  namespace: cert-manager\nspec:\n  interval: 12h\n  chartRef:\n    kind: OCIRepository\n    name: cert-manager\n  values:\n    crds:\n      enabled: true\n',
    'infrastructure/configs/kustomization.yaml': `${K}resources:\n  - cluster-issuers.yaml\n`,
    'infrastructure/configs/cluster-issuers.yaml': 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\nspec:\n  acme:\n    server: https://acme-v02.api.letsencrypt.org/directory\n',
  };
  for (const cluster of ['staging', 'production']) {
    Object.assign(files, FLUX_SYSTEM(cluster));
    files[`apps/${cluster}/kustomization.yaml`] = `${K}resources:\n  - ../base/podinfo\npatches:\n  - path: podinfo-values.yaml\n    target:\n      kind: HelmRelease\n`;
    files[`apps/${cluster}/podinfo-values.yaml`] = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  chart:\n    spec:\n      version: ">=1.0.0-alpha"\n';
    files[`clusters/${cluster}/artifacts.yaml`] = `---
apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: flux-system
  namespace: flux-system
spec:
  sources:
    - alias: monorepo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: infrastructure
      originRevision: "@monorepo"
      copy:
        - from: "@monorepo/infrastructure/**"
          to: "@artifact/"
    - name: apps
      originRevision: "@monorepo"
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/base/"
        - from: "@monorepo/apps/${cluster}/**"
          to: "@artifact/${cluster}/"
`;
    files[`clusters/${cluster}/infrastructure.yaml`] = fluxKs('infra-controllers', '  sourceRef:\n    kind: ExternalArtifact\n    name: infrastructure\n  path: ./controllers\n  wait: true\n')
      + fluxKs('infra-configs', '  dependsOn:\n    - name: infra-controllers\n  sourceRef:\n    kind: ExternalArtifact\n    name: infrastructure\n  path: ./configs\n');
    files[`clusters/${cluster}/apps.yaml`] = fluxKs('apps', `  dependsOn:\n    - name: infra-configs\n  sourceRef:\n    kind: ExternalArtifact\n    name: apps\n  path: ./${cluster}\n`);
  }
  return files;
}

describe('real layouts', () => {
  test('fluxcd/flux2-kustomize-helm-example with ArtifactGenerators passes, and its artifact paths map back to the repo', () => {
    const report = check(artifactExample());
    expect(rules(report.findings)).toEqual([]);
    // 2 clusters × (ArtifactGenerator + 3 Kustomizations) + podinfo (3, once) + cert-manager (3) + the ClusterIssuer
    expect(report.objects).toBe(2 * 4 + 3 + 3 + 1);
    const out: string[] = [];
    expect(main(['check', tree(artifactExample()), '--no-color'], (s) => out.push(s))).toBe(0);
  });

  test('defects inside an ExternalArtifact are reported at their repo file, a wrong artifact path at the Kustomization', () => {
    const files = artifactExample();
    files['apps/base/podinfo/release.yaml'] = files['apps/base/podinfo/release.yaml'].replace('  releaseName: podinfo\n', '  releaseName: podinfo\n  dependsOn:\n    - name: redis\n');
    files['clusters/production/apps.yaml'] = files['clusters/production/apps.yaml'].replace('path: ./production', 'path: ./prod');
    files['infrastructure/controllers/values.yaml'] = 'not: listed\n';
    expect(rules(check(files).findings)).toEqual([
      'error dangling-reference apps/base/podinfo/release.yaml:10 HelmRelease/podinfo/podinfo',
      'error missing-path clusters/production/apps.yaml:15 Kustomization/flux-system/apps',
    ]);
  });

  test('Kustomizations of other sources (a tenant GitRepository, an OCIRepository) are not read from this repo', () => {
    // fluxcd/flux2-multi-tenancy: the tenant Kustomization has no path (the root of the tenant repo).
    const files: Record<string, string> = {
      ...FLUX_SYSTEM('staging'),
      ...FLUX_SYSTEM('production'),
      'clusters/staging/tenants.yaml': fluxKs('tenants', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./tenants/staging\n'),
      'clusters/production/tenants.yaml': fluxKs('tenants', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./tenants/staging\n'),
      'tenants/staging/kustomization.yaml': `${K}namespace: apps\nresources:\n  - sync.yaml\n`,
      'tenants/staging/sync.yaml': '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: dev-team\n  namespace: apps\nspec:\n  interval: 1m\n  url: https://github.com/fluxcd/flux2-multi-tenancy\n  ref:\n    branch: dev-team\n'
        + '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: dev-team\n  namespace: apps\nspec:\n  interval: 5m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: dev-team\n'
        + '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: policies\n  namespace: apps\nspec:\n  interval: 5m\n  prune: true\n  path: ./does/not/exist/here\n  sourceRef:\n    kind: OCIRepository\n    name: policies\n',
    };
    expect(rules(check(files).findings)).toEqual([]);
  });

  test('Flux\'s default excludes (.sops.yaml) and .sourceignore as git reads it (last match wins, folders first)', () => {
    const files: Record<string, string> = {
      ...FLUX_SYSTEM('dev'),
      '.sourceignore': '/*\n!/clusters/\n',
      'clusters/dev/.sops.yaml': 'creation_rules:\n  - path_regex: .*.yaml\n    encrypted_regex: ^(data|stringData)$\n',
      'clusters/dev/apps/.sourceignore': 'scratch/\n',
      'clusters/dev/apps/scratch/notes.yaml': 'todo: write this\n',
      'clusters/dev/apps/values.yaml': 'replicas: 2\n',
    };
    expect(rules(check(files).findings)).toEqual(['error not-kubernetes clusters/dev/apps/values.yaml:1']);
  });

  test('kustomize renames Namespace objects to the kustomization namespace (no duplicate), and a base built twice is one', () => {
    // onedr0p/home-ops: every app folder has `name: _` and `namespace: <app>` in its kustomization.yaml.
    const files: Record<string, string> = { ...FLUX_SYSTEM('dev') };
    for (const app of ['a', 'b']) {
      files[`clusters/dev/apps/${app}/kustomization.yaml`] = `${K}namespace: ${app}\nresources:\n  - namespace.yaml\n`;
      files[`clusters/dev/apps/${app}/namespace.yaml`] = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: _\n';
    }
    files['clusters/dev/apps/kustomization.yaml'] = `${K}resources:\n  - a\n  - b\n`;
    expect(rules(check(files).findings)).toEqual([]);
    files['clusters/dev/apps/kustomization.yaml'] = `${K}resources:\n  - a\n  - b\n  - ./a\n`;
    expect(rules(check(files).findings)).toEqual(['error duplicate-object clusters/dev/apps/a/namespace.yaml:1 Namespace/a']);
  });

  test('postBuild substitution: ${vars} from substituteFrom are not schema errors, known ones are checked with their value', () => {
    const files: Record<string, string> = {
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/apps.yaml': fluxKs('apps', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps\n  postBuild:\n    substitute:\n      chart_version: "1.10"\n      retries: "3"\n      every: 10 minutes\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-settings\n'),
      'apps/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\nspec:\n  interval: ${repo_interval:=1h}\n  url: ${charts_url}\n',
      'clusters/dev/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\n',
      'apps/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: apps\nspec:\n  interval: ${every}\n  chart:\n    spec:\n      chart: app\n      version: "${chart_version}"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  install:\n    remediation:\n      retries: ${retries}\n',
    };
    const f = check(files).findings;
    expect(rules(f)).toEqual(['error crd-schema apps/release.yaml:7 HelmRelease/apps/app']);
    expect(f[0].message).toEqual('spec.interval: must match the pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$ (got "10 minutes")');
  });

  test('a cluster root synced with postBuild is read with its variables, not also without them', () => {
    const sync = '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./clusters/dev\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-settings\n';
    expect(rules(check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/flux-system/gotk-sync.yaml': sync,
      'clusters/dev/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: ${CHARTS_URL}\n',
    }).findings)).toEqual([]);
  });

  test('references to what other objects make: HelmCharts of HelmReleases, Secrets of ExternalSecrets, the bootstrap GitRepository', () => {
    const release = (name: string, spec: string) => `---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: apps\nspec:\n  interval: 1h\n${spec}`;
    expect(rules(check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/apps.yaml': release('local', '  chart:\n    spec:\n      chart: ./charts/local\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n')
        + release('again', '  chartRef:\n    kind: HelmChart\n    name: apps-local\n    namespace: flux-system\n  valuesFrom:\n    - kind: Secret\n      name: db\n      valuesKey: password\n')
        + '---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: db-external\n  namespace: apps\nspec:\n  target:\n    name: db\n',
    }).findings)).toEqual([]);
  });
});

describe('where clusters start', () => {
  /** controlplaneio-fluxcd/d2-infra: components with base, staging and production overlays, no clusters/ and no Flux Kustomization. */
  function overlays(): Record<string, string> {
    const files: Record<string, string> = {
      'README.md': '# infra\n',
      'components/cert-manager/base/kustomization.yaml': `${K}resources:\n  - cert-manager.yaml\n`,
      'components/cert-manager/base/cert-manager.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cert-manager-chart\nspec:\n  interval: 1h\n  url: oci://quay.io/jetstack/charts/cert-manager\n'
        + '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cert-manager\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: cert-manager-chart\n',
      'update-policies/cert-manager.yaml': 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: cert-manager\nspec:\n  image: quay.io/jetstack/charts/cert-manager\n  interval: 12h\n',
    };
    for (const env of ['staging', 'production']) {
      files[`components/cert-manager/${env}/kustomization.yaml`] = `${K}resources:\n  - ../base\npatches:\n  - path: values.yaml\n    target:\n      kind: HelmRelease\n`;
      files[`components/cert-manager/${env}/values.yaml`] = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cert-manager\nspec:\n  values:\n    env: ${env}\n`;
    }
    return files;
  }

  test('without clusters/ or Flux Kustomizations, each top-level overlay is a kustomize build of its own (no duplicates between staging and production)', () => {
    const report = check(overlays());
    expect(rules(report.findings)).toEqual([]);
    // the OCIRepository and HelmRelease (patched differently in each overlay); update-policies has
    // no kustomization file, and nothing here says Flux applies it
    expect(report.objects).toBe(2);
  });

  test('but a duplicate inside one overlay is still found; folders without kustomization files and Helm charts are not manifests', () => {
    const files = overlays();
    files['components/cert-manager/staging/kustomization.yaml'] = `${K}resources:\n  - ../base\n  - copy.yaml\n`;
    files['components/cert-manager/staging/copy.yaml'] = files['components/cert-manager/base/cert-manager.yaml'].split('---\n')[1];
    files['update-policies/notes.yaml'] = 'todo: policies\n';
    files['Taskfile.yaml'] = 'version: "3"\ntasks: {}\n';
    files['ansible/playbook.yaml'] = '- hosts: all\n  tasks: []\n';
    files['charts/extras/Chart.yaml'] = 'apiVersion: v2\nname: extras\nversion: 0.1.0\n';
    files['charts/extras/values.yaml'] = 'replicas: 1\n';
    files['charts/extras/templates/deployment.yaml'] = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n';
    files['charts/extras/templates/kustomization.yaml'] = `${K}resources:\n  - deployment.yaml\n`;
    const f = check(files).findings;
    expect(rules(f)).toEqual([
      'error duplicate-object components/cert-manager/staging/copy.yaml:1 HelmRelease/cert-manager',
    ]);
    expect(f[0].message).toEqual('HelmRelease/cert-manager is also defined in components/cert-manager/base/cert-manager.yaml:9; the kustomize build of \'components/cert-manager/staging\' fails with \'may not add resource with an already registered id\'');
  });

  const hrepo = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://stefanprodan.github.io/podinfo\n';
  const hrelease = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n';

  test('a shared clusters/base that bootstrapped clusters include is part of each, not a cluster of its own', () => {
    const files: Record<string, string> = {
      'clusters/base/kustomization.yaml': `${K}resources:\n  - podinfo.yaml\n`,
      'clusters/base/podinfo.yaml': hrelease,
    };
    for (const c of ['staging', 'production']) {
      Object.assign(files, FLUX_SYSTEM(c));
      files[`clusters/${c}/kustomization.yaml`] = `${K}resources:\n  - flux-system\n  - ../base\n  - sources.yaml\n`;
      files[`clusters/${c}/sources.yaml`] = hrepo;
    }
    expect(rules(check(files).findings)).toEqual([]);
    // Without any bootstrap, the same.
    for (const c of ['staging', 'production']) for (const f of Object.keys(FLUX_SYSTEM(c))) delete files[f];
    for (const c of ['staging', 'production']) files[`clusters/${c}/kustomization.yaml`] = `${K}resources:\n  - ../base\n  - sources.yaml\n`;
    expect(rules(check(files).findings)).toEqual([]);
  });

  test('a cluster folder of folders only is one cluster (the Flux Operator syncs it), unless its folders are clusters of their own', () => {
    expect(rules(check({ 'clusters/prod/apps/podinfo.yaml': hrelease, 'clusters/prod/sources/podinfo.yaml': hrepo }).findings)).toEqual([]);
    // Each folder defines the same objects: one cluster could not apply both, so they are two.
    expect(rules(check({
      'clusters/eu/west-1/apps/podinfo.yaml': hrelease,
      'clusters/eu/west-1/apps/source.yaml': hrepo,
      'clusters/eu/west-2/apps/podinfo.yaml': hrelease,
    }).findings)).toEqual(['error dangling-reference clusters/eu/west-2/apps/podinfo.yaml:11 HelmRelease/flux-system/podinfo']);
  });

  test('the library\'s own clusters at clusters/eu/west-1 and clusters/eu/west-2, with and without a sync, pass repo.check()', () => {
    for (const sync of [{ url: 'ssh://git@github.com/acme/fleet', branch: 'main' }, undefined]) {
      const repo = new GitOpsRepo({ outdir: mkdtemp('repo-layout-') });
      for (const region of ['west-1', 'west-2']) {
        const cluster = new FluxCluster(repo, region, { path: `clusters/eu/${region}`, sync });
        new HelmRepository(cluster, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      }
      quietly(() => repo.synth());
      expect(rules(repo.check().findings).filter((r) => r.startsWith('error'))).toEqual([]);
    }
  });
});

describe('kustomize replacements', () => {
  const base = {
    ...FLUX_SYSTEM('dev'),
    'clusters/dev/app.yaml': fluxKs('app', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./app\n'),
    'app/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  annotations:\n    config.kubernetes.io/local-config: "true"\ndata:\n  ns: team-a\n  version: "1.10"\n',
    'app/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: default\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: app\n      version: "1.0"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n',
    'app/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: team-a\nspec:\n  interval: 1h\n  url: https://charts.example.com\n',
  };
  const kustomization = (targets: string) => `${K}resources:\n- settings.yaml\n- release.yaml\n- repo.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    name: settings\n    fieldPath: data.ns\n  targets:\n${targets}`;

  test('a replacement moves an object to another namespace, and what it refers to is resolved there; the local-config source is not applied', () => {
    const f = check({ ...base, 'app/kustomization.yaml': kustomization('  - select:\n      kind: HelmRelease\n    fieldPaths:\n    - metadata.namespace\n') }).findings;
    expect(rules(f)).toEqual([]);
    // Without the replacement, the release is in default and its HelmRepository (in team-a) is not.
    expect(rules(check({ ...base, 'app/kustomization.yaml': `${K}resources:\n- settings.yaml\n- release.yaml\n- repo.yaml\n` }).findings))
      .toEqual(['error dangling-reference app/release.yaml:12 HelmRelease/default/app']);
  });

  test('a target field that is not there fails kustomize unless options.create is set', () => {
    const f = check({ ...base, 'app/kustomization.yaml': kustomization('  - select:\n      kind: HelmRelease\n    fieldPaths:\n    - spec.targetNamespace\n') }).findings;
    expect(rules(f)).toEqual(['error kustomization-invalid app/kustomization.yaml:16 HelmRelease/default/app', 'error dangling-reference app/release.yaml:12 HelmRelease/default/app']);
    expect(f[0].message).toContain('unable to find field "spec.targetNamespace" in replacement target');
  });
});

describe('kustomize patches', () => {
  const base = (): Record<string, string> => {
    const files = artifactExample();
    // The older layout of the example: GitRepository paths, no ArtifactGenerator.
    for (const cluster of ['staging', 'production']) {
      delete files[`clusters/${cluster}/artifacts.yaml`];
      files[`clusters/${cluster}/apps.yaml`] = fluxKs('apps', `  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps/${cluster}\n`);
      files[`clusters/${cluster}/infrastructure.yaml`] = fluxKs('infra-controllers', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./infrastructure/controllers\n');
    }
    return files;
  };

  test('a value an overlay patch sets is checked, and reported in the patch file', () => {
    const files = base();
    expect(rules(check(files).findings)).toEqual([]);
    files['apps/staging/podinfo-values.yaml'] = files['apps/staging/podinfo-values.yaml'].replace('version: ">=1.0.0-alpha"', 'version: 6.10');
    files['apps/production/kustomization.yaml'] += '  - patch: |\n      - op: replace\n        path: /spec/interval\n        value: 5 minutes\n    target:\n      kind: HelmRelease\n      name: podinfo\n';
    const f = check(files).findings;
    expect(rules(f)).toEqual([
      'error crd-schema apps/production/kustomization.yaml:12 HelmRelease/podinfo/podinfo',
      'error chart-version-string apps/staging/podinfo-values.yaml:9 HelmRelease/podinfo/podinfo',
    ]);
    expect(f[1].message).toContain('the object is in apps/base/podinfo/release.yaml:1');
  });

  test('a JSON 6902 patch whose path\'s parent the object does not have fails the build at the patch; nothing is created', () => {
    const files = base();
    files['apps/base/podinfo/release.yaml'] = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  interval: 50m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n';
    files['apps/base/podinfo/repository.yaml'] = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  interval: 5m\n  url: oci://ghcr.io/stefanprodan/charts/podinfo\n';
    files['apps/staging/podinfo-values.yaml'] = '- op: add\n  path: /spec/chart/spec/version\n  value: ">=6.0.0"\n';
    // A replace of a key that is not there sets it (json-patch v4); a remove of one fails.
    files['apps/production/podinfo-values.yaml'] = '- op: replace\n  path: /spec/timeout\n  value: 5m\n- op: remove\n  path: /spec/chartRef/namespace\n';
    const f = check(files).findings;
    expect(rules(f)).toEqual([
      'error patch-path apps/production/podinfo-values.yaml:4 HelmRelease/podinfo/podinfo',
      'error patch-path apps/staging/podinfo-values.yaml:1 HelmRelease/podinfo/podinfo',
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'the patch \'podinfo-values.yaml\' does \'remove\' at /spec/chartRef/namespace, but HelmRelease/podinfo (apps/base/podinfo/release.yaml:1) has no /spec/chartRef/namespace: kustomize fails with \'error in remove for path: \'/spec/chartRef/namespace\': Unable to remove nonexistent key: namespace: missing value\'',
      'the patch \'podinfo-values.yaml\' does \'add\' at /spec/chart/spec/version, but HelmRelease/podinfo (apps/base/podinfo/release.yaml:1) has no /spec/chart: kustomize fails with \'add operation does not apply: doc is missing path: "/spec/chart/spec/version": missing value\'',
    ]);
    expect(f[1].fix).toEqual('add /spec/chart first (op: add, path: /spec/chart, value: {}), or set the field with a strategic-merge patch, which creates what is missing');
    // What comes after a failed operation is not applied.
    files['apps/production/podinfo-values.yaml'] = '- op: replace\n  path: /spec/chartRef/namespace/x\n  value: a\n- op: remove\n  path: /spec/chartRef/namespace\n';
    expect(rules(check(files).findings)).toEqual([
      'error patch-path apps/production/podinfo-values.yaml:1 HelmRelease/podinfo/podinfo',
      'error patch-path apps/staging/podinfo-values.yaml:1 HelmRelease/podinfo/podinfo',
    ]);
  });

  test('JSON 6902 copy, move and test apply as in kustomize: a replace of what a copy made works, a failed test or a missing from fails', () => {
    const files = base();
    const ops = (text: string) => { files['apps/production/podinfo-values.yaml'] = text; return check(files).findings; };
    expect(rules(ops('- op: test\n  path: /spec/interval\n  value: 50m\n- op: copy\n  from: /spec/values/redis\n  path: /spec/values/cache\n'
      + '- op: replace\n  path: /spec/values/cache/tag\n  value: "8.6.3"\n- op: move\n  from: /spec/values/redis\n  path: /spec/values/store\n- op: remove\n  path: /spec/values/store/enabled\n'))).toEqual([]);
    const f = ops('- op: test\n  path: /spec/interval\n  value: 5m\n');
    expect(f.map((x) => x.message)).toEqual(['the patch \'podinfo-values.yaml\' does \'test\' at /spec/interval, but HelmRelease/podinfo (apps/base/podinfo/release.yaml:1) has "50m" there, not "5m": kustomize fails with \'testing value /spec/interval failed: test failed\'']);
    expect(ops('- op: move\n  from: /spec/values/gone\n  path: /spec/values/x\n').map((x) => x.message)).toEqual([
      'the patch \'podinfo-values.yaml\' does \'move\' from /spec/values/gone, but HelmRelease/podinfo (apps/base/podinfo/release.yaml:1) has no /spec/values/gone: kustomize fails with \'error in move for path: \'gone\': Unable to remove nonexistent key: gone: missing value\'',
    ]);
    expect(ops('- op: copy\n  from: /spec/nothere/a\n  path: /spec/values/x\n').map((x) => `${x.rule}:${x.line}`)).toEqual(['patch-path:1']);
  });

  test('a chart version a JSON 6902 patch sets as a number is shown as written, at the value\'s line', () => {
    const files = base();
    files['apps/staging/podinfo-values.yaml'] = '- op: replace\n  path: /spec/releaseName\n  value: podinfo\n- op: add\n  path: /spec/chart/spec/version\n  value:\n    1.10\n';
    const f = check(files).findings;
    expect(rules(f)).toEqual(['error chart-version-string apps/staging/podinfo-values.yaml:7 HelmRelease/podinfo/podinfo']);
    expect(f[0].message).toEqual('spec.chart.spec.version 1.10 is a YAML number (1.1), not a string: the CRD refuses it (\'must be of type string\') (a kustomize patch here sets it; the object is in apps/base/podinfo/release.yaml:1)');
    expect(f[0].fix).toEqual('quote it: version: "1.10"');
  });

  test('a field the CRD does not declare that an overlay patch adds is reported in the patch', () => {
    const files = base();
    files['apps/staging/podinfo-values.yaml'] = files['apps/staging/podinfo-values.yaml'].replace('      version: ">=1.0.0-alpha"\n', '      version: ">=1.0.0-alpha"\n      valuesFile: values-staging.yaml\n');
    const f = check(files).findings;
    expect(rules(f)).toEqual(['error unknown-field apps/staging/podinfo-values.yaml:10 HelmRelease/podinfo/podinfo']);
    expect(f[0].message).toContain('(a kustomize patch here sets it; the object is in apps/base/podinfo/release.yaml:1)');
  });

  test('a patch file that is missing, and a strategic-merge patch for an object the kustomization does not have', () => {
    const files = base();
    files['apps/staging/kustomization.yaml'] = files['apps/staging/kustomization.yaml'].replace('path: podinfo-values.yaml', 'path: podinfo-vals.yaml');
    files['apps/production/kustomization.yaml'] = `${K}resources:\n  - ../base/podinfo\npatchesStrategicMerge:\n  - podinfo-values.yaml\n`;
    files['apps/production/podinfo-values.yaml'] = files['apps/production/podinfo-values.yaml'].replace('name: podinfo\n', 'name: podinfo-typo\n');
    expect(rules(check(files).findings)).toEqual([
      'error patch-target apps/production/podinfo-values.yaml:1',
      'error missing-resource apps/staging/kustomization.yaml:6',
      'warning unlisted-manifest apps/staging/podinfo-values.yaml',
    ]);
  });

  test('a parent Kustomization\'s spec.patches fill in its children (and a flux-system OCIRepository is a folder of the repo)', () => {
    // xunholy/k8s-gitops: the Flux Operator syncs an OCI artifact of kubernetes/; child Kustomizations get interval and prune from the parent.
    const child = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  path: ./apps/app/app\n  sourceRef:\n    kind: OCIRepository\n    name: flux-system\n';
    const files: Record<string, string> = {
      'kubernetes/clusters/dev/ks.yaml': fluxKs('cluster', '  sourceRef:\n    kind: OCIRepository\n    name: flux-system\n  path: ./apps\n  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          interval: 30m\n          prune: true\n      target:\n        kind: Kustomization\n'),
      'kubernetes/apps/kustomization.yaml': `${K}resources:\n  - app/ks.yaml\n`,
      'kubernetes/apps/app/ks.yaml': child,
      'kubernetes/apps/app/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n  a: b\n',
      'kubernetes/apps/app/app/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n  namespace: x\nstringData:\n  a: b\n',
    };
    expect(rules(check(files).findings)).toEqual(['error plain-secret kubernetes/apps/app/app/secret.yaml:1 Secret/x/a']);
  });
});

describe('kustomize names: namePrefix, nameSuffix, hash suffixes, configurations', () => {
  const base = FLUX_SYSTEM('dev');
  const GIT = '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n';
  const cm = (name: string, ns = 'apps') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  values.yaml: "a: b"\n`;
  const repo = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\nspec:\n  interval: 1h\n  url: https://stefanprodan.github.io/podinfo\n';
  const release = (source: string, values?: string, name = 'podinfo') => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: podinfo\n      version: "6.x"\n      sourceRef:\n        kind: HelmRepository\n        name: ${source}\n${values ? `  valuesFrom:\n    - kind: ConfigMap\n      name: ${values}\n` : ''}`;

  test('one base under two prefixes is two objects, and CRDs and Namespaces keep their names', () => {
    const report = check({
      ...base,
      'base/kustomization.yaml': `${K}resources: [cm.yaml, crd.yaml]\n`,
      'base/cm.yaml': cm('settings'),
      'base/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
      'clusters/dev/kustomization.yaml': `${K}resources: [team-a, team-b]\n`,
      'clusters/dev/team-a/kustomization.yaml': `${K}namePrefix: a-\nresources: [../../../base]\n`,
      'clusters/dev/team-b/kustomization.yaml': `${K}nameSuffix: -b\nresources: [../../../base]\n`,
    });
    // kustomize keeps the CRD's and the Namespace's names: both teams apply the same ones, and kustomize fails.
    expect(rules(report.findings)).toEqual([
      'error duplicate-object base/crd.yaml:1 CustomResourceDefinition/widgets.example.com',
      'error duplicate-object base/crd.yaml:6 Namespace/apps',
    ]);
  });

  test('a reference to the prefixed name resolves; one to the old name is broken, as kustomize does not rewrite HelmRelease fields', () => {
    const files = (source: string) => ({
      ...base,
      'clusters/dev/podinfo/kustomization.yaml': `${K}namePrefix: staging-\nnamespace: podinfo\nresources: [repo.yaml, release.yaml]\n`,
      'clusters/dev/podinfo/repo.yaml': repo,
      'clusters/dev/podinfo/release.yaml': release(source),
    });
    expect(rules(check(files('staging-podinfo')).findings)).toEqual([]);
    const f = check(files('podinfo')).findings;
    expect(rules(f)).toEqual(['error dangling-reference clusters/dev/podinfo/release.yaml:11 HelmRelease/podinfo/staging-podinfo']);
    expect([f[0].message, f[0].fix]).toEqual([
      'spec.chart.spec.sourceRef points to HelmRepository \'podinfo\' in namespace \'podinfo\', but kustomize renames it to \'staging-podinfo\' (namePrefix \'staging-\' in clusters/dev/podinfo/kustomization.yaml) and rewrites names only in the fields it knows, which HelmRelease fields are not: Flux finds no HelmRepository \'podinfo\'',
      'refer to it as \'staging-podinfo\', or declare the field in a configurations: file (nameReference: [{kind: HelmRepository, fieldSpecs: [{kind: HelmRelease, path: spec/chart/spec/sourceRef/name}]}]) so that kustomize rewrites it',
    ]);
  });

  test('a Flux Kustomization\'s spec.namePrefix replaces the one of the kustomization at its path', () => {
    const f = check({
      ...base,
      'clusters/dev/apps.yaml': fluxKs('apps', `${GIT}  path: ./apps\n  namePrefix: dev-\n`),
      'apps/kustomization.yaml': `${K}namePrefix: base-\nnamespace: podinfo\nresources: [repo.yaml, release.yaml]\n`,
      'apps/repo.yaml': repo,
      'apps/release.yaml': release('base-podinfo'),
    }).findings;
    expect(rules(f)).toEqual(['error dangling-reference apps/release.yaml:11 HelmRelease/podinfo/dev-podinfo']);
    expect(f[0].message).toContain('HelmRepository \'base-podinfo\' in namespace \'podinfo\', which is not in the repo');
  });

  test('a configMapGenerator\'s hash suffix breaks valuesFrom, unless the hash is off or a configurations: nameReference rewrites it', () => {
    const files = (more: string, extra: Record<string, string> = {}) => ({
      ...base,
      'clusters/dev/podinfo/kustomization.yaml': `${K}namespace: podinfo\nresources: [repo.yaml, release.yaml]\nconfigMapGenerator:\n  - name: podinfo-values\n    files:\n      - values.yaml=values.yaml\n${more}`,
      'clusters/dev/podinfo/values.yaml': 'replicaCount: 2\n',
      'clusters/dev/podinfo/repo.yaml': repo,
      'clusters/dev/podinfo/release.yaml': release('podinfo', 'podinfo-values'),
      ...extra,
    });
    const f = check(files('')).findings;
    expect(rules(f)).toEqual(['error dangling-reference clusters/dev/podinfo/release.yaml:15 HelmRelease/podinfo/podinfo']);
    expect([f[0].message, f[0].fix]).toEqual([
      'spec.valuesFrom[0] reads ConfigMap \'podinfo-values\' in namespace \'podinfo\', but the configMapGenerator in clusters/dev/podinfo/kustomization.yaml names it \'podinfo-values-<hash>\' (a hash of its content) and kustomize rewrites names only in the fields it knows, which HelmRelease fields are not: Flux finds no ConfigMap \'podinfo-values\'',
      'set generatorOptions.disableNameSuffixHash: true in clusters/dev/podinfo/kustomization.yaml (or options.disableNameSuffixHash: true on the generator), or declare the field in a configurations: file (nameReference: [{kind: ConfigMap, fieldSpecs: [{kind: HelmRelease, path: spec/valuesFrom/name}]}]) so that kustomize rewrites it',
    ]);
    expect(rules(check(files('generatorOptions:\n  disableNameSuffixHash: true\n')).findings)).toEqual([]);
    expect(rules(check(files('    options:\n      disableNameSuffixHash: true\n')).findings)).toEqual([]);
    // A prefix above and the configuration below: kustomize merges configurations upward and rewrites at the top.
    // (The HelmRepository the prefix renames has no nameReference: that reference breaks.)
    const g = check(files('configurations:\n  - kustomizeconfig.yaml\n', {
      'clusters/dev/podinfo/kustomizeconfig.yaml': 'nameReference:\n  - kind: ConfigMap\n    version: v1\n    fieldSpecs:\n      - path: spec/valuesFrom/name\n        kind: HelmRelease\n',
      'clusters/dev/kustomization.yaml': `${K}namePrefix: dev-\nresources: [podinfo, flux-system]\n`,
    })).findings;
    expect(g.map((x) => `${x.rule} ${x.object}: ${x.message.split(',')[0]}`)).toEqual([
      'dangling-reference HelmRelease/podinfo/dev-podinfo: spec.chart.spec.sourceRef points to HelmRepository \'podinfo\' in namespace \'podinfo\'',
    ]);
  });

  test('a Flux Kustomization\'s spec.components are built into its path: their generators resolve, their objects are checked', () => {
    const app = (name: string) => ({
      [`kubernetes/apps/${name}/ks.yaml`]: fluxKs(name, `${GIT}  path: ./kubernetes/apps/${name}/app\n  targetNamespace: default\n  components:\n    - ../../../components/common\n  postBuild:\n    substitute:\n      APP: ${name}\n`),
      [`kubernetes/apps/${name}/app/kustomization.yaml`]: `${K}resources: [release.yaml]\n`,
      [`kubernetes/apps/${name}/app/release.yaml`]: release('podinfo', `${name}-values`, name),
    });
    const f = check({
      ...FLUX_SYSTEM('main'),
      'clusters/main/apps.yaml': fluxKs('apps', `${GIT}  path: ./kubernetes/apps\n`),
      'kubernetes/apps/kustomization.yaml': `${K}resources: [repo.yaml, echo/ks.yaml, atuin/ks.yaml]\n`,
      'kubernetes/apps/repo.yaml': repo.replace('podinfo\n', 'podinfo\n  namespace: default\n'),
      ...app('echo'),
      ...app('atuin'),
      'kubernetes/components/common/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [secret.yaml]\nconfigMapGenerator:\n  - name: ${APP}-values\n    literals:\n      - "values.yaml=a: b"\ngeneratorOptions:\n  disableNameSuffixHash: true\n',
      'kubernetes/components/common/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${APP}-plain\nstringData:\n  password: hunter2\n',
    }).findings;
    expect(rules(f)).toEqual([
      'error plain-secret kubernetes/components/common/secret.yaml:1 Secret/default/atuin-plain',
      'error plain-secret kubernetes/components/common/secret.yaml:1 Secret/default/echo-plain',
    ]);
  });

  test('a Component under resources, a Kustomization under components, a missing component and a resources field that is no list fail kustomize', () => {
    const f = check({
      ...base,
      'clusters/dev/apps.yaml': fluxKs('apps', `${GIT}  path: ./apps\n  components:\n    - ../gone\n`),
      'apps/kustomization.yaml': `${K}resources:\n  - comp\n  - other\ncomponents:\n  - base\n`,
      'apps/comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      'apps/base/kustomization.yaml': `${K}resources: [cm.yaml]\n`,
      'apps/base/cm.yaml': cm('a'),
      'apps/other/kustomization.yaml': `${K}resources: cm.yaml\n`,
      'apps/other/cm.yaml': cm('b'),
    }).findings;
    expect(rules(f)).toEqual([
      'error kustomization-invalid apps/kustomization.yaml:4',
      'error kustomization-invalid apps/kustomization.yaml:7',
      'error kustomization-invalid apps/other/kustomization.yaml:3',
      'error missing-resource clusters/dev/apps.yaml:15 Kustomization/flux-system/apps',
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'lists the Component \'comp\' under resources: kustomize fails with \'expected kind != \'Component\' for path …/apps/comp\'',
      'components lists \'base\', whose kustomization.yaml is a Kustomization, not a Component: kustomize fails with \'accumulating components: accumulateDirectory: "expected kind \'Component\' for path …/apps/base\'',
      'resources is a string, not a list: kustomize fails with \'invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.resources of type []string\'',
      'spec.components lists \'../gone\', which does not exist: kustomize fails with \'accumulating components: loader.New "must build at directory: not a valid directory\'',
    ]);
  });
});

describe('one object, two Kustomizations', () => {
  test('a targeted strategic-merge patch keeps the name of what it patches (name: _), so findings name the real Kustomization', () => {
    // onedr0p-style cluster-apps: children get defaults from a patch named _, and one of them also applies a ConfigMap its parent has.
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\n';
    const f = check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/apps.yaml': fluxKs('cluster-apps', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps\n  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          timeout: 5m\n      target:\n        kind: Kustomization\n'),
      'apps/kustomization.yaml': `${K}resources:\n  - settings.yaml\n  - app/ks.yaml\n`,
      'apps/settings.yaml': cm,
      'apps/app/ks.yaml': fluxKs('app', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps/app/manifests\n'),
      'apps/app/manifests/settings.yaml': cm,
    }).findings;
    expect(rules(f)).toEqual(['warning duplicate-apply apps/app/manifests/settings.yaml:1 ConfigMap/apps/settings']);
    expect(f[0].message).toContain('Kustomization/flux-system/app (apps/app/ks.yaml:2, path \'./apps/app/manifests\') and Kustomization/flux-system/cluster-apps (clusters/dev/apps.yaml:2, path \'./apps\')');
  });
});

describe('CRD rules the bundled schemas leave out', () => {
  const hr = (spec: object) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'a', namespace: 'b' }, spec: { chartRef: { kind: 'OCIRepository', name: 'a' }, ...spec } });

  test('duration patterns, newer enums and the CEL rules', () => {
    expect(crdViolations(hr({ interval: '30 minutes' })).map((v) => v.message)).toEqual(['spec.interval: must match the pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$ (got "30 minutes")']);
    expect(crdViolations(hr({ interval: '1h', upgrade: { strategy: { name: 'RemediateOnFailure', retryInterval: '1m' } } })).map((v) => v.message))
      .toEqual(['spec.upgrade.strategy: .retryInterval can only be set when .name is \'RetryOnFailure\'']);
    expect(crdViolations(hr({ interval: '1h', postRenderStrategy: 'all' })).map((v) => v.pointer)).toEqual(['/spec/postRenderStrategy']);
    expect(crdViolations({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'a' }, spec: { interval: '1h', timeout: '1h', url: 'https://a' } }).map((v) => v.message))
      .toEqual(['spec.timeout: must match the pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m))+$ (got "1h")']);
  });

  test('values the current CRDs accept and the bundled schemas do not', () => {
    expect(crdViolations({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider', metadata: { name: 'a' }, spec: { type: 'zoom' } })).toEqual([]);
    expect(crdViolations({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'a' }, spec: { interval: '1m', url: 'https://a', provider: 'aws' } })).toEqual([]);
    expect(crdViolations({ apiVersion: 'notification.toolkit.fluxcd.io/v1', kind: 'Receiver', metadata: { name: 'a' }, spec: { type: 'generic-oidc', resources: [{ kind: 'GitRepository', name: 'a' }], oidcProviders: [{ issuerURL: 'https://a' }] } })).toEqual([]);
  });

  test('a kind or version no Flux serves', () => {
    const f = check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/a.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelase\nmetadata:\n  name: a\n  namespace: x\nspec:\n  interval: 1h\n---\napiVersion: source.toolkit.fluxcd.io/v2\nkind: HelmRepository\nmetadata:\n  name: a\n  namespace: x\nspec:\n  interval: 1h\n  url: https://a\n',
    }).findings;
    expect(rules(f)).toEqual(['error crd-schema clusters/dev/a.yaml:1 HelmRelase/x/a', 'error crd-schema clusters/dev/a.yaml:9 HelmRepository/x/a']);
    expect(f.map((x) => x.fix)).toEqual(['did you mean kind: HelmRelease?', 'use apiVersion: source.toolkit.fluxcd.io/v1']);
  });
});

describe('more planted defects', () => {
  const base = FLUX_SYSTEM('dev');

  test('YAML errors say where to look and which object: a duplicate key, an unterminated quote', () => {
    const f = check({
      ...base,
      'clusters/dev/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n  k: "1"\n  k: "2"\n',
      'clusters/dev/b.yaml': '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: x\ndata:\n  k: "open\n  j: k\n',
    }).findings;
    expect(rules(f)).toEqual(['error yaml-syntax clusters/dev/a.yaml:8 ConfigMap/x/a', 'error yaml-syntax clusters/dev/b.yaml:13 ConfigMap/x/b']);
    expect(f[0].message).toContain('the key \'k\' appears twice in one mapping (first on line 7)');
  });

  test('an alias without its anchor, or an alias bomb, is a syntax error of its file and the rest is still checked', () => {
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdef'.split('').map((c, i) => `${c}: &${c} [${new Array(9).fill(`*${'abcde'[i]}`).join(',')}]`)].join('\n');
    const run = () => check({
      ...base,
      'clusters/dev/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\ndata:\n  a: *nope\n',
      'clusters/dev/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: default\ndata:\n  a: &spec x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  a: *spec\n',
      'clusters/dev/laughs.yaml': `${laughs}\n`,
      'clusters/dev/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  a: b\n',
    });
    expect(run).not.toThrow();
    const f = run().findings;
    expect(rules(f)).toEqual([
      'error yaml-syntax clusters/dev/a.yaml:7 ConfigMap/default/x',
      'error yaml-syntax clusters/dev/b.yaml:15 ConfigMap/default/c',
      'error yaml-syntax clusters/dev/laughs.yaml:2',
      'error plain-secret clusters/dev/secret.yaml:1 Secret/default/s',
    ]);
    expect(f.slice(0, 3).map((x) => [x.message, x.fix])).toEqual([
      ['the alias *nope has no anchor &nope before it: Flux fails with \'MalformedYAMLError: yaml: unknown anchor \'nope\' referenced\'',
        'set the anchor (&nope) on a value above line 7 in the same document, or write the value out'],
      ['the alias *spec has no anchor &spec before it (the &spec on line 7 is in another document of the file, and anchors do not reach across \'---\'): Flux fails with \'MalformedYAMLError: yaml: unknown anchor \'spec\' referenced\'',
        'set the anchor (&spec) on a value above line 15 in the same document, or write the value out'],
      ['its aliases expand to more than 10000 copies (excessive alias count indicates a resource exhaustion attack), so the check does not read it: kustomize expands every alias in full',
        'write the values out, or nest fewer aliases in one another'],
    ]);
  });

  test('YAML merge keys are merged as kustomize (go-yaml v3) merges them, and what they bring is checked', () => {
    const hr = (upgrade: string) => 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: redis\n  namespace: flux-system\n  labels: &labels\n    app: redis\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: redis\n'
      + `  install: &install\n    remediation:\n      retries: 3\n  upgrade:\n${upgrade}  values:\n    master: &res\n      resources: {limits: {memory: 1Gi}}\n    replica:\n      <<: *res\n      replicaCount: 2\n`;
    const oci = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: redis\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: oci://registry-1.docker.io/bitnamicharts/redis\n';
    expect(rules(check({ ...base, 'clusters/dev/oci.yaml': oci, 'clusters/dev/redis.yaml': hr('    <<: *install\n    cleanupOnFail: true\n') }).findings)).toEqual([]);
    const f = check({ ...base, 'clusters/dev/oci.yaml': oci, 'clusters/dev/redis.yaml': hr('    <<: *labels\n') }).findings;
    expect(f.map((x) => `${x.rule} ${x.message.split(':')[0]}`)).toEqual(['unknown-field spec.upgrade.app is not a field of HelmRelease (helm.toolkit.fluxcd.io/v2)']);
  });

  test('a reference resolves only within its own cluster', () => {
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: apps\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: app\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n';
    const repo = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\nspec:\n  interval: 1h\n  url: https://charts.example.com\n';
    expect(rules(check({
      ...FLUX_SYSTEM('staging'),
      ...FLUX_SYSTEM('production'),
      'clusters/staging/app.yaml': release,
      'clusters/production/app.yaml': release,
      'clusters/production/repo.yaml': repo,
    }).findings)).toEqual(['error dangling-reference clusters/staging/app.yaml:11 HelmRelease/apps/app']);
  });

  test('a kustomization resource folder without a kustomization.yaml', () => {
    expect(rules(check({
      ...base,
      'clusters/dev/apps/kustomization.yaml': `${K}resources:\n  - ../../../extra\n`,
      'extra/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n',
    }).findings)).toEqual(['error missing-resource clusters/dev/apps/kustomization.yaml:4']);
  });

  test('targetNamespace moves a HelmRelease away from its source; the default valuesKey missing from a ConfigMap', () => {
    const f = check({
      ...base,
      'clusters/dev/apps.yaml': fluxKs('apps', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps\n  targetNamespace: apps\n'),
      'clusters/dev/sources.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://charts.example.com\n',
      'apps/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: app\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  valuesFrom:\n    - kind: ConfigMap\n      name: app-values\n',
      'apps/values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-values\ndata:\n  values: "replicas: 2"\n',
    }).findings;
    expect(f.map((x) => `${x.rule} ${x.object}: ${x.message.split(':')[0]}`)).toEqual([
      'dangling-reference HelmRelease/apps/app: spec.chart.spec.sourceRef points to HelmRepository \'charts\' in namespace \'apps\', which is not in the repo',
      'values-key HelmRelease/apps/app: spec.valuesFrom[0].valuesKey \'values.yaml\' (the default) is not a key of ConfigMap \'app-values\' (\'values\', apps/values.yaml',
    ]);
  });

  test('a secretGenerator with literals or plain files is a plain Secret in Git; SOPS-encrypted files are not', () => {
    const f = check({
      ...base,
      'clusters/dev/apps/kustomization.yaml': `${K}namespace: apps\nsecretGenerator:\n  - name: db\n    literals:\n      - password=hunter2\n      - user=app\n  - name: api\n    envs:\n      - api.env\n  - name: sops\n    files:\n      - token=token.enc.json\n`,
      'clusters/dev/apps/api.env': 'TOKEN=abc\n',
      'clusters/dev/apps/token.enc.json': '{"data": "ENC[AES256_GCM,data:x,type:str]", "sops": {"version": "3.8.1"}}\n',
    }).findings;
    expect(rules(f)).toEqual([
      'error plain-secret clusters/dev/apps/kustomization.yaml:5 Secret/apps/db',
      'error plain-secret clusters/dev/apps/kustomization.yaml:9 Secret/apps/api',
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'secretGenerator \'db\' makes a plain v1 Secret from literals (password, user): its values are in Git in plain text',
      'secretGenerator \'api\' makes a plain v1 Secret from the env file clusters/dev/apps/api.env: its values are in Git in plain text',
    ]);
    expect(f[0].fix).toContain('SealedSecret');
  });

  test('Helm values files of a configMapGenerator are read: syntax errors, YAML 1.1 readings, files that are missing', () => {
    const f = check({
      ...base,
      'clusters/dev/apps/kustomization.yaml': `${K}namespace: apps\nconfigMapGenerator:\n  - name: app-values\n    files:\n      - values.yaml=app-values.yaml\n      - other-values.yaml\n      - gone.yaml\n      - notes.txt\n`,
      'clusters/dev/apps/app-values.yaml': 'replicaCount: 2\ningress:\n\tenabled: true\n',
      'clusters/dev/apps/other-values.yaml': 'ingress:\n  enabled: on\n',
      'clusters/dev/apps/notes.txt': 'hosts: [a\n',
    }).findings;
    expect(rules(f)).toEqual([
      'error yaml-syntax clusters/dev/apps/app-values.yaml:3',
      'error missing-resource clusters/dev/apps/kustomization.yaml:9',
      'warning yaml11-ambiguous clusters/dev/apps/other-values.yaml:2',
    ]);
    expect(f[0].message).toEqual('a tab is used for indentation (Tabs are not allowed as indentation); YAML indents with spaces only; the file is the key \'values.yaml\' of the ConfigMap \'app-values\' that configMapGenerator in clusters/dev/apps/kustomization.yaml makes, and helm-controller fails to read values that do not parse');
    expect(f[1].message).toEqual('configMapGenerator \'app-values\' reads the file \'gone.yaml\', which does not exist: kustomize fails with \'evalsymlink failure on \'gone.yaml\'\'');
  });

  test('the SealedSecret CRD shipped as plain YAML in the same Kustomization is applied first: no sealedsecret-with-crd-release', () => {
    const files = (crd: string) => ({
      ...base,
      'clusters/dev/ss.yaml': '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: sealed-secrets\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://bitnami-labs.github.io/sealed-secrets\n'
        + '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: sealed-secrets\n  namespace: flux-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: sealed-secrets\n      sourceRef:\n        kind: HelmRepository\n        name: sealed-secrets\n'
        + '---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\n  namespace: flux-system\nspec:\n  encryptedData:\n    a: AgB\n',
      'clusters/dev/crd.yaml': `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${crd}\nspec:\n  group: bitnami.com\n`,
    });
    expect(rules(check(files('sealedsecrets.bitnami.com')).findings)).toEqual([]);
    expect(rules(check(files('widgets.example.com')).findings)).toEqual(['error sealedsecret-with-crd-release clusters/dev/ss.yaml:25 SealedSecret/flux-system/s']);
  });

  test('labels, annotations and ConfigMap data that kustomize reads as numbers or booleans: the API server refuses the object', () => {
    const f = check({
      ...base,
      'clusters/dev/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  namespace: default\n  labels:\n    version: 1.10\n  annotations:\n    reloader.stakater.com/auto: true\n    quoted: "true"\n'
        + 'data:\n  enabled: on\n  perms: 0755\n  retries: 3\n  since: 2024-01-01\n  text: |\n    a: 1\nbinaryData:\n  b: !!binary aGVsbG8=\n',
    }).findings.filter((x) => x.rule === 'string-value');
    expect(f.map((x) => `${x.line} ${x.message.split(': the API')[0]}`)).toEqual([
      '7 metadata.labels.version is the number 1.1 (written 1.10), but metadata.labels values are strings',
      '9 metadata.annotations.reloader.stakater.com/auto is the boolean true, but metadata.annotations values are strings',
      '13 data.perms is the number 493 (written 0755), but ConfigMap.data values are strings',
      '14 data.retries is the number 3, but ConfigMap.data values are strings',
    ]);
    expect(f[1].message).toContain('(\'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string\')');
    expect(f[1].fix).toEqual('quote it: reloader.stakater.com/auto: "true"');
  });

  test('a Secret without data or stringData (a placeholder filled in the cluster) has no values in Git', () => {
    expect(rules(check({
      ...base,
      'clusters/dev/secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: placeholder\n  namespace: default\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflects: "default/source"\ntype: Opaque\n'
        + '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: empty\n  namespace: default\ndata: {}\n'
        + '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: real\n  namespace: default\ndata:\n  a: YWJj\n',
    }).findings)).toEqual(['error plain-secret clusters/dev/secrets.yaml:17 Secret/default/real']);
  });

  test('the sealed-secrets chart from an OCIRepository, and a plain Secret inside a List', () => {
    expect(rules(check({
      ...base,
      'clusters/dev/ss.yaml': '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: sealed-secrets\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: oci://ghcr.io/bitnami-labs/charts/sealed-secrets\n'
        + '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: sealed-secrets\n  namespace: flux-system\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: sealed-secrets\n'
        + '---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\n  namespace: flux-system\nspec:\n  encryptedData:\n    a: AgB\n',
      'clusters/dev/list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n    namespace: x\n  data:\n    a: YWJj\n',
    }).findings)).toEqual([
      'error plain-secret clusters/dev/list.yaml:1 Secret/x/s',
      'error sealedsecret-with-crd-release clusters/dev/ss.yaml:22 SealedSecret/flux-system/s',
    ]);
  });
});

describe('YAML as kustomize (go-yaml v3), helm and kubectl (go-yaml v2, YAML 1.1) read it', () => {
  test('reads scalars like resolve.go', () => {
    expect(['on', 'y', 'NO', '0775', '0x1F', '0o17', '0b101', '1_000', '1e3', '.5', '.', '1:20', '8080:80', '2024-01-01', '+.inf', '~', '-', '1.10', '08']
      .map((s) => readAsKubernetes(s))).toEqual([true, true, false, 509, 31, 15, 5, 1000, 1000, 0.5, '.', '1:20', '8080:80', '2024-01-01', Infinity, null, '-', 1.1, 8]);
    // kustomize: booleans are true and false only, timestamps come back as RFC 3339 strings (kubectl kustomize 5.5.0).
    expect(['on', 'yes', 'True', '0400', '0o400', '1_000', '2024-04-01', '2024-4-1', '2024-04-01 10:00:00', '2024-04-01T10:00:00.500+02:00', '2024-02-30', '2024-04-01T10:00:00', '10:30']
      .map((s) => readAsKustomize(s))).toEqual(['on', 'yes', true, 256, 256, 1000, '2024-04-01T00:00:00Z', '2024-04-01T00:00:00Z', '2024-04-01T10:00:00Z', '2024-04-01T10:00:00.5+02:00', '2024-02-30', '2024-04-01T10:00:00', '10:30']);
  });

  test('warns only where the readings differ, in the words of what each reader does; file modes are what they mean', () => {
    const f = check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/cm.yaml': 'apiVersion: example.com/v1\nkind: Settings\nmetadata:\n  name: a\n  namespace: x\nspec:\n  zone: .\n  ports: 8080:80\n  time: 1:20\n  mode: 0775\n  big: 1_000\n  flag: yes\n  on: "a key"\n',
    }).findings;
    expect(f.map((x) => `${x.line} ${x.message}`)).toEqual([
      '11 the plain scalar 1_000 is the number 1000 under Flux and for YAML 1.1 readers (_ separates digits) but "1_000" for YAML 1.2 readers',
      '12 the plain scalar yes is the string "yes" under Flux (kustomize reads YAML with go-yaml v3, where only true and false are booleans) but the boolean true for YAML 1.1 readers (helm or kubectl reading a file, PyYAML)',
    ]);
  });

  test('an unquoted date in HelmRelease values is a timestamp Flux rewrites; .inf fails the build; objects are named where they land', () => {
    const f = check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/apps.yaml': fluxKs('apps', '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps\n  targetNamespace: logs\n'),
      'apps/loki.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: loki\nspec:\n  interval: 10m\n  chartRef: {kind: OCIRepository, name: loki}\n'
        + '  values:\n    loki:\n      schemaConfig:\n        configs:\n          - from: 2024-04-01\n            store: tsdb\n    limit: .inf\n'
        + '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: loki\nspec:\n  interval: 10m\n  url: oci://ghcr.io/grafana/helm-charts/loki\n',
    }).findings;
    expect(f.map((x) => `${x.severity} ${x.rule} ${x.file}:${x.line} ${x.object}: ${x.message}`)).toEqual([
      'warning yaml11-ambiguous apps/loki.yaml:12 HelmRelease/logs/loki: the plain scalar 2024-04-01 is a timestamp to kustomize (go-yaml v3): Flux applies it as "2024-04-01T00:00:00Z", not "2024-04-01"',
      'error yaml-syntax apps/loki.yaml:14 HelmRelease/logs/loki: the plain scalar .inf is the float +Inf to kustomize, which cannot write it as JSON: Flux fails with \'json: unsupported value: +Inf\'',
    ]);
    expect(f[0].fix).toEqual('quote it ("2024-04-01") to keep it as written');
  });

  test('a Helm values file of a generator is read by helm-controller as YAML 1.1: booleans, keys and numbers, but not dates', () => {
    const f = check({
      ...FLUX_SYSTEM('dev'),
      'clusters/dev/apps/kustomization.yaml': `${K}namespace: apps\nconfigMapGenerator:\n  - name: app-values\n    files:\n      - values.yaml\n`,
      'clusters/dev/apps/values.yaml': 'enabled: on\non: push\nfrom: 2024-04-01\ndefaultMode: 0400\nport: 010\n',
    }).findings;
    expect(f.map((x) => `${x.line} ${x.message}`)).toEqual([
      '1 the plain scalar on is the boolean true for helm-controller, which reads values files as YAML 1.1 (go-yaml v2), but the string "on" for YAML 1.2 readers',
      '2 the key on is the boolean true for helm-controller, which reads values files as YAML 1.1 (go-yaml v2), so the key is "true", not "on"',
      '5 the plain scalar 010 is the number 8 for helm-controller, which reads values files as YAML 1.1 (a leading 0 is octal), but 10 for YAML 1.2 readers',
    ]);
  });
});

describe('the command line', () => {
  const run = (argv: string[], env: Record<string, string | undefined>, tty: boolean) => {
    const out: string[] = [];
    const saved = { ...process.env };
    const savedTty = process.stdout.isTTY;
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
    try {
      return { code: main(argv, (s) => out.push(s), (s) => out.push(s)), out: out.join('') };
    } finally {
      process.env = saved;
      Object.defineProperty(process.stdout, 'isTTY', { value: savedTty, configurable: true });
    }
  };
  const broken = () => tree({ ...FLUX_SYSTEM('dev'), 'clusters/dev/v.yaml': 'replicas: 2\n' });

  test('colour only on a terminal, never with NO_COLOR, and not in --json', () => {
    const dir = broken();
    expect(run(['check', dir], { NO_COLOR: undefined, FORCE_COLOR: undefined }, true).out).toContain('\u001b[');
    expect(run(['check', dir], { NO_COLOR: undefined, FORCE_COLOR: undefined }, false).out).not.toContain('\u001b[');
    expect(run(['check', dir], { NO_COLOR: '1', FORCE_COLOR: undefined }, true).out).not.toContain('\u001b[');
    expect(run(['check', dir], { NO_COLOR: '', FORCE_COLOR: undefined }, true).out).toContain('\u001b[');
    const json = run(['check', dir, '--json'], { NO_COLOR: undefined }, true);
    expect(json.code).toBe(1);
    expect(json.out).not.toContain('\u001b[');
    expect(Object.keys(JSON.parse(json.out))).toEqual(['dir', 'files', 'objects', 'errors', 'warnings', 'findings']);
    expect(run(['check', dir, '--no-color'], {}, false).out).toMatch(/\n✖ 4 files, 0 objects: 1 error, 0 warnings\n$/);
  });
});
