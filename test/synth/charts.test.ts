import { spawnSync } from 'child_process';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-25';
import { Construct } from 'constructs';
import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, Kustomization, SecretValue, SealedSecret, SealingCertificate } from '../../src';
import { mkdtemp, readTree, synthError } from '../util';

const HAS_KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/** A cdk8s-plus Deployment with a Service, named explicitly. */
class WebApp extends Chart {
  constructor(scope: Construct, id: string, replicas: number = 1) {
    super(scope, id, { namespace: 'web' });
    const d = new kplus.Deployment(this, 'deployment', {
      metadata: { name: 'web' },
      replicas,
      containers: [{ image: 'ghcr.io/stefanprodan/podinfo:6.5.0', portNumber: 9898, securityContext: { ensureNonRoot: false } }],
    });
    d.exposeViaService({ name: 'web' });
  }
}

function fresh(define: (cluster: FluxCluster, apps: Kustomization) => void, outdir: string = mkdtemp()) {
  const repo = new GitOpsRepo({ outdir, printWarnings: false });
  const cluster = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(path.join(__dirname, '..', 'fixtures', 'sealing', 'rsa4096.crt')) });
  const apps = new Kustomization(cluster, 'apps');
  define(cluster, apps);
  return { repo, outdir };
}

describe('cdk8s Charts in a cluster or a layer', () => {
  test('a cdk8s-plus Deployment+Service chart in a layer lands in its folder, listed, owned, and builds with kubectl kustomize', () => {
    const { repo, outdir } = fresh((_c, apps) => new WebApp(apps, 'web'));
    const result = repo.synth();
    expect(result.files).toContain('apps/dev/web.k8s.yaml');
    const files = readTree(outdir);
    expect(files['apps/dev/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- web.k8s.yaml\n');
    expect(JSON.parse(files['.cdk8s-flux-gitops.json']).files).toHaveProperty(['apps/dev/web.k8s.yaml']);
    const text = files['apps/dev/web.k8s.yaml'];
    expect(text.startsWith('---\n')).toBe(true);
    expect(text).toContain('---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: web\n');
    expect(text).toContain('---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: web\n');
    if (HAS_KUBECTL) {
      const r = spawnSync('kubectl', ['kustomize', path.join(outdir, 'apps/dev')], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.match(/^kind: \w+$/gm)?.sort()).toEqual(['kind: Deployment', 'kind: Service']);
    }
  });

  test('renaming a chart leaves no orphan; dropping it removes its file', () => {
    const outdir = mkdtemp();
    fresh((_c, apps) => new WebApp(apps, 'web'), outdir).repo.synth();
    const renamed = fresh((_c, apps) => new WebApp(apps, 'frontend'), outdir).repo.synth();
    expect(renamed.removed).toEqual(['apps/dev/web.k8s.yaml']);
    expect(Object.keys(readTree(outdir)).filter((f) => f.startsWith('apps/'))).toEqual(['apps/dev/frontend.k8s.yaml', 'apps/dev/kustomization.yaml']);
    const dropped = fresh(() => undefined, outdir).repo.synth();
    expect(dropped.removed).toEqual(['apps/dev/frontend.k8s.yaml']);
    expect(readTree(outdir)['apps/dev/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
  });

  test('a chart directly in a cluster is written to the cluster path and listed there; a nested chart gets a file of its own', () => {
    const { repo, outdir } = fresh((cluster) => {
      const outer = new Chart(cluster, 'platform');
      new ApiObject(outer, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'platform' } });
      const inner = new Chart(outer, 'Config');
      new kplus.ConfigMap(inner, 'settings', { metadata: { name: 'settings', namespace: 'platform' }, data: { enabled: 'on', version: '1.10' } });
    });
    repo.synth();
    const files = readTree(outdir);
    expect(files['clusters/dev/kustomization.yaml']).toContain('- platform-config.k8s.yaml\n- platform.k8s.yaml\n');
    expect(files['clusters/dev/platform.k8s.yaml']).toEqual('---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: platform\n');
    // YAML 1.1 safe: 'on' and '1.10' stay strings for every reader
    expect(files['clusters/dev/platform-config.k8s.yaml']).toContain('data:\n  enabled: "on"\n  version: "1.10"\n');
  });

  test('a Flux object inside a chart is written to its own file, not the chart\'s; Testing.synth of the chart shows it', () => {
    const { repo, outdir } = fresh((_c, apps) => {
      const chart = new Chart(apps, 'podinfo');
      const r = new HelmRepository(chart, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      new HelmRelease(chart, 'podinfo-release', { name: 'podinfo', repository: r, chart: 'podinfo' });
      new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'podinfo-settings' }, data: { a: 'b' } });
    });
    repo.synth();
    const files = readTree(outdir);
    expect(Object.keys(files).filter((f) => f.startsWith('apps/'))).toEqual([
      'apps/dev/helm/releases/podinfo.yaml',
      'apps/dev/helm/repositories/podinfo.yaml',
      'apps/dev/kustomization.yaml',
      'apps/dev/podinfo.k8s.yaml',
    ]);
    expect(files['apps/dev/podinfo.k8s.yaml']).not.toContain('HelmRelease');
    const chart = repo.node.findAll().find((c) => c.node.path === 'dev/apps/podinfo') as Chart;
    expect(Testing.synth(chart).map((o: any) => o.kind)).toEqual(['HelmRepository', 'HelmRelease', 'ConfigMap']);
  });

  describe('is checked like every other file', () => {
    test('a plain Secret, an object twice in the cluster, a Flux kind against its schema', () => {
      const { repo } = fresh((cluster, apps) => {
        const chart = new Chart(apps, 'bad');
        new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { password: 'hunter2-hunter2' } });
        new kplus.ConfigMap(chart, 'a', { metadata: { name: 'settings', namespace: 'web' } });
        const other = new Chart(cluster, 'other');
        new kplus.ConfigMap(other, 'b', { metadata: { name: 'settings', namespace: 'web' } });
        new ApiObject(other, 'hr', { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x', namespace: 'flux-system' }, spec: { interval: 5 } });
      });
      expect(synthError(repo)).toEqual([
        'synth found 3 problems and wrote nothing:',
        '  - dev/apps/bad: Secret/creds: must not be a plain Secret: Flux would apply it from Git in plain text; use a SealedSecret construct (or SecretValue with SealedSecret) instead (got "creds")',
        '  - dev/other: name: must be unique in its cluster: /ConfigMap/web/settings is also defined by dev/apps/bad (apps/dev/bad.k8s.yaml); Flux fails with \'may not add resource with an already registered id\' (got "settings")',
        '  - dev/other: HelmRelease/x: spec.interval: must match the official HelmRelease schema (helm.toolkit.fluxcd.io/v2): must be string',
      ].join('\n'));
    });

    test('the leak guard: a secret\'s plain text in a chart is refused', () => {
      const { repo } = fresh((cluster, apps) => {
        new SealedSecret(cluster, 'db', { data: { password: SecretValue.unsafePlainText('s3cr3t-db-password') } });
        const chart = new Chart(apps, 'web');
        new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'web' }, data: { DATABASE_URL: 'postgres://app:s3cr3t-db-password@db/app' } });
      });
      expect(synthError(repo)).toContain('apps/dev/web.k8s.yaml');
    });
  });

  describe('a construct synth cannot place is an error naming its path', () => {
    test('an ApiObject outside a chart, a chart outside a cluster, a construct that holds nothing', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const cluster = new FluxCluster(repo, 'dev');
      new ApiObject(cluster, 'loose', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loose' } });
      new Chart(repo, 'stray');
      new Construct(cluster, 'empty');
      expect(synthError(repo)).toEqual([
        'synth found 3 problems and wrote nothing:',
        '  - dev/loose: (scope): must be inside a cdk8s Chart: a ConfigMap outside a chart has no file to go to; create a Chart in the cluster or Kustomization (new Chart(cluster, \'apps\')) and define it there (got "ApiObject")',
        '  - dev/empty: (scope): must be something synth can write: a construct of this library, a cdk8s Chart, or a construct that holds those; this one holds nothing, so it would be dropped (got "Construct")',
        '  - stray: (scope): must be inside a FluxCluster or a Kustomization: synth writes a chart into the folder of the cluster or layer it belongs to; create it with the cluster (or a Kustomization) as its scope (got "Chart")',
      ].join('\n'));
    });

    test('a construct that only groups constructs of this library is fine', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const cluster = new FluxCluster(repo, 'dev');
      const group = new Construct(cluster, 'sources');
      new HelmRepository(group, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      expect(repo.synth().files).toContain('clusters/dev/helm/repositories/podinfo.yaml');
    });
  });
});
