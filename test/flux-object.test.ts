import * as fs from 'fs';
import { ApiObject, JsonPatch } from 'cdk8s';
import { FluxCluster, FluxTesting, GitOpsRepo, HelmRelease, HelmRepository, Kustomization, OCIRepository } from '../src';
import { mkdtemp, schemaViolations, synthError, synthOne } from './util';

describe('every Flux object of the library', () => {
  test('takes labels and annotations (metadata), as flux create --label writes them', () => {
    const files = synthOne((dev) => new HelmRepository(dev, 'podinfo', {
      url: 'https://stefanprodan.github.io/podinfo',
      labels: { 'app.kubernetes.io/part-of': 'podinfo' },
      annotations: { 'example.com/owner': 'team-web' },
    }));
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual([
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: HelmRepository',
      'metadata:',
      '  annotations:',
      '    example.com/owner: team-web',
      '  labels:',
      '    app.kubernetes.io/part-of: podinfo',
      '  name: podinfo',
      '  namespace: flux-system',
      'spec:',
      '  interval: 1m0s',
      '  url: https://stefanprodan.github.io/podinfo',
      '',
    ].join('\n'));
  });

  test('a namespace other than the Flux namespace: references to it carry the namespace, as Flux reads them', () => {
    const files = synthOne((dev) => {
      const charts = new HelmRepository(dev, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      const oci = new OCIRepository(dev, 'podinfo-oci', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', namespace: 'sources' });
      new HelmRelease(dev, 'podinfo-release', { name: 'podinfo', namespace: 'web', repository: charts, chart: 'podinfo' });
      new HelmRelease(dev, 'podinfo-oci-release', { name: 'podinfo-oci', namespace: 'web', chartRef: oci });
      const infra = new Kustomization(dev, 'infra', { namespace: 'platform' });
      new Kustomization(dev, 'apps', { dependsOn: [infra] });
    });
    expect(files['clusters/dev/helm/releases/podinfo.yaml']).toContain('  name: podinfo\n  namespace: web\n');
    expect(files['clusters/dev/helm/releases/podinfo.yaml']).toContain('      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n        namespace: flux-system\n');
    expect(files['clusters/dev/helm/releases/podinfo-oci.yaml']).toContain('  chartRef:\n    kind: OCIRepository\n    name: podinfo-oci\n    namespace: sources\n');
    expect(files['clusters/dev/infra.yaml']).toContain('  sourceRef:\n    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n');
    expect(files['clusters/dev/apps.yaml']).toContain('  dependsOn:\n  - name: infra\n    namespace: platform\n');
    expect(schemaViolations(files)).toEqual([]);
  });

  describe('escape hatches in cdk8s\' terms, applied last, before the schema check', () => {
    test('addJsonPatch, ApiObject.of(x).addJsonPatch, addOverride, addDeletionOverride and metadata.addLabel', () => {
      const files = synthOne((dev) => {
        const charts = new HelmRepository(dev, 'podinfo-charts', { name: 'podinfo', url: 'https://stefanprodan.github.io/podinfo' });
        const release = new HelmRelease(dev, 'podinfo', { repository: charts, chart: 'podinfo', timeout: undefined });
        release.addJsonPatch(JsonPatch.add('/spec/test', { enable: true }));
        ApiObject.of(release).addJsonPatch(JsonPatch.add('/spec/upgrade', { cleanupOnFail: true }));
        release.addOverride('spec.install.timeout', '10m');
        release.addOverride('metadata.annotations.example\\.com/team', 'web');
        ApiObject.of(release).metadata.addLabel('tier', 'backend');
        charts.addDeletionOverride('spec.interval');
        expect(release.node.defaultChild).toBe(release.apiObject);
      });
      const text = files['clusters/dev/helm/releases/podinfo.yaml'];
      expect(text).toContain('metadata:\n  annotations:\n    example.com/team: web\n  labels:\n    tier: backend\n  name: podinfo\n');
      expect(text).toContain('  install:\n    timeout: 10m\n');
      expect(text).toContain('  test:\n    enable: true\n');
      expect(text).toContain('  upgrade:\n    cleanupOnFail: true\n');
      expect(files['clusters/dev/helm/repositories/podinfo.yaml']).not.toContain('interval');
      expect(schemaViolations(files)).toEqual([]);
    });

    test('a patch that breaks the schema, or does not apply, is refused at synth', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const dev = new FluxCluster(repo, 'dev');
      const charts = new HelmRepository(dev, 'charts', { url: 'https://stefanprodan.github.io/podinfo' });
      const release = new HelmRelease(dev, 'podinfo', { repository: charts, chart: 'podinfo' });
      release.addJsonPatch(JsonPatch.replace('/spec/interval', 5));
      charts.addJsonPatch(JsonPatch.replace('/spec/nothing/here', 1));
      const infra = new Kustomization(dev, 'infra');
      infra.addOverride('spec.path.x', 1);
      expect(synthError(repo)).toEqual([
        'synth found 3 problems and wrote nothing:',
        '  - dev/charts: addJsonPatch: must apply to the manifest: \'/spec/nothing/here\' does not exist (use JsonPatch.add to create a field) (got {"op":"replace","path":"/spec/nothing/here","value":1})',
        '  - dev/podinfo: spec.interval: must match the official HelmRelease schema (helm.toolkit.fluxcd.io/v2): must be string; check the addJsonPatch/addOverride calls (got 5)',
        '  - dev/infra: addOverride: cannot go into \'spec.path\': it is a string, not an object (got "spec.path.x")',
      ].join('\n'));
    });

    test('an unknown prop from a JavaScript caller is refused, naming it', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const dev = new FluxCluster(repo, 'dev');
      new HelmRepository(dev, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo', Interval: 1 } as any);
      expect(synthError(repo)).toEqual([
        'synth found 1 problem and wrote nothing:',
        '  - dev/podinfo: Interval: is not a prop of HelmRepository: did you mean \'interval\'? (got 1)',
      ].join('\n'));
    });

    test('bad labels and annotations are refused', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const dev = new FluxCluster(repo, 'dev');
      new HelmRepository(dev, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo', labels: { 'bad key!': 'x', 'ok': 'not ok!' }, annotations: { a: 1 as any } });
      const message = synthError(repo);
      expect(message).toContain('dev/podinfo: labels.bad key!:');
      expect(message).toContain('dev/podinfo: labels.ok:');
      expect(message).toContain('dev/podinfo: annotations.a: must be a string (Kubernetes annotations map strings to strings): quote it (got 1)');
    });
  });
});

describe('FluxTesting.synth', () => {
  test('synthesizes a cluster or a layer in memory: files and objects, warnings collected, nothing written or printed', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet' } });
    const apps = new Kustomization(dev, 'apps');
    new HelmRepository(apps, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
    const warn = jest.spyOn(console, 'warn');
    const layer = FluxTesting.synth(apps);
    const cluster = FluxTesting.synth(dev);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(Object.keys(layer.files)).toEqual(['apps/dev/helm/repositories/podinfo.yaml', 'apps/dev/kustomization.yaml', 'clusters/dev/apps.yaml']);
    expect(layer.manifests.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['HelmRepository/podinfo', 'Kustomization/apps']);
    expect(Object.keys(cluster.files)).toContain('clusters/dev/flux-system/gotk-sync.yaml');
    expect(cluster.warnings).toEqual([
      'clusters/dev/flux-system/gotk-components.yaml: not there yet; run \'flux bootstrap\' (or \'flux install --export > clusters/dev/flux-system/gotk-components.yaml\') before Flux can reconcile this cluster',
    ]);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('throws the problems synth would', () => {
    const repo = new GitOpsRepo({ outdir: mkdtemp() });
    const dev = new FluxCluster(repo, 'dev');
    new HelmRepository(dev, 'podinfo', { url: 'ftp://example.com' });
    expect(() => FluxTesting.synth(dev)).toThrow('dev/podinfo: url: url scheme \'ftp\' not supported, can be: http, https, oci (got "ftp://example.com")');
  });
});
