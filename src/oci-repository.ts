import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkObjectName, checkString, checkUrl } from './checks/rules';
import { FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { HelmRepositoryProvider } from './helm-repository';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SynthContext } from './synth/context';

/** What source-controller does with the artifact layer it selects (`spec.layerSelector.operation`). */
export enum OciLayerOperation {
  /** Untar the layer (Flux's default). */
  EXTRACT = 'extract',
  /** Keep the layer as it is: a Helm chart's `.tgz`, as helm-controller's docs set it. */
  COPY = 'copy',
}

/** The media type of a Helm chart's content layer, for `layerMediaType`. */
export const HELM_CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** Properties of an `OCIRepository` (`source.toolkit.fluxcd.io/v1`). */
export interface OCIRepositoryProps extends FluxObjectProps {
  /** The artifact URL, `oci://registry/path/name` (for a Helm chart: the chart's full OCI reference). */
  readonly url: string;

  /**
   * How often Flux checks the registry.
   * @default Duration.minutes(1), as `flux create source oci`
   */
  readonly interval?: Duration;

  /**
   * The tag to pull.
   * @default - 'latest' unless semver or digest is set
   */
  readonly tag?: string;

  /**
   * A semver range; the newest matching tag is pulled.
   * @default - not set
   */
  readonly semver?: string;

  /**
   * An image digest (`sha256:…`) to pin.
   * @default - not set
   */
  readonly digest?: string;

  /**
   * Name of a Secret with registry credentials (`kubernetes.io/dockerconfigjson`).
   * @default - anonymous
   */
  readonly secretRef?: string;

  /**
   * The cloud provider to authenticate with.
   * @default - not set (Flux uses `generic`)
   */
  readonly provider?: HelmRepositoryProvider;

  /**
   * Allow a registry without TLS.
   * @default false
   */
  readonly insecure?: boolean;

  /**
   * Timeout of the pull.
   * @default - Flux's default (60s)
   */
  readonly timeout?: Duration;

  /**
   * Stop reconciling this source.
   * @default false
   */
  readonly suspend?: boolean;

  /**
   * The media type of the layer to take (`spec.layerSelector.mediaType`); for a Helm chart,
   * `HELM_CHART_LAYER_MEDIA_TYPE`, as the helm-controller docs set it for `chartRef`.
   * @default - the first layer
   */
  readonly layerMediaType?: string;

  /**
   * What to do with the selected layer (`spec.layerSelector.operation`); for a Helm chart,
   * `OciLayerOperation.COPY`, as the helm-controller docs set it for `chartRef`.
   * @default - Flux's default (extract)
   */
  readonly layerOperation?: OciLayerOperation;
}

const OCI_REPOSITORY_PROPS = [...FLUX_OBJECT_PROPS, 'url', 'interval', 'tag', 'semver', 'digest', 'secretRef', 'provider', 'insecure', 'timeout', 'suspend', 'layerMediaType', 'layerOperation'];

/**
 * A Flux `OCIRepository`: an OCI artifact such as a Helm chart in a registry, for
 * `HelmRelease.chartRef` (the source Flux recommends for OCI charts) or a Kustomization's
 * `sourceRef`. Written to `<folder>/helm/repositories/<name>.yaml`.
 */
export class OCIRepository extends FluxObject {
  private readonly props: OCIRepositoryProps;

  constructor(scope: Construct, id: string, props: OCIRepositoryProps) {
    super(scope, id, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: OCI_REPOSITORY_PROPS,
    });
    this.props = props;
  }

  /** The artifact URL as given. @internal */
  public get _url(): string {
    return this.props.url;
  }

  /** The source file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/helm/repositories/${this.name}.yaml`;
  }

  /** @internal */
  protected _render(_ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    checkUrl(p, 'url', props.url, ['oci']);
    if (props.interval !== undefined) checkDurationProp(p, 'interval', props.interval);
    // The CRD pattern of OCIRepository.spec.timeout has no 'h' unit, as HelmRepository's.
    if (props.timeout !== undefined) checkDurationProp(p, 'timeout', props.timeout, false);
    if (props.provider !== undefined) checkEnum(p, 'provider', props.provider, HelmRepositoryProvider as unknown as { [key: string]: string }, 'HelmRepositoryProvider');
    for (const field of ['insecure', 'suspend'] as const) checkBoolean(p, field, props[field]);
    for (const field of ['tag', 'semver'] as const) {
      if (checkString(p, field, props[field]) && props[field] !== undefined && props[field]!.trim() === '') p.add(field, 'must not be empty', props[field]);
    }
    const refs = [['tag', props.tag], ['semver', props.semver], ['digest', props.digest]].filter(([, v]) => v !== undefined);
    if (refs.length > 1) p.add('tag', 'must set only one of tag, semver and digest', Object.fromEntries(refs));
    if (props.digest !== undefined && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(props.digest)) {
      p.add('digest', 'must be a digest such as \'sha256:<hex>\'', props.digest);
    }
    if (props.secretRef !== undefined) checkObjectName(p, 'secretRef', props.secretRef);
    if (props.layerMediaType !== undefined && (typeof props.layerMediaType !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/.test(props.layerMediaType))) {
      p.add('layerMediaType', `must be a media type such as '${HELM_CHART_LAYER_MEDIA_TYPE}'`, props.layerMediaType);
    }
    if (props.layerOperation !== undefined) {
      checkEnum(p, 'layerOperation', props.layerOperation, OciLayerOperation as unknown as { [key: string]: string }, 'OciLayerOperation');
    }
    if (p.list.length > 0) return undefined;

    const ref: { [key: string]: YamlValue } = {};
    if (props.digest) ref.digest = props.digest;
    else if (props.semver) ref.semver = props.semver;
    else ref.tag = props.tag ?? 'latest';
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        insecure: props.insecure || undefined,
        interval: goDuration(props.interval ?? Duration.minutes(1)),
        layerSelector: props.layerMediaType !== undefined || props.layerOperation !== undefined
          ? { mediaType: props.layerMediaType, operation: props.layerOperation }
          : undefined,
        provider: props.provider,
        ref,
        secretRef: props.secretRef ? { name: props.secretRef } : undefined,
        suspend: props.suspend || undefined,
        timeout: props.timeout ? goDuration(props.timeout) : undefined,
        url: props.url,
      },
    };
  }
}
