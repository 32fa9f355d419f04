import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  ChartNameChangeStrategy, ChartReconcileStrategy, ChartRefKind, CrdsPolicy, DeletionPropagation, DriftDetectionMode, FluxCluster, GitOpsRepo,
  HelmActionStrategyName, HelmRelease, KustomizePatchTarget, HelmRepository, HelmRepositoryProvider, HelmWaitStrategy, OCIRepository,
  OciLayerOperation, PostRenderStrategy, RemediationStrategy, SealedSecret, SealingCertificate, SecretReference, SecretValue, ServerSideApplyMode,
  ValuesSourceKind, VerificationProvider, Kustomization, SubstituteFrom, KustomizationDeletionPolicy, DecryptionProvider, GitRepository, HealthCheck,
  GitProvider, GitVerificationMode,
} from '../src';
import { mkdtemp, objectsIn, quietly, readTree } from './util';

/*
 * Coverage of the official CRDs: for each kind, "maximal" constructs (every prop set, in as many
 * variants as the kind has alternatives, such as tag / semver / digest) are synthesized, and every
 * leaf field the bundled CRD schema declares under spec (lib/vendor/flux-schemas.cjs: fieldNodes and
 * fieldRoots, made from the official CRDs) must appear in one of the manifests. A field no prop
 * writes fails the test, unless the allow-list of its kind says why it is left out (deprecated,
 * not implemented by Flux, or set by the API server). Fields newer than the bundled schemas
 * (listed in `newer`) are required too.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../lib/vendor/flux-schemas.cjs') as {
  fieldNodes: { p: Record<string, number>; m?: number }[];
  fieldRoots: Record<string, number>;
};

const CERT = path.join(__dirname, 'fixtures', 'sealing', 'rsa2048.crt');

/** Every leaf path under spec that the schema declares: lists are their items, a map's values are '*'. */
function schemaLeaves(key: string): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  const walk = (id: number | undefined, at: string) => {
    if (id === undefined || id < 0) {
      out.push(at);
      return;
    }
    const node = bundle.fieldNodes[id];
    const keys = Object.keys(node.p);
    if (keys.length === 0 && node.m === undefined) {
      out.push(at);
      return;
    }
    if (seen.has(id)) return; // a recursive type (none under spec today)
    seen.add(id);
    for (const k of keys) walk(node.p[k], `${at}.${k}`);
    if (node.m !== undefined) walk(node.m, `${at}.*`);
    seen.delete(id);
  };
  const root = bundle.fieldNodes[bundle.fieldRoots[key]];
  walk(root.p.spec, 'spec');
  return out;
}

/** The leaf paths a manifest writes under spec, named as schemaLeaves names them. */
function manifestLeaves(key: string, object: any): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown, id: number | undefined, at: string) => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v) => walk(v, id, at));
      return;
    }
    if (id === undefined && value !== null && typeof value === 'object') {
      // a field newer than the bundled schema: its own leaves
      for (const [k, v] of Object.entries(value as object)) walk(v, undefined, `${at}.${k}`);
      return;
    }
    if (id === undefined || id < 0 || value === null || typeof value !== 'object') {
      out.add(at);
      return;
    }
    const node = bundle.fieldNodes[id];
    for (const [k, v] of Object.entries(value as object)) {
      if (Object.prototype.hasOwnProperty.call(node.p, k)) walk(v, node.p[k], `${at}.${k}`);
      else if (node.m !== undefined) walk(v, node.m, `${at}.*`);
      else walk(v, undefined, `${at}.${k}`); // a field newer than the bundled schema
    }
  };
  const root = bundle.fieldNodes[bundle.fieldRoots[key]];
  walk(object.spec, root.p.spec, 'spec');
  return out;
}

interface KindCoverage {
  /** `apiVersion/kind`, as fieldRoots names it. */
  readonly key: string;
  /** Each variant fills a fresh cluster 'dev'; the objects of the kind in all variants are measured together. */
  readonly variants: ((dev: FluxCluster) => void)[];
  /** Leaf fields left out on purpose, each with its reason. */
  readonly allow: Record<string, string>;
  /** Leaf fields of today's CRD that the bundled schema does not declare yet (schema.ts NEWER_FIELDS). */
  readonly newer?: string[];
}

const selector: KustomizePatchTarget = {
  group: 'apps', version: 'v1', kind: 'Deployment', name: 'web-.*', namespace: 'apps', labelSelector: 'app=web', annotationSelector: 'team=a',
};

function secret(dev: FluxCluster, name: string, keys: string[], namespace?: string, type?: string): SealedSecret {
  const value = (k: string) => SecretValue.fromEnv(k === '.dockerconfigjson' ? 'COVERAGE_DOCKERCONFIG' : 'COVERAGE_SECRET');
  return new SealedSecret(dev, name, { namespace, type, data: Object.fromEntries(keys.map((k) => [k, value(k)])) });
}

const KINDS: KindCoverage[] = [
  {
    key: 'helm.toolkit.fluxcd.io/v2/HelmRelease',
    allow: {
      'spec.install.skipCRDs': 'deprecated: use crds (CrdsPolicy.SKIP) instead',
      'spec.rollback.recreate': 'deprecated: no longer functional since helm-controller uses the Helm 4 SDK (helm-controller v1.5)',
    },
    newer: ['spec.postRenderStrategy', 'spec.upgrade.chartNameChangeStrategy', 'spec.valuesFrom.literal'],
    variants: [
      (dev) => {
        const repo = new HelmRepository(dev, 'charts', { url: 'oci://ghcr.io/acme/charts', namespace: 'sources' });
        const cosign = secret(dev, 'cosign-pub', ['cosign.pub'], 'apps');
        const kube = secret(dev, 'remote-kubeconfig', ['config'], 'apps');
        const values = secret(dev, 'web-values', ['values.yaml', 'cert.pem'], 'apps');
        const other = new HelmRelease(dev, 'db', { namespace: 'apps', repository: repo, chart: 'db' });
        new HelmRelease(dev, 'web', {
          namespace: 'apps',
          repository: repo,
          chart: 'web',
          version: '1.2.x',
          chartInterval: Duration.minutes(5),
          sourceApiVersion: 'source.toolkit.fluxcd.io/v1',
          reconcileStrategy: ChartReconcileStrategy.REVISION,
          valuesFiles: ['values.yaml', 'values-prod.yaml'],
          ignoreMissingValuesFiles: true,
          chartVerify: { provider: VerificationProvider.COSIGN, secret: SecretReference.fromSealedSecret(cosign) },
          chartMetadata: { labels: { team: 'web' }, annotations: { owner: 'web' } },
          interval: Duration.minutes(10),
          releaseName: 'web',
          targetNamespace: 'web',
          storageNamespace: 'helm',
          timeout: Duration.minutes(3),
          maxHistory: 3,
          serviceAccountName: 'deployer',
          persistentClient: false,
          suspend: true,
          values: { replicas: 2 },
          valuesFrom: [
            values.valuesReference(),
            { kind: ValuesSourceKind.SECRET, name: 'web-values', valuesKey: 'cert.pem', targetPath: 'tls.cert', optional: true, literal: true },
          ],
          dependencies: [{ release: other, readyExpr: 'dep.status.observedGeneration == dep.metadata.generation' }, { name: 'ingress', namespace: 'infra' }],
          driftDetection: DriftDetectionMode.ENABLED,
          driftIgnore: [{ paths: ['/spec/replicas'], target: selector }],
          commonMetadata: { labels: { app: 'web' }, annotations: { note: 'x' } },
          kubeConfig: { secret: SecretReference.fromSealedSecret(kube), key: 'config' },
          healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Thing', current: 'status.ready', inProgress: 'status.busy', failed: 'status.failed' }],
          waitStrategy: HelmWaitStrategy.LEGACY,
          postRenderStrategy: PostRenderStrategy.SEPARATE,
          postRenderers: [{
            patches: [{ patch: 'kind: Deployment\nmetadata:\n  name: web\n', target: selector }],
            images: [{ name: 'nginx', newName: 'ghcr.io/acme/nginx', newTag: '1.27', digest: 'sha256:0123' }],
          }],
          install: {
            timeout: Duration.minutes(4),
            crds: CrdsPolicy.CREATE_REPLACE,
            createNamespace: true,
            replace: true,
            serverSideApply: true,
            disableHooks: true,
            disableWait: true,
            disableWaitForJobs: true,
            disableOpenAPIValidation: true,
            disableSchemaValidation: true,
            disableTakeOwnership: true,
            strategy: { name: HelmActionStrategyName.RETRY_ON_FAILURE, retryInterval: Duration.minutes(2) },
            remediation: { retries: 3, ignoreTestFailures: true, remediateLastFailure: true },
          },
          upgrade: {
            timeout: Duration.minutes(4),
            crds: CrdsPolicy.CREATE,
            cleanupOnFail: true,
            force: true,
            preserveValues: true,
            disableHooks: true,
            disableWait: true,
            disableWaitForJobs: true,
            disableOpenAPIValidation: true,
            disableSchemaValidation: true,
            disableTakeOwnership: true,
            serverSideApply: ServerSideApplyMode.ENABLED,
            chartNameChangeStrategy: ChartNameChangeStrategy.IN_PLACE_UPDATE,
            strategy: { name: HelmActionStrategyName.RETRY_ON_FAILURE, retryInterval: Duration.minutes(2) },
            remediation: { retries: -1, ignoreTestFailures: false, remediateLastFailure: true, strategy: RemediationStrategy.UNINSTALL },
          },
          rollback: {
            timeout: Duration.minutes(4),
            disableWait: true,
            disableWaitForJobs: true,
            disableHooks: true,
            force: true,
            cleanupOnFail: true,
            serverSideApply: ServerSideApplyMode.DISABLED,
          },
          uninstall: {
            timeout: Duration.minutes(4), disableHooks: true, keepHistory: true, disableWait: true, deletionPropagation: DeletionPropagation.ORPHAN,
          },
          test: { enable: true, ignoreFailures: true, timeout: Duration.minutes(4), filters: [{ name: 'smoke', exclude: true }] },
        });
      },
      (dev) => {
        new HelmRelease(dev, 'by-name', {
          chartRefByName: { kind: ChartRefKind.HELM_CHART, name: 'podinfo', namespace: 'charts', apiVersion: 'source.toolkit.fluxcd.io/v1' },
          kubeConfig: { configMapName: 'remote' },
        });
      },
    ],
  },
  {
    key: 'source.toolkit.fluxcd.io/v1/HelmRepository',
    allow: {
      'spec.accessFrom.namespaceSelectors.matchLabels.*': 'not implemented by Flux (provisional, fluxcd/flux2#2092: source-controller ignores it)',
    },
    variants: [
      (dev) => {
        const creds = secret(dev, 'creds', ['username', 'password']);
        const ca = secret(dev, 'ca', ['ca.crt']);
        new HelmRepository(dev, 'oci', {
          url: 'oci://ghcr.io/acme/charts',
          interval: Duration.minutes(5),
          timeout: Duration.seconds(30),
          secret: SecretReference.fromSealedSecret(creds),
          certSecret: SecretReference.fromSealedSecret(ca),
          passCredentials: true,
          insecure: true,
          provider: HelmRepositoryProvider.AWS,
          suspend: true,
        });
      },
    ],
  },
  {
    key: 'source.toolkit.fluxcd.io/v1/OCIRepository',
    allow: {},
    newer: ['spec.verify.trustedRootSecretRef.name'],
    variants: [
      (dev) => {
        const pull = secret(dev, 'pull', ['.dockerconfigjson'], undefined, 'kubernetes.io/dockerconfigjson');
        const ca = secret(dev, 'ca', ['tls.crt', 'tls.key']);
        const proxy = secret(dev, 'proxy', ['address']);
        const keys = secret(dev, 'cosign', ['cosign.pub']);
        const root = secret(dev, 'sigstore', ['trusted_root.json']);
        new OCIRepository(dev, 'semver', {
          url: 'oci://ghcr.io/acme/manifests',
          interval: Duration.minutes(5),
          timeout: Duration.seconds(30),
          semver: '>=1.0.0',
          semverFilter: '.*-rc.*',
          secret: SecretReference.fromSealedSecret(pull),
          certSecret: SecretReference.fromSealedSecret(ca),
          proxySecret: SecretReference.fromSealedSecret(proxy),
          serviceAccountName: 'puller',
          provider: HelmRepositoryProvider.GENERIC,
          insecure: true,
          suspend: true,
          layerMediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
          layerOperation: OciLayerOperation.COPY,
          ignorePaths: ['/*', '!/deploy'],
          verify: {
            provider: VerificationProvider.COSIGN,
            secret: SecretReference.fromSealedSecret(keys),
            trustedRootSecret: SecretReference.fromSealedSecret(root),
            matchOidcIdentity: [{ issuer: '^https://token.actions.githubusercontent.com$', subject: '^https://github.com/acme/.*$' }],
          },
        });
      },
      (dev) => {
        new OCIRepository(dev, 'digest', { url: 'oci://ghcr.io/acme/manifests', digest: 'sha256:0123abcd' });
        new OCIRepository(dev, 'tag', { url: 'oci://ghcr.io/acme/manifests', tag: '1.0.0' });
      },
    ],
  },
  {
    key: 'bitnami.com/v1alpha1/SealedSecret',
    allow: {
      'spec.data': 'deprecated: the v1 format (one sealed Secret); kubeseal writes encryptedData',
      ...Object.fromEntries([
        'deletionGracePeriodSeconds', 'deletionTimestamp', 'generation', 'resourceVersion', 'selfLink', 'uid',
        'managedFields.apiVersion', 'managedFields.fieldsType', 'managedFields.fieldsV1', 'managedFields.manager', 'managedFields.operation',
        'managedFields.subresource', 'managedFields.time',
      ].map((f) => [`spec.template.metadata.${f}`, 'set by the API server on the Secret (read-only ObjectMeta): the controller drops it from the template'])),
      ...Object.fromEntries(['apiVersion', 'blockOwnerDeletion', 'controller', 'kind', 'name', 'uid'].map((f) => [
        `spec.template.metadata.ownerReferences.${f}`, 'the controller makes the SealedSecret the Secret\'s owner itself; an owner needs the uid of a live object, which a GitOps repo cannot know',
      ])),
      'spec.template.metadata.generateName': 'the Secret\'s name is always written (sealing binds the name): generateName would never apply',
    },
    variants: [
      (dev) => {
        new SealedSecret(dev, 'full', {
          data: { password: SecretValue.fromEnv('COVERAGE_SECRET') },
          type: 'Opaque',
          immutable: true,
          labels: { app: 'web' },
          annotations: { note: 'x' },
          finalizers: ['example.com/keep'],
          templateData: { 'config.yaml': 'password: {{ .password }}' },
        });
      },
    ],
  },
];

KINDS.push(
  {
    key: 'kustomize.toolkit.fluxcd.io/v1/Kustomization',
    allow: {},
    newer: ['spec.ignore'],
    variants: [
      (dev) => {
        const vars = new Kustomization(dev, 'vars', { namespace: 'platform' });
        const secretVars = new SealedSecret(new Kustomization(dev, 'secrets'), 'cluster-vars', { data: { DOMAIN: SecretValue.fromEnv('COVERAGE_SECRET') } });
        const apps = new Kustomization(dev, 'apps', {
          sourceApiVersion: 'source.toolkit.fluxcd.io/v1',
          dependsOn: [vars],
          interval: Duration.hours(1),
          retryInterval: Duration.minutes(2),
          timeout: Duration.minutes(5),
          prune: true,
          wait: true,
          force: true,
          suspend: true,
          targetNamespace: 'apps',
          namePrefix: 'stg-',
          nameSuffix: '-v1',
          components: ['../components/monitoring'],
          ignoreMissingComponents: true,
          commonMetadata: { labels: { team: 'web' }, annotations: { owner: 'web' } },
          images: [{ name: 'podinfo', newName: 'ghcr.io/stefanprodan/podinfo', newTag: '6.5.0', digest: 'sha256:0123abcd' }],
          patches: [{ patch: 'kind: Deployment\nmetadata:\n  name: web\n', target: selector }],
          postBuild: { substitute: { CLUSTER: 'dev' }, substituteFrom: [SubstituteFrom.sealedSecret(secretVars, true)] },
          healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Thing', current: 'status.ready', inProgress: 'status.busy', failed: 'status.failed' }],
          deletionPolicy: KustomizationDeletionPolicy.DELETE,
          ignore: ['*.md'],
          decryption: { provider: DecryptionProvider.SOPS, secretRef: 'sops-age', serviceAccountName: 'kms' },
          kubeConfig: { secretName: 'remote', secretKey: 'value.yaml' },
          serviceAccountName: 'deployer',
        });
        apps.addDependsOn(vars, { readyExpr: 'dep.status.observedGeneration == dep.metadata.generation' });
        const source = new GitRepository(dev, 'podinfo', { url: 'https://github.com/stefanprodan/podinfo', namespace: 'sources' });
        new Kustomization(dev, 'remote', {
          sourceRef: source,
          path: 'kustomize',
          kubeConfig: { configMapName: 'remote-cluster' },
          healthChecks: [HealthCheck.ref({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo', namespace: 'podinfo' })],
        });
      },
    ],
  },
  {
    key: 'source.toolkit.fluxcd.io/v1/GitRepository',
    allow: {},
    variants: [
      (dev) => {
        const base = new GitRepository(dev, 'base', { url: 'ssh://git@github.com/acme/base', tag: 'v1.0.0' });
        new GitRepository(dev, 'full', {
          url: 'https://dev.azure.com/acme/fleet/_git/fleet',
          branch: 'main',
          commit: 'c88a2f41',
          interval: Duration.minutes(5),
          timeout: Duration.seconds(90),
          secretRef: 'git-creds',
          proxySecretRef: 'proxy',
          provider: GitProvider.AZURE,
          serviceAccountName: 'git-reader',
          recurseSubmodules: true,
          ignorePaths: ['docs/'],
          sparseCheckoutPaths: ['deploy/'],
          include: [{ repository: base, fromPath: 'deploy', toPath: 'base' }],
          verify: { mode: GitVerificationMode.TAG_AND_HEAD, secretRef: 'pgp-keys' },
          suspend: true,
        });
        new GitRepository(dev, 'semver', { url: 'https://github.com/acme/fleet', semver: '>=1.0.0' });
        new GitRepository(dev, 'refname', { url: 'https://github.com/acme/fleet', refName: 'refs/heads/main' });
      },
    ],
  },
);

/** Synthesizes each variant and returns the leaves its objects of the kind write. */
function covered(kind: KindCoverage): Set<string> {
  const leaves = new Set<string>();
  for (const variant of kind.variants) {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
    variant(dev);
    quietly(() => repo.synth());
    for (const { object } of objectsIn(readTree(outdir))) {
      if (`${object.apiVersion}/${object.kind}` === kind.key) for (const leaf of manifestLeaves(kind.key, object)) leaves.add(leaf);
    }
  }
  return leaves;
}

describe('coverage of the official CRD fields', () => {
  beforeAll(() => {
    process.env.COVERAGE_SECRET = 'coverage-test-value-0123456789';
    process.env.COVERAGE_DOCKERCONFIG = '{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}';
  });
  afterAll(() => {
    delete process.env.COVERAGE_SECRET;
    delete process.env.COVERAGE_DOCKERCONFIG;
  });

  test.each(KINDS.map((k) => [k.key, k] as const))('%s: every non-deprecated spec field has a prop', (_key, kind) => {
    const declared = [...schemaLeaves(kind.key), ...(kind.newer ?? [])];
    for (const allowed of Object.keys(kind.allow)) {
      // the allow-list names real fields only
      expect(declared).toContain(allowed);
    }
    const wanted = declared.filter((leaf) => !(leaf in kind.allow));
    const written = covered(kind);
    const missing = wanted.filter((leaf) => !written.has(leaf));
    const percent = Math.round((1000 * (wanted.length - missing.length)) / wanted.length) / 10;
    // eslint-disable-next-line no-console
    console.log(`${kind.key}: ${wanted.length - missing.length}/${wanted.length} fields (${percent}%), ${Object.keys(kind.allow).length} allowed out`);
    expect(missing).toEqual([]);
    // and nothing outside the declared fields
    expect([...written].filter((leaf) => !declared.includes(leaf))).toEqual([]);
  });

});
