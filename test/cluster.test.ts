import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CrdsPolicy, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, OCIRepository, SealedSecret, SealingCertificate, SecretValue,
} from '../src';
import { golden, mkdtemp, quietly, readTree, schemaViolations } from './util';

const CERT = path.join(__dirname, 'fixtures', 'sealing', 'rsa4096.crt');
const HAS_KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const PLACEHOLDER_COMPONENTS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n';

/**
 * What kustomize-controller applies for a Kustomization path: `kubectl kustomize` of the folder,
 * with a kustomization.yaml generated as Flux does when there is none (fluxcd/pkg
 * kustomize_generator: sub-folders with a kustomization file as a whole, other .yaml/.yml files one
 * by one). Returns `Kind/namespace/name` of every object, sorted.
 */
function fluxBuild(dir: string): string[] {
  const copy = mkdtemp();
  fs.cpSync(dir, copy, { recursive: true });
  if (!['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((k) => fs.existsSync(path.join(copy, k)))) {
    const resources: string[] = [];
    const scan = (d: string, rel: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((k) => fs.existsSync(path.join(d, e.name, k)))) resources.push(r);
          else scan(path.join(d, e.name), r);
        } else if (/\.ya?ml$/.test(e.name)) {
          resources.push(r);
        }
      }
    };
    scan(copy, '');
    fs.writeFileSync(path.join(copy, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `- ${r}\n`).join('')}`);
  }
  const r = spawnSync('kubectl', ['kustomize', copy], { encoding: 'utf8' });
  expect(r.stderr).toEqual('');
  expect(r.status).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => {
    const o = d.toJS() as any;
    return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  }).sort();
}

describe('FluxCluster', () => {
  test('sync writes gotk-sync.yaml and kustomization.yaml exactly as flux bootstrap does, never gotk-components.yaml', () => {
    // GIVEN
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet' } });
    // WHEN
    const result = quietly(() => repo.synth());
    // THEN
    const files = readTree(outdir);
    expect(files['clusters/dev/flux-system/gotk-sync.yaml']).toEqual(golden('flux-bootstrap/gotk-sync.yaml'));
    expect(files['clusters/dev/flux-system/kustomization.yaml']).toEqual(golden('flux-bootstrap/kustomization.yaml'));
    expect(files['clusters/dev/flux-system/gotk-components.yaml']).toBeUndefined();
    expect(result.warnings).toEqual([
      'clusters/dev/flux-system/gotk-components.yaml: not there yet; run \'flux bootstrap\' (or \'flux install --export > clusters/dev/flux-system/gotk-components.yaml\') before Flux can reconcile this cluster',
    ]);
  });

  test('sync with a tag, a custom path, namespace, interval and secret', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'prod', {
      path: './fleet/production/',
      namespace: 'gitops',
      sync: { url: 'https://github.com/acme/fleet.git', tag: 'v1.2.0', interval: Duration.minutes(5), secretName: 'github-token' },
    });
    quietly(() => repo.synth());
    const sync = readTree(outdir)['fleet/production/gitops/gotk-sync.yaml'];
    expect(schemaViolations({ 'clusters/x.yaml': sync })).toEqual([]);
    expect(sync).toContain([
      'metadata:',
      '  name: gitops',
      '  namespace: gitops',
      'spec:',
      '  interval: 5m0s',
      '  ref:',
      '    tag: v1.2.0',
      '  secretRef:',
      '    name: github-token',
      '  url: https://github.com/acme/fleet.git',
    ].join('\n'));
    expect(sync).toContain('  path: ./fleet/production\n');
  });

  test('with another namespace, the sync files go to <path>/<namespace>/, as flux bootstrap --namespace writes them', () => {
    // flux bootstrap github --owner=acme --repository=fleet --namespace=gitops --path=fleet/production --interval=5m
    // writes fleet/production/gitops/{gotk-components,gotk-sync,kustomization}.yaml (pkg/manifestgen/sync:
    // path.Join(TargetPath, Namespace, ManifestFile)); the secret name stays flux-system.
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'prod', {
      path: 'fleet/production',
      namespace: 'gitops',
      sync: { url: 'ssh://git@github.com/acme/fleet', interval: Duration.minutes(5) },
    });
    const result = quietly(() => repo.synth());
    const files = readTree(outdir);
    expect(Object.keys(files).filter((f) => f.startsWith('fleet/'))).toEqual([
      'fleet/production/gitops/gotk-sync.yaml',
      'fleet/production/gitops/kustomization.yaml',
      'fleet/production/kustomization.yaml',
    ]);
    expect(files['fleet/production/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gitops\n');
    expect(files['fleet/production/gitops/gotk-sync.yaml']).toEqual(golden('flux-bootstrap/gotk-sync-namespace.yaml'));
    expect(files['fleet/production/gitops/kustomization.yaml']).toEqual(golden('flux-bootstrap/kustomization.yaml'));
    expect(result.warnings).toEqual([
      'fleet/production/gitops/gotk-components.yaml: not there yet; run \'flux bootstrap\' (or \'flux install --namespace=gitops --export > fleet/production/gitops/gotk-components.yaml\') before Flux can reconcile this cluster',
    ]);
  });

  test('without sync, a flux bootstrap flux-system folder is never touched', () => {
    const outdir = mkdtemp();
    const fluxSystem = path.join(outdir, 'clusters/dev/flux-system');
    fs.mkdirSync(fluxSystem, { recursive: true });
    fs.writeFileSync(path.join(fluxSystem, 'gotk-components.yaml'), '# components\n');
    fs.writeFileSync(path.join(fluxSystem, 'gotk-sync.yaml'), '# sync, by flux bootstrap\n');
    fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), '# kustomization, by flux bootstrap\n');
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev');
    new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
    repo.synth();
    const files = readTree(outdir);
    expect(files['clusters/dev/flux-system/gotk-components.yaml']).toEqual('# components\n');
    expect(files['clusters/dev/flux-system/gotk-sync.yaml']).toEqual('# sync, by flux bootstrap\n');
    expect(files['clusters/dev/flux-system/kustomization.yaml']).toEqual('# kustomization, by flux bootstrap\n');
  });

  test('with sync, an identical bootstrap gotk-sync.yaml stays bootstrap\'s (never deleted) and a customized kustomization.yaml is kept', () => {
    const outdir = mkdtemp();
    const fluxSystem = path.join(outdir, 'clusters/dev/flux-system');
    fs.mkdirSync(fluxSystem, { recursive: true });
    fs.writeFileSync(path.join(fluxSystem, 'gotk-components.yaml'), '# components\n');
    fs.writeFileSync(path.join(fluxSystem, 'gotk-sync.yaml'), golden('flux-bootstrap/gotk-sync.yaml'));
    const customized = golden('flux-bootstrap/kustomization.yaml') + 'patches:\n- path: patch.yaml\n';
    fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), customized);
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet' } });
    const result = quietly(() => repo.synth());
    expect(readTree(outdir)['clusters/dev/flux-system/kustomization.yaml']).toEqual(customized);
    expect(result.written).toEqual(['.cdk8s-flux-gitops.json', '.gitignore', 'clusters/dev/kustomization.yaml']);
    expect(result.files).not.toContain('clusters/dev/flux-system/gotk-sync.yaml');
    expect(result.warnings).toEqual([
      'clusters/dev/flux-system/kustomization.yaml: kept as it is (it was customized); make sure it lists gotk-components.yaml and gotk-sync.yaml',
    ]);
    // sync taken out of the code: bootstrap's files stay as they are
    const again = new GitOpsRepo({ outdir });
    new FluxCluster(again, 'dev');
    expect(quietly(() => again.synth()).removed).toEqual([]);
    expect(readTree(outdir)['clusters/dev/flux-system/gotk-sync.yaml']).toEqual(golden('flux-bootstrap/gotk-sync.yaml'));
    expect(readTree(outdir)['clusters/dev/flux-system/kustomization.yaml']).toEqual(customized);
  });

  test('several clusters in one repo each get their own tree', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    for (const id of ['dev', 'staging', 'prod']) {
      const cluster = new FluxCluster(repo, id);
      const podinfo = new HelmRepository(cluster, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      new HelmRelease(cluster, 'podinfo-release', { name: 'podinfo', repository: podinfo, chart: 'podinfo', version: id === 'prod' ? '6.5.0' : '6.6.0' });
    }
    repo.synth();
    expect(Object.keys(readTree(outdir)).filter((f) => f.startsWith('clusters/'))).toEqual([
      'clusters/dev/helm/releases/podinfo.yaml',
      'clusters/dev/helm/repositories/podinfo.yaml',
      'clusters/dev/kustomization.yaml',
      'clusters/prod/helm/releases/podinfo.yaml',
      'clusters/prod/helm/repositories/podinfo.yaml',
      'clusters/prod/kustomization.yaml',
      'clusters/staging/helm/releases/podinfo.yaml',
      'clusters/staging/helm/repositories/podinfo.yaml',
      'clusters/staging/kustomization.yaml',
    ]);
  });

  describe('kubectl kustomize builds every cluster path as kustomize-controller would', () => {
    function fleet(outdir: string, withSealedSecretsRelease: boolean): GitOpsRepo {
      const repo = new GitOpsRepo({ outdir });
      const dev = new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet' }, sealingCertificate: SealingCertificate.fromFile(CERT) });
      const prod = new FluxCluster(repo, 'prod', {
        path: 'fleet/production', namespace: 'gitops', sync: { url: 'ssh://git@github.com/acme/fleet' }, sealingCertificate: SealingCertificate.fromFile(CERT),
      });
      for (const cluster of [dev, prod]) {
        const charts = new HelmRepository(cluster, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets', interval: Duration.minutes(10) });
        if (withSealedSecretsRelease) {
          new HelmRelease(cluster, 'sealed-secrets-controller', {
            repository: charts,
            chart: 'sealed-secrets',
            version: '2.4.0',
            crds: CrdsPolicy.CREATE_REPLACE,
            releaseName: 'sealed-secrets-controller',
            targetNamespace: cluster.namespace,
          });
        }
        const creds = new SealedSecret(cluster, 'app-credentials', { data: { token: SecretValue.unsafePlainText('a-token-of-the-app') } });
        new HelmRelease(cluster, 'app', { repository: charts, chart: 'app', valuesFrom: [creds.valuesReference({ valuesKey: 'token', targetPath: 'auth.token' })] });
      }
      const staging = new FluxCluster(repo, 'staging');
      const podinfo = new HelmRepository(staging, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      new HelmRelease(staging, 'podinfo-release', { name: 'podinfo', repository: podinfo, chart: 'podinfo' });
      return repo;
    }

    function prepare(outdir: string): void {
      // flux bootstrap's components (a placeholder) and a hand-written manifest in two of the clusters.
      for (const dir of ['clusters/dev/flux-system', 'fleet/production/gitops', 'clusters/staging/flux-system', 'clusters/staging/apps']) {
        fs.mkdirSync(path.join(outdir, dir), { recursive: true });
      }
      for (const dir of ['clusters/dev/flux-system', 'fleet/production/gitops', 'clusters/staging/flux-system']) {
        fs.writeFileSync(path.join(outdir, dir, 'gotk-components.yaml'), PLACEHOLDER_COMPONENTS);
      }
      fs.writeFileSync(path.join(outdir, 'clusters/staging/flux-system/kustomization.yaml'), golden('flux-bootstrap/kustomization.yaml') + 'patches:\n- patch: |\n    - op: add\n      path: /metadata/labels\n      value:\n        team: platform\n  target:\n    kind: Namespace\n');
      fs.writeFileSync(path.join(outdir, 'clusters/staging/flux-system/gotk-sync.yaml'), golden('flux-bootstrap/gotk-sync.yaml').replace('./clusters/dev', './clusters/staging'));
      fs.writeFileSync(path.join(outdir, 'clusters/staging/apps/namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n');
    }

    test('without a sealed-secrets release: each cluster kustomization.yaml lists what Flux would find walking the folder', () => {
      if (!HAS_KUBECTL) return; // optional: runs where kubectl is installed
      const outdir = mkdtemp();
      prepare(outdir);
      quietly(() => fleet(outdir, false).synth());
      // What plain kustomize builds from ours is what kustomize-controller builds from its own generated one.
      for (const cluster of ['clusters/dev', 'fleet/production', 'clusters/staging']) {
        const walked = mkdtemp();
        fs.cpSync(path.join(outdir, cluster), walked, { recursive: true });
        fs.rmSync(path.join(walked, 'kustomization.yaml'));
        expect(fluxBuild(path.join(outdir, cluster))).toEqual(fluxBuild(walked));
      }
      expect(readTree(outdir)['clusters/staging/kustomization.yaml']).toEqual([
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '- apps/namespace.yaml',
        '- flux-system',
        '- helm/releases/podinfo.yaml',
        '- helm/repositories/podinfo.yaml',
        '',
      ].join('\n'));
      expect(fluxBuild(path.join(outdir, 'clusters/dev'))).toEqual([
        'GitRepository/flux-system/flux-system',
        'HelmRelease/flux-system/app',
        'HelmRepository/flux-system/sealed-secrets',
        'Kustomization/flux-system/flux-system',
        'Namespace//flux-system',
        'SealedSecret/flux-system/app-credentials',
      ]);
      expect(fluxBuild(path.join(outdir, 'fleet/production'))).toEqual([
        'GitRepository/gitops/gitops',
        'HelmRelease/gitops/app',
        'HelmRepository/gitops/sealed-secrets',
        'Kustomization/gitops/gitops',
        'Namespace//flux-system',
        'SealedSecret/gitops/app-credentials',
      ]);
      expect(fluxBuild(path.join(outdir, 'clusters/staging'))).toEqual([
        'GitRepository/flux-system/flux-system',
        'HelmRelease/flux-system/podinfo',
        'HelmRepository/flux-system/podinfo',
        'Kustomization/flux-system/flux-system',
        'Namespace//apps',
        'Namespace//flux-system',
      ]);
    });

    test('with a sealed-secrets release: the cluster kustomization.yaml leaves helm/secrets to a Kustomization of its own', () => {
      if (!HAS_KUBECTL) return; // optional: runs where kubectl is installed
      const outdir = mkdtemp();
      prepare(outdir);
      quietly(() => fleet(outdir, true).synth());
      expect(fluxBuild(path.join(outdir, 'clusters/dev'))).toEqual([
        'GitRepository/flux-system/flux-system',
        'HelmRelease/flux-system/app',
        'HelmRelease/flux-system/sealed-secrets-controller',
        'HelmRepository/flux-system/sealed-secrets',
        'Kustomization/flux-system/flux-system',
        'Kustomization/flux-system/helm-secrets',
        'Namespace//flux-system',
      ]);
      expect(fluxBuild(path.join(outdir, 'clusters/dev/helm/secrets'))).toEqual(['SealedSecret/flux-system/app-credentials']);
      expect(fluxBuild(path.join(outdir, 'fleet/production'))).toEqual([
        'GitRepository/gitops/gitops',
        'HelmRelease/gitops/app',
        'HelmRelease/gitops/sealed-secrets-controller',
        'HelmRepository/gitops/sealed-secrets',
        'Kustomization/gitops/gitops',
        'Kustomization/gitops/helm-secrets',
        'Namespace//flux-system',
      ]);
      expect(fluxBuild(path.join(outdir, 'fleet/production/helm/secrets'))).toEqual(['SealedSecret/gitops/app-credentials']);
      expect(readTree(outdir)['fleet/production/kustomization.yaml']).toEqual([
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '- gitops',
        '- helm/releases/app.yaml',
        '- helm/releases/sealed-secrets-controller.yaml',
        '- helm/repositories/sealed-secrets.yaml',
        '- helm/secrets-kustomization.yaml',
        '',
      ].join('\n'));
      // The bootstrap files and the hand-written ones are as they were; a second synth writes nothing.
      const files = readTree(outdir);
      expect(files['clusters/staging/flux-system/kustomization.yaml']).toContain('patches:');
      expect(files['clusters/staging/apps/namespace.yaml']).toEqual('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n');
      const again = quietly(() => fleet(outdir, true).synth());
      expect(again.written).toEqual([]);
      expect(readTree(outdir)).toEqual(files);
      // Without the release again, the secrets Kustomization goes and helm/secrets/ is listed again.
      const back = quietly(() => fleet(outdir, false).synth());
      expect(back.removed).toEqual([
        'clusters/dev/helm/releases/sealed-secrets-controller.yaml',
        'clusters/dev/helm/secrets-kustomization.yaml',
        'clusters/dev/helm/secrets/kustomization.yaml',
        'fleet/production/helm/releases/sealed-secrets-controller.yaml',
        'fleet/production/helm/secrets-kustomization.yaml',
        'fleet/production/helm/secrets/kustomization.yaml',
      ]);
      expect(fluxBuild(path.join(outdir, 'clusters/dev'))).toContain('SealedSecret/flux-system/app-credentials');
    });
  });

  describe('the secrets Kustomization', () => {
    function define(outdir: string, chart: 'repository' | 'oci'): GitOpsRepo {
      const repo = new GitOpsRepo({ outdir });
      const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
      if (chart === 'repository') {
        const charts = new HelmRepository(dev, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets' });
        new HelmRelease(dev, 'sealed-secrets-controller', { repository: charts, chart: 'sealed-secrets' });
      } else {
        const oci = new OCIRepository(dev, 'sealed-secrets', { url: 'oci://registry-1.docker.io/bitnamicharts/sealed-secrets', tag: '2.5.0' });
        new HelmRelease(dev, 'sealed-secrets-controller', { chartRef: oci });
      }
      new SealedSecret(dev, 'creds', { data: { token: SecretValue.unsafePlainText('a-token-of-the-app') } });
      return repo;
    }

    test('is made too when the sealed-secrets chart comes from an OCIRepository (chartRef)', () => {
      const outdir = mkdtemp();
      quietly(() => define(outdir, 'oci').synth());
      expect(Object.keys(readTree(outdir))).toContain('clusters/dev/helm/secrets-kustomization.yaml');
    });

    test('warns while there is no flux-system/ folder to list (before flux bootstrap), and lists it once there is', () => {
      const outdir = mkdtemp();
      const first = quietly(() => define(outdir, 'repository').synth());
      expect(first.warnings).toContain(
        'clusters/dev/kustomization.yaml: lists no \'flux-system/\' folder, as there is none with a kustomization.yaml yet; synth again after \'flux bootstrap\' so that Flux keeps managing itself from Git');
      fs.mkdirSync(path.join(outdir, 'clusters/dev/flux-system'));
      fs.writeFileSync(path.join(outdir, 'clusters/dev/flux-system/gotk-components.yaml'), PLACEHOLDER_COMPONENTS);
      fs.writeFileSync(path.join(outdir, 'clusters/dev/flux-system/gotk-sync.yaml'), golden('flux-bootstrap/gotk-sync.yaml'));
      fs.writeFileSync(path.join(outdir, 'clusters/dev/flux-system/kustomization.yaml'), golden('flux-bootstrap/kustomization.yaml'));
      const second = quietly(() => define(outdir, 'repository').synth());
      expect(second.warnings).toEqual([]);
      expect(second.written).toEqual(['.cdk8s-flux-gitops.json', 'clusters/dev/kustomization.yaml']);
      expect(readTree(outdir)['clusters/dev/kustomization.yaml']).toContain('resources:\n- flux-system\n');
    });

    test('refuses a hand-written kustomization.yml or Kustomization beside the kustomization.yaml it needs', () => {
      const outdir = mkdtemp();
      fs.mkdirSync(path.join(outdir, 'clusters/dev'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters/dev/kustomization.yml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
      expect(() => quietly(() => define(outdir, 'repository').synth())).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev: path: must not hold a hand-written \'kustomization.yml\': this cluster needs \'clusters/dev/kustomization.yaml\' (its SealedSecrets wait for the sealed-secrets CRD in a Kustomization of their own), and kustomize refuses a folder with two kustomization files; move its resources elsewhere (got "clusters/dev/kustomization.yml")',
      ].join('\n'));
      expect(Object.keys(readTree(outdir))).toEqual(['clusters/dev/kustomization.yml']);
    });
  });

  describe('fails', () => {
    test('on a sync interval that is not a Duration (JavaScript callers), with the problem, not a crash', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir });
      new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet', interval: '5m' as any } });
      expect(() => repo.synth()).toThrow([
        'synth found 1 problem and wrote nothing:',
        '  - dev: sync.interval: must be a Duration such as Duration.minutes(10), not a string or a number (got "5m")',
      ].join('\n'));
      expect(fs.readdirSync(outdir)).toEqual([]);
    });

    test('on nested or equal cluster paths, a bad namespace and a bad sync', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir });
      new FluxCluster(repo, 'dev');
      new FluxCluster(repo, 'dev-apps', { path: 'clusters/dev/apps', namespace: 'Flux_System' });
      new FluxCluster(repo, 'escape', { path: '../elsewhere', sync: { url: 'git@github.com:acme/fleet.git', branch: 'main', tag: 'v1' } });
      new FluxCluster(repo, 'empty-branch', { sync: { url: 'ssh://git@github.com/acme/fleet', branch: '' } });
      expect(() => repo.synth()).toThrow([
        'synth found 6 problems and wrote nothing:',
        '  - dev-apps: path: must not be or contain the path of cluster \'dev\' (\'clusters/dev\'): each cluster needs a folder of its own (got "clusters/dev/apps")',
        '  - dev-apps: namespace: must be a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit (got "Flux_System")',
        '  - escape: path: must be a folder inside the repo, such as \'clusters/dev\' (got "../elsewhere")',
        '  - escape: sync.url: must be an absolute URL with scheme http, https, ssh (got "git@github.com:acme/fleet.git")',
        '  - escape: sync: must set at most one of branch, tag, semver and commit (got {"branch":"main","tag":"v1"})',
        '  - empty-branch: sync.branch: must not be empty: give the branch to follow, or leave it out (the branch defaults to \'main\') (got "")',
      ].join('\n'));
      expect(readTree(outdir)).toEqual({});
    });

    test('when a construct is not inside a cluster', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp() });
      expect(() => new HelmRepository(repo, 'jetstack', { url: 'https://charts.jetstack.io' })).toThrow(
        'jetstack: must be defined inside a FluxCluster (it is in \'the root\'): pass the FluxCluster, or a construct inside it, as the scope');
    });
  });
});
