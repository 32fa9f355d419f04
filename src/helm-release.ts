import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkCount, checkDurationProp, checkEnum, checkLabelName, checkLength, checkObjectName, checkPlainData, requireArgument, requireProps, TARGET_PATH, VALUES_KEY } from './checks/rules';
import { checkSecretReference, verifySecretKeys } from './checks/secret-keys';
import { checkStringMap, FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { GitRepository } from './git-repository';
import { HelmRepository } from './helm-repository';
import { KustomizeImage, KustomizePatch, KustomizePatchTarget } from './kustomization';
import { checkRegexp, OCIRepository, VerificationProvider } from './oci-repository';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SealedSecret, sealedSecretOf } from './sealed-secret';
import { SecretReference } from './secret-reference';
import { SecretValue } from './secret-value';
import { SynthContext } from './synth/context';

/** What Helm does with the CRDs in a chart's `crds/` folder (`flux create helmrelease --crds`). */
export enum CrdsPolicy {
  /** Leave CRDs alone. */
  SKIP = 'Skip',
  /** Create CRDs that do not exist yet; never update them. */
  CREATE = 'Create',
  /** Create new CRDs and replace (update) existing ones. */
  CREATE_REPLACE = 'CreateReplace',
}

/** How Flux handles drift between the release and the cluster (`spec.driftDetection.mode`). */
export enum DriftDetectionMode {
  /** Detect drift and correct it. */
  ENABLED = 'enabled',
  /** Detect drift and only report it. */
  WARN = 'warn',
  /** Do not detect drift. */
  DISABLED = 'disabled',
}

/** The kind of object a `valuesFrom` entry reads. */
export enum ValuesSourceKind {
  /** A Secret (for example one a SealedSecret unseals to). */
  SECRET = 'Secret',
  /** A ConfigMap. */
  CONFIG_MAP = 'ConfigMap',
}

/** One `spec.valuesFrom` entry of a HelmRelease. */
export interface ValuesReference {
  /** The kind of the object the values come from. */
  readonly kind: ValuesSourceKind;

  /** The object's name; it must live in the HelmRelease's namespace. */
  readonly name: string;

  /**
   * The key in the object's data that holds the values.
   * @default 'values.yaml'
   */
  readonly valuesKey?: string;

  /**
   * A path in the values (`a.b.c`, `list[0]`) where the key's value is set, instead of merging
   * the key's content as a YAML document.
   * @default - the key's content is merged at the root
   */
  readonly targetPath?: string;

  /**
   * Do not fail when the object or key does not exist.
   * @default false
   */
  readonly optional?: boolean;

  /**
   * With `targetPath`, set the value as it is, without Helm's `--set` syntax (`helm --set-literal`).
   * @default false
   */
  readonly literal?: boolean;
}

/** What a failed install or upgrade leads to (`spec.install.strategy.name`, `spec.upgrade.strategy.name`). */
export enum HelmActionStrategyName {
  /** Remediate the failure (uninstall, roll back) and retry as `remediation` says (Flux's default). */
  REMEDIATE_ON_FAILURE = 'RemediateOnFailure',
  /** Retry the action at `retryInterval`, without remediation. */
  RETRY_ON_FAILURE = 'RetryOnFailure',
}

/** How a failed upgrade is remediated (`spec.upgrade.remediation.strategy`). */
export enum RemediationStrategy {
  /** Roll back to the last successful release (Flux's default). */
  ROLLBACK = 'rollback',
  /** Uninstall the release. */
  UNINSTALL = 'uninstall',
}

/** Server-side apply on upgrade and rollback (`spec.upgrade.serverSideApply`, `spec.rollback.serverSideApply`). */
export enum ServerSideApplyMode {
  /** Always apply server-side. */
  ENABLED = 'enabled',
  /** Always apply client-side. */
  DISABLED = 'disabled',
  /** As the release's previous revision was applied (Flux's default). */
  AUTO = 'auto',
}

/** What Flux does when the chart's name changes (`spec.upgrade.chartNameChangeStrategy`). */
export enum ChartNameChangeStrategy {
  /** Upgrade the release in place. */
  IN_PLACE_UPDATE = 'InPlaceUpdate',
  /** Uninstall and install the release again (Flux's default). */
  REINSTALL = 'Reinstall',
}

/** The deletion propagation policy of a Helm uninstall (`spec.uninstall.deletionPropagation`). */
export enum DeletionPropagation {
  /** Delete dependents in the background (Flux's default). */
  BACKGROUND = 'background',
  /** Delete dependents first. */
  FOREGROUND = 'foreground',
  /** Leave dependents behind. */
  ORPHAN = 'orphan',
}

/** How Helm waits for the applied objects to be ready (`spec.waitStrategy.name`). */
export enum HelmWaitStrategy {
  /** kstatus polling (Flux's default). */
  POLLER = 'poller',
  /** Helm 3's waiting logic. */
  LEGACY = 'legacy',
}

/** Which manifests go to the post-renderers (`spec.postRenderStrategy`). */
export enum PostRenderStrategy {
  /** Templates only, not hooks (Helm 3's behaviour). */
  NO_HOOKS = 'nohooks',
  /** Templates and hooks in one stream (Helm 4's default). */
  COMBINED = 'combined',
  /** Templates and hooks in separate streams (Helm 4.2). */
  SEPARATE = 'separate',
}

/** When the HelmChart of a release makes a new artifact (`spec.chart.spec.reconcileStrategy`, `--reconcile-strategy`). */
export enum ChartReconcileStrategy {
  /** When the chart version changes (what `flux create helmrelease` writes). */
  CHART_VERSION = 'ChartVersion',
  /** When the source revision changes (a chart from a Git repository or bucket). */
  REVISION = 'Revision',
}

/** The kind of object `chartRefByName` names (`spec.chartRef.kind`). */
export enum ChartRefKind {
  /** An OCIRepository made elsewhere (use `chartRef` for one of this library). */
  OCI_REPOSITORY = 'OCIRepository',
  /** A HelmChart object (`--chart-ref HelmChart/<name>`). */
  HELM_CHART = 'HelmChart',
  /** An ExternalArtifact (Flux 2.7+). */
  EXTERNAL_ARTIFACT = 'ExternalArtifact',
}

/** A chart source not made by this library (`spec.chartRef`). */
export interface ChartReference {
  /** The kind of the object. */
  readonly kind: ChartRefKind;
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - the release's namespace
   */
  readonly namespace?: string;
  /**
   * The object's apiVersion (`spec.chartRef.apiVersion`).
   * @default - not written (Flux's current source API)
   */
  readonly apiVersion?: string;
}

/** A strategy of the install or upgrade action (`spec.install.strategy`, `spec.upgrade.strategy`). */
export interface HelmActionStrategy {
  /** The strategy. */
  readonly name: HelmActionStrategyName;
  /**
   * How long to wait before retrying (only with `RETRY_ON_FAILURE`).
   * @default - Flux's default (5m)
   */
  readonly retryInterval?: Duration;
}

/** Remediation of a failed install (`spec.install.remediation`). */
export interface HelmInstallRemediation {
  /**
   * How many times a failed install is retried, with an uninstall in between (-1 for unlimited).
   * @default - Flux's default (0)
   */
  readonly retries?: number;
  /**
   * Do not remediate when the Helm tests after the action fail.
   * @default - `test.ignoreFailures`
   */
  readonly ignoreTestFailures?: boolean;
  /**
   * Remediate the last failure too, when no retries remain.
   * @default - false unless retries is above 0
   */
  readonly remediateLastFailure?: boolean;
}

/** Remediation of a failed upgrade (`spec.upgrade.remediation`). */
export interface HelmUpgradeRemediation extends HelmInstallRemediation {
  /**
   * How the failure is remediated.
   * @default RemediationStrategy.ROLLBACK
   */
  readonly strategy?: RemediationStrategy;
}

/** The switches of Helm install and upgrade that read the same. */
export interface HelmActionFlags {
  /**
   * Timeout of each Kubernetes operation of the action (hooks, waiting).
   * @default - the release's `timeout`
   */
  readonly timeout?: Duration;
  /**
   * Do not run the chart's hooks.
   * @default false
   */
  readonly disableHooks?: boolean;
  /**
   * Do not wait for the objects to be ready.
   * @default false
   */
  readonly disableWait?: boolean;
  /**
   * Do not wait for Jobs to complete.
   * @default false
   */
  readonly disableWaitForJobs?: boolean;
  /**
   * Do not validate the rendered manifests against the Kubernetes OpenAPI schema.
   * @default false
   */
  readonly disableOpenAPIValidation?: boolean;
  /**
   * Do not validate the values against the chart's JSON schema.
   * @default false
   */
  readonly disableSchemaValidation?: boolean;
  /**
   * Do not take ownership of existing objects the chart renders.
   * @default false
   */
  readonly disableTakeOwnership?: boolean;
}

/** The Helm install action (`spec.install`). */
export interface HelmReleaseInstallOptions extends HelmActionFlags {
  /**
   * The CRD policy on install. The release's `crds` prop writes `Create` here, as `flux create
   * helmrelease --crds` does; this overrides it.
   * @default - Flux's default (Create)
   */
  readonly crds?: CrdsPolicy;
  /**
   * Create the target namespace (the same as the release's `createNamespace`; give one of them).
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Re-use the name of a deleted release that remains in the history.
   * @default false
   */
  readonly replace?: boolean;
  /**
   * Apply server-side on install.
   * @default - Flux's default (true)
   */
  readonly serverSideApply?: boolean;
  /**
   * What a failed install leads to.
   * @default - remediation
   */
  readonly strategy?: HelmActionStrategy;
  /**
   * Remediation of a failed install (`retries` is the release's `installRetries`; give one of them).
   * @default - Flux's defaults
   */
  readonly remediation?: HelmInstallRemediation;
}

/** The Helm upgrade action (`spec.upgrade`). */
export interface HelmReleaseUpgradeOptions extends HelmActionFlags {
  /**
   * The CRD policy on upgrade (the same as the release's `crds`; give one of them).
   * @default - Flux's default (Skip)
   */
  readonly crds?: CrdsPolicy;
  /**
   * Delete the objects a failed upgrade created.
   * @default false
   */
  readonly cleanupOnFail?: boolean;
  /**
   * Replace objects instead of patching them (client-side apply).
   * @default false
   */
  readonly force?: boolean;
  /**
   * Keep the values of the last release and merge the new ones over them.
   * @default false
   */
  readonly preserveValues?: boolean;
  /**
   * Server-side apply on upgrade.
   * @default ServerSideApplyMode.AUTO
   */
  readonly serverSideApply?: ServerSideApplyMode;
  /**
   * What Flux does when the chart name changes.
   * @default ChartNameChangeStrategy.REINSTALL
   */
  readonly chartNameChangeStrategy?: ChartNameChangeStrategy;
  /**
   * What a failed upgrade leads to.
   * @default - remediation
   */
  readonly strategy?: HelmActionStrategy;
  /**
   * Remediation of a failed upgrade (`retries` is the release's `upgradeRetries`; give one of them).
   * @default - Flux's defaults
   */
  readonly remediation?: HelmUpgradeRemediation;
}

/** The Helm rollback action (`spec.rollback`). */
export interface HelmReleaseRollbackOptions {
  /**
   * Timeout of each Kubernetes operation of the rollback.
   * @default - the release's `timeout`
   */
  readonly timeout?: Duration;
  /**
   * Do not wait for the objects to be ready.
   * @default false
   */
  readonly disableWait?: boolean;
  /**
   * Do not wait for Jobs to complete.
   * @default false
   */
  readonly disableWaitForJobs?: boolean;
  /**
   * Do not run the chart's hooks.
   * @default false
   */
  readonly disableHooks?: boolean;
  /**
   * Replace objects instead of patching them (client-side apply).
   * @default false
   */
  readonly force?: boolean;
  /**
   * Delete the objects a failed rollback created.
   * @default false
   */
  readonly cleanupOnFail?: boolean;
  /**
   * Server-side apply on rollback.
   * @default ServerSideApplyMode.AUTO
   */
  readonly serverSideApply?: ServerSideApplyMode;
}

/** The Helm uninstall action (`spec.uninstall`). */
export interface HelmReleaseUninstallOptions {
  /**
   * Timeout of each Kubernetes operation of the uninstall.
   * @default - the release's `timeout`
   */
  readonly timeout?: Duration;
  /**
   * Do not run the chart's hooks.
   * @default false
   */
  readonly disableHooks?: boolean;
  /**
   * Keep the release history.
   * @default false
   */
  readonly keepHistory?: boolean;
  /**
   * Do not wait for the objects to be deleted.
   * @default false
   */
  readonly disableWait?: boolean;
  /**
   * The deletion propagation policy.
   * @default DeletionPropagation.BACKGROUND
   */
  readonly deletionPropagation?: DeletionPropagation;
}

/** A filter of the Helm tests to run (`spec.test.filters[]`). */
export interface HelmTestFilter {
  /** The test's name. */
  readonly name: string;
  /**
   * Leave this test out instead of running only the listed ones.
   * @default false
   */
  readonly exclude?: boolean;
}

/** The Helm test action (`spec.test`). */
export interface HelmReleaseTestOptions {
  /**
   * Run the chart's tests after an install or upgrade.
   * @default true
   */
  readonly enable?: boolean;
  /**
   * Do not fail the release when a test fails.
   * @default false
   */
  readonly ignoreFailures?: boolean;
  /**
   * Timeout of each Kubernetes operation of the tests.
   * @default - the release's `timeout`
   */
  readonly timeout?: Duration;
  /**
   * Which tests run.
   * @default - all
   */
  readonly filters?: HelmTestFilter[];
}

/** One kustomize post-renderer (`spec.postRenderers[]`). */
export interface HelmReleasePostRenderer {
  /**
   * Patches.
   * @default - none
   */
  readonly patches?: KustomizePatch[];
  /**
   * Image overrides.
   * @default - none
   */
  readonly images?: KustomizeImage[];
}

/** Fields drift detection leaves alone (`spec.driftDetection.ignore[]`). */
export interface DriftIgnoreRule {
  /** JSON pointers of the fields, e.g. '/spec/replicas'. */
  readonly paths: string[];
  /**
   * The objects the rule applies to.
   * @default - every object of the release
   */
  readonly target?: KustomizePatchTarget;
}

/** Labels and annotations (`spec.commonMetadata`, `spec.chart.metadata`). */
export interface HelmReleaseMetadataOptions {
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** The kubeconfig of a remote cluster the release is installed into (`spec.kubeConfig`). */
export interface HelmReleaseKubeConfig {
  /**
   * The Secret with the kubeconfig (`--kubeconfig-secret-ref`). Give `secret` or `configMapName`.
   * @default - none
   */
  readonly secret?: SecretReference;
  /**
   * The Secret's key with the kubeconfig.
   * @default - 'value' or 'value.yaml'
   */
  readonly key?: string;
  /**
   * A ConfigMap with a workload-identity kubeconfig (`spec.kubeConfig.configMapRef`).
   * @default - none
   */
  readonly configMapName?: string;
}

/** A CEL health check of custom resources (`spec.healthCheckExprs[]`). */
export interface HelmReleaseHealthCheck {
  /** The apiVersion of the resources. */
  readonly apiVersion: string;
  /**
   * The kind of the resources.
   * @default - every kind of the apiVersion's group
   */
  readonly kind?: string;
  /**
   * When the resource is ready.
   * @default - none
   */
  readonly current?: string;
  /**
   * When the resource is still in progress.
   * @default - none
   */
  readonly inProgress?: string;
  /**
   * When the resource has failed.
   * @default - none
   */
  readonly failed?: string;
}

/** Signature verification of an OCI chart (`spec.chart.spec.verify`). */
export interface ChartVerification {
  /**
   * The signing technology.
   * @default VerificationProvider.COSIGN
   */
  readonly provider?: VerificationProvider;
  /**
   * The Secret with the trusted keys.
   * @default - keyless cosign verification
   */
  readonly secret?: SecretReference;
}

/** A dependency with more than a name (`spec.dependsOn[]`). */
export interface HelmReleaseDependency {
  /**
   * A HelmRelease of this library. Give `release` or `name`.
   * @default - none
   */
  readonly release?: HelmRelease;
  /**
   * The name of a HelmRelease made elsewhere.
   * @default - none
   */
  readonly name?: string;
  /**
   * The namespace of the HelmRelease made elsewhere.
   * @default - the release's namespace
   */
  readonly namespace?: string;
  /**
   * A CEL expression that says when the dependency is ready, e.g. 'dep.status.conditions.exists(c, c.type == "Ready" && c.status == "True")'.
   * @default - the Ready condition
   */
  readonly readyExpr?: string;
}

/** Properties of a `HelmRelease` (`helm.toolkit.fluxcd.io/v2`). */
export interface HelmReleaseProps extends FluxObjectProps {
  /**
   * The HelmRepository that serves the chart; it must be in the same cluster. Give either
   * `repository` and `chart`, or `chartRef`.
   * @default - none: then `chartRef` is required
   */
  readonly repository?: HelmRepository;

  /**
   * A GitRepository that holds the chart's source, instead of `repository`: `chart` is then the
   * chart's path in it (`./charts/podinfo`), and Flux builds the chart from that folder.
   * @default - none: the chart comes from `repository` or `chartRef`
   */
  readonly gitRepository?: GitRepository;

  /**
   * The chart's name in the repository (with `repository`).
   * @default - none: then `chartRef` is required
   */
  readonly chart?: string;

  /**
   * An OCIRepository that holds the chart (`spec.chartRef`), instead of `repository` and `chart`.
   * @default - none: then `repository` and `chart` are required
   */
  readonly chartRef?: OCIRepository;

  /**
   * The chart version or semver range (always written as a YAML string).
   * @default - the newest version (Flux's default '*')
   */
  readonly version?: string;

  /**
   * How often Flux reconciles the release.
   * @default Duration.minutes(1), as `flux create helmrelease`
   */
  readonly interval?: Duration;

  /**
   * How often the HelmChart Flux makes for this release checks the source for new versions.
   * @default - the release's interval
   */
  readonly chartInterval?: Duration;

  /**
   * The Helm release name (at most 53 characters). Changing it on a live release reinstalls it.
   * @default - `[targetNamespace-]name`, as Flux does
   */
  readonly releaseName?: string;

  /**
   * The namespace the chart's objects are installed into.
   * @default - the Flux namespace
   */
  readonly targetNamespace?: string;

  /**
   * The namespace Helm keeps the release history in.
   * @default - the target namespace, as `flux create helmrelease` (Flux ≥ 2.7) sets it
   */
  readonly storageNamespace?: string;

  /**
   * Create the target namespace on install.
   * @default false
   */
  readonly createNamespace?: boolean;

  /**
   * The CRD policy on upgrade; on install CRDs are then created (`--crds` of `flux create helmrelease`).
   * @default - Flux's defaults (Create on install, Skip on upgrade)
   */
  readonly crds?: CrdsPolicy;

  /**
   * How many times a failed install is retried (-1 for unlimited).
   * @default - Flux's default (0)
   */
  readonly installRetries?: number;

  /**
   * How many times a failed upgrade is retried (-1 for unlimited).
   * @default - Flux's default (0)
   */
  readonly upgradeRetries?: number;

  /**
   * Inline chart values, written as `spec.values` with sorted keys. Never put secrets here: use
   * `secretValues` or `valuesFrom` with a SealedSecret.
   * @default - no inline values
   */
  readonly values?: { [key: string]: any };

  /**
   * Values read from Secrets or ConfigMaps, merged in order before `values`.
   * Use `SealedSecret.valuesReference()` for sealed ones.
   * @default - none
   */
  readonly valuesFrom?: ValuesReference[];

  /**
   * A whole values file with secrets (the tutorial's `<release>-values-v<version>.yaml`). It is
   * sealed into the SealedSecret `<name>-values` in the release's namespace and added to
   * `valuesFrom`, so its plain text never reaches Git.
   * @default - none
   */
  readonly secretValues?: SecretValue;

  /**
   * HelmReleases of the same cluster that must be ready first.
   * @default - none
   */
  readonly dependsOn?: HelmRelease[];

  /**
   * Timeout of each Helm action.
   * @default - Flux's default (5m)
   */
  readonly timeout?: Duration;

  /**
   * Drift detection between the release and the cluster.
   * @default - Flux's default (disabled)
   */
  readonly driftDetection?: DriftDetectionMode;

  /**
   * The ServiceAccount Helm impersonates.
   * @default - the helm-controller's own
   */
  readonly serviceAccountName?: string;

  /**
   * How many release revisions Helm keeps.
   * @default - Flux's default (5)
   */
  readonly maxHistory?: number;

  /**
   * Stop reconciling this release.
   * @default false
   */
  readonly suspend?: boolean;

  /**
   * A chart source not made by this library (`spec.chartRef`): a HelmChart, an OCIRepository or
   * an ExternalArtifact by name (`--chart-ref <kind>/<name>`). Instead of `chartRef` or `repository`.
   * @default - none
   */
  readonly chartRefByName?: ChartReference;

  /**
   * The apiVersion written in `spec.chart.spec.sourceRef` and `spec.chartRef` (for a source of this library).
   * @default - not written
   */
  readonly sourceApiVersion?: string;

  /**
   * When the HelmChart makes a new artifact (`--reconcile-strategy`).
   * @default ChartReconcileStrategy.CHART_VERSION
   */
  readonly reconcileStrategy?: ChartReconcileStrategy;

  /**
   * Values files of the chart, merged in order over its `values.yaml` (`spec.chart.spec.valuesFiles`).
   * @default - the chart's values.yaml
   */
  readonly valuesFiles?: string[];

  /**
   * Do not fail when a file of `valuesFiles` is missing.
   * @default false
   */
  readonly ignoreMissingValuesFiles?: boolean;

  /**
   * Signature verification of the chart (an OCI HelmRepository only).
   * @default - not verified
   */
  readonly chartVerify?: ChartVerification;

  /**
   * Labels and annotations of the HelmChart Flux makes (`spec.chart.metadata`).
   * @default - none
   */
  readonly chartMetadata?: HelmReleaseMetadataOptions;

  /**
   * The Helm install action.
   * @default - Flux's defaults
   */
  readonly install?: HelmReleaseInstallOptions;

  /**
   * The Helm upgrade action.
   * @default - Flux's defaults
   */
  readonly upgrade?: HelmReleaseUpgradeOptions;

  /**
   * The Helm rollback action.
   * @default - Flux's defaults
   */
  readonly rollback?: HelmReleaseRollbackOptions;

  /**
   * The Helm uninstall action.
   * @default - Flux's defaults
   */
  readonly uninstall?: HelmReleaseUninstallOptions;

  /**
   * The Helm test action.
   * @default - tests do not run
   */
  readonly test?: HelmReleaseTestOptions;

  /**
   * Kustomize post-renderers, applied in order to the rendered manifests.
   * @default - none
   */
  readonly postRenderers?: HelmReleasePostRenderer[];

  /**
   * Which manifests go to the post-renderers.
   * @default PostRenderStrategy.COMBINED
   */
  readonly postRenderStrategy?: PostRenderStrategy;

  /**
   * Fields drift detection leaves alone (needs `driftDetection` ENABLED or WARN).
   * @default - none
   */
  readonly driftIgnore?: DriftIgnoreRule[];

  /**
   * Labels and annotations put on every object of the release (`spec.commonMetadata`).
   * @default - none
   */
  readonly commonMetadata?: HelmReleaseMetadataOptions;

  /**
   * Install into a remote cluster (`spec.kubeConfig`).
   * @default - the cluster helm-controller runs in
   */
  readonly kubeConfig?: HelmReleaseKubeConfig;

  /**
   * Keep one Kubernetes client for the release's Helm actions.
   * @default - Flux's default (true)
   */
  readonly persistentClient?: boolean;

  /**
   * CEL health checks of the release's custom resources.
   * @default - none
   */
  readonly healthCheckExprs?: HelmReleaseHealthCheck[];

  /**
   * How Helm waits for the objects to be ready.
   * @default HelmWaitStrategy.POLLER
   */
  readonly waitStrategy?: HelmWaitStrategy;

  /**
   * Dependencies with a namespace, a `readyExpr`, or made elsewhere; written after `dependsOn`.
   * @default - none
   */
  readonly dependencies?: HelmReleaseDependency[];
}

const HELM_RELEASE_PROPS = [...FLUX_OBJECT_PROPS, 'repository', 'gitRepository', 'chart', 'chartRef', 'version', 'interval', 'chartInterval', 'releaseName', 'targetNamespace', 'storageNamespace', 'createNamespace', 'crds', 'installRetries', 'upgradeRetries', 'values', 'valuesFrom', 'secretValues', 'dependsOn', 'timeout', 'driftDetection', 'serviceAccountName', 'maxHistory', 'suspend',
  'chartRefByName', 'sourceApiVersion', 'reconcileStrategy', 'valuesFiles', 'ignoreMissingValuesFiles', 'chartVerify', 'chartMetadata', 'install', 'upgrade', 'rollback', 'uninstall', 'test',
  'postRenderers', 'postRenderStrategy', 'driftIgnore', 'commonMetadata', 'kubeConfig', 'persistentClient', 'healthCheckExprs', 'waitStrategy', 'dependencies'];

/**
 * A Flux `HelmRelease`, written to `<folder>/helm/releases/<name>.yaml` (the folder is the cluster
 * path, or the folder of the Kustomization it is defined in) with the bytes of
 * `flux create helmrelease --export` for the same inputs.
 */
export class HelmRelease extends FluxObject {
  /** The chart name (with a HelmRepository), if any. */
  public readonly chart?: string;
  /** The SealedSecret made from `secretValues`, if any. */
  public readonly secretValues?: SealedSecret;

  private readonly props: HelmReleaseProps;

  constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id, {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: HELM_RELEASE_PROPS,
    });
    requireProps(this, props, 'HelmReleaseProps');
    for (const field of ['valuesFrom', 'dependsOn'] as const) requireArgument(this.node.path, field, props[field], 'an array', (v) => v === undefined || Array.isArray(v));
    this.props = props;
    this.chart = props?.chart;
    if (props?.secretValues) {
      this.secretValues = new SealedSecret(this, 'SecretValues', {
        name: `${this.name}-values`,
        namespace: this.namespace,
        data: { 'values.yaml': props.secretValues },
      });
      this.secretValues._valuesDocumentKey = 'values.yaml';
    }
  }

  /** The release file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/helm/releases/${this.name}.yaml`;
  }

  /** Whether this release installs the sealed-secrets controller and with it the SealedSecret CRD. @internal */
  public get _installsSealedSecretsCrd(): boolean {
    const install = this.props.install;
    if (install !== null && typeof install === 'object' && install.crds === CrdsPolicy.SKIP) return false;
    if (this.props.crds === CrdsPolicy.SKIP && install?.crds === undefined) return false;
    if (this.chart === 'sealed-secrets') return true;
    // A chart from an OCIRepository: the chart name is the last segment of its URL.
    const url = this.props.chartRef instanceof OCIRepository ? this.props.chartRef._url : undefined;
    return typeof url === 'string' && /\/sealed-secrets\/?$/.test(url);
  }

  /** The releases this one depends on. @internal */
  public get _dependsOn(): HelmRelease[] {
    const more = Array.isArray(this.props.dependencies)
      ? this.props.dependencies.map((d) => d?.release).filter((r): r is HelmRelease => r instanceof HelmRelease)
      : [];
    return [...(Array.isArray(this.props.dependsOn) ? this.props.dependsOn : []), ...more];
  }

  /** The SealedSecrets this release cannot do without (non-optional valuesFrom, secretValues). @internal */
  public get _requiredSealedSecrets(): SealedSecret[] {
    const secrets = (this.props.valuesFrom ?? [])
      .filter((ref) => ref !== null && typeof ref === 'object' && !ref.optional)
      .map((ref) => sealedSecretOf(ref))
      .filter((s): s is SealedSecret => s !== undefined);
    for (const ref of [this.props.kubeConfig?.secret, this.props.chartVerify?.secret]) {
      if (ref instanceof SecretReference && ref.sealedSecret) secrets.push(ref.sealedSecret);
    }
    return this.secretValues ? [...secrets, this.secretValues] : secrets;
  }

  /** @internal */
  protected _render(ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    if (typeof this.name === 'string' && this.name.length > 63) {
      p.add('name', 'must be at most 63 characters: helm-controller writes it as the value of the label \'helm.toolkit.fluxcd.io/name\' on every object of the release, and a label value has at most 63', this.name);
    }
    if (`${this.namespace}-${this.name}`.length > 253) {
      p.add('name', 'must keep the HelmChart name \'<namespace>-<name>\' within 253 characters', this.name);
    }
    if (props.chartRefByName !== undefined) {
      if (props.chartRef !== undefined || props.repository !== undefined || props.gitRepository !== undefined || props.chart !== undefined) {
        p.add('chartRefByName', 'must be given alone: set one of chartRefByName, chartRef, or repository (or gitRepository) and chart (Flux: \'either chart or chartRef must be set\')', props.chartRefByName?.name);
      }
      const ref = props.chartRefByName;
      if (ref === null || typeof ref !== 'object') {
        p.add('chartRefByName', 'must be a chart reference such as { kind: ChartRefKind.HELM_CHART, name: \'podinfo\' }', ref);
      } else {
        checkEnum(p, 'chartRefByName.kind', ref.kind, ChartRefKind as unknown as { [key: string]: string }, 'ChartRefKind');
        checkObjectName(p, 'chartRefByName.name', ref.name);
        if (ref.namespace !== undefined) checkLabelName(p, 'chartRefByName.namespace', ref.namespace);
        if (ref.apiVersion !== undefined) checkApiVersion(p, 'chartRefByName.apiVersion', ref.apiVersion);
      }
      if (props.version !== undefined) {
        p.add('version', 'cannot be used with chartRefByName: the chart source holds the version', props.version);
      }
    } else if (props.chartRef !== undefined) {
      if (props.repository !== undefined || props.gitRepository !== undefined || props.chart !== undefined) {
        p.add('chartRef', 'must be given alone: set either chartRef, or repository and chart (Flux: \'either chart or chartRef must be set\')', props.chartRef?.name);
      }
      if (!(props.chartRef instanceof OCIRepository)) {
        p.add('chartRef', 'must be an OCIRepository construct', props.chartRef);
      } else if (props.chartRef.cluster !== this.cluster) {
        p.add('chartRef', `must be in the same cluster: '${props.chartRef.node.path}' belongs to '${props.chartRef.cluster.node.path}', this release to '${this.cluster.node.path}'`, props.chartRef.name);
      }
      if (props.version !== undefined) {
        p.add('version', 'cannot be used with chartRef: set the tag or semver range on the OCIRepository', props.version);
      }
    } else {
      if (props.gitRepository !== undefined) {
        if (props.repository !== undefined) {
          p.add('gitRepository', 'must not be combined with repository: the chart comes from one source', props.gitRepository?.name);
        } else if (!(props.gitRepository instanceof GitRepository)) {
          p.add('gitRepository', 'must be a GitRepository construct', props.gitRepository);
        } else if (props.gitRepository.cluster !== this.cluster) {
          const other = props.gitRepository.cluster.node.path;
          p.add('gitRepository', `must be in the same cluster: '${props.gitRepository.node.path}' belongs to '${other}', this release to '${this.cluster.node.path}'`, props.gitRepository.name);
        }
        if (typeof props.chart !== 'string' || props.chart.trim() === '') {
          p.add('chart', 'must be the chart\'s path in the GitRepository, such as \'./charts/podinfo\'', props.chart);
        }
        if (props.version !== undefined) {
          p.add('version', 'must be left out for a chart from a GitRepository: Flux builds the chart at its path, whatever its version', props.version);
        }
      } else if (!(props.repository instanceof HelmRepository)) {
        p.add('repository', 'must be a HelmRepository construct (or give gitRepository or chartRef instead)', props.repository);
      } else if (props.repository.cluster !== this.cluster) {
        p.add('repository', `must be in the same cluster: '${props.repository.node.path}' belongs to '${props.repository.cluster.node.path}', this release to '${this.cluster.node.path}'`, props.repository.name);
      }
      if (props.gitRepository === undefined) {
        if (typeof props.chart !== 'string') p.add('chart', 'must be the chart\'s name in the repository', props.chart);
        else checkLength(p, 'chart', props.chart, 1, 2048);
      }
    }
    if (props.chartRef !== undefined || props.chartRefByName !== undefined) {
      for (const field of ['chartInterval', 'reconcileStrategy', 'valuesFiles', 'ignoreMissingValuesFiles', 'chartVerify', 'chartMetadata'] as const) {
        if (props[field] !== undefined) p.add(field, 'applies only to a chart from a HelmRepository or GitRepository (with chart): with chartRef there is no HelmChart template', props[field]);
      }
    }
    if (props.sourceApiVersion !== undefined) checkApiVersion(p, 'sourceApiVersion', props.sourceApiVersion);
    if (props.reconcileStrategy !== undefined) {
      checkEnum(p, 'reconcileStrategy', props.reconcileStrategy, ChartReconcileStrategy as unknown as { [key: string]: string }, 'ChartReconcileStrategy');
    }
    if (props.valuesFiles !== undefined) {
      if (!Array.isArray(props.valuesFiles)) p.add('valuesFiles', 'must be a list of paths in the chart such as [\'values-prod.yaml\']', props.valuesFiles);
      else props.valuesFiles.forEach((f, i) => { if (typeof f !== 'string' || f.trim() === '') p.add(`valuesFiles[${i}]`, 'must be a path in the chart\'s source', f); });
    }
    checkBoolean(p, 'ignoreMissingValuesFiles', props.ignoreMissingValuesFiles);
    if (props.ignoreMissingValuesFiles && !props.valuesFiles?.length) p.add('ignoreMissingValuesFiles', 'needs valuesFiles: there is no file to miss', props.ignoreMissingValuesFiles);
    if (props.version !== undefined) {
      if (typeof props.version !== 'string') {
        p.add('version', 'must be a string (a YAML number such as 1.10 would be read as 1.1): quote it', props.version);
      } else if (props.version.trim() === '') {
        p.add('version', 'must not be empty: leave it out for the newest version', props.version);
      }
    }
    if (props.interval !== undefined) checkDurationProp(p, 'interval', props.interval);
    if (props.chartInterval !== undefined) checkDurationProp(p, 'chartInterval', props.chartInterval);
    if (props.timeout !== undefined) checkDurationProp(p, 'timeout', props.timeout);
    if (props.crds !== undefined) checkEnum(p, 'crds', props.crds, CrdsPolicy as unknown as { [key: string]: string }, 'CrdsPolicy');
    if (props.driftDetection !== undefined) {
      checkEnum(p, 'driftDetection', props.driftDetection, DriftDetectionMode as unknown as { [key: string]: string }, 'DriftDetectionMode');
    }
    if (props.releaseName !== undefined) checkReleaseName(p, props.releaseName);
    if (props.targetNamespace !== undefined) checkLabelName(p, 'targetNamespace', props.targetNamespace);
    if (props.storageNamespace !== undefined) checkLabelName(p, 'storageNamespace', props.storageNamespace);
    if (props.serviceAccountName !== undefined) checkObjectName(p, 'serviceAccountName', props.serviceAccountName);
    if (props.installRetries !== undefined) checkCount(p, 'installRetries', props.installRetries, true);
    if (props.upgradeRetries !== undefined) checkCount(p, 'upgradeRetries', props.upgradeRetries, true);
    if (props.maxHistory !== undefined) checkCount(p, 'maxHistory', props.maxHistory, false);
    for (const field of ['createNamespace', 'suspend'] as const) checkBoolean(p, field, props[field]);
    if (props.values !== undefined) {
      if (props.values === null || typeof props.values !== 'object' || Array.isArray(props.values)) {
        p.add('values', 'must be an object of chart values ({ key: value }): Helm reads values as a map, and helm-controller fails on anything else', Array.isArray(props.values) ? 'an array' : props.values);
      } else {
        checkPlainData(p, 'values', props.values);
      }
    }
    const valuesFrom = [...(props.valuesFrom ?? [])];
    valuesFrom.forEach((ref, i) => this.checkValuesReference(p, `valuesFrom[${i}]`, ref));
    if (this.secretValues) {
      valuesFrom.push(this.secretValues.valuesReference());
    }
    (props.dependsOn ?? []).forEach((dep, i) => {
      if (!(dep instanceof HelmRelease)) {
        p.add(`dependsOn[${i}]`, 'must be a HelmRelease construct', dep);
      } else if (dep === this) {
        p.add(`dependsOn[${i}]`, 'must not name the release itself', dep.name);
      } else if (dep.cluster !== this.cluster) {
        p.add(`dependsOn[${i}]`, `must be in the same cluster: '${dep.node.path}' belongs to '${dep.cluster.node.path}'`, dep.name);
      }
    });
    const cycle = findCycle(ctx, this);
    if (cycle) p.add('dependsOn', `must not form a cycle: ${cycle.map((r) => r.name).join(' -> ')}`, cycle.map((r) => r.name));
    if (this._installsSealedSecretsCrd) this.checkNoSealedValues(p);

    const repo: HelmRepository | GitRepository | undefined = props.gitRepository ?? props.repository;
    const actions = this.renderActions(p);
    const extra = this.renderExtras(p);
    if (p.list.length > 0 || actions === undefined || extra === undefined) return undefined;
    const dependsOn: { name: string; namespace?: string; readyExpr?: string }[] = [
      ...(props.dependsOn ?? []).map((d) => ({ name: d.name, namespace: d.namespace !== this.namespace ? d.namespace : undefined })),
      ...extra.dependencies,
    ];
    const seenDeps = new Set<string>();
    for (const d of dependsOn) {
      const id = `${d.namespace ?? this.namespace}/${d.name}`;
      if (seenDeps.has(id)) p.add('dependencies', `must not name a release twice: '${id}' is in dependsOn or dependencies already`, d.name);
      seenDeps.add(id);
    }
    if (p.list.length > 0) return undefined;
    const chartRef = props.chartRef ? {
      apiVersion: props.sourceApiVersion,
      kind: 'OCIRepository',
      name: props.chartRef.name,
      namespace: props.chartRef.namespace !== this.namespace ? props.chartRef.namespace : undefined,
    } : props.chartRefByName ? {
      apiVersion: props.chartRefByName.apiVersion,
      kind: props.chartRefByName.kind,
      name: props.chartRefByName.name,
      namespace: props.chartRefByName.namespace !== this.namespace ? props.chartRefByName.namespace : undefined,
    } : undefined;
    const spec: { [key: string]: YamlValue } = {
      chartRef,
      chart: chartRef ? undefined : {
        metadata: extra.chartMetadata,
        spec: {
          chart: props.chart,
          ignoreMissingValuesFiles: props.ignoreMissingValuesFiles || undefined,
          interval: props.chartInterval ? goDuration(props.chartInterval) : undefined,
          reconcileStrategy: props.reconcileStrategy ?? ChartReconcileStrategy.CHART_VERSION,
          sourceRef: {
            apiVersion: props.sourceApiVersion,
            kind: repo?.kind ?? 'HelmRepository',
            name: repo?.name,
            namespace: repo && repo.namespace !== this.namespace ? repo.namespace : undefined,
          },
          valuesFiles: props.valuesFiles?.length ? [...props.valuesFiles] : undefined,
          verify: extra.chartVerify,
          version: props.version,
        },
      },
      commonMetadata: extra.commonMetadata,
      dependsOn: dependsOn.length ? dependsOn : undefined,
      driftDetection: props.driftDetection || extra.driftIgnore ? { ignore: extra.driftIgnore, mode: props.driftDetection } : undefined,
      healthCheckExprs: extra.healthCheckExprs,
      install: actions.install,
      interval: goDuration(props.interval ?? Duration.minutes(1)),
      kubeConfig: extra.kubeConfig,
      maxHistory: props.maxHistory,
      persistentClient: props.persistentClient,
      postRenderStrategy: props.postRenderStrategy,
      postRenderers: extra.postRenderers,
      releaseName: props.releaseName,
      rollback: actions.rollback,
      serviceAccountName: props.serviceAccountName,
      storageNamespace: props.storageNamespace ?? props.targetNamespace,
      suspend: props.suspend || undefined,
      targetNamespace: props.targetNamespace,
      test: actions.test,
      timeout: props.timeout ? goDuration(props.timeout) : undefined,
      uninstall: actions.uninstall,
      upgrade: actions.upgrade,
      values: props.values as YamlValue,
      valuesFrom: valuesFrom.length
        ? valuesFrom.map((ref) => ({
          kind: ref.kind,
          literal: ref.literal || undefined,
          name: ref.name,
          optional: ref.optional || undefined,
          targetPath: ref.targetPath,
          valuesKey: ref.valuesKey,
        }))
        : undefined,
      waitStrategy: props.waitStrategy ? { name: props.waitStrategy } : undefined,
    };
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    };
  }

  /** install, upgrade, rollback, uninstall and test, checked and rendered; undefined when a problem was found. */
  private renderActions(p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    const before = p.list.length;
    const i = optionsObject(p, 'install', props.install, INSTALL_FIELDS);
    const u = optionsObject(p, 'upgrade', props.upgrade, UPGRADE_FIELDS);
    const r = optionsObject(p, 'rollback', props.rollback, ROLLBACK_FIELDS);
    const un = optionsObject(p, 'uninstall', props.uninstall, UNINSTALL_FIELDS);
    const t = optionsObject(p, 'test', props.test, TEST_FIELDS);
    const ir = optionsObject(p, 'install.remediation', i?.remediation, INSTALL_REMEDIATION_FIELDS);
    const ur = optionsObject(p, 'upgrade.remediation', u?.remediation, UPGRADE_REMEDIATION_FIELDS);
    const is = this.strategy(p, 'install.strategy', i?.strategy, true);
    const us = this.strategy(p, 'upgrade.strategy', u?.strategy, false);
    if (props.createNamespace !== undefined && i?.createNamespace !== undefined) {
      p.add('install.createNamespace', 'must not be given with createNamespace: give one of them', i.createNamespace);
    }
    if (props.installRetries !== undefined && ir?.retries !== undefined) {
      p.add('install.remediation.retries', 'must not be given with installRetries: give one of them', ir.retries);
    }
    if (props.upgradeRetries !== undefined && ur?.retries !== undefined) {
      p.add('upgrade.remediation.retries', 'must not be given with upgradeRetries: give one of them', ur.retries);
    }
    if (props.crds !== undefined && u?.crds !== undefined) {
      p.add('upgrade.crds', 'must not be given with crds (which sets upgrade.crds, and install.crds to Create, as flux create helmrelease --crds does): give one of them', u.crds);
    }
    const filters = t?.filters;
    if (filters !== undefined) {
      if (!Array.isArray(filters)) {p.add('test.filters', 'must be a list of { name, exclude? }', filters);} else {
        filters.forEach((f, n) => {
          if (typeof f?.name !== 'string' || f.name.length === 0) p.add(`test.filters[${n}].name`, 'must be the name of a test of the chart', f?.name);
          checkBoolean(p, `test.filters[${n}].exclude`, f?.exclude);
        });
      }
    }
    if (p.list.length > before) return undefined;
    return {
      install: compact({
        createNamespace: (props.createNamespace ?? i?.createNamespace) || undefined,
        crds: i?.crds ?? (props.crds !== undefined ? CrdsPolicy.CREATE : undefined),
        disableHooks: i?.disableHooks || undefined,
        disableOpenAPIValidation: i?.disableOpenAPIValidation || undefined,
        disableSchemaValidation: i?.disableSchemaValidation || undefined,
        disableTakeOwnership: i?.disableTakeOwnership || undefined,
        disableWait: i?.disableWait || undefined,
        disableWaitForJobs: i?.disableWaitForJobs || undefined,
        remediation: compact({
          ignoreTestFailures: ir?.ignoreTestFailures,
          remediateLastFailure: ir?.remediateLastFailure,
          retries: props.installRetries ?? ir?.retries,
        }),
        replace: i?.replace || undefined,
        serverSideApply: i?.serverSideApply,
        strategy: is,
        timeout: dur(i?.timeout),
      }),
      upgrade: compact({
        chartNameChangeStrategy: u?.chartNameChangeStrategy,
        cleanupOnFail: u?.cleanupOnFail || undefined,
        crds: props.crds ?? u?.crds,
        disableHooks: u?.disableHooks || undefined,
        disableOpenAPIValidation: u?.disableOpenAPIValidation || undefined,
        disableSchemaValidation: u?.disableSchemaValidation || undefined,
        disableTakeOwnership: u?.disableTakeOwnership || undefined,
        disableWait: u?.disableWait || undefined,
        disableWaitForJobs: u?.disableWaitForJobs || undefined,
        force: u?.force || undefined,
        preserveValues: u?.preserveValues || undefined,
        remediation: compact({
          ignoreTestFailures: ur?.ignoreTestFailures,
          remediateLastFailure: ur?.remediateLastFailure,
          retries: props.upgradeRetries ?? ur?.retries,
          strategy: ur?.strategy,
        }),
        serverSideApply: u?.serverSideApply,
        strategy: us,
        timeout: dur(u?.timeout),
      }),
      rollback: compact({
        cleanupOnFail: r?.cleanupOnFail || undefined,
        disableHooks: r?.disableHooks || undefined,
        disableWait: r?.disableWait || undefined,
        disableWaitForJobs: r?.disableWaitForJobs || undefined,
        force: r?.force || undefined,
        serverSideApply: r?.serverSideApply,
        timeout: dur(r?.timeout),
      }),
      uninstall: compact({
        deletionPropagation: un?.deletionPropagation,
        disableHooks: un?.disableHooks || undefined,
        disableWait: un?.disableWait || undefined,
        keepHistory: un?.keepHistory || undefined,
        timeout: dur(un?.timeout),
      }),
      test: t ? {
        enable: t.enable ?? true,
        filters: Array.isArray(filters) && filters.length ? filters.map((f) => ({ exclude: f.exclude || undefined, name: f.name })) : undefined,
        ignoreFailures: t.ignoreFailures || undefined,
        timeout: dur(t.timeout),
      } : undefined,
    };
  }

  /** An install or upgrade strategy, checked (the CRD's CEL rules) and rendered. */
  private strategy(p: Problems, field: string, st: HelmActionStrategy | undefined, install: boolean): YamlValue {
    const s = optionsObject(p, field, st, STRATEGY_FIELDS);
    if (s === undefined) return undefined;
    if (s.name === undefined) p.add(`${field}.name`, 'is required: HelmActionStrategyName.REMEDIATE_ON_FAILURE or RETRY_ON_FAILURE');
    if (s.retryInterval !== undefined && s.name !== HelmActionStrategyName.RETRY_ON_FAILURE) {
      p.add(`${field}.retryInterval`, `applies only with HelmActionStrategyName.RETRY_ON_FAILURE (Flux: '.retryInterval ${install ? 'cannot be set when .name is \'RemediateOnFailure\'' : 'can only be set when .name is \'RetryOnFailure\''}')`, s.name);
    }
    return { name: s.name, retryInterval: dur(s.retryInterval) };
  }

  /** The other blocks (post-renderers, drift rules, metadata, kubeConfig, health checks, dependencies, chart verify), checked and rendered. */
  private renderExtras(p: Problems) {
    const props = this.props;
    const before = p.list.length;
    checkBoolean(p, 'persistentClient', props.persistentClient);
    if (props.postRenderStrategy !== undefined) {
      checkEnum(p, 'postRenderStrategy', props.postRenderStrategy, PostRenderStrategy as unknown as { [key: string]: string }, 'PostRenderStrategy');
    }
    if (props.waitStrategy !== undefined) checkEnum(p, 'waitStrategy', props.waitStrategy, HelmWaitStrategy as unknown as { [key: string]: string }, 'HelmWaitStrategy');
    const postRenderers = listOf(p, 'postRenderers', props.postRenderers).map((pr, n) => {
      const field = `postRenderers[${n}]`;
      const o = optionsObject(p, field, pr, POST_RENDERER_FIELDS);
      const patches = listOf(p, `${field}.patches`, o?.patches).map((pt, k) => {
        const f = `${field}.patches[${k}]`;
        const po = optionsObject(p, f, pt, PATCH_FIELDS);
        if (typeof po?.patch !== 'string' || po.patch.trim() === '') p.add(`${f}.patch`, 'must be a patch as inline YAML (a strategic merge patch, or a list of JSON 6902 operations)', po?.patch);
        return { patch: po?.patch, target: this.selector(p, `${f}.target`, po?.target) };
      });
      const images = listOf(p, `${field}.images`, o?.images).map((im, k) => {
        const f = `${field}.images[${k}]`;
        const io = optionsObject(p, f, im, IMAGE_FIELDS);
        if (typeof io?.name !== 'string' || io.name.length === 0) p.add(`${f}.name`, 'must be the image name in the rendered manifests', io?.name);
        if (io && io.newName === undefined && io.newTag === undefined && io.digest === undefined) p.add(f, 'must change something: give newName, newTag or digest', io.name);
        return { digest: io?.digest, name: io?.name, newName: io?.newName, newTag: io?.newTag };
      });
      if (o && patches.length === 0 && images.length === 0) p.add(field, 'must have patches or images');
      return { kustomize: { images: images.length ? images : undefined, patches: patches.length ? patches : undefined } };
    });
    const driftIgnore = listOf(p, 'driftIgnore', props.driftIgnore).map((rule, n) => {
      const f = `driftIgnore[${n}]`;
      const o = optionsObject(p, f, rule, DRIFT_IGNORE_FIELDS);
      if (!Array.isArray(o?.paths) || o!.paths.length === 0) p.add(`${f}.paths`, 'must be a list of JSON pointers such as [\'/spec/replicas\']', o?.paths);
      else o!.paths.forEach((path, k) => { if (typeof path !== 'string' || !path.startsWith('/')) p.add(`${f}.paths[${k}]`, 'must be a JSON pointer such as \'/spec/replicas\'', path); });
      return { paths: o?.paths, target: this.selector(p, `${f}.target`, o?.target) };
    });
    if (driftIgnore.length > 0 && (props.driftDetection === undefined || props.driftDetection === DriftDetectionMode.DISABLED)) {
      p.add('driftIgnore', 'needs driftDetection DriftDetectionMode.ENABLED or WARN: with drift detection off there is nothing to ignore', props.driftDetection);
    }
    const metadata = (field: string, m: HelmReleaseMetadataOptions | undefined) => {
      const o = optionsObject(p, field, m, METADATA_FIELDS);
      if (o === undefined) return undefined;
      checkStringMap(p, `${field}.labels`, o.labels, true);
      checkStringMap(p, `${field}.annotations`, o.annotations, false);
      return compact({
        annotations: o.annotations && Object.keys(o.annotations).length ? { ...o.annotations } : undefined,
        labels: o.labels && Object.keys(o.labels).length ? { ...o.labels } : undefined,
      });
    };
    const commonMetadata = metadata('commonMetadata', props.commonMetadata);
    const chartMetadata = metadata('chartMetadata', props.chartMetadata);
    let kubeConfig: YamlValue;
    const kc = optionsObject(p, 'kubeConfig', props.kubeConfig, KUBECONFIG_FIELDS);
    if (kc !== undefined) {
      if ((kc.secret === undefined) === (kc.configMapName === undefined)) {
        p.add('kubeConfig', 'must have exactly one of secret and configMapName (Flux: \'exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified\')');
      }
      if (kc.key !== undefined && kc.secret === undefined) p.add('kubeConfig.key', 'needs secret: it is the key of the kubeconfig Secret', kc.key);
      if (kc.key !== undefined && (typeof kc.key !== 'string' || !VALUES_KEY.test(kc.key))) p.add('kubeConfig.key', 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'', kc.key);
      if (kc.configMapName !== undefined) checkObjectName(p, 'kubeConfig.configMapName', kc.configMapName);
      const secretName = kc.secret !== undefined ? checkSecretReference(p, 'kubeConfig.secret', kc.secret, this, kc.key !== undefined
        ? { anyOf: [[kc.key]], why: 'helm-controller reads the kubeconfig from the key kubeConfig.key names' }
        : { anyOf: [['value'], ['value.yaml']], why: 'helm-controller reads the kubeconfig from \'value\' or \'value.yaml\' unless kubeConfig.key names another key' }) : undefined;
      kubeConfig = {
        configMapRef: kc.configMapName !== undefined ? { name: kc.configMapName } : undefined,
        secretRef: secretName !== undefined ? { key: kc.key, name: secretName } : undefined,
      };
    }
    const healthCheckExprs = listOf(p, 'healthCheckExprs', props.healthCheckExprs).map((h, n) => {
      const f = `healthCheckExprs[${n}]`;
      const o = optionsObject(p, f, h, HEALTH_CHECK_FIELDS);
      if (o !== undefined) {
        checkApiVersion(p, `${f}.apiVersion`, o.apiVersion);
        if (o.current === undefined && o.failed === undefined && o.inProgress === undefined) p.add(f, 'must have at least one of current, inProgress and failed (CEL expressions)');
        for (const k of ['kind', 'current', 'inProgress', 'failed'] as const) {
          if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k]!.trim() === '')) p.add(`${f}.${k}`, 'must be a non-empty string', o[k]);
        }
      }
      return { apiVersion: o?.apiVersion, current: o?.current, failed: o?.failed, inProgress: o?.inProgress, kind: o?.kind };
    });
    const dependencies = listOf(p, 'dependencies', props.dependencies).map((d, n) => {
      const f = `dependencies[${n}]`;
      const o = optionsObject(p, f, d, DEPENDENCY_FIELDS);
      if (o === undefined) return { name: undefined };
      if ((o.release === undefined) === (o.name === undefined)) p.add(f, 'must have exactly one of release (a HelmRelease of this library) and name');
      if (o.release !== undefined) {
        if (!(o.release instanceof HelmRelease)) p.add(`${f}.release`, 'must be a HelmRelease construct', o.release);
        else if (o.release === this) p.add(`${f}.release`, 'must not name the release itself', o.release.name);
        else if (o.release.cluster !== this.cluster) p.add(`${f}.release`, `must be in the same cluster: '${o.release.node.path}' belongs to '${o.release.cluster.node.path}'`, o.release.name);
        if (o.namespace !== undefined) p.add(`${f}.namespace`, 'must not be given with release: the release\'s own namespace is written', o.namespace);
      }
      if (o.name !== undefined) checkObjectName(p, `${f}.name`, o.name);
      if (o.namespace !== undefined) checkLabelName(p, `${f}.namespace`, o.namespace);
      if (o.readyExpr !== undefined && (typeof o.readyExpr !== 'string' || o.readyExpr.trim() === '')) p.add(`${f}.readyExpr`, 'must be a CEL expression', o.readyExpr);
      const name = o.release instanceof HelmRelease ? o.release.name : o.name;
      const ns = o.release instanceof HelmRelease ? o.release.namespace : o.namespace;
      return { name, namespace: ns !== undefined && ns !== this.namespace ? ns : undefined, readyExpr: o.readyExpr };
    });
    let chartVerify: YamlValue;
    const cv = optionsObject(p, 'chartVerify', props.chartVerify, CHART_VERIFY_FIELDS);
    if (cv !== undefined) {
      const provider = cv.provider ?? VerificationProvider.COSIGN;
      checkEnum(p, 'chartVerify.provider', provider, VerificationProvider as unknown as { [key: string]: string }, 'VerificationProvider');
      if (props.repository instanceof HelmRepository && !props.repository.isOci) {
        p.add('chartVerify', `applies only to a chart from an OCI HelmRepository (an oci:// url): '${props.repository.name}' is an HTTP chart index`, props.repository.name);
      }
      if (props.gitRepository !== undefined) {
        p.add('chartVerify', 'applies only to a chart from an OCI HelmRepository: a chart built from a GitRepository has no signature (Flux: \'spec.verify is only supported when spec.sourceRef.kind is \'HelmRepository\'\')', props.gitRepository?.name);
      }
      const secret = cv.secret !== undefined ? checkSecretReference(p, 'chartVerify.secret', cv.secret, this, verifySecretKeys(provider)) : undefined;
      chartVerify = { provider, secretRef: secret !== undefined ? { name: secret } : undefined };
    }
    if (p.list.length > before) return undefined;
    return {
      postRenderers: postRenderers.length ? postRenderers : undefined,
      driftIgnore: driftIgnore.length ? driftIgnore : undefined,
      commonMetadata,
      chartMetadata,
      kubeConfig,
      healthCheckExprs: healthCheckExprs.length ? healthCheckExprs : undefined,
      dependencies,
      chartVerify,
    } as { [key: string]: any };
  }

  /** A kustomize selector, checked and rendered. */
  private selector(p: Problems, field: string, sel: KustomizePatchTarget | undefined): YamlValue {
    const o = optionsObject(p, field, sel, SELECTOR_FIELDS);
    if (o === undefined) return undefined;
    for (const k of SELECTOR_FIELDS.strings ?? []) {
      const v = (o as Record<string, unknown>)[k];
      if (v !== undefined && (typeof v !== 'string' || v === '')) p.add(`${field}.${k}`, 'must be a non-empty string', v);
    }
    for (const k of ['name', 'namespace'] as const) if (o[k] !== undefined) checkRegexp(p, `${field}.${k}`, o[k]);
    return compact({ ...o }) ?? {};
  }

  /**
   * The release that installs the sealed-secrets controller cannot wait for a SealedSecret (nor
   * depend on a release that does): only that controller can unseal it, so neither would ever
   * become ready.
   */
  private checkNoSealedValues(p: Problems): void {
    const seen = new Set<HelmRelease>();
    const queue: HelmRelease[] = [this];
    while (queue.length > 0) {
      const r = queue.shift()!;
      if (seen.has(r)) continue;
      seen.add(r);
      for (const secret of r._requiredSealedSecrets) {
        const how = r === this ? 'it reads' : `it depends on '${r.node.path}', which reads`;
        p.add(r === this ? 'valuesFrom' : 'dependsOn', `must not need a SealedSecret: this release installs the sealed-secrets controller, and ${how} SealedSecret '${secret.name}', which only that controller can unseal, so neither would ever be ready; give the controller its values inline, or mark the reference optional`, secret.name);
      }
      queue.push(...dependenciesOf(r));
    }
  }

  private checkValuesReference(p: Problems, field: string, ref: ValuesReference): void {
    if (ref === null || typeof ref !== 'object') {
      p.add(field, 'must be a values reference such as secret.valuesReference({ valuesKey: \'key\' })', ref);
      return;
    }
    if (!Object.values(ValuesSourceKind).includes(ref.kind)) {
      p.add(`${field}.kind`, 'must be ValuesSourceKind.SECRET or ValuesSourceKind.CONFIG_MAP', ref.kind);
    }
    if (typeof ref.name !== 'string') p.add(`${field}.name`, 'must be a string', ref.name);
    else checkObjectName(p, `${field}.name`, ref.name);
    if (ref.valuesKey !== undefined && (!VALUES_KEY.test(ref.valuesKey) || ref.valuesKey.length > 253)) {
      p.add(`${field}.valuesKey`, 'must be at most 253 letters, digits, \'-\', \'_\' and \'.\'', ref.valuesKey);
    }
    if (ref.targetPath !== undefined && (!TARGET_PATH.test(ref.targetPath) || ref.targetPath.length > 250)) {
      p.add(`${field}.targetPath`, 'must be at most 250 characters of letters, digits, \'_\', \'-\', \'.\', \'\\\', \'/\' and list indexes such as [0]', ref.targetPath);
    }
    checkBoolean(p, `${field}.optional`, ref.optional);
    checkBoolean(p, `${field}.literal`, ref.literal);
    if (ref.literal && ref.targetPath === undefined) {
      p.add(`${field}.literal`, 'needs targetPath: without it the value is merged as YAML at the root, and literal has no effect', ref.literal);
    }
    const secret = sealedSecretOf(ref);
    if (secret) {
      if (secret.cluster !== this.cluster) {
        p.add(`${field}.name`, `must refer to a SealedSecret of the same cluster: '${secret.node.path}' belongs to '${secret.cluster.node.path}'`, ref.name);
      } else if (secret.namespace !== this.namespace) {
        p.add(`${field}.name`, `must refer to a Secret in the HelmRelease's namespace '${this.namespace}': SealedSecret '${secret.name}' is in '${secret.namespace}'; set its namespace to '${this.namespace}'`, ref.name);
      }
      const key = ref.valuesKey ?? 'values.yaml';
      if (!secret.secretKeys.includes(key)) {
        p.add(`${field}.valuesKey`, `must be a key of SealedSecret '${secret.name}' (${secret.secretKeys.map((k) => `'${k}'`).join(', ')})`, key);
      }
    }
  }
}

/** What an options struct may hold: booleans, durations, counts, strings, enums; nested structs and lists are named in `other`. */
interface FieldSpec {
  readonly booleans?: string[];
  readonly durations?: string[];
  readonly counts?: string[];
  readonly strings?: string[];
  readonly enums?: { [field: string]: [{ [key: string]: string }, string] };
  readonly other?: string[];
}

const ACTION_FLAGS = ['disableHooks', 'disableWait', 'disableWaitForJobs', 'disableOpenAPIValidation', 'disableSchemaValidation', 'disableTakeOwnership'];
const CRDS_ENUM: [{ [key: string]: string }, string] = [CrdsPolicy as unknown as { [key: string]: string }, 'CrdsPolicy'];
const SSA_ENUM: [{ [key: string]: string }, string] = [ServerSideApplyMode as unknown as { [key: string]: string }, 'ServerSideApplyMode'];
const INSTALL_FIELDS: FieldSpec = {
  booleans: [...ACTION_FLAGS, 'createNamespace', 'replace', 'serverSideApply'], durations: ['timeout'], enums: { crds: CRDS_ENUM }, other: ['strategy', 'remediation'],
};
const UPGRADE_FIELDS: FieldSpec = {
  booleans: [...ACTION_FLAGS, 'cleanupOnFail', 'force', 'preserveValues'],
  durations: ['timeout'],
  enums: { crds: CRDS_ENUM, serverSideApply: SSA_ENUM, chartNameChangeStrategy: [ChartNameChangeStrategy as unknown as { [key: string]: string }, 'ChartNameChangeStrategy'] },
  other: ['strategy', 'remediation'],
};
const ROLLBACK_FIELDS: FieldSpec = {
  booleans: ['disableWait', 'disableWaitForJobs', 'disableHooks', 'force', 'cleanupOnFail'], durations: ['timeout'], enums: { serverSideApply: SSA_ENUM },
};
const UNINSTALL_FIELDS: FieldSpec = {
  booleans: ['disableHooks', 'keepHistory', 'disableWait'],
  durations: ['timeout'],
  enums: { deletionPropagation: [DeletionPropagation as unknown as { [key: string]: string }, 'DeletionPropagation'] },
};
const TEST_FIELDS: FieldSpec = { booleans: ['enable', 'ignoreFailures'], durations: ['timeout'], other: ['filters'] };
const INSTALL_REMEDIATION_FIELDS: FieldSpec = { booleans: ['ignoreTestFailures', 'remediateLastFailure'], counts: ['retries'] };
const UPGRADE_REMEDIATION_FIELDS: FieldSpec = {
  ...INSTALL_REMEDIATION_FIELDS, enums: { strategy: [RemediationStrategy as unknown as { [key: string]: string }, 'RemediationStrategy'] },
};
const STRATEGY_FIELDS: FieldSpec = { durations: ['retryInterval'], enums: { name: [HelmActionStrategyName as unknown as { [key: string]: string }, 'HelmActionStrategyName'] } };
const SELECTOR_FIELDS: FieldSpec = { strings: ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] };
const POST_RENDERER_FIELDS: FieldSpec = { other: ['patches', 'images'] };
const PATCH_FIELDS: FieldSpec = { other: ['patch', 'target'] };
const IMAGE_FIELDS: FieldSpec = { strings: ['newName', 'newTag', 'digest'], other: ['name'] };
const DRIFT_IGNORE_FIELDS: FieldSpec = { other: ['paths', 'target'] };
const METADATA_FIELDS: FieldSpec = { other: ['labels', 'annotations'] };
const KUBECONFIG_FIELDS: FieldSpec = { other: ['secret', 'key', 'configMapName'] };
const HEALTH_CHECK_FIELDS: FieldSpec = { other: ['apiVersion', 'kind', 'current', 'inProgress', 'failed'] };
const DEPENDENCY_FIELDS: FieldSpec = { other: ['release', 'name', 'namespace', 'readyExpr'] };
const CHART_VERIFY_FIELDS: FieldSpec = { other: ['provider', 'secret'] };

/**
 * Checks an options struct (from a JavaScript caller, anything): an object whose fields are known
 * and of their type. Returns it when it is an object (its fields may still have problems).
 */
function optionsObject<T>(p: Problems, field: string, value: T | undefined, spec: FieldSpec): T | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    p.add(field, 'must be an object of options', value);
    return undefined;
  }
  const o = value as unknown as Record<string, unknown>;
  const known = [
    ...(spec.booleans ?? []), ...(spec.durations ?? []), ...(spec.counts ?? []), ...(spec.strings ?? []),
    ...Object.keys(spec.enums ?? {}), ...(spec.other ?? []),
  ];
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) p.add(`${field}.${k}`, `is not an option of ${field}; the options are ${known.map((n) => `'${n}'`).join(', ')}`, o[k]);
  }
  for (const k of spec.booleans ?? []) checkBoolean(p, `${field}.${k}`, o[k]);
  for (const k of spec.durations ?? []) if (o[k] !== undefined) checkDurationProp(p, `${field}.${k}`, o[k]);
  for (const k of spec.counts ?? []) if (o[k] !== undefined) checkCount(p, `${field}.${k}`, o[k] as number, true);
  for (const k of spec.strings ?? []) if (o[k] !== undefined && typeof o[k] !== 'string') p.add(`${field}.${k}`, 'must be a string', o[k]);
  for (const [k, [values, name]] of Object.entries(spec.enums ?? {})) if (o[k] !== undefined) checkEnum(p, `${field}.${k}`, o[k], values, name);
  return value;
}

/** A list prop (from a JavaScript caller, anything): its items, or none with a problem. */
function listOf<T>(p: Problems, field: string, value: T[] | undefined): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(field, 'must be a list', value);
    return [];
  }
  return value;
}

/** An object without its undefined members, or undefined when none is left. */
function compact(o: { [key: string]: YamlValue }): { [key: string]: YamlValue } | undefined {
  const out: { [key: string]: YamlValue } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** A Go duration, or undefined. */
function dur(d: Duration | undefined): string | undefined {
  return d === undefined ? undefined : goDuration(d);
}

/** An apiVersion such as 'source.toolkit.fluxcd.io/v1' or 'v1'. */
function checkApiVersion(p: Problems, field: string, v: unknown): void {
  if (typeof v !== 'string' || !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(v)) {
    p.add(field, 'must be an apiVersion such as \'source.toolkit.fluxcd.io/v1\'', v);
  }
}

/** A Helm release name: Helm's own rule (a DNS-1123 subdomain, dots allowed) within the CRD's 53 characters. */
function checkReleaseName(p: Problems, name: unknown): void {
  const ok = typeof name === 'string' && name.length >= 1 && name.length <= 53
    && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
  if (!ok) {
    p.add('releaseName', 'must be a Helm release name: at most 53 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit', name);
  }
}

/** The releases a release depends on, as the cycle search follows them. */
function dependenciesOf(r: HelmRelease): HelmRelease[] {
  return r._dependsOn.filter((d): d is HelmRelease => d instanceof HelmRelease && d !== r);
}

/** Per synth, the strongly connected component of every release seen (Tarjan's algorithm, iterative). */
const componentsBySynth = new WeakMap<SynthContext, Map<HelmRelease, Set<HelmRelease>>>();

function componentOf(ctx: SynthContext, start: HelmRelease): Set<HelmRelease> {
  let components = componentsBySynth.get(ctx);
  if (!components) {
    components = new Map();
    componentsBySynth.set(ctx, components);
  }
  const known = components.get(start);
  if (known) return known;
  const index = new Map<HelmRelease, number>();
  const low = new Map<HelmRelease, number>();
  const onStack = new Set<HelmRelease>();
  const stack: HelmRelease[] = [];
  const work: { r: HelmRelease; deps: HelmRelease[]; next: number }[] = [];
  const open = (r: HelmRelease) => {
    index.set(r, index.size);
    low.set(r, index.get(r)!);
    stack.push(r);
    onStack.add(r);
    work.push({ r, deps: dependenciesOf(r), next: 0 });
  };
  open(start);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    if (frame.next < frame.deps.length) {
      const d = frame.deps[frame.next++];
      if (components.has(d)) continue; // finished in an earlier search: not on any open path
      if (!index.has(d)) open(d);
      else if (onStack.has(d)) low.set(frame.r, Math.min(low.get(frame.r)!, index.get(d)!));
      continue;
    }
    work.pop();
    if (work.length > 0) {
      const parent = work[work.length - 1].r;
      low.set(parent, Math.min(low.get(parent)!, low.get(frame.r)!));
    }
    if (low.get(frame.r) === index.get(frame.r)) {
      const component = new Set<HelmRelease>();
      let member: HelmRelease;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.add(member);
      } while (member !== frame.r);
      for (const m of component) components.set(m, component);
    }
  }
  return components.get(start)!;
}

/**
 * A dependency cycle through `start`, as the list of releases, or undefined. The components are
 * worked out once per synth, so a fleet of many releases with long dependency chains stays linear;
 * the path shown is the first one a depth-first search in `dependsOn` order finds.
 */
function findCycle(ctx: SynthContext, start: HelmRelease): HelmRelease[] | undefined {
  const component = componentOf(ctx, start);
  if (component.size < 2) return undefined; // a release naming itself is reported on its own
  const path: HelmRelease[] = [];
  const seen = new Set<HelmRelease>();
  const visit = (r: HelmRelease): HelmRelease[] | undefined => {
    seen.add(r);
    path.push(r);
    for (const d of dependenciesOf(r)) {
      if (d === start) return [...path, d];
      if (component.has(d) && !seen.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    path.pop();
    return undefined;
  };
  return visit(start);
}
