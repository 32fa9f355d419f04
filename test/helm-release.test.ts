import { Duration } from 'cdk8s';
import {
  CrdsPolicy, DriftDetectionMode, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, OCIRepository, ValuesSourceKind,
} from '../src';
import { golden, mkdtemp, readTree, schemaViolations } from './util';

function setup() {
  const outdir = mkdtemp();
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev');
  return { outdir, repo, dev };
}

function errorOf(repo: GitOpsRepo): string {
  try {
    repo.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

describe('HelmRelease', () => {
  test('E3: flux create helmrelease podinfo --source HelmRepository/podinfo --chart podinfo --interval=1m0s --export', () => {
    // GIVEN
    const { outdir, repo, dev } = setup();
    const podinfo = new HelmRepository(dev, 'podinfo-repo', { name: 'podinfo', url: 'https://stefanprodan.github.io/podinfo' });
    new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', interval: Duration.minutes(1) });
    // WHEN
    repo.synth();
    // THEN
    expect(readTree(outdir)['clusters/dev/helm/releases/podinfo.yaml']).toEqual(golden('flux-create/e3-helmrelease-basic.yaml'));
  });

  test('E4: flux create helmrelease podinfo --chart-ref OCIRepository/podinfo --interval=1m0s --export', () => {
    const { outdir, repo, dev } = setup();
    const oci = new OCIRepository(dev, 'podinfo-oci', { name: 'podinfo', url: 'oci://ghcr.io/stefanprodan/charts/podinfo', semver: '>=6.0.0' });
    new HelmRelease(dev, 'podinfo', { chartRef: oci });
    repo.synth();
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/releases/podinfo.yaml']).toEqual(golden('flux-create/e4-helmrelease-chartref-ocirepository.yaml'));
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual([
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: podinfo',
      '  namespace: flux-system',
      'spec:',
      '  interval: 1m0s',
      '  ref:',
      '    semver: \'>=6.0.0\'',
      '  url: oci://ghcr.io/stefanprodan/charts/podinfo',
      '',
    ].join('\n'));
  });

  test('E5: --chart-version=">4.0.0" --interval=10m is quoted and Go-formatted', () => {
    const { outdir, repo, dev } = setup();
    const podinfo = new HelmRepository(dev, 'podinfo-repo', { name: 'podinfo', url: 'https://stefanprodan.github.io/podinfo' });
    new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', version: '>4.0.0', interval: Duration.minutes(10) });
    repo.synth();
    expect(readTree(outdir)['clusters/dev/helm/releases/podinfo.yaml']).toEqual(golden('flux-create/e5-helmrelease-version-range.yaml'));
  });

  test('E6: the tutorial\'s sealed-secrets controller, with values and --crds=CreateReplace', () => {
    const { outdir, repo, dev } = setup();
    const sealedSecrets = new HelmRepository(dev, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets', interval: Duration.minutes(10) });
    new HelmRelease(dev, 'sealed-secrets-controller', {
      repository: sealedSecrets,
      chart: 'sealed-secrets',
      version: '2.4.0',
      releaseName: 'sealed-secrets-controller',
      targetNamespace: 'flux-system',
      crds: CrdsPolicy.CREATE_REPLACE,
      values: { ingress: { enabled: false } },
    });
    repo.synth();
    expect(readTree(outdir)['clusters/dev/helm/releases/sealed-secrets-controller.yaml']).toEqual(golden('flux-create/e6-helmrelease-sealed-secrets.yaml'));
  });

  test('every field, with dependsOn, valuesFrom and YAML 1.1 traps in values', () => {
    const { outdir, repo, dev } = setup();
    const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
    const certManager = new HelmRelease(dev, 'cert-manager', { repository: jetstack, chart: 'cert-manager', version: '1.10' });
    new HelmRelease(dev, 'issuers', {
      repository: jetstack,
      chart: 'cert-manager-issuers',
      version: '010',
      interval: Duration.minutes(5),
      chartInterval: Duration.hours(1),
      releaseName: 'issuers',
      targetNamespace: 'cert-manager',
      storageNamespace: 'flux-system',
      createNamespace: true,
      crds: CrdsPolicy.SKIP,
      installRetries: 3,
      upgradeRetries: -1,
      timeout: Duration.minutes(10),
      driftDetection: DriftDetectionMode.ENABLED,
      serviceAccountName: 'helm',
      maxHistory: 10,
      suspend: true,
      dependsOn: [certManager],
      values: { on: 'on', yes: 'y', version: '1.10', date: '2024-01-01', empty: '', tilde: '~', nothing: null, list: ['no', 1e3, '1e3'] },
      valuesFrom: [
        { kind: ValuesSourceKind.CONFIG_MAP, name: 'issuer-defaults' },
        { kind: ValuesSourceKind.SECRET, name: 'issuer-creds', valuesKey: 'token', targetPath: 'acme.token', optional: true },
      ],
    });
    repo.synth();
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/releases/cert-manager.yaml']).toContain('      version: "1.10"\n');
    expect(files['clusters/dev/helm/releases/issuers.yaml']).toEqual([
      '---',
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: issuers',
      '  namespace: flux-system',
      'spec:',
      '  chart:',
      '    spec:',
      '      chart: cert-manager-issuers',
      '      interval: 1h0m0s',
      '      reconcileStrategy: ChartVersion',
      '      sourceRef:',
      '        kind: HelmRepository',
      '        name: jetstack',
      '      version: "010"',
      '  dependsOn:',
      '  - name: cert-manager',
      '  driftDetection:',
      '    mode: enabled',
      '  install:',
      '    crds: Create',
      '    createNamespace: true',
      '    remediation:',
      '      retries: 3',
      '  interval: 5m0s',
      '  maxHistory: 10',
      '  releaseName: issuers',
      '  serviceAccountName: helm',
      '  storageNamespace: flux-system',
      '  suspend: true',
      '  targetNamespace: cert-manager',
      '  timeout: 10m0s',
      '  upgrade:',
      '    crds: Skip',
      '    remediation:',
      '      retries: -1',
      '  values:',
      '    date: "2024-01-01"',
      '    empty: ""',
      '    list:',
      '    - "no"',
      '    - 1000',
      '    - "1e3"',
      '    nothing: null',
      '    "on": "on"',
      '    tilde: "~"',
      '    version: "1.10"',
      '    "yes": "y"',
      '  valuesFrom:',
      '  - kind: ConfigMap',
      '    name: issuer-defaults',
      '  - kind: Secret',
      '    name: issuer-creds',
      '    optional: true',
      '    targetPath: acme.token',
      '    valuesKey: token',
      '',
    ].join('\n'));
  });

  describe('fails', () => {
    test('on bad names, lengths, patterns and numbers, listing every problem', () => {
      const { outdir, repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      new HelmRelease(dev, 'cert_manager', {
        repository: jetstack,
        chart: '',
        version: 1.1 as any,
        releaseName: 'a-release-name-that-is-much-longer-than-fifty-three-chars',
        targetNamespace: 'Cert-Manager',
        installRetries: 1.5,
        values: { bad: Number.NaN },
        valuesFrom: [{ kind: 'Vault' as any, name: 'creds', valuesKey: 'a key', targetPath: 'a b' }],
      });
      expect(errorOf(repo)).toEqual([
        'synth found 10 problems and wrote nothing:',
        '  - dev/cert_manager: name: must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "cert_manager")',
        '  - dev/cert_manager: chart: must be 1 to 2048 characters long (got "")',
        '  - dev/cert_manager: version: must be a string (a YAML number such as 1.10 would be read as 1.1): quote it (got 1.1)',
        '  - dev/cert_manager: releaseName: must be a DNS-1123 label: at most 53 lowercase letters, digits and \'-\', starting and ending with a letter or digit (got "a-release-name-that-is-much-longer-than-fifty-three-chars")',
        '  - dev/cert_manager: targetNamespace: must be a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit (got "Cert-Manager")',
        '  - dev/cert_manager: installRetries: must be a whole number, 0 or more (-1 for unlimited) (got 1.5)',
        '  - dev/cert_manager: values.bad: must be a finite number (got "NaN")',
        '  - dev/cert_manager: valuesFrom[0].kind: must be ValuesSourceKind.SECRET or ValuesSourceKind.CONFIG_MAP (got "Vault")',
        '  - dev/cert_manager: valuesFrom[0].valuesKey: must be at most 253 letters, digits, \'-\', \'_\' and \'.\' (got "a key")',
        '  - dev/cert_manager: valuesFrom[0].targetPath: must be at most 250 characters of letters, digits, \'_\', \'-\', \'.\', \'\\\', \'/\' and list indexes such as [0] (got "a b")',
      ].join('\n'));
      expect(readTree(outdir)).toEqual({});
    });

    test('on a repository or dependency of another cluster, a dependency cycle, and chart with chartRef', () => {
      const { repo, dev } = setup();
      const prod = new FluxCluster(repo, 'prod');
      const prodRepo = new HelmRepository(prod, 'jetstack', { url: 'https://charts.jetstack.io' });
      const devRepo = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      const prodRelease = new HelmRelease(prod, 'cert-manager', { repository: prodRepo, chart: 'cert-manager' });
      new HelmRelease(dev, 'cert-manager', { repository: prodRepo, chart: 'cert-manager', dependsOn: [prodRelease] });
      const a: any = { repository: devRepo, chart: 'a', dependsOn: [] };
      const b: any = { repository: devRepo, chart: 'b', dependsOn: [] };
      const relA = new HelmRelease(dev, 'a', a);
      const relB = new HelmRelease(dev, 'b', b);
      a.dependsOn.push(relB);
      b.dependsOn.push(relA);
      const oci = new OCIRepository(dev, 'oci', { url: 'oci://ghcr.io/x/y' });
      new HelmRelease(dev, 'both', { repository: devRepo, chart: 'y', chartRef: oci, version: '1.0.0' });
      expect(errorOf(repo)).toEqual([
        'synth found 6 problems and wrote nothing:',
        '  - dev/cert-manager: repository: must be in the same cluster: \'prod/jetstack\' belongs to \'prod\', this release to \'dev\' (got "jetstack")',
        '  - dev/cert-manager: dependsOn[0]: must be in the same cluster: \'prod/cert-manager\' belongs to \'prod\' (got "cert-manager")',
        '  - dev/a: dependsOn: must not form a cycle: a -> b -> a (got ["a","b","a"])',
        '  - dev/b: dependsOn: must not form a cycle: b -> a -> b (got ["b","a","b"])',
        '  - dev/both: chartRef: must be given alone: set either chartRef, or repository and chart (Flux: \'either chart or chartRef must be set\') (got "oci")',
        '  - dev/both: version: cannot be used with chartRef: set the tag or semver range on the OCIRepository (got "1.0.0")',
      ].join('\n'));
    });
  });
});
