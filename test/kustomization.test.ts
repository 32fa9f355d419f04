import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-25';
import {
  DecryptionProvider, FluxCluster, GitOpsRepo, GitRepository, HealthCheck, HelmRelease, HelmRepository, Kustomization,
  KustomizationDeletionPolicy, SealedSecret, SealingCertificate, SecretValue, SubstituteFrom,
} from '../src';
import { golden, mkdtemp, quietly, readTree, schemaViolations, synthError, synthOne } from './util';

const HAS_KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const CERT = path.join(__dirname, 'fixtures', 'sealing', 'rsa4096.crt');

/** A repo with one cluster 'staging', in a fresh folder. */
function staging(): { repo: GitOpsRepo; cluster: FluxCluster; outdir: string } {
  const outdir = mkdtemp();
  const repo = new GitOpsRepo({ outdir, printWarnings: false });
  return { repo, cluster: new FluxCluster(repo, 'staging', { sealingCertificate: SealingCertificate.fromFile(CERT) }), outdir };
}

describe('Kustomization', () => {
  describe('the bytes of flux create kustomization --export (derived from cmd/flux/create_kustomization.go)', () => {
    test('E14: a foreign source: --source=GitRepository/podinfo --path=./kustomize --prune=true --interval=10m', () => {
      const files = synthOne((dev) => {
        const podinfo = new GitRepository(dev, 'podinfo-source', { name: 'podinfo', url: 'https://github.com/stefanprodan/podinfo' });
        new Kustomization(dev, 'podinfo', { sourceRef: podinfo, path: './kustomize', interval: Duration.minutes(10) });
      });
      expect(files['clusters/dev/podinfo.yaml']).toEqual(golden('flux-create/e14-kustomization-foreign-source.yaml'));
      // a foreign source's folder is not this repo's: no kustomization.yaml is written for it
      expect(Object.keys(files).filter((f) => f.startsWith('kustomize/'))).toEqual([]);
      expect(schemaViolations(files)).toEqual([]);
    });

    test('E15: --wait --health-check-timeout=3m --depends-on --target-namespace --service-account --decryption-* --retry-interval --kubeconfig-secret-ref --label', () => {
      const { repo, cluster, outdir } = staging();
      const infra = new Kustomization(cluster, 'infra');
      new Kustomization(cluster, 'apps', {
        labels: { env: 'staging' },
        dependsOn: [infra],
        wait: true,
        timeout: Duration.minutes(3),
        targetNamespace: 'apps',
        serviceAccountName: 'deployer',
        decryption: { provider: DecryptionProvider.SOPS, secretRef: 'sops-age' },
        retryInterval: Duration.minutes(2),
        kubeConfig: { secretName: 'staging-kubeconfig' },
      });
      repo.synth();
      const files = readTree(outdir);
      expect(files['clusters/staging/apps.yaml']).toEqual(golden('flux-create/e15-kustomization-every-flag.yaml'));
      expect(schemaViolations(files)).toEqual([]);
    });

    test('E16: --health-check=Deployment/podinfo.default --health-check=HelmRelease/redis.default (timeout 2m0s, as --health-check-timeout)', () => {
      const { repo, cluster, outdir } = staging();
      const infra = new Kustomization(cluster, 'infra', {
        healthChecks: [
          HealthCheck.ref({ kind: 'Deployment', name: 'podinfo', namespace: 'default' }),
          HealthCheck.ref({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'redis', namespace: 'default' }),
        ],
      });
      expect(infra.path).toEqual('infra/staging');
      repo.synth();
      expect(readTree(outdir)['clusters/staging/infra.yaml']).toEqual(golden('flux-create/e16-kustomization-health-checks.yaml'));
    });
  });

  test('every field of the spec, in go-yaml order, passes the official schema', () => {
    const { repo, cluster, outdir } = staging();
    const vars = new Kustomization(cluster, 'vars');
    const secret = new SealedSecret(vars, 'cluster-vars', { data: { DOMAIN: SecretValue.unsafePlainText('example.com-secret') } });
    const apps = new Kustomization(cluster, 'apps', {
      dependsOn: [vars],
      interval: Duration.hours(1),
      retryInterval: Duration.minutes(2),
      timeout: Duration.minutes(5),
      prune: false,
      force: true,
      suspend: true,
      targetNamespace: 'apps',
      namePrefix: 'stg-',
      nameSuffix: '-v1',
      components: ['../components/monitoring'],
      ignoreMissingComponents: true,
      commonMetadata: { labels: { team: 'web' }, annotations: { 'example.com/owner': 'web' } },
      images: [{ name: 'podinfo', newName: 'ghcr.io/stefanprodan/podinfo', newTag: '6.5.0' }],
      patches: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 2\n', target: { kind: 'Deployment', name: 'web' } }],
      postBuild: { substitute: { CLUSTER: 'staging' }, substituteFrom: [SubstituteFrom.sealedSecret(secret), SubstituteFrom.configMapName('cluster-settings', true)] },
      healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.ready == true', failed: 'status.failed == true' }],
      deletionPolicy: KustomizationDeletionPolicy.ORPHAN,
      ignore: ['*.md', 'docs/'],
      decryption: { secretRef: 'sops-age', serviceAccountName: 'kms' },
    });
    apps.addDependsOn(vars, { readyExpr: 'dep.status.observedGeneration == dep.metadata.generation' });
    quietly(() => repo.synth());
    const files = readTree(outdir);
    expect(files['clusters/staging/apps.yaml']).toEqual([
      '---',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: apps',
      '  namespace: flux-system',
      'spec:',
      '  commonMetadata:',
      '    annotations:',
      '      example.com/owner: web',
      '    labels:',
      '      team: web',
      '  components:',
      '  - ../components/monitoring',
      '  decryption:',
      '    provider: sops',
      '    secretRef:',
      '      name: sops-age',
      '    serviceAccountName: kms',
      '  deletionPolicy: Orphan',
      '  dependsOn:',
      '  - name: vars',
      '  - name: vars',
      '    readyExpr: dep.status.observedGeneration == dep.metadata.generation',
      '  force: true',
      '  healthCheckExprs:',
      '  - apiVersion: example.com/v1',
      '    current: status.ready == true',
      '    failed: status.failed == true',
      '    kind: Widget',
      '  ignore: |-',
      '    *.md',
      '    docs/',
      '  ignoreMissingComponents: true',
      '  images:',
      '  - name: podinfo',
      '    newName: ghcr.io/stefanprodan/podinfo',
      '    newTag: 6.5.0',
      '  interval: 1h0m0s',
      '  namePrefix: stg-',
      '  nameSuffix: -v1',
      '  patches:',
      '  - patch: |',
      '      - op: replace',
      '        path: /spec/replicas',
      '        value: 2',
      '    target:',
      '      kind: Deployment',
      '      name: web',
      '  path: ./apps/staging',
      '  postBuild:',
      '    substitute:',
      '      CLUSTER: staging',
      '    substituteFrom:',
      '    - kind: Secret',
      '      name: cluster-vars',
      '    - kind: ConfigMap',
      '      name: cluster-settings',
      '      optional: true',
      '  prune: false',
      '  retryInterval: 2m0s',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
      '  suspend: true',
      '  targetNamespace: apps',
      '  timeout: 5m0s',
      '',
    ].join('\n'));
    expect(schemaViolations(files)).toEqual([]);
  });

  describe('a layer owns a folder', () => {
    test('constructs created inside it are written to its folder, listed in its kustomization.yaml; its object goes to the cluster path', () => {
      const { repo, cluster, outdir } = staging();
      const infra = new Kustomization(cluster, 'infrastructure', { path: 'infrastructure/controllers', wait: true });
      const jetstack = new HelmRepository(infra, 'jetstack', { url: 'https://charts.jetstack.io' });
      new HelmRelease(infra, 'cert-manager', { repository: jetstack, chart: 'cert-manager', version: '1.8.0' });
      new HelmRepository(cluster, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      repo.synth();
      const files = readTree(outdir);
      expect(Object.keys(files).filter((f) => !f.startsWith('.'))).toEqual([
        'clusters/staging/helm/repositories/bitnami.yaml',
        'clusters/staging/infrastructure.yaml',
        'clusters/staging/kustomization.yaml',
        'infrastructure/controllers/helm/releases/cert-manager.yaml',
        'infrastructure/controllers/helm/repositories/jetstack.yaml',
        'infrastructure/controllers/kustomization.yaml',
      ]);
      expect(files['infrastructure/controllers/kustomization.yaml']).toEqual([
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '- helm/releases/cert-manager.yaml',
        '- helm/repositories/jetstack.yaml',
        '',
      ].join('\n'));
      expect(files['clusters/staging/kustomization.yaml']).toContain('- infrastructure.yaml\n');
      expect(files['clusters/staging/kustomization.yaml']).not.toContain('controllers');
      expect(files['clusters/staging/infrastructure.yaml']).toContain('  path: ./infrastructure/controllers\n');
    });

    test('a layer folder inside the cluster path is left out of the cluster\'s kustomization.yaml (Flux applies it once, through the layer)', () => {
      const { repo, cluster, outdir } = staging();
      const apps = new Kustomization(cluster, 'apps', { path: 'clusters/staging/apps' });
      new HelmRepository(apps, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      repo.synth();
      const files = readTree(outdir);
      expect(files['clusters/staging/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- apps.yaml\n');
      expect(files['clusters/staging/apps/kustomization.yaml']).toContain('- helm/repositories/podinfo.yaml\n');
    });

    test('a nested Kustomization gets a folder below its parent\'s, left out of the parent\'s kustomization.yaml', () => {
      const { repo, cluster, outdir } = staging();
      const tenants = new Kustomization(cluster, 'tenants');
      const team = new Kustomization(tenants, 'team-a');
      new HelmRepository(team, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      repo.synth();
      const files = readTree(outdir);
      expect(team.path).toEqual('tenants/staging/team-a');
      expect(files['tenants/staging/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- team-a.yaml\n');
      expect(files['tenants/staging/team-a/kustomization.yaml']).toContain('- helm/repositories/podinfo.yaml\n');
    });

    test('two clusters share a folder when their code writes the same files, and it is written once', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir, printWarnings: false });
      for (const env of ['staging', 'production']) {
        const cluster = new FluxCluster(repo, env);
        const infra = new Kustomization(cluster, 'infra-controllers', { path: 'infrastructure/controllers' });
        new HelmRepository(infra, 'jetstack', { url: 'https://charts.jetstack.io' });
      }
      const result = repo.synth();
      expect(result.files.filter((f) => f.startsWith('infrastructure/'))).toEqual([
        'infrastructure/controllers/helm/repositories/jetstack.yaml',
        'infrastructure/controllers/kustomization.yaml',
      ]);
      expect(readTree(outdir)['clusters/production/infra-controllers.yaml']).toContain('path: ./infrastructure/controllers');
    });

    test('a layer whose code differs per cluster cannot share a folder', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      for (const env of ['staging', 'production']) {
        const cluster = new FluxCluster(repo, env);
        const infra = new Kustomization(cluster, 'infra', { path: 'infrastructure' });
        new HelmRepository(infra, 'jetstack', { url: 'https://charts.jetstack.io', interval: env === 'staging' ? Duration.minutes(1) : Duration.minutes(5) });
      }
      expect(synthError(repo)).toEqual([
        'synth found 1 problem and wrote nothing:',
        '  - production/infra/jetstack: name: must give a file name of its own: \'infrastructure/helm/repositories/jetstack.yaml\' is already written by staging/infra/jetstack with other content; set \'name\' on one of them (Kustomizations of several clusters may share a folder only when they write the same files) (got "jetstack.yaml")',
      ].join('\n'));
    });

    test('hand-written files in a layer folder are listed and checked like those of a cluster path', () => {
      const { repo, cluster, outdir } = staging();
      const apps = new Kustomization(cluster, 'apps');
      new HelmRepository(apps, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      fs.mkdirSync(path.join(outdir, 'apps/staging'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'apps/staging/config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: web\n');
      repo.synth();
      expect(readTree(outdir)['apps/staging/kustomization.yaml']).toEqual('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- config.yaml\n- helm/repositories/podinfo.yaml\n');
      fs.writeFileSync(path.join(outdir, 'apps/staging/creds.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: web\nstringData:\n  password: hunter2\n');
      const again = new GitOpsRepo({ outdir, printWarnings: false });
      new HelmRepository(new Kustomization(new FluxCluster(again, 'staging'), 'apps'), 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      expect(synthError(again)).toContain('  - staging/apps: path: must not hold a plain Secret: \'apps/staging/creds.yaml\' has Secret web/creds in plain text');
    });

    test('kubectl kustomize builds the layer folder into what Flux applies', () => {
      if (!HAS_KUBECTL) return; // optional: runs where kubectl is installed
      const { repo, cluster, outdir } = staging();
      const apps = new Kustomization(cluster, 'apps');
      new HelmRepository(apps, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      const chart = new Chart(apps, 'web');
      new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] }).exposeViaService();
      repo.synth();
      const r = spawnSync('kubectl', ['kustomize', path.join(outdir, 'apps/staging')], { encoding: 'utf8' });
      expect(r.stderr).toEqual('');
      expect(r.stdout.match(/^kind: \w+$/gm)).toEqual(['kind: Service', 'kind: Deployment', 'kind: HelmRepository']);
    });
  });

  describe('the one-push rule between layers', () => {
    function withController(layerOfController: 'root' | 'infra', secretsIn: 'root' | 'apps', dependsOn: boolean) {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir, printWarnings: false });
      const cluster = new FluxCluster(repo, 'staging', { sealingCertificate: SealingCertificate.fromFile(CERT) });
      const infra = new Kustomization(cluster, 'infra');
      const scope = layerOfController === 'root' ? cluster : infra;
      const sealedSecrets = new HelmRepository(scope, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets' });
      new HelmRelease(scope, 'sealed-secrets-controller', { repository: sealedSecrets, chart: 'sealed-secrets', version: '2.15.0' });
      const apps = new Kustomization(cluster, 'apps', { dependsOn: dependsOn ? [infra] : [] });
      new SealedSecret(secretsIn === 'root' ? cluster : apps, 'creds', { data: { token: SecretValue.unsafePlainText('a-long-enough-token') } });
      return { repo, outdir, infra, apps };
    }

    test('SealedSecrets in a layer must depend on the layer that installs the CRD', () => {
      const { repo } = withController('infra', 'apps', false);
      expect(synthError(repo)).toEqual([
        'synth found 1 problem and wrote nothing:',
        '  - staging/apps: dependsOn: must include \'staging/infra\' (directly or through another Kustomization): it installs the sealed-secrets CRD, and this Kustomization\'s SealedSecret \'creds\' can only be applied after it; add it to dependsOn (got [])',
      ].join('\n'));
    });

    test('with dependsOn, the layers reconcile in one push', () => {
      const { repo, outdir } = withController('infra', 'apps', true);
      repo.synth();
      expect(readTree(outdir)['apps/staging/kustomization.yaml']).toContain('- helm/secrets/creds-sealed.yaml\n');
    });

    test('SealedSecrets at the cluster root with the CRD in a layer: their own Kustomization, depending on that layer', () => {
      const { repo, outdir } = withController('infra', 'root', false);
      repo.synth();
      const files = readTree(outdir);
      expect(files['clusters/staging/helm/secrets-kustomization.yaml']).toContain('  dependsOn:\n  - name: infra\n');
      expect(files['clusters/staging/kustomization.yaml']).not.toContain('helm/secrets/');
    });

    test('SealedSecrets next to the CRD release in one layer are refused', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir, printWarnings: false });
      const cluster = new FluxCluster(repo, 'staging', { sealingCertificate: SealingCertificate.fromFile(CERT) });
      const infra = new Kustomization(cluster, 'infra');
      const r = new HelmRepository(infra, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets' });
      new HelmRelease(infra, 'sealed-secrets-controller', { repository: r, chart: 'sealed-secrets' });
      new SealedSecret(infra, 'creds', { data: { token: SecretValue.unsafePlainText('a-long-enough-token') } });
      expect(synthError(repo)).toContain('  - staging/infra: path: must not hold SealedSecrets next to the HelmRelease that installs the sealed-secrets CRD (\'staging/infra/sealed-secrets-controller\')');
    });
  });

  describe('fails', () => {
    test('on a dependsOn cycle, a dependency in another cluster, and a sourceRef that is no source', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const stg = new FluxCluster(repo, 'staging');
      const production = new FluxCluster(repo, 'production');
      const a = new Kustomization(stg, 'a');
      const b = new Kustomization(stg, 'b', { dependsOn: [a] });
      a.addDependsOn(b);
      const other = new Kustomization(production, 'other');
      const repoSource = new HelmRepository(stg, 'charts', { url: 'https://charts.example.com' });
      new Kustomization(stg, 'c', { dependsOn: [other], sourceRef: repoSource, path: 'deploy' });
      expect(synthError(repo)).toEqual([
        'synth found 4 problems and wrote nothing:',
        '  - staging/a: dependsOn: must not form a cycle: a -> b -> a (got ["a","b","a"])',
        '  - staging/b: dependsOn: must not form a cycle: b -> a -> b (got ["b","a","b"])',
        '  - staging/c: sourceRef: must be a GitRepository or OCIRepository construct (leave it out for the cluster\'s own repository) (got "HelmRepository")',
        '  - staging/c: dependsOn[0]: must be in the same cluster: \'production/other\' belongs to \'production\', this Kustomization to \'staging\' (got "other")',
      ].join('\n'));
    });

    test('on constructs in a Kustomization of another source, and folders that clash', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const stg = new FluxCluster(repo, 'staging');
      new FluxCluster(repo, 'production');
      const src = new GitRepository(stg, 'podinfo-source', { url: 'https://github.com/stefanprodan/podinfo' });
      const foreign = new Kustomization(stg, 'podinfo', { sourceRef: src, path: 'kustomize' });
      new HelmRepository(foreign, 'charts', { url: 'https://charts.example.com' });
      new Kustomization(stg, 'x', { path: 'clusters/production/x' });
      new Kustomization(stg, 'y', { path: 'shared' });
      new Kustomization(stg, 'z', { path: 'shared' });
      expect(synthError(repo)).toEqual([
        'synth found 3 problems and wrote nothing:',
        '  - staging/x: path: must not be inside the path of another cluster, \'production\' (\'clusters/production\'): that cluster would apply it too (got "clusters/production/x")',
        '  - staging/z: path: must not be the folder of \'staging/y\' too: Flux would apply it twice in the cluster (got "shared")',
        '  - staging/podinfo: sourceRef: must be left out when the Kustomization holds constructs (\'staging/podinfo/charts\'): their files are written to this repository, and the Kustomization would apply \'kustomize\' of another source; define them in a Kustomization of the cluster\'s own repository (got "podinfo-source")',
      ].join('\n'));
    });

    test('on a substituteFrom SealedSecret that the Kustomization applies itself, and bad variables', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const cluster = new FluxCluster(repo, 'staging', { sealingCertificate: SealingCertificate.fromFile(CERT) });
      const apps = new Kustomization(cluster, 'apps');
      const vars = new SealedSecret(apps, 'vars', { data: { X: SecretValue.unsafePlainText('a-long-enough-value') } });
      (apps as any).props.postBuild = { substitute: { '1BAD': 'x', 'ok': 3 }, substituteFrom: [SubstituteFrom.sealedSecret(vars)] };
      expect(synthError(repo)).toEqual([
        'synth found 3 problems and wrote nothing:',
        '  - staging/apps: postBuild.substitute.1BAD: must be a variable name: letters, digits and \'_\', not starting with a digit (Flux refuses others) (got "1BAD")',
        '  - staging/apps: postBuild.substitute.ok: must be a string: quote it (Flux substitutes text) (got 3)',
        '  - staging/apps: postBuild.substituteFrom[0]: must be applied before this Kustomization builds: \'staging/apps/vars\' is applied by this Kustomization or one that depends on it, so the first build finds no variables and never applies it; define it in a Kustomization this one dependsOn, or mark it optional (got "vars")',
      ].join('\n'));
    });

    test('on an unknown prop from a JavaScript caller, naming it', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const cluster = new FluxCluster(repo, 'staging');
      new Kustomization(cluster, 'apps', { prunne: true } as any);
      expect(synthError(repo)).toContain('  - staging/apps: prunne: is not a prop of Kustomization; the props are');
    });

    test('on a health check of an object the Kustomization does not apply, and wait with healthChecks', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
      const cluster = new FluxCluster(repo, 'staging');
      const infra = new Kustomization(cluster, 'infra');
      const r = new HelmRepository(infra, 'podinfo-charts', { url: 'https://stefanprodan.github.io/podinfo' });
      const release = new HelmRelease(infra, 'podinfo', { repository: r, chart: 'podinfo' });
      new Kustomization(cluster, 'apps', { wait: true, healthChecks: [HealthCheck.of(release)] });
      expect(synthError(repo)).toEqual([
        'synth found 2 problems and wrote nothing:',
        '  - staging/apps: healthChecks: must not be combined with wait: true: Flux then checks every object and ignores healthChecks; keep one of them (got 1)',
        '  - staging/apps: healthChecks[0]: must be an object this Kustomization applies: \'staging/infra/podinfo\' is not defined inside \'staging/apps\' (got "podinfo")',
      ].join('\n'));
    });
  });

  test('HealthCheck.of a HelmRelease and of a cdk8s-plus Deployment in the layer', () => {
    const { repo, cluster, outdir } = staging();
    const infra = new Kustomization(cluster, 'infra', { healthChecks: [] });
    const r = new HelmRepository(infra, 'podinfo-charts', { url: 'https://stefanprodan.github.io/podinfo' });
    const release = new HelmRelease(infra, 'podinfo', { repository: r, chart: 'podinfo', targetNamespace: 'podinfo' });
    const chart = new Chart(infra, 'web', { namespace: 'web' });
    const deployment = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginx:1.27' }] });
    (infra as any).props.healthChecks = [HealthCheck.of(release), HealthCheck.of(deployment)];
    repo.synth();
    expect(readTree(outdir)['clusters/staging/infra.yaml']).toContain([
      '  healthChecks:',
      '  - apiVersion: helm.toolkit.fluxcd.io/v2',
      '    kind: HelmRelease',
      '    name: podinfo',
      '    namespace: flux-system',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    name: web',
      '    namespace: web',
    ].join('\n'));
    expect(fs.existsSync(path.join(outdir, 'infra/staging/web.k8s.yaml'))).toBe(true);
  });
});
