import * as path from 'path';
import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkLabelName, checkObjectName } from './checks/rules';
import { FluxCluster } from './cluster';
import { checkStringMap, FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps, IFolderOwner, layerOf, markLayer } from './flux-object';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SynthContext } from './synth/context';
import { handWrittenKustomizations, kustomizationEntries, underAny, warnUnlisted, writeFolderKustomization } from './synth/layout';

/** What Flux does with the objects of a Kustomization when the Kustomization is deleted (`spec.deletionPolicy`). */
export enum KustomizationDeletionPolicy {
  /** Delete them when `prune` is on, else leave them (Flux's default). */
  MERGE_OVERRIDE = 'MergeOverride',
  /** Delete them. */
  DELETE = 'Delete',
  /** Delete them and wait until they are gone. */
  WAIT_FOR_TERMINATION = 'WaitForTermination',
  /** Leave them in the cluster. */
  ORPHAN = 'Orphan',
}

/** The decryption provider of a Kustomization (`spec.decryption.provider`). */
export enum DecryptionProvider {
  /** Mozilla SOPS. */
  SOPS = 'sops',
}

/** Which objects a kustomize patch or rule applies to (a kustomize selector: a Kustomization's `patches[].target`, a HelmRelease's post-renderer patches and drift rules). */
export interface KustomizePatchTarget {
  /**
   * The API group.
   * @default - any
   */
  readonly group?: string;
  /**
   * The API version.
   * @default - any
   */
  readonly version?: string;
  /**
   * The kind.
   * @default - any
   */
  readonly kind?: string;
  /**
   * The object name (a regular expression).
   * @default - any
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - any
   */
  readonly namespace?: string;
  /**
   * A label selector (`app=web,tier!=db`).
   * @default - any
   */
  readonly labelSelector?: string;
  /**
   * An annotation selector.
   * @default - any
   */
  readonly annotationSelector?: string;
}

/** A kustomize patch: a strategic merge patch or a JSON 6902 patch, in YAML or JSON (a Kustomization's `patches`, a HelmRelease's post-renderers). */
export interface KustomizePatch {
  /** The patch itself, as a YAML or JSON string. */
  readonly patch: string;
  /**
   * The objects it applies to (needed for a JSON 6902 patch).
   * @default - the object the strategic merge patch names
   */
  readonly target?: KustomizePatchTarget;
}

/** A kustomize image override (a Kustomization's `images`, a HelmRelease's post-renderers). */
export interface KustomizeImage {
  /** The image name as the manifests have it. */
  readonly name: string;
  /**
   * The name to use instead.
   * @default - unchanged
   */
  readonly newName?: string;
  /**
   * The tag to use instead.
   * @default - unchanged
   */
  readonly newTag?: string;
  /**
   * A digest to use instead of the tag.
   * @default - none
   */
  readonly digest?: string;
}

/** A reference to an object by API version, kind, name and namespace. */
export interface ObjectReference {
  /**
   * The API version.
   * @default - Flux matches by kind alone
   */
  readonly apiVersion?: string;
  /** The kind. */
  readonly kind: string;
  /** The name. */
  readonly name: string;
  /**
   * The namespace.
   * @default - the Kustomization's target namespace, else its own
   */
  readonly namespace?: string;
}

/** A workload whose health a Kustomization waits for (`spec.healthChecks`). */
export class HealthCheck {
  /**
   * A construct of this library (a HelmRelease, …), a cdk8s ApiObject, or a cdk8s-plus
   * workload (`Deployment`, `StatefulSet`, …) defined in the Kustomization.
   */
  public static of(construct: IConstruct): HealthCheck {
    return new HealthCheck(construct, undefined);
  }

  /** An object given by reference (one the Kustomization applies from hand-written files). */
  public static ref(ref: ObjectReference): HealthCheck {
    return new HealthCheck(undefined, ref);
  }

  private constructor(
    /** @internal */ public readonly _construct: IConstruct | undefined,
    /** @internal */ public readonly _ref: ObjectReference | undefined,
  ) {}
}

/** A CEL health check of a custom kind (`spec.healthCheckExprs`). */
export interface HealthCheckExpr {
  /** The API version of the kind (`group/version`). */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** The CEL expression that is true when the object is healthy. */
  readonly current: string;
  /**
   * The CEL expression that is true when the object failed.
   * @default - none
   */
  readonly failed?: string;
  /**
   * The CEL expression that is true while the object is progressing.
   * @default - none
   */
  readonly inProgress?: string;
}

/** Where a Kustomization's post-build variables come from (`spec.postBuild.substituteFrom`). */
export class SubstituteFrom {
  /** The Secret a SealedSecret construct unseals to (it must be applied before this Kustomization). */
  public static sealedSecret(secret: FluxObject, optional?: boolean): SubstituteFrom {
    return new SubstituteFrom('Secret', undefined, secret, optional);
  }

  /** A cdk8s ConfigMap (`KubeConfigMap`, or cdk8s-plus `ConfigMap`) applied before this Kustomization. */
  public static configMap(configMap: IConstruct, optional?: boolean): SubstituteFrom {
    return new SubstituteFrom('ConfigMap', undefined, configMap, optional);
  }

  /** A Secret by name, in the Kustomization's namespace. */
  public static secretName(name: string, optional?: boolean): SubstituteFrom {
    return new SubstituteFrom('Secret', name, undefined, optional);
  }

  /** A ConfigMap by name, in the Kustomization's namespace. */
  public static configMapName(name: string, optional?: boolean): SubstituteFrom {
    return new SubstituteFrom('ConfigMap', name, undefined, optional);
  }

  private constructor(
    /** @internal */ public readonly _kind: string,
    /** @internal */ public readonly _name: string | undefined,
    /** @internal */ public readonly _construct: IConstruct | undefined,
    /** @internal */ public readonly _optional: boolean | undefined,
  ) {}
}

/** Post-build variable substitution (`spec.postBuild`). */
export interface PostBuild {
  /**
   * Variables substituted in the manifests (`${name}`).
   * @default - none
   */
  readonly substitute?: { [name: string]: string };
  /**
   * ConfigMaps and Secrets whose keys are variables too.
   * @default - none
   */
  readonly substituteFrom?: SubstituteFrom[];
}

/** SOPS decryption (`spec.decryption`). */
export interface Decryption {
  /**
   * The provider.
   * @default DecryptionProvider.SOPS
   */
  readonly provider?: DecryptionProvider;
  /**
   * Name of the Secret with the decryption keys.
   * @default - keys from the controller's environment (KMS)
   */
  readonly secretRef?: string;
  /**
   * The ServiceAccount used for cloud KMS (workload identity).
   * @default - the controller's own
   */
  readonly serviceAccountName?: string;
}

/** A kubeconfig to apply to a remote cluster (`spec.kubeConfig`). */
export interface KubeConfigReference {
  /**
   * Name of the Secret with the kubeconfig.
   * @default - none: then configMapName
   */
  readonly secretName?: string;
  /**
   * The key of the kubeconfig in that Secret.
   * @default - `value` or `value.yaml`, as Flux reads it
   */
  readonly secretKey?: string;
  /**
   * Name of a ConfigMap with the remote cluster's address and provider (workload identity).
   * @default - none: then secretName
   */
  readonly configMapName?: string;
}

/** Labels and annotations Flux sets on every object it applies (`spec.commonMetadata`). */
export interface CommonMetadata {
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

/** Options of `Kustomization.addDependsOn()`. */
export interface DependsOnOptions {
  /**
   * A CEL expression over the dependency (`dep`) and this object (`self`) that must hold before
   * this Kustomization is applied (`spec.dependsOn[].readyExpr`).
   * @default - the dependency must be Ready
   */
  readonly readyExpr?: string;
}

/** Properties of a `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`): the flags of `flux create kustomization` and the rest of its spec. */
export interface KustomizationProps extends FluxObjectProps {
  /**
   * The folder of the repo this Kustomization applies (`spec.path`, relative to the repo root).
   * The constructs created inside the Kustomization are written there.
   * @default `<id>/<cluster>` (`apps/staging`), below the parent Kustomization's folder for a nested one
   */
  readonly path?: string;

  /**
   * The source to apply from: a GitRepository or OCIRepository construct. Then `path` is a path
   * in that source, and the Kustomization cannot hold constructs (their files would not be in it).
   * @default - the cluster's own repository (the GitRepository `flux bootstrap` creates)
   */
  readonly sourceRef?: FluxObject;

  /**
   * The API version of the source (`spec.sourceRef.apiVersion`), for a source served under another
   * version than this library writes.
   * @default - not written: Flux looks the kind up in its current version
   */
  readonly sourceApiVersion?: string;

  /**
   * Kustomizations of the same cluster that must be ready first.
   * @default - none
   */
  readonly dependsOn?: Kustomization[];

  /**
   * Delete the objects that are no longer in the source.
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Wait for every applied object to be ready (`--wait`).
   * @default false
   */
  readonly wait?: boolean;

  /**
   * Timeout of apply and health checks.
   * @default - 2 minutes with wait or healthChecks (as `--health-check-timeout`), else Flux's (the interval)
   */
  readonly timeout?: Duration;

  /**
   * How often a failed reconciliation is retried.
   * @default - the interval
   */
  readonly retryInterval?: Duration;

  /**
   * How often Flux reconciles the Kustomization.
   * @default Duration.minutes(1), as `flux create kustomization`
   */
  readonly interval?: Duration;

  /**
   * The namespace every object is moved to.
   * @default - the namespaces of the manifests
   */
  readonly targetNamespace?: string;

  /**
   * Workloads whose health Flux waits for (ignored by Flux with `wait`).
   * @default - none
   */
  readonly healthChecks?: HealthCheck[];

  /**
   * CEL health checks of custom kinds.
   * @default - none
   */
  readonly healthCheckExprs?: HealthCheckExpr[];

  /**
   * Post-build variable substitution.
   * @default - none
   */
  readonly postBuild?: PostBuild;

  /**
   * Kustomize components to add (paths relative to `path`).
   * @default - none
   */
  readonly components?: string[];

  /**
   * Do not fail when a component is missing.
   * @default false
   */
  readonly ignoreMissingComponents?: boolean;

  /**
   * Kustomize patches.
   * @default - none
   */
  readonly patches?: KustomizePatch[];

  /**
   * Kustomize image overrides.
   * @default - none
   */
  readonly images?: KustomizeImage[];

  /**
   * SOPS decryption of the manifests.
   * @default - none
   */
  readonly decryption?: Decryption;

  /**
   * The ServiceAccount Flux impersonates to apply.
   * @default - the controller's own
   */
  readonly serviceAccountName?: string;

  /**
   * Stop reconciling this Kustomization.
   * @default false
   */
  readonly suspend?: boolean;

  /**
   * Recreate objects whose immutable fields changed.
   * @default false
   */
  readonly force?: boolean;

  /**
   * Labels and annotations set on every object applied.
   * @default - none
   */
  readonly commonMetadata?: CommonMetadata;

  /**
   * A prefix for every object name.
   * @default - none
   */
  readonly namePrefix?: string;

  /**
   * A suffix for every object name.
   * @default - none
   */
  readonly nameSuffix?: string;

  /**
   * A kubeconfig to apply to another cluster.
   * @default - the cluster Flux runs in
   */
  readonly kubeConfig?: KubeConfigReference;

  /**
   * What happens to the objects when the Kustomization is deleted.
   * @default - Flux's default (MergeOverride)
   */
  readonly deletionPolicy?: KustomizationDeletionPolicy;

  /**
   * Paths of the source to leave out, in `.gitignore` syntax.
   * @default - none
   */
  readonly ignore?: string[];
}

const KUSTOMIZATION_PROPS = [...FLUX_OBJECT_PROPS, 'path', 'sourceRef', 'sourceApiVersion', 'dependsOn', 'prune', 'wait', 'timeout', 'retryInterval', 'interval',
  'targetNamespace', 'healthChecks', 'healthCheckExprs', 'postBuild', 'components', 'ignoreMissingComponents', 'patches', 'images',
  'decryption', 'serviceAccountName', 'suspend', 'force', 'commonMetadata', 'namePrefix', 'nameSuffix', 'kubeConfig', 'deletionPolicy', 'ignore'];

const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'];
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/**
 * A Flux `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`): a layer of a cluster that owns a
 * folder of the repo. The HelmRepositories, HelmReleases, SealedSecrets, cdk8s Charts and nested
 * Kustomizations created inside it are written into that folder, listed in its
 * `kustomization.yaml`; the Kustomization object itself is written to `<parent folder>/<name>.yaml`
 * (the cluster path, as `clusters/staging/apps.yaml` in Flux's examples), with the bytes of
 * `flux create kustomization --export`.
 */
export class Kustomization extends FluxObject implements IFolderOwner {
  /** The folder this Kustomization applies, relative to the repo root (without `./`). */
  public readonly path: string;

  private readonly props: KustomizationProps;
  private readonly extraDependsOn: { dep: Kustomization; readyExpr?: string }[] = [];

  constructor(scope: Construct, id: string, props: KustomizationProps = {}) {
    super(scope, id, {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: KUSTOMIZATION_PROPS,
    });
    this.props = props ?? {};
    markLayer(this);
    const parent = layerOf(this);
    const clusterKey = this.cluster.path.replace(/^clusters\//, '');
    const raw = this.props.path ?? (parent ? `${parent.path}/${id}` : `${id}/${clusterKey}`);
    this.path = typeof raw === 'string' ? path.posix.normalize(raw.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '') : raw;
  }

  /** The Kustomization's own file: `<parent folder>/<name>.yaml`. */
  public get filePath(): string {
    return `${this.folder}/${this.name}.yaml`;
  }

  /** Whether the folder is in this repository (the Kustomization applies the cluster's own source). */
  public get ownsFolder(): boolean {
    return this.props.sourceRef === undefined;
  }

  /** The Kustomizations this one depends on. */
  public get dependencies(): Kustomization[] {
    return [...(this.props.dependsOn ?? []), ...this.extraDependsOn.map((d) => d.dep)];
  }

  /** Adds a Kustomization that must be ready first, optionally with a CEL readiness expression. */
  public addDependsOn(dependency: Kustomization, options: DependsOnOptions = {}): void {
    this.extraDependsOn.push({ dep: dependency, readyExpr: options.readyExpr });
  }

  /**
   * @internal: writes the folder's `kustomization.yaml` (what kustomize-controller would find in
   * the folder, less the folders of nested Kustomizations, `excluded`, relative to the folder), or
   * keeps a hand-written one. Returns the hand-written files it lists one by one (repo-relative).
   */
  public _layout(ctx: SynthContext, excluded: string[]): string[] {
    if (!this.ownsFolder || typeof this.path !== 'string') return [];
    const isExcluded = underAny(excluded);
    const handWritten = handWrittenKustomizations(ctx, this.path);
    if (handWritten.length > 0) {
      warnUnlisted(ctx, this.path, handWritten[0], isExcluded);
      return [];
    }
    const entries = kustomizationEntries(ctx, this.path, '', isExcluded);
    return writeFolderKustomization(ctx, this.path, this.node.path, entries);
  }

  /** @internal */
  protected _render(ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    if (typeof this.path !== 'string' || path.posix.isAbsolute(this.path) || this.path === '.' || this.path.startsWith('..') || this.path === '') {
      p.add('path', 'must be a folder inside the repo, such as \'apps/staging\'', props.path);
    }
    if (this.name === 'kustomization') {
      p.add('name', 'must not be \'kustomization\': its file would be the kustomization.yaml of its parent folder; choose another name', this.name);
    }
    const source = props.sourceRef;
    if (source !== undefined) {
      if (!(source instanceof FluxObject) || !SOURCE_KINDS.includes(source.kind)) {
        p.add('sourceRef', 'must be a GitRepository or OCIRepository construct (leave it out for the cluster\'s own repository)', source instanceof FluxObject ? source.kind : source);
      } else if (source.cluster !== this.cluster) {
        p.add('sourceRef', `must be in the same cluster: '${source.node.path}' belongs to '${source.cluster.node.path}'`, source.name);
      }
      if (props.path === undefined) p.add('path', 'must be given with sourceRef: it is a path in that source, and there is no default', undefined);
      const members = this.node.children.filter((c) => c !== this.apiObject);
      if (members.length > 0) {
        p.add('sourceRef', `must be left out when the Kustomization holds constructs ('${members[0].node.path}'): their files are written to this repository, and the Kustomization would apply '${props.path}' of another source; define them in a Kustomization of the cluster's own repository`, source instanceof FluxObject ? source.name : source);
      }
    }
    const deps = [...(props.dependsOn ?? []).map((dep) => ({ dep, readyExpr: undefined as string | undefined })), ...this.extraDependsOn];
    deps.forEach(({ dep, readyExpr }, i) => {
      const field = `dependsOn[${i}]`;
      if (!(dep instanceof Kustomization)) p.add(field, 'must be a Kustomization construct', dep);
      else if (dep === this) p.add(field, 'must not name the Kustomization itself', dep.name);
      else if (dep.cluster !== this.cluster) p.add(field, `must be in the same cluster: '${dep.node.path}' belongs to '${dep.cluster.node.path}', this Kustomization to '${this.cluster.node.path}'`, dep.name);
      if (readyExpr !== undefined && (typeof readyExpr !== 'string' || readyExpr.trim() === '')) p.add(`${field}.readyExpr`, 'must be a non-empty CEL expression', readyExpr);
    });
    const cycle = findCycle(this);
    if (cycle) p.add('dependsOn', `must not form a cycle: ${cycle.map((k) => k.name).join(' -> ')}`, cycle.map((k) => k.name));
    for (const [field, d] of [['interval', props.interval], ['retryInterval', props.retryInterval], ['timeout', props.timeout]] as const) {
      if (d !== undefined) checkDurationProp(p, field, d);
    }
    for (const field of ['prune', 'wait', 'suspend', 'force', 'ignoreMissingComponents'] as const) checkBoolean(p, field, props[field]);
    if (props.targetNamespace !== undefined) checkLabelName(p, 'targetNamespace', props.targetNamespace);
    if (props.sourceApiVersion !== undefined && (typeof props.sourceApiVersion !== 'string' || !/^[a-z0-9.-]+\/v[0-9a-z]+$/.test(props.sourceApiVersion))) {
      p.add('sourceApiVersion', 'must be group/version, such as \'source.toolkit.fluxcd.io/v1\'', props.sourceApiVersion);
    }
    if (props.serviceAccountName !== undefined) checkObjectName(p, 'serviceAccountName', props.serviceAccountName);
    if (props.deletionPolicy !== undefined) checkEnum(p, 'deletionPolicy', props.deletionPolicy, KustomizationDeletionPolicy as unknown as { [key: string]: string }, 'KustomizationDeletionPolicy');
    for (const field of ['namePrefix', 'nameSuffix'] as const) {
      const v = props[field];
      if (v !== undefined && (typeof v !== 'string' || !/^[a-z0-9.-]{1,200}$/.test(v))) p.add(field, 'must be lowercase letters, digits, \'-\' and \'.\' (it becomes part of object names)', v);
    }
    if (props.wait && props.healthChecks?.length) {
      p.add('healthChecks', 'must not be combined with wait: true: Flux then checks every object and ignores healthChecks; keep one of them', props.healthChecks.length);
    }
    this.checkLists(p);
    const healthChecks = this.healthChecks(ctx, p);
    const substituteFrom = this.substituteFrom(p);
    if (p.list.length > 0) return undefined;

    const waitsForHealth = props.wait || (props.healthChecks?.length ?? 0) > 0;
    const sourceRef = source as FluxObject | undefined;
    const sourceNamespace = sourceRef ? sourceRef.namespace : this.cluster.namespace;
    const decryption = props.decryption;
    const kubeConfig = props.kubeConfig;
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        commonMetadata: props.commonMetadata
          ? { annotations: nonEmpty(props.commonMetadata.annotations), labels: nonEmpty(props.commonMetadata.labels) }
          : undefined,
        components: props.components?.length ? props.components : undefined,
        decryption: decryption ? {
          provider: decryption.provider ?? DecryptionProvider.SOPS,
          secretRef: decryption.secretRef ? { name: decryption.secretRef } : undefined,
          serviceAccountName: decryption.serviceAccountName,
        } : undefined,
        deletionPolicy: props.deletionPolicy,
        dependsOn: deps.length ? deps.map(({ dep, readyExpr }) => ({
          name: dep.name,
          namespace: dep.namespace !== this.namespace ? dep.namespace : undefined,
          readyExpr,
        })) : undefined,
        force: props.force || undefined,
        healthCheckExprs: props.healthCheckExprs?.length
          ? props.healthCheckExprs.map((e) => ({
            apiVersion: e.apiVersion, current: e.current, failed: e.failed, inProgress: e.inProgress, kind: e.kind,
          }))
          : undefined,
        healthChecks: healthChecks.length ? healthChecks : undefined,
        ignore: props.ignore?.length ? props.ignore.join('\n') : undefined,
        ignoreMissingComponents: props.ignoreMissingComponents || undefined,
        images: props.images?.length
          ? props.images.map((i) => ({ digest: i.digest, name: i.name, newName: i.newName, newTag: i.newTag }))
          : undefined,
        interval: goDuration(props.interval ?? Duration.minutes(1)),
        kubeConfig: kubeConfig ? {
          configMapRef: kubeConfig.configMapName ? { name: kubeConfig.configMapName } : undefined,
          secretRef: kubeConfig.secretName ? { key: kubeConfig.secretKey, name: kubeConfig.secretName } : undefined,
        } : undefined,
        namePrefix: props.namePrefix,
        nameSuffix: props.nameSuffix,
        patches: props.patches?.length
          ? props.patches.map((pt) => ({ patch: pt.patch, target: pt.target ? { ...pt.target } : undefined })) as YamlValue
          : undefined,
        path: `./${this.path}`,
        postBuild: props.postBuild && (Object.keys(props.postBuild.substitute ?? {}).length || substituteFrom.length) ? {
          substitute: nonEmpty(props.postBuild.substitute),
          substituteFrom: substituteFrom.length ? substituteFrom : undefined,
        } : undefined,
        prune: props.prune ?? true,
        retryInterval: props.retryInterval ? goDuration(props.retryInterval) : undefined,
        serviceAccountName: props.serviceAccountName,
        sourceRef: {
          apiVersion: props.sourceApiVersion,
          kind: sourceRef ? sourceRef.kind : 'GitRepository',
          name: sourceRef ? sourceRef.name : this.cluster.namespace,
          namespace: sourceNamespace !== this.namespace ? sourceNamespace : undefined,
        },
        suspend: props.suspend || undefined,
        targetNamespace: props.targetNamespace,
        timeout: props.timeout ? goDuration(props.timeout) : waitsForHealth ? '2m0s' : undefined,
        wait: props.wait || undefined,
      },
    };
  }

  /** Lists and maps whose shape a JavaScript caller may get wrong. */
  private checkLists(p: Problems): void {
    const props = this.props;
    const list = (field: string, v: unknown): v is unknown[] => {
      if (v === undefined) return false;
      if (!Array.isArray(v)) {
        p.add(field, 'must be a list', v);
        return false;
      }
      return true;
    };
    if (list('components', props.components)) {
      props.components!.forEach((c, i) => { if (typeof c !== 'string' || c.trim() === '') p.add(`components[${i}]`, 'must be a path relative to the Kustomization\'s path', c); });
    }
    if (list('ignore', props.ignore)) {
      props.ignore!.forEach((c, i) => { if (typeof c !== 'string' || c.trim() === '' || c.includes('\n')) p.add(`ignore[${i}]`, 'must be a non-empty pattern on one line', c); });
    }
    if (list('patches', props.patches)) {
      props.patches!.forEach((pt, i) => {
        if (pt === null || typeof pt !== 'object' || typeof pt.patch !== 'string' || pt.patch.trim() === '') p.add(`patches[${i}].patch`, 'must be a non-empty strategic merge or JSON 6902 patch, as a YAML or JSON string', pt?.patch);
      });
    }
    if (list('images', props.images)) {
      props.images!.forEach((img, i) => {
        if (img === null || typeof img !== 'object' || typeof img.name !== 'string' || img.name === '') p.add(`images[${i}].name`, 'must be the image name the manifests use', img?.name);
        else if (img.newName === undefined && img.newTag === undefined && img.digest === undefined) p.add(`images[${i}]`, 'must set newName, newTag or digest', img.name);
      });
    }
    if (list('healthCheckExprs', props.healthCheckExprs)) {
      props.healthCheckExprs!.forEach((e, i) => {
        for (const f of ['apiVersion', 'kind', 'current'] as const) {
          if (typeof e?.[f] !== 'string' || e[f].trim() === '') p.add(`healthCheckExprs[${i}].${f}`, 'must be a non-empty string', e?.[f]);
        }
      });
    }
    const sub = props.postBuild?.substitute;
    if (sub !== undefined) {
      if (sub === null || typeof sub !== 'object' || Array.isArray(sub)) {p.add('postBuild.substitute', 'must be an object of variables ({ name: \'value\' })', sub);} else {
        for (const [k, v] of Object.entries(sub)) {
          if (!VARIABLE_NAME.test(k)) p.add(`postBuild.substitute.${k}`, 'must be a variable name: letters, digits and \'_\', not starting with a digit (Flux refuses others)', k);
          if (typeof v !== 'string') p.add(`postBuild.substitute.${k}`, 'must be a string: quote it (Flux substitutes text)', v);
        }
      }
    }
    if (props.commonMetadata !== undefined) {
      checkStringMap(p, 'commonMetadata.labels', props.commonMetadata?.labels, true);
      checkStringMap(p, 'commonMetadata.annotations', props.commonMetadata?.annotations, false);
    }
    const d = props.decryption;
    if (d !== undefined) {
      if (d.provider !== undefined) checkEnum(p, 'decryption.provider', d.provider, DecryptionProvider as unknown as { [key: string]: string }, 'DecryptionProvider');
      if (d.secretRef !== undefined) checkObjectName(p, 'decryption.secretRef', d.secretRef);
      if (d.serviceAccountName !== undefined) checkObjectName(p, 'decryption.serviceAccountName', d.serviceAccountName);
    }
    const kc = props.kubeConfig;
    if (kc !== undefined) {
      if (kc.secretName === undefined && kc.configMapName === undefined) p.add('kubeConfig', 'must set secretName or configMapName', kc);
      if (kc.secretName !== undefined && kc.configMapName !== undefined) p.add('kubeConfig', 'must set only one of secretName and configMapName', kc);
      if (kc.secretName !== undefined) checkObjectName(p, 'kubeConfig.secretName', kc.secretName);
      if (kc.configMapName !== undefined) checkObjectName(p, 'kubeConfig.configMapName', kc.configMapName);
      if (kc.secretKey !== undefined && kc.secretName === undefined) p.add('kubeConfig.secretKey', 'needs secretName', kc.secretKey);
    }
  }

  /** The health checks as written, each resolved from its construct or reference. */
  private healthChecks(_ctx: SynthContext, p: Problems): YamlValue[] {
    const out: YamlValue[] = [];
    (this.props.healthChecks ?? []).forEach((hc, i) => {
      const field = `healthChecks[${i}]`;
      if (!(hc instanceof HealthCheck)) {
        p.add(field, 'must be a HealthCheck such as HealthCheck.of(release) or HealthCheck.ref({ kind, name, namespace })', hc);
        return;
      }
      if (hc._ref) {
        const r = hc._ref;
        if (typeof r.kind !== 'string' || r.kind === '') p.add(`${field}.kind`, 'must be the kind to check', r.kind);
        if (typeof r.name !== 'string' || r.name === '') p.add(`${field}.name`, 'must be the name of the object to check', r.name);
        out.push({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace ?? this.props.targetNamespace ?? this.namespace });
        return;
      }
      const c = hc._construct!;
      const target = describe(c);
      if (!target) {
        p.add(field, 'must be a construct with a Kubernetes object: a construct of this library, a cdk8s ApiObject or a cdk8s-plus resource', c?.node?.path ?? c);
        return;
      }
      if (FluxCluster.of(c) !== this.cluster || layerOf(target.construct) !== this) {
        p.add(field, `must be an object this Kustomization applies: '${c.node.path}' is not defined inside '${this.node.path}'`, target.name);
        return;
      }
      const namespace = target.namespace ?? this.props.targetNamespace ?? this.namespace;
      out.push({ apiVersion: target.apiVersion, kind: target.kind, name: target.name, namespace });
    });
    return out;
  }

  /** The substituteFrom entries as written. */
  private substituteFrom(p: Problems): YamlValue[] {
    const out: YamlValue[] = [];
    (this.props.postBuild?.substituteFrom ?? []).forEach((s, i) => {
      const field = `postBuild.substituteFrom[${i}]`;
      if (!(s instanceof SubstituteFrom)) {
        p.add(field, 'must be a SubstituteFrom such as SubstituteFrom.sealedSecret(secret)', s);
        return;
      }
      let name = s._name;
      if (s._construct) {
        const target = describe(s._construct);
        const expected = s._kind === 'Secret' ? 'SealedSecret' : 'ConfigMap';
        if (!target || target.kind !== expected) {
          p.add(field, `must be a ${expected} construct`, target?.kind ?? s._construct?.node?.path);
          return;
        }
        name = target.name;
        const ns = target.namespace ?? this.props.targetNamespace;
        if (FluxCluster.of(s._construct) !== this.cluster) {
          p.add(field, `must be in the same cluster: '${s._construct.node.path}' belongs to '${FluxCluster.of(s._construct).node.path}'`, name);
        } else if (ns !== this.namespace) {
          p.add(field, `must be in the Kustomization's namespace '${this.namespace}' (Flux reads it from there): '${s._construct.node.path}' is in '${ns ?? '(none)'}'`, name);
        } else if (!s._optional && this.appliesItself(target.construct)) {
          p.add(field, `must be applied before this Kustomization builds: '${s._construct.node.path}' is applied by this Kustomization or one that depends on it, so the first build finds no variables and never applies it; define it in a Kustomization this one dependsOn, or mark it optional`, name);
        }
      } else if (typeof name !== 'string') {
        p.add(`${field}.name`, 'must be a name', name);
        return;
      } else {
        checkObjectName(p, `${field}.name`, name);
      }
      out.push({ kind: s._kind, name: name, optional: s._optional || undefined });
    });
    return out;
  }

  /** Whether a construct is applied by this Kustomization or by one that (transitively) depends on it. */
  private appliesItself(c: IConstruct): boolean {
    const owner = layerOf(c);
    return owner === this || (owner instanceof Kustomization && dependsOnTransitively(owner, this));
  }
}

/** Whether `from` depends on `to`, directly or through other Kustomizations. */
export function dependsOnTransitively(from: Kustomization, to: Kustomization): boolean {
  const seen = new Set<Kustomization>();
  const queue = [...from.dependencies];
  while (queue.length > 0) {
    const k = queue.shift()!;
    if (k === to) return true;
    if (!(k instanceof Kustomization) || seen.has(k)) continue;
    seen.add(k);
    queue.push(...k.dependencies);
  }
  return false;
}

function nonEmpty(m: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  return m && Object.keys(m).length ? m : undefined;
}

/** The Kubernetes object of a construct: a FluxObject, an ApiObject, or a construct whose defaultChild is one. */
function describe(c: IConstruct): { construct: IConstruct; apiVersion: string; kind: string; name: string; namespace?: string } | undefined {
  if (c instanceof FluxObject) return { construct: c, apiVersion: c.apiVersion, kind: c.kind, name: c.name, namespace: c.namespace };
  let api: ApiObject;
  try {
    api = ApiObject.of(c);
  } catch {
    return undefined;
  }
  return { construct: c, apiVersion: api.apiVersion, kind: api.kind, name: api.name, namespace: api.metadata.namespace };
}

/** A dependsOn cycle through start, if any. */
function findCycle(start: Kustomization): Kustomization[] | undefined {
  const trail: Kustomization[] = [];
  const seen = new Set<Kustomization>();
  const visit = (k: Kustomization): Kustomization[] | undefined => {
    seen.add(k);
    trail.push(k);
    for (const d of k.dependencies) {
      if (!(d instanceof Kustomization) || d === k) continue;
      if (d === start) return [...trail, d];
      if (!seen.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    trail.pop();
    return undefined;
  };
  return visit(start);
}
