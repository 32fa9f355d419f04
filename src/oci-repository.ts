import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkObjectName, checkString, checkUrl, requireProps } from './checks/rules';
import { CERT_SECRET_KEYS, checkSecretReference, PROXY_SECRET_KEYS, verifySecretKeys } from './checks/secret-keys';
import { FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { HelmRepositoryProvider } from './helm-repository';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SecretReference } from './secret-reference';
import { SynthContext } from './synth/context';

/** What source-controller does with the artifact layer it selects (`spec.layerSelector.operation`). */
export enum OciLayerOperation {
  /** Untar the layer (Flux's default). */
  EXTRACT = 'extract',
  /** Keep the layer as it is: a Helm chart's `.tgz`, as helm-controller's docs set it. */
  COPY = 'copy',
}

/** The technology an OCI artifact or chart is signed with (`verify.provider`). */
export enum VerificationProvider {
  /** Sigstore cosign: public keys (`*.pub`) or keyless (OIDC identities). */
  COSIGN = 'cosign',
  /** Notary Project notation: a trust policy and certificates. */
  NOTATION = 'notation',
}

/** An OIDC identity a keyless cosign signature must match (`verify.matchOIDCIdentity[]`). */
export interface OidcIdentityMatch {
  /** A Go regular expression for the OIDC issuer in the Fulcio certificate, e.g. '^https://token.actions.githubusercontent.com$'. */
  readonly issuer: string;
  /** A Go regular expression for the identity subject in the Fulcio certificate. */
  readonly subject: string;
}

/** How source-controller verifies an OCI artifact's signature (`spec.verify`), as `flux create source oci --verify-…`. */
export interface OciVerification {
  /**
   * The signing technology (`--verify-provider`).
   * @default VerificationProvider.COSIGN
   */
  readonly provider?: VerificationProvider;

  /**
   * The Secret with the trusted public keys (`--verify-secret-ref`): for cosign keys ending in
   * `.pub`, for notation `trustpolicy.json` and the certificates.
   * @default - none: cosign keyless verification (with `matchOidcIdentity`)
   */
  readonly secret?: SecretReference;

  /**
   * The identities a keyless cosign signature must match, any of them (`--verify-issuer`, `--verify-subject`).
   * @default - none
   */
  readonly matchOidcIdentity?: OidcIdentityMatch[];

  /**
   * The Secret with a Sigstore `trusted_root.json`, for keyless cosign verification against a
   * self-hosted Sigstore (`verify.trustedRootSecretRef`, source-controller v1.9).
   * @default - the public Sigstore
   */
  readonly trustedRootSecret?: SecretReference;
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
   * The Secret with registry credentials (`spec.secretRef`), as a SealedSecret of this library
   * (checked: same cluster and namespace, key `.dockerconfigjson`) or by name. Instead of `secretRef`.
   * @default - anonymous
   */
  readonly secret?: SecretReference;

  /**
   * A regular expression that filters the tags within the `semver` range (`spec.ref.semverFilter`), e.g. '.*-rc.*'.
   * @default - every tag in the range
   */
  readonly semverFilter?: string;

  /**
   * The Secret with TLS material for the registry (`spec.certSecretRef`, `--cert-ref`): `ca.crt`,
   * and/or `tls.crt` and `tls.key`.
   * @default - the system's CAs, no client certificate
   */
  readonly certSecret?: SecretReference;

  /**
   * The Secret with the proxy to reach the registry through (`spec.proxySecretRef`,
   * `--proxy-secret-ref`): `address`, optional `username` and `password`.
   * @default - no proxy
   */
  readonly proxySecret?: SecretReference;

  /**
   * The ServiceAccount whose image pull secrets authenticate the pull (`spec.serviceAccountName`, `--service-account`).
   * @default - none
   */
  readonly serviceAccountName?: string;

  /**
   * Signature verification (`spec.verify`).
   * @default - not verified
   */
  readonly verify?: OciVerification;

  /**
   * Paths to leave out of the artifact, in .sourceignore (.gitignore) format (`spec.ignore`,
   * `--ignore-paths`, one line each).
   * @default - Flux's default exclusions
   */
  readonly ignorePaths?: string[];

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

const OCI_REPOSITORY_PROPS = [...FLUX_OBJECT_PROPS, 'url', 'interval', 'tag', 'semver', 'digest', 'secretRef', 'provider', 'insecure', 'timeout', 'suspend', 'layerMediaType', 'layerOperation', 'secret', 'semverFilter', 'certSecret', 'proxySecret', 'serviceAccountName', 'verify', 'ignorePaths'];

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
    requireProps(this, props, 'OCIRepositoryProps');
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
    let secretName = props.secretRef;
    if (props.secret !== undefined) {
      if (props.secretRef !== undefined) p.add('secret', 'must not be given with secretRef: give one of them', props.secretRef);
      secretName = checkSecretReference(p, 'secret', props.secret, this, {
        anyOf: [['.dockerconfigjson']],
        why: 'an OCIRepository logs in with a kubernetes.io/dockerconfigjson Secret',
      });
    }
    const certName = props.certSecret !== undefined ? checkSecretReference(p, 'certSecret', props.certSecret, this, CERT_SECRET_KEYS) : undefined;
    const proxyName = props.proxySecret !== undefined ? checkSecretReference(p, 'proxySecret', props.proxySecret, this, PROXY_SECRET_KEYS) : undefined;
    if (props.serviceAccountName !== undefined) checkObjectName(p, 'serviceAccountName', props.serviceAccountName);
    if (props.semverFilter !== undefined) {
      if (props.semver === undefined) p.add('semverFilter', 'needs semver: it filters the tags within the semver range', props.semverFilter);
      checkRegexp(p, 'semverFilter', props.semverFilter);
    }
    if (props.ignorePaths !== undefined) {
      if (!Array.isArray(props.ignorePaths)) p.add('ignorePaths', 'must be a list of .sourceignore patterns such as [\'/*\', \'!/deploy\']', props.ignorePaths);
      else props.ignorePaths.forEach((line, i) => { if (typeof line !== 'string' || /[\r\n]/.test(line)) p.add(`ignorePaths[${i}]`, 'must be one .sourceignore pattern (a string without line breaks)', line); });
    }
    const verify = this.renderVerify(p);
    if (props.layerMediaType !== undefined && (typeof props.layerMediaType !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/.test(props.layerMediaType))) {
      p.add('layerMediaType', `must be a media type such as '${HELM_CHART_LAYER_MEDIA_TYPE}'`, props.layerMediaType);
    }
    if (props.layerOperation !== undefined) {
      checkEnum(p, 'layerOperation', props.layerOperation, OciLayerOperation as unknown as { [key: string]: string }, 'OciLayerOperation');
    }
    if (p.list.length > 0) return undefined;

    const ref: { [key: string]: YamlValue } = {};
    if (props.digest) {ref.digest = props.digest;} else if (props.semver) {
      ref.semver = props.semver;
      if (props.semverFilter !== undefined) ref.semverFilter = props.semverFilter;
    } else {ref.tag = props.tag ?? 'latest';}
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
        certSecretRef: certName ? { name: certName } : undefined,
        ignore: props.ignorePaths?.length ? props.ignorePaths.join('\n') : undefined,
        provider: props.provider,
        proxySecretRef: proxyName ? { name: proxyName } : undefined,
        ref,
        secretRef: secretName ? { name: secretName } : undefined,
        serviceAccountName: props.serviceAccountName,
        suspend: props.suspend || undefined,
        timeout: props.timeout ? goDuration(props.timeout) : undefined,
        url: props.url,
        verify,
      },
    };
  }

  /** `spec.verify`, checked; undefined when not set or invalid. */
  private renderVerify(p: Problems): { [key: string]: YamlValue } | undefined {
    const v = this.props.verify;
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object') {
      p.add('verify', 'must be verification options such as { provider: VerificationProvider.COSIGN, secret: SecretReference.fromName(\'cosign-pub\') }', v);
      return undefined;
    }
    const provider = v.provider ?? VerificationProvider.COSIGN;
    checkEnum(p, 'verify.provider', provider, VerificationProvider as unknown as { [key: string]: string }, 'VerificationProvider');
    const secret = v.secret !== undefined ? checkSecretReference(p, 'verify.secret', v.secret, this, verifySecretKeys(provider)) : undefined;
    const trustedRoot = v.trustedRootSecret !== undefined
      ? checkSecretReference(p, 'verify.trustedRootSecret', v.trustedRootSecret, this, { anyOf: [['trusted_root.json']], why: 'source-controller reads the Sigstore trusted root from \'trusted_root.json\'' })
      : undefined;
    if (v.trustedRootSecret !== undefined && provider !== VerificationProvider.COSIGN) {
      p.add('verify.trustedRootSecret', 'applies only to cosign verification (VerificationProvider.COSIGN)', provider);
    }
    const identities = v.matchOidcIdentity ?? [];
    if (!Array.isArray(identities)) {p.add('verify.matchOidcIdentity', 'must be a list of { issuer, subject }', identities);} else {
      if (identities.length > 0 && provider !== VerificationProvider.COSIGN) {
        p.add('verify.matchOidcIdentity', 'applies only to cosign keyless verification (VerificationProvider.COSIGN)', provider);
      }
      identities.forEach((m, i) => {
        for (const k of ['issuer', 'subject'] as const) {
          if (typeof m?.[k] !== 'string' || m[k].length === 0) p.add(`verify.matchOidcIdentity[${i}].${k}`, 'must be a non-empty regular expression', m?.[k]);
          else checkRegexp(p, `verify.matchOidcIdentity[${i}].${k}`, m[k]);
        }
      });
    }
    if (provider === VerificationProvider.NOTATION && v.secret === undefined) {
      p.add('verify.secret', 'is required for notation verification: the Secret with trustpolicy.json and the certificates');
    }
    return {
      matchOIDCIdentity: Array.isArray(identities) && identities.length
        ? identities.map((m) => ({ issuer: m.issuer, subject: m.subject }))
        : undefined,
      provider,
      secretRef: secret ? { name: secret } : undefined,
      trustedRootSecretRef: trustedRoot ? { name: trustedRoot } : undefined,
    };
  }
}

/** A regular expression the controller compiles (Go RE2); checked with JavaScript's, which catches the common mistakes. */
export function checkRegexp(p: Problems, field: string, re: unknown): void {
  if (typeof re !== 'string') {
    p.add(field, 'must be a string (a regular expression)', re);
    return;
  }
  try {
    new RegExp(re);
  } catch (e) {
    p.add(field, `must be a valid regular expression: ${(e as Error).message}`, re);
  }
}
