import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkCount, checkDurationProp, checkEnum, checkLabelName, checkLength, checkObjectName, TARGET_PATH, VALUES_KEY } from './checks/rules';
import { FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { GitRepository } from './git-repository';
import { HelmRepository } from './helm-repository';
import { OCIRepository } from './oci-repository';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SealedSecret, sealedSecretOf } from './sealed-secret';
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
}

const HELM_RELEASE_PROPS = [...FLUX_OBJECT_PROPS, 'repository', 'gitRepository', 'chart', 'chartRef', 'version', 'interval', 'chartInterval', 'releaseName', 'targetNamespace', 'storageNamespace', 'createNamespace', 'crds', 'installRetries', 'upgradeRetries', 'values', 'valuesFrom', 'secretValues', 'dependsOn', 'timeout', 'driftDetection', 'serviceAccountName', 'maxHistory', 'suspend'];

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
    if (this.props.crds === CrdsPolicy.SKIP) return false;
    if (this.chart === 'sealed-secrets') return true;
    // A chart from an OCIRepository: the chart name is the last segment of its URL.
    const url = this.props.chartRef instanceof OCIRepository ? this.props.chartRef._url : undefined;
    return typeof url === 'string' && /\/sealed-secrets\/?$/.test(url);
  }

  /** The releases this one depends on. @internal */
  public get _dependsOn(): HelmRelease[] {
    return this.props.dependsOn ?? [];
  }

  /** The SealedSecrets this release cannot do without (non-optional valuesFrom, secretValues). @internal */
  public get _requiredSealedSecrets(): SealedSecret[] {
    const secrets = (this.props.valuesFrom ?? [])
      .filter((ref) => ref !== null && typeof ref === 'object' && !ref.optional)
      .map((ref) => sealedSecretOf(ref))
      .filter((s): s is SealedSecret => s !== undefined);
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
    if (props.chartRef !== undefined) {
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
        checkValues(p, 'values', props.values);
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
    if (p.list.length > 0) return undefined;

    const repo: HelmRepository | GitRepository | undefined = props.gitRepository ?? props.repository;
    const install: { [key: string]: YamlValue } = {
      createNamespace: props.createNamespace || undefined,
      crds: props.crds !== undefined ? CrdsPolicy.CREATE : undefined,
      remediation: props.installRetries !== undefined ? { retries: props.installRetries } : undefined,
    };
    const upgrade: { [key: string]: YamlValue } = {
      crds: props.crds,
      remediation: props.upgradeRetries !== undefined ? { retries: props.upgradeRetries } : undefined,
    };
    const spec: { [key: string]: YamlValue } = {
      chartRef: props.chartRef ? {
        kind: 'OCIRepository',
        name: props.chartRef.name,
        namespace: props.chartRef.namespace !== this.namespace ? props.chartRef.namespace : undefined,
      } : undefined,
      chart: props.chartRef ? undefined : {
        spec: {
          chart: props.chart,
          interval: props.chartInterval ? goDuration(props.chartInterval) : undefined,
          reconcileStrategy: 'ChartVersion',
          sourceRef: {
            kind: repo?.kind ?? 'HelmRepository',
            name: repo?.name,
            namespace: repo && repo.namespace !== this.namespace ? repo.namespace : undefined,
          },
          version: props.version,
        },
      },
      dependsOn: props.dependsOn?.length
        ? props.dependsOn.map((d) => ({ name: d?.name, namespace: d?.namespace !== this.namespace ? d?.namespace : undefined }))
        : undefined,
      driftDetection: props.driftDetection ? { mode: props.driftDetection } : undefined,
      install: Object.values(install).some((v) => v !== undefined) ? install : undefined,
      interval: goDuration(props.interval ?? Duration.minutes(1)),
      maxHistory: props.maxHistory,
      releaseName: props.releaseName,
      serviceAccountName: props.serviceAccountName,
      storageNamespace: props.storageNamespace ?? props.targetNamespace,
      suspend: props.suspend || undefined,
      targetNamespace: props.targetNamespace,
      timeout: props.timeout ? goDuration(props.timeout) : undefined,
      upgrade: Object.values(upgrade).some((v) => v !== undefined) ? upgrade : undefined,
      values: props.values as YamlValue,
      valuesFrom: valuesFrom.length
        ? valuesFrom.map((ref) => ({
          kind: ref.kind,
          name: ref.name,
          optional: ref.optional || undefined,
          targetPath: ref.targetPath,
          valuesKey: ref.valuesKey,
        }))
        : undefined,
    };
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    };
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
    const secret = sealedSecretOf(ref);
    if (secret) {
      if (secret.cluster !== this.cluster) {
        p.add(`${field}.name`, `must refer to a SealedSecret of the same cluster: '${secret.node.path}' belongs to '${secret.cluster.node.path}'`, ref.name);
      } else if (secret.namespace !== this.namespace) {
        p.add(`${field}.name`, `must refer to a Secret in the HelmRelease's namespace '${this.namespace}': SealedSecret '${secret.name}' is in '${secret.namespace}'; set its namespace to '${this.namespace}'`, ref.name);
      }
      const key = ref.valuesKey ?? 'values.yaml';
      if (!secret.keys.includes(key)) {
        p.add(`${field}.valuesKey`, `must be a key of SealedSecret '${secret.name}' (${secret.keys.map((k) => `'${k}'`).join(', ')})`, key);
      }
    }
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

/** Checks that values are plain JSON data: objects, arrays, strings, finite numbers, booleans, null. */
function checkValues(p: Problems, field: string, v: unknown, ancestors: Set<object> = new Set()): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (v === undefined) {
    p.add(field, 'must not be undefined: leave the key out, or use null for an explicit null', 'undefined');
    return;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) p.add(field, 'must be a finite number', String(v));
    return;
  }
  const isArray = Array.isArray(v);
  const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (!isArray && !(typeof v === 'object' && (proto === Object.prototype || proto === null))) {
    const got = typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : `a ${typeof v}`;
    p.add(field, 'must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries())', got);
    return;
  }
  if (ancestors.has(v as object)) {
    p.add(field, 'must not contain itself (a circular reference): values are written out as a tree', 'a circular reference');
    return;
  }
  ancestors.add(v as object);
  if (isArray) {
    (v as unknown[]).forEach((item, i) => checkValues(p, `${field}[${i}]`, item, ancestors));
  } else {
    for (const [k, item] of Object.entries(v as object)) {
      checkValues(p, /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${field}.${k}` : `${field}[${JSON.stringify(k)}]`, item, ancestors);
    }
  }
  ancestors.delete(v as object);
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
