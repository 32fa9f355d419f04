import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import {
  ChartReconcileStrategy, ChartRefKind, CrdsPolicy, DriftDetectionMode, HelmActionStrategyName, HelmRelease,
  HelmReleaseDependency, HelmRepository, OCIRepository, SealedSecret, SecretReference, SecretValue, ServerSideApplyMode,
  VerificationProvider,
} from '../src';
import { devRepo, golden, quietly, readTree, schemaViolations, synthError } from './util';

function setup() {
  const { outdir, repo, dev } = devRepo();
  const podinfo = new HelmRepository(dev, 'podinfo-repo', { name: 'podinfo', url: 'https://stefanprodan.github.io/podinfo' });
  return { outdir, repo, dev, podinfo };
}

function release(outdir: string, name: string = 'podinfo'): string {
  return readTree(outdir)[`clusters/dev/helm/releases/${name}.yaml`];
}

beforeAll(() => {
  process.env.I11F_TEST_SECRET = 'a-secret-value-for-the-tests-0123456789';
});
afterAll(() => {
  delete process.env.I11F_TEST_SECRET;
});

describe('HelmRelease options', () => {
  test('E13: flux create helmrelease podinfo --chart-ref HelmChart/podinfo --interval=1m0s --export', () => {
    const { outdir, repo, dev } = setup();
    new HelmRelease(dev, 'podinfo', { chartRefByName: { kind: ChartRefKind.HELM_CHART, name: 'podinfo' } });
    quietly(() => repo.synth());
    expect(release(outdir)).toEqual(golden('flux-create/e13-helmrelease-chartref-helmchart.yaml'));
  });

  test('E14: --chart-interval 5m --reconcile-strategy Revision --depends-on infra/ingress-nginx --kubeconfig-secret-ref remote-kubeconfig', () => {
    const { outdir, repo, dev, podinfo } = setup();
    new HelmRelease(dev, 'podinfo', {
      repository: podinfo,
      chart: 'podinfo',
      chartInterval: Duration.minutes(5),
      reconcileStrategy: ChartReconcileStrategy.REVISION,
      dependencies: [{ name: 'ingress-nginx', namespace: 'infra' }],
      kubeConfig: { secret: SecretReference.fromName('remote-kubeconfig') },
    });
    quietly(() => repo.synth());
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(release(outdir)).toEqual(golden('flux-create/e14-helmrelease-kubeconfig-reconcile-strategy-depends-on-namespace.yaml'));
  });

  test('crds writes install.crds: Create and upgrade.crds as the CLI does; install.crds overrides the install side', () => {
    const { outdir, repo, dev, podinfo } = setup();
    new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', crds: CrdsPolicy.CREATE_REPLACE, install: { crds: CrdsPolicy.CREATE_REPLACE } });
    new HelmRelease(dev, 'separate', { repository: podinfo, chart: 'podinfo', install: { crds: CrdsPolicy.SKIP }, upgrade: { crds: CrdsPolicy.CREATE } });
    quietly(() => repo.synth());
    expect(release(outdir)).toContain('  install:\n    crds: CreateReplace\n');
    expect(release(outdir)).toContain('  upgrade:\n    crds: CreateReplace\n');
    expect(release(outdir, 'separate')).toContain('  install:\n    crds: Skip\n');
    expect(release(outdir, 'separate')).toContain('  upgrade:\n    crds: Create\n');
  });

  test('the action groups are written with Go durations, sorted keys, and false only where Flux reads a pointer', () => {
    const { outdir, repo, dev, podinfo } = setup();
    new HelmRelease(dev, 'podinfo', {
      repository: podinfo,
      chart: 'podinfo',
      installRetries: 3,
      install: { timeout: Duration.minutes(10), serverSideApply: false, disableWait: false, remediation: { remediateLastFailure: false } },
      upgrade: {
        cleanupOnFail: true,
        serverSideApply: ServerSideApplyMode.ENABLED,
        strategy: { name: HelmActionStrategyName.RETRY_ON_FAILURE, retryInterval: Duration.seconds(90) },
      },
      test: {},
    });
    quietly(() => repo.synth());
    expect(schemaViolations(readTree(outdir))).toEqual([]);
    expect(release(outdir)).toContain([
      '  install:',
      '    remediation:',
      '      remediateLastFailure: false',
      '      retries: 3',
      '    serverSideApply: false',
      '    timeout: 10m0s',
      '  interval: 1m0s',
      '  test:',
      '    enable: true',
      '  upgrade:',
      '    cleanupOnFail: true',
      '    serverSideApply: enabled',
      '    strategy:',
      '      name: RetryOnFailure',
      '      retryInterval: 1m30s',
      '',
    ].join('\n'));
  });

  test('mistakes in the option groups are reported together, by prop path', () => {
    const { repo, dev, podinfo } = setup();
    new HelmRelease(dev, 'podinfo', {
      repository: podinfo,
      chart: 'podinfo',
      createNamespace: true,
      installRetries: 1,
      crds: CrdsPolicy.CREATE,
      install: {
        createNamespace: true,
        remediation: { retries: 2 },
        strategy: { name: HelmActionStrategyName.REMEDIATE_ON_FAILURE, retryInterval: Duration.minutes(1) },
      },
      upgrade: { crds: CrdsPolicy.SKIP, serverSideApply: 'yes' as any, timeout: '5m' as any },
      test: { filters: [{ name: '' }], bogus: 1 } as any,
      driftIgnore: [{ paths: ['spec/replicas'] }],
      kubeConfig: { key: 'config' },
    });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 12 problems and wrote nothing:',
      '  - dev/podinfo: upgrade.timeout: must be a Duration such as Duration.minutes(10), not a string or a number (got "5m")',
      '  - dev/podinfo: upgrade.serverSideApply: must be one of ServerSideApplyMode.ENABLED, ServerSideApplyMode.DISABLED, ServerSideApplyMode.AUTO (\'enabled\', \'disabled\', \'auto\') (got "yes")',
      '  - dev/podinfo: test.bogus: is not an option of test; the options are \'enable\', \'ignoreFailures\', \'timeout\', \'filters\' (got 1)',
      '  - dev/podinfo: install.strategy.retryInterval: applies only with HelmActionStrategyName.RETRY_ON_FAILURE (Flux: \'.retryInterval cannot be set when .name is \'RemediateOnFailure\'\') (got "RemediateOnFailure")',
      '  - dev/podinfo: install.createNamespace: must not be given with createNamespace: give one of them (got true)',
      '  - dev/podinfo: install.remediation.retries: must not be given with installRetries: give one of them (got 2)',
      '  - dev/podinfo: upgrade.crds: must not be given with crds (which sets upgrade.crds, and install.crds to Create, as flux create helmrelease --crds does): give one of them (got "Skip")',
      '  - dev/podinfo: test.filters[0].name: must be the name of a test of the chart (got "")',
      '  - dev/podinfo: driftIgnore[0].paths[0]: must be a JSON pointer such as \'/spec/replicas\' (got "spec/replicas")',
      '  - dev/podinfo: driftIgnore: needs driftDetection DriftDetectionMode.ENABLED or WARN: with drift detection off there is nothing to ignore',
      '  - dev/podinfo: kubeConfig: must have exactly one of secret and configMapName (Flux: \'exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified\')',
      '  - dev/podinfo: kubeConfig.key: needs secret: it is the key of the kubeconfig Secret (got "config")',
    ]);
  });

  test('chart options apply only to a chart from a HelmRepository; chartVerify only to an OCI one', () => {
    const { repo, dev, podinfo } = setup();
    const oci = new OCIRepository(dev, 'oci', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo' });
    new HelmRelease(dev, 'by-ref', { chartRef: oci, valuesFiles: ['values-prod.yaml'], reconcileStrategy: ChartReconcileStrategy.REVISION });
    new HelmRelease(dev, 'http', { repository: podinfo, chart: 'podinfo', chartVerify: { provider: VerificationProvider.COSIGN } });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 3 problems and wrote nothing:',
      '  - dev/by-ref: reconcileStrategy: applies only to a chart from a HelmRepository or GitRepository (with chart): with chartRef there is no HelmChart template (got "Revision")',
      '  - dev/by-ref: valuesFiles: applies only to a chart from a HelmRepository or GitRepository (with chart): with chartRef there is no HelmChart template (got ["values-prod.yaml"])',
      '  - dev/http: chartVerify: applies only to a chart from an OCI HelmRepository (an oci:// url): \'podinfo\' is an HTTP chart index (got "podinfo")',
    ]);
  });

  test('dependencies: a release of this library with a readyExpr, in another namespace', () => {
    const { outdir, repo, dev, podinfo } = setup();
    const db = new HelmRelease(dev, 'db', { namespace: 'data', repository: podinfo, chart: 'db' });
    new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', dependencies: [{ release: db, readyExpr: 'dep.status.observedGeneration == dep.metadata.generation' }] });
    quietly(() => repo.synth());
    expect(release(outdir)).toContain([
      '  dependsOn:',
      '  - name: db',
      '    namespace: data',
      '    readyExpr: dep.status.observedGeneration == dep.metadata.generation',
      '',
    ].join('\n'));
  });

  test('dependencies take part in the cycle search, and a release named twice is refused', () => {
    const { repo, dev, podinfo } = setup();
    const aDeps: HelmReleaseDependency[] = [];
    const a = new HelmRelease(dev, 'a', { repository: podinfo, chart: 'a', dependencies: aDeps });
    const b = new HelmRelease(dev, 'b', { repository: podinfo, chart: 'b', dependencies: [{ release: a }] });
    aDeps.push({ release: b }); // a -> b -> a
    new HelmRelease(dev, 'c', { repository: podinfo, chart: 'c', dependsOn: [a], dependencies: [{ name: 'a' }] });
    const message = synthError(repo);
    expect(message).toContain('  - dev/a: dependsOn: must not form a cycle: a -> b -> a (got ["a","b","a"])');
    expect(message).toContain('  - dev/c: dependencies: must not name a release twice: \'flux-system/a\' is in dependsOn or dependencies already (got "a")');
  });

  test('kubeConfig.secret from a SealedSecret needs the key helm-controller reads', () => {
    const { repo, dev, podinfo } = setup();
    const kube = new SealedSecret(dev, 'kubeconfig', { data: { kubeconfig: SecretValue.fromEnv('I11F_TEST_SECRET') } });
    new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', kubeConfig: { secret: SecretReference.fromSealedSecret(kube) } });
    new HelmRelease(dev, 'keyed', { repository: podinfo, chart: 'podinfo', kubeConfig: { secret: SecretReference.fromSealedSecret(kube), key: 'config' } });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 2 problems and wrote nothing:',
      '  - dev/podinfo: kubeConfig.secret: must refer to a Secret with the keys \'value\', or \'value.yaml\': helm-controller reads the kubeconfig from \'value\' or \'value.yaml\' unless kubeConfig.key names another key; SealedSecret \'kubeconfig\' has \'kubeconfig\' (got "kubeconfig")',
      '  - dev/keyed: kubeConfig.secret: must refer to a Secret with the key \'config\': helm-controller reads the kubeconfig from the key kubeConfig.key names; SealedSecret \'kubeconfig\' has \'kubeconfig\' (got "kubeconfig")',
    ]);
  });
});

describe('HelmRelease escape hatches', () => {
  test('a JsonPatch.add of /spec/test lands in the file and passes the schema', () => {
    const { outdir, repo, dev, podinfo } = setup();
    const r = new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo' });
    r.addJsonPatch(JsonPatch.add('/spec/test', { enable: true, ignoreFailures: true }));
    quietly(() => repo.synth());
    expect(release(outdir)).toContain('  test:\n    enable: true\n    ignoreFailures: true\n');
    expect(schemaViolations(readTree(outdir))).toEqual([]);
  });

  test('ApiObject.of(release).addJsonPatch and addOverride work, in order', () => {
    const { outdir, repo, dev, podinfo } = setup();
    const r = new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', driftDetection: DriftDetectionMode.WARN });
    ApiObject.of(r).addJsonPatch(JsonPatch.add('/spec/persistentClient', false));
    r.addOverride('spec.driftDetection.mode', 'enabled');
    quietly(() => repo.synth());
    expect(release(outdir)).toContain('  driftDetection:\n    mode: enabled\n');
    expect(release(outdir)).toContain('  persistentClient: false\n');
  });

  test('a patch that breaks the schema is refused at synth, naming the field', () => {
    const { repo, dev, podinfo } = setup();
    const r = new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo' });
    r.addJsonPatch(JsonPatch.replace('/spec/interval', 5));
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 1 problem and wrote nothing:',
      '  - dev/podinfo: spec.interval: must match the official HelmRelease schema (helm.toolkit.fluxcd.io/v2): must be string; check the addJsonPatch/addOverride calls (got 5)',
    ]);
  });

  test('an unknown prop from a JavaScript caller is refused, naming it', () => {
    const { repo, dev, podinfo } = setup();
    new HelmRelease(dev, 'podinfo', { repository: podinfo, chart: 'podinfo', postRenderer: [] } as any);
    new HelmRelease(dev, 'other', { repository: podinfo, chart: 'podinfo', waitstrategy: 'poller' } as any);
    const message = synthError(repo);
    expect(message).toContain('  - dev/podinfo: postRenderer: is not a prop of HelmRelease; the props are ');
    expect(message).toContain('  - dev/other: waitstrategy: is not a prop of HelmRelease: did you mean \'waitStrategy\'? (got "poller")');
  });
});
