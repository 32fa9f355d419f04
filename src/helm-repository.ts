import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkObjectName, checkUrl, requireProps } from './checks/rules';
import { FluxCluster } from './cluster';
import { goDuration } from './output/duration';
import { toYamlDocument, YamlValue } from './output/yaml';
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
export interface HelmRepositoryProps {
  /**
   * The repository URL: `https://…` or `http://…` for a chart index, `oci://…` for an OCI registry
   * (which makes the repository `type: oci`).
   */
  readonly url: string;

  /**
   * The object name, also the file name (`helm/repositories/<name>.yaml`).
   * @default - the construct id
   */
  readonly name?: string;

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

/**
 * A Flux `HelmRepository`: a Helm chart index or OCI registry, written to
 * `<cluster path>/helm/repositories/<name>.yaml` with the bytes of `flux create source helm --export`.
 */
export class HelmRepository extends Construct {
  /** The object name. */
  public readonly name: string;
  /** The namespace the object lives in (the cluster's Flux namespace). */
  public readonly namespace: string;
  /** The cluster this repository belongs to. */
  public readonly cluster: FluxCluster;
  /** Whether this is an OCI repository (`type: oci`). */
  public readonly isOci: boolean;

  private readonly props: HelmRepositoryProps;

  constructor(scope: Construct, id: string, props: HelmRepositoryProps) {
    super(scope, id);
    requireProps(this, props, 'HelmRepositoryProps');
    this.cluster = FluxCluster.of(this);
    this.props = props;
    this.name = props.name ?? id;
    this.namespace = this.cluster.namespace;
    this.isOci = typeof props.url === 'string' && props.url.startsWith('oci://');
  }

  /** The repository file, relative to the repo root. */
  public get filePath(): string {
    return `${this.cluster.path}/helm/repositories/${this.name}.yaml`;
  }

  /** @internal */
  public _synthesize(ctx: SynthContext): void {
    const props = this.props;
    const p = new Problems(this.node.path);
    checkObjectName(p, 'name', this.name);
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
    ctx.addProblems(p.list);
    if (p.list.length > 0) return;

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
    const object = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    };
    ctx.addObject({ cluster: this.cluster.path, id: `source.toolkit.fluxcd.io/HelmRepository/${this.namespace}/${this.name}`, owner: this.node.path, file: this.filePath });
    ctx.addFile({ path: this.filePath, content: toYamlDocument(object), value: object, owner: this.node.path });
  }
}
