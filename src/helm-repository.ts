import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkObjectName, checkUrl } from './checks/rules';
import { FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SynthContext } from './synth/context';

/** The cloud provider a HelmRepository of type `oci` authenticates with. */
export enum HelmRepositoryProvider {
  /** No provider-specific login. */
  GENERIC = 'generic',
  /** Amazon ECR. */
  AWS = 'aws',
  /** Azure Container Registry. */
  AZURE = 'azure',
  /** Google Artifact Registry. */
  GCP = 'gcp',
}

/** Properties of a `HelmRepository` (`source.toolkit.fluxcd.io/v1`). */
export interface HelmRepositoryProps extends FluxObjectProps {
  /**
   * The repository URL: `https://…` or `http://…` for a chart index, `oci://…` for an OCI registry
   * (which makes the repository `type: oci`).
   */
  readonly url: string;

  /**
   * How often Flux fetches the index (ignored by Flux for OCI repositories).
   * @default Duration.minutes(1), as `flux create source helm`
   */
  readonly interval?: Duration;

  /**
   * Timeout of index download operations (under one hour).
   * @default - not set (Flux uses 1m)
   */
  readonly timeout?: Duration;

  /**
   * Name of a Secret in the Flux namespace with `username`/`password` (or registry credentials for OCI).
   * @default - no authentication
   */
  readonly secretRef?: string;

  /**
   * Name of a Secret with `tls.crt`, `tls.key` and/or `ca.crt` for TLS client authentication.
   * @default - no client certificate
   */
  readonly certSecretRef?: string;

  /**
   * Send the credentials of `secretRef` also to hosts other than the repository's (needs `secretRef`).
   * @default false
   */
  readonly passCredentials?: boolean;

  /**
   * Allow a non-TLS HTTP registry (OCI repositories only).
   * @default false
   */
  readonly insecure?: boolean;

  /**
   * The provider used for authentication with an OCI registry.
   * @default - not set (Flux uses `generic`)
   */
  readonly provider?: HelmRepositoryProvider;

  /**
   * Stop reconciling this repository.
   * @default false
   */
  readonly suspend?: boolean;
}

const HELM_REPOSITORY_PROPS = [...FLUX_OBJECT_PROPS, 'url', 'interval', 'timeout', 'secretRef', 'certSecretRef', 'passCredentials', 'insecure', 'provider', 'suspend'];

/**
 * A Flux `HelmRepository`: a Helm chart index or OCI registry, written to
 * `<folder>/helm/repositories/<name>.yaml` (the folder is the cluster path, or the folder of the
 * Kustomization it is defined in) with the bytes of `flux create source helm --export`.
 */
export class HelmRepository extends FluxObject {
  /** Whether this is an OCI repository (`type: oci`). */
  public readonly isOci: boolean;

  private readonly props: HelmRepositoryProps;

  constructor(scope: Construct, id: string, props: HelmRepositoryProps) {
    super(scope, id, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: HELM_REPOSITORY_PROPS,
    });
    this.props = props;
    this.isOci = typeof props?.url === 'string' && props.url.startsWith('oci://');
  }

  /** The repository file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/helm/repositories/${this.name}.yaml`;
  }

  /** @internal */
  protected _render(_ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    checkUrl(p, 'url', props.url, ['http', 'https', 'oci']);
    if (props.interval !== undefined) checkDurationProp(p, 'interval', props.interval);
    if (props.timeout !== undefined) checkDurationProp(p, 'timeout', props.timeout, false);
    if (props.passCredentials && !props.secretRef) {
      p.add('passCredentials', 'needs secretRef: there are no credentials to pass without it', props.passCredentials);
    }
    if (props.insecure && !this.isOci) {
      p.add('insecure', 'applies only to OCI repositories (an oci:// url); for an HTTP index use an http:// url instead', props.insecure);
    }
    if (props.provider !== undefined && !this.isOci) {
      p.add('provider', 'applies only to OCI repositories (an oci:// url)', props.provider);
    } else if (props.provider !== undefined) {
      checkEnum(p, 'provider', props.provider, HelmRepositoryProvider as unknown as { [key: string]: string }, 'HelmRepositoryProvider');
    }
    for (const field of ['passCredentials', 'insecure', 'suspend'] as const) checkBoolean(p, field, props[field]);
    for (const [field, ref] of [['secretRef', props.secretRef], ['certSecretRef', props.certSecretRef]] as const) {
      if (ref !== undefined) checkObjectName(p, field, ref);
    }
    if (p.list.length > 0) return undefined;

    const spec: { [key: string]: YamlValue } = {
      interval: goDuration(props.interval ?? Duration.minutes(1)),
      url: props.url,
      type: this.isOci ? 'oci' : undefined,
      provider: props.provider,
      timeout: props.timeout ? goDuration(props.timeout) : undefined,
      secretRef: props.secretRef ? { name: props.secretRef } : undefined,
      certSecretRef: props.certSecretRef ? { name: props.certSecretRef } : undefined,
      passCredentials: props.passCredentials || undefined,
      insecure: props.insecure || undefined,
      suspend: props.suspend || undefined,
    };
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    };
  }
}
