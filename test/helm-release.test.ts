import { Duration } from 'cdk8s';
import {
  CrdsPolicy, DriftDetectionMode, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, OCIRepository, ValuesSourceKind,
} from '../src';
import { golden, mkdtemp, quietly, readTree, schemaViolations, synthError } from './util';

function setup() {
  const outdir = mkdtemp();
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev');
  return { outdir, repo, dev };
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

  test('E9: --chart-version=\'*\' --chart-interval --release-name --target-namespace --storage-namespace --create-target-namespace --crds=Skip --depends-on --values-from --service-account', () => {
    // flux create hr podinfo --source=HelmRepository/podinfo --chart=podinfo --chart-version='*' --chart-interval=5m
    //   --release-name=podinfo-dev --target-namespace=apps --storage-namespace=flux-system --create-target-namespace
    //   --crds=Skip --depends-on=ingress-nginx --values-from=Secret/podinfo-values,ConfigMap/podinfo-defaults
    //   --service-account=helm-deployer --interval=10m --export
    const { outdir, repo, dev } = setup();
    const podinfo = new HelmRepository(dev, 'podinfo-repo', { name: 'podinfo', url: 'https://stefanprodan.github.io/podinfo' });
    const ingress = new HelmRelease(dev, 'ingress-nginx', { repository: podinfo, chart: 'ingress-nginx' });
    new HelmRelease(dev, 'podinfo', {
      repository: podinfo,
      chart: 'podinfo',
      version: '*',
      chartInterval: Duration.minutes(5),
      releaseName: 'podinfo-dev',
      targetNamespace: 'apps',
      storageNamespace: 'flux-system',
      createNamespace: true,
      crds: CrdsPolicy.SKIP,
      dependsOn: [ingress],
      valuesFrom: [{ kind: ValuesSourceKind.SECRET, name: 'podinfo-values' }, { kind: ValuesSourceKind.CONFIG_MAP, name: 'podinfo-defaults' }],
      serviceAccountName: 'helm-deployer',
      interval: Duration.minutes(10),
    });
    repo.synth();
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/releases/podinfo.yaml']).toEqual(golden('flux-create/e9-helmrelease-every-flag.yaml'));
  });

  test('E10: the Flux sealed-secrets guide, --chart-version=">=1.15.0-0" --interval=1h --crds=CreateReplace', () => {
    const { outdir, repo, dev } = setup();
    const sealedSecrets = new HelmRepository(dev, 'sealed-secrets-repo', { name: 'sealed-secrets', url: 'https://bitnami-labs.github.io/sealed-secrets', interval: Duration.hours(1) });
    new HelmRelease(dev, 'sealed-secrets', {
      repository: sealedSecrets,
      chart: 'sealed-secrets',
      version: '>=1.15.0-0',
      interval: Duration.hours(1),
      releaseName: 'sealed-secrets-controller',
      targetNamespace: 'flux-system',
      crds: CrdsPolicy.CREATE_REPLACE,
    });
    repo.synth();
    expect(readTree(outdir)['clusters/dev/helm/releases/sealed-secrets.yaml']).toEqual(golden('flux-create/e10-helmrelease-sealed-secrets-flux-guide.yaml'));
  });

  test('E11: --values=values.yaml with keys in go-yaml\'s order (digits by value, non-letters first) and YAML 1.1 traps', () => {
    const { outdir, repo, dev } = setup();
    const podinfo = new HelmRepository(dev, 'podinfo-repo', { name: 'podinfo', url: 'https://stefanprodan.github.io/podinfo' });
    new HelmRelease(dev, 'podinfo', {
      repository: podinfo,
      chart: 'podinfo',
      values: {
        'replicaCount': 2,
        'image': { tag: '6.5.0' },
        'ingress.enabled': true,
        '10': 'ten',
        '2': 'two',
        'a10': 'x',
        'a9': 'y',
        'Zeta': 'z',
        '_private': 'p',
        'podAnnotations': { 'prometheus.io/scrape': 'true' },
      },
    });
    repo.synth();
    expect(readTree(outdir)['clusters/dev/helm/releases/podinfo.yaml']).toEqual(golden('flux-create/e11-helmrelease-values-file.yaml'));
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

  test('a large fleet with long dependency chains synthesizes, and a second synth writes nothing', () => {
    const outdir = mkdtemp();
    const define = () => {
      const repo = new GitOpsRepo({ outdir });
      for (const id of ['dev', 'prod']) {
        const cluster = new FluxCluster(repo, id);
        const repos = Array.from({ length: 50 }, (_, i) => new HelmRepository(cluster, `charts-${i}`, { url: `https://charts-${i}.example.com` }));
        const releases: HelmRelease[] = [];
        for (let i = 0; i < 1000; i++) {
          releases.push(new HelmRelease(cluster, `app-${i}`, {
            repository: repos[i % 50],
            chart: `app-${i}`,
            version: `1.${i}.0`,
            values: { replicas: i % 3, labels: { 'app.kubernetes.io/part-of': 'fleet' } },
            dependsOn: releases.slice(Math.max(0, i - 10)),
          }));
        }
      }
      return repo;
    };
    const first = quietly(() => define().synth());
    expect(first.files).toHaveLength(2 * (1050 + 1) + 1); // the objects, a kustomization.yaml per cluster, the record
    const again = quietly(() => define().synth());
    expect(again.written).toEqual([]);
    expect(again.removed).toEqual([]);
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
      expect(synthError(repo)).toEqual([
        'synth found 10 problems and wrote nothing:',
        '  - dev/cert_manager: name: must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "cert_manager")',
        '  - dev/cert_manager: chart: must be 1 to 2048 characters long (got "")',
        '  - dev/cert_manager: version: must be a string (a YAML number such as 1.10 would be read as 1.1): quote it (got 1.1)',
        '  - dev/cert_manager: releaseName: must be a Helm release name: at most 53 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "a-release-name-that-is-much-longer-than-fifty-three-chars")',
        '  - dev/cert_manager: targetNamespace: must be a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit (got "Cert-Manager")',
        '  - dev/cert_manager: installRetries: must be a whole number, 0 or more (-1 for unlimited) (got 1.5)',
        '  - dev/cert_manager: values.bad: must be a finite number (got "NaN")',
        '  - dev/cert_manager: valuesFrom[0].kind: must be ValuesSourceKind.SECRET or ValuesSourceKind.CONFIG_MAP (got "Vault")',
        '  - dev/cert_manager: valuesFrom[0].valuesKey: must be at most 253 letters, digits, \'-\', \'_\' and \'.\' (got "a key")',
        '  - dev/cert_manager: valuesFrom[0].targetPath: must be at most 250 characters of letters, digits, \'_\', \'-\', \'.\', \'\\\', \'/\' and list indexes such as [0] (got "a b")',
      ].join('\n'));
      expect(readTree(outdir)).toEqual({});
    });

    test('on values that are not plain data: undefined, a Date, a class instance, a function, a Map, a circular reference', () => {
      const { outdir, repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      class Settings { public replicas = 2; }
      const circular: any = { name: 'loop' };
      circular.parent = { child: circular };
      new HelmRelease(dev, 'app', {
        repository: jetstack,
        chart: 'app',
        values: {
          'image': { tag: undefined },
          'list': [1, undefined],
          'since': new Date(0),
          'settings': new Settings(),
          'hook': () => 'x',
          'byName': new Map([['a', 1]]),
          'circular': circular,
          'dotted.key': { 'a/b': undefined },
        },
      });
      expect(synthError(repo)).toEqual([
        'synth found 8 problems and wrote nothing:',
        '  - dev/app: values.image.tag: must not be undefined: leave the key out, or use null for an explicit null (got "undefined")',
        '  - dev/app: values.list[1]: must not be undefined: leave the key out, or use null for an explicit null (got "undefined")',
        '  - dev/app: values.since: must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries()) (got "a Date")',
        '  - dev/app: values.settings: must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries()) (got "a Settings")',
        '  - dev/app: values.hook: must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries()) (got "a function")',
        '  - dev/app: values.byName: must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries()) (got "a Map")',
        '  - dev/app: values.circular.parent.child: must not contain itself (a circular reference): values are written out as a tree (got "a circular reference")',
        '  - dev/app: values["dotted.key"]["a/b"]: must not be undefined: leave the key out, or use null for an explicit null (got "undefined")',
      ].join('\n'));
      expect(readTree(outdir)).toEqual({});
    });

    test('on values that are not an object of keys: an array, a string of YAML', () => {
      const { repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      new HelmRelease(dev, 'list', { repository: jetstack, chart: 'app', values: [1, 2] as any });
      new HelmRelease(dev, 'text', { repository: jetstack, chart: 'app', values: 'replicaCount: 2' as any });
      expect(synthError(repo)).toEqual([
        'synth found 2 problems and wrote nothing:',
        '  - dev/list: values: must be an object of chart values ({ key: value }): Helm reads values as a map, and helm-controller fails on anything else (got "an array")',
        '  - dev/text: values: must be an object of chart values ({ key: value }): Helm reads values as a map, and helm-controller fails on anything else (got "replicaCount: 2")',
      ].join('\n'));
    });

    test('values shared (not circular) between keys, and objects without a prototype, are plain data', () => {
      const { outdir, repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      const resources = { limits: { cpu: '100m' } };
      const bare = Object.assign(Object.create(null), { enabled: true });
      new HelmRelease(dev, 'app', { repository: jetstack, chart: 'app', values: { api: { resources }, worker: { resources }, metrics: bare } });
      repo.synth();
      expect(readTree(outdir)['clusters/dev/helm/releases/app.yaml']).toContain([
        '  values:',
        '    api:',
        '      resources:',
        '        limits:',
        '          cpu: 100m',
        '    metrics:',
        '      enabled: true',
        '    worker:',
        '      resources:',
        '        limits:',
        '          cpu: 100m',
        '',
      ].join('\n'));
    });

    test('on enums and durations that are not of their type (JavaScript callers), and a name too long for the release label', () => {
      const { repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      const long = 'cert-manager-for-the-platform-team-in-the-production-environment';
      new HelmRelease(dev, 'cert-manager', {
        repository: jetstack,
        chart: 'cert-manager',
        crds: 'Replace' as any,
        driftDetection: true as any,
        interval: '5m' as any,
        timeout: 300 as any,
      });
      new HelmRelease(dev, long, { repository: jetstack, chart: 'cert-manager', releaseName: 'cert-manager.v1' }); // Helm allows dots
      expect(synthError(repo)).toEqual([
        'synth found 5 problems and wrote nothing:',
        '  - dev/cert-manager: interval: must be a Duration such as Duration.minutes(10), not a string or a number (got "5m")',
        '  - dev/cert-manager: timeout: must be a Duration such as Duration.minutes(10), not a string or a number (got 300)',
        '  - dev/cert-manager: crds: must be one of CrdsPolicy.SKIP, CrdsPolicy.CREATE, CrdsPolicy.CREATE_REPLACE (\'Skip\', \'Create\', \'CreateReplace\') (got "Replace")',
        '  - dev/cert-manager: driftDetection: must be one of DriftDetectionMode.ENABLED, DriftDetectionMode.WARN, DriftDetectionMode.DISABLED (\'enabled\', \'warn\', \'disabled\') (got true)',
        `  - dev/${long}: name: must be at most 63 characters: helm-controller writes it as the value of the label 'helm.toolkit.fluxcd.io/name' on every object of the release, and a label value has at most 63 (got "${long}")`,
      ].join('\n'));
    });

    test('on flags and names that are not of their type (JavaScript callers)', () => {
      const { repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io', insecure: 'no' as any, suspend: 1 as any });
      new HelmRelease(dev, 'cert-manager', {
        repository: jetstack,
        chart: 'cert-manager',
        createNamespace: 'false' as any,
        suspend: 'no' as any,
        releaseName: 7 as any,
        valuesFrom: [{ kind: ValuesSourceKind.SECRET, name: 'creds', optional: 'no' as any }],
      });
      new OCIRepository(dev, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', tag: 5 as any, suspend: 'yes' as any });
      expect(synthError(repo)).toEqual([
        'synth found 9 problems and wrote nothing:',
        '  - dev/jetstack: insecure: applies only to OCI repositories (an oci:// url); for an HTTP index use an http:// url instead (got "no")',
        '  - dev/jetstack: insecure: must be true or false (a boolean, not a string or a number) (got "no")',
        '  - dev/jetstack: suspend: must be true or false (a boolean, not a string or a number) (got 1)',
        '  - dev/cert-manager: releaseName: must be a Helm release name: at most 53 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got 7)',
        '  - dev/cert-manager: createNamespace: must be true or false (a boolean, not a string or a number) (got "false")',
        '  - dev/cert-manager: suspend: must be true or false (a boolean, not a string or a number) (got "no")',
        '  - dev/cert-manager: valuesFrom[0].optional: must be true or false (a boolean, not a string or a number) (got "no")',
        '  - dev/podinfo: suspend: must be true or false (a boolean, not a string or a number) (got "yes")',
        '  - dev/podinfo: tag: must be a string: quote it (got 5)',
      ].join('\n'));
    });

    test('on durations below a millisecond or beyond what Go can hold, and on strings that are not well-formed Unicode', () => {
      const { repo, dev } = setup();
      const jetstack = new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
      new HelmRelease(dev, 'cert-manager', {
        repository: jetstack,
        chart: 'cert-manager',
        interval: Duration.millis(0.5),
        timeout: Duration.days(106_752),
        chartInterval: Duration.seconds(1.0005), // fine: 1.0005s
      });
      new HelmRelease(dev, 'web', {
        repository: jetstack,
        chart: 'nginx',
        values: { description: 'Deploy \u{1F511}'.slice(0, 8), ['k\uDC00']: 'v' },
      });
      expect(synthError(repo)).toEqual([
        'synth found 4 problems and wrote nothing:',
        '  - dev/cert-manager: interval: must be at least one millisecond (the CRD pattern for durations has no unit below \'ms\') (got "0.5ms")',
        '  - dev/cert-manager: timeout: must be at most about 292 years (Go holds a duration in int64 nanoseconds, and the controller could not read a longer one) (got "9223372800000ms")',
        '  - dev/web: spec.values.description: must be well-formed Unicode text: it holds half of a UTF-16 surrogate pair (as slicing a string through an emoji leaves), which Go\'s YAML readers refuse; fix the string (got "Deploy \\ud83d")',
        '  - dev/web: spec.values["k\\udc00"]: must be well-formed Unicode text: it holds half of a UTF-16 surrogate pair (as slicing a string through an emoji leaves), which Go\'s YAML readers refuse; fix the string (got "k\\udc00")',
      ].join('\n'));
    });

    test('on every dependency cycle, naming each release on it once, and a release that depends on itself', () => {
      const { repo, dev } = setup();
      const charts = new HelmRepository(dev, 'charts', { url: 'https://charts.example.com' });
      const deps: Record<string, HelmRelease[]> = { a: [], b: [], c: [], d: [], e: [] };
      const rel: Record<string, HelmRelease> = {};
      for (const id of Object.keys(deps)) rel[id] = new HelmRelease(dev, id, { repository: charts, chart: id, dependsOn: deps[id] });
      deps.a.push(rel.b); // a -> b -> c -> a, with a shortcut c -> b
      deps.b.push(rel.c);
      deps.c.push(rel.b, rel.a);
      deps.d.push(rel.a); // depends on the cycle, is not on it
      deps.e.push(rel.e);
      expect(synthError(repo)).toEqual([
        'synth found 4 problems and wrote nothing:',
        '  - dev/a: dependsOn: must not form a cycle: a -> b -> c -> a (got ["a","b","c","a"])',
        '  - dev/b: dependsOn: must not form a cycle: b -> c -> b (got ["b","c","b"])',
        '  - dev/c: dependsOn: must not form a cycle: c -> b -> c (got ["c","b","c"])',
        '  - dev/e: dependsOn[0]: must not name the release itself (got "e")',
      ].join('\n'));
    });

    test('on an OCIRepository timeout of an hour or more (its CRD pattern has no \'h\' unit)', () => {
      const { repo, dev } = setup();
      new OCIRepository(dev, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', timeout: Duration.hours(2) });
      expect(synthError(repo)).toEqual([
        'synth found 1 problem and wrote nothing:',
        '  - dev/podinfo: timeout: must be shorter than one hour (the CRD pattern for this field has no \'h\' unit): use at most Duration.minutes(59) (got "2h0m0s")',
      ].join('\n'));
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
      expect(synthError(repo)).toEqual([
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
