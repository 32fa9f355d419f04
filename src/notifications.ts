import * as crypto from 'crypto';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkLabelValue, checkLength, checkObjectName, checkQualifiedKey, checkString, checkUrl, requireProps } from './checks/rules';
import { FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SealedSecret } from './sealed-secret';
import { SynthContext } from './synth/context';

const API_VERSION_V1BETA3 = 'notification.toolkit.fluxcd.io/v1beta3';
const API_VERSION_V1 = 'notification.toolkit.fluxcd.io/v1';

// ---------------------------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------------------------

/** The type of a notification `Provider`: where notification-controller sends the events. */
export enum ProviderType {
  /** Slack: a webhook `address` (or in the secret), or a bot `token` with a `channel`. */
  SLACK = 'slack',
  /** Discord webhook. */
  DISCORD = 'discord',
  /** Microsoft Teams (Workflows) webhook. */
  MSTEAMS = 'msteams',
  /** Rocket.Chat webhook. */
  ROCKET = 'rocket',
  /** A generic HTTP POST of the event JSON to `address`. */
  GENERIC = 'generic',
  /** A generic HTTP POST signed with HMAC-SHA256 (the secret's `token` is the key). */
  GENERIC_HMAC = 'generic-hmac',
  /** GitHub commit statuses (the `address` is the repository URL, the secret has a `token`). */
  GITHUB = 'github',
  /** GitLab commit statuses. */
  GITLAB = 'gitlab',
  /** Gitea commit statuses. */
  GITEA = 'gitea',
  /** Gitea pull request comments. */
  GITEA_PULL_REQUEST_COMMENT = 'giteapullrequestcomment',
  /** Bitbucket Server / Data Center commit statuses. */
  BITBUCKET_SERVER = 'bitbucketserver',
  /** Bitbucket Cloud commit statuses. */
  BITBUCKET = 'bitbucket',
  /** Azure DevOps commit statuses. */
  AZURE_DEVOPS = 'azuredevops',
  /** Google Chat webhook. */
  GOOGLE_CHAT = 'googlechat',
  /** Google Cloud Pub/Sub topic. */
  GOOGLE_PUBSUB = 'googlepubsub',
  /** Webex room. */
  WEBEX = 'webex',
  /** Sentry. */
  SENTRY = 'sentry',
  /** Azure Event Hub. */
  AZURE_EVENT_HUB = 'azureeventhub',
  /** Telegram chat. */
  TELEGRAM = 'telegram',
  /** Lark webhook. */
  LARK = 'lark',
  /** Matrix room. */
  MATRIX = 'matrix',
  /** Opsgenie alerts. */
  OPSGENIE = 'opsgenie',
  /** Prometheus Alertmanager. */
  ALERTMANAGER = 'alertmanager',
  /** Grafana annotations. */
  GRAFANA = 'grafana',
  /** GitHub repository dispatch events. */
  GITHUB_DISPATCH = 'githubdispatch',
  /** GitHub pull request comments. */
  GITHUB_PULL_REQUEST_COMMENT = 'githubpullrequestcomment',
  /** GitLab merge request comments. */
  GITLAB_MERGE_REQUEST_COMMENT = 'gitlabmergerequestcomment',
  /** PagerDuty. */
  PAGERDUTY = 'pagerduty',
  /** Datadog events. */
  DATADOG = 'datadog',
  /** NATS subject. */
  NATS = 'nats',
  /** Zulip stream. */
  ZULIP = 'zulip',
  /** OpenTelemetry traces. */
  OTEL = 'otel',
  /** Zoom chat. */
  ZOOM = 'zoom',
  /** incident.io alert events. */
  INCIDENT_IO = 'incident.io',
}

/** The Provider types that write commit statuses, the only ones `commitStatusExpr` applies to. */
const COMMIT_STATUS_TYPES: string[] = [
  ProviderType.GITHUB, ProviderType.GITLAB, ProviderType.GITEA, ProviderType.BITBUCKET_SERVER, ProviderType.BITBUCKET, ProviderType.AZURE_DEVOPS,
];

/**
 * The Provider types that post to the URL in `address` (or the secret's `address` key), which
 * notification-controller parses with Go's url.ParseRequestURI and cannot do without.
 */
const URL_TYPES: string[] = [
  ProviderType.GENERIC, ProviderType.GENERIC_HMAC, ProviderType.SLACK, ProviderType.DISCORD, ProviderType.MSTEAMS, ProviderType.ROCKET,
  ProviderType.GOOGLE_CHAT, ProviderType.WEBEX, ProviderType.LARK, ProviderType.MATRIX, ProviderType.OPSGENIE, ProviderType.ALERTMANAGER,
  ProviderType.GRAFANA, ProviderType.ZOOM, ProviderType.INCIDENT_IO,
];

/**
 * The Provider types that fail without credentials from a Secret (notification-controller's
 * notifier constructors: 'gitlab token cannot be empty', 'empty Telegram token'…), with the keys
 * that can hold them (an empty list: GitHub's `token` or App keys). Azure DevOps can use a
 * workload identity (`serviceAccountName`) instead.
 */
const SECRET_TYPES: { [type: string]: string[] } = {
  [ProviderType.GENERIC_HMAC]: ['token'],
  [ProviderType.GITHUB]: [],
  [ProviderType.GITHUB_DISPATCH]: [],
  [ProviderType.GITHUB_PULL_REQUEST_COMMENT]: [],
  [ProviderType.GITLAB]: ['token', 'password'],
  [ProviderType.GITLAB_MERGE_REQUEST_COMMENT]: ['token', 'password'],
  [ProviderType.GITEA]: ['token'],
  [ProviderType.GITEA_PULL_REQUEST_COMMENT]: ['token'],
  [ProviderType.BITBUCKET]: ['token'],
  [ProviderType.BITBUCKET_SERVER]: ['token', 'password'],
  [ProviderType.AZURE_DEVOPS]: ['token'],
  [ProviderType.DATADOG]: ['token'],
  [ProviderType.INCIDENT_IO]: ['token'],
  [ProviderType.OPSGENIE]: ['token'],
  [ProviderType.TELEGRAM]: ['token'],
  [ProviderType.ZOOM]: ['token'],
};

/** The Provider types that fail without a `channel`, and what it is for them. */
const CHANNEL_TYPES: { [type: string]: string } = {
  [ProviderType.GOOGLE_PUBSUB]: 'the Pub/Sub topic ID',
  [ProviderType.NATS]: 'the NATS subject',
  [ProviderType.TELEGRAM]: 'the chat ID',
};

/** The Provider types that fail without an `address` that is not an http(s) URL, and what it is for them. */
const ADDRESS_TYPES: { [type: string]: string } = {
  [ProviderType.GOOGLE_PUBSUB]: 'the GCP project ID',
  [ProviderType.NATS]: 'the NATS server URL',
  [ProviderType.SENTRY]: 'the Sentry DSN',
};

/** The Provider types that authenticate with a workload identity (`serviceAccountName`). */
const WORKLOAD_IDENTITY_TYPES: string[] = [ProviderType.AZURE_EVENT_HUB, ProviderType.AZURE_DEVOPS, ProviderType.GOOGLE_PUBSUB];

/** Properties of a notification `Provider` (`notification.toolkit.fluxcd.io/v1beta3`). */
export interface ProviderProps extends FluxObjectProps {
  /** Which Provider implementation sends the events. */
  readonly type: ProviderType;

  /**
   * The destination channel (a Slack channel, a Matrix room, a NATS subject…).
   * @default - none
   */
  readonly channel?: string;

  /**
   * The name events are posted under.
   * @default - none
   */
  readonly username?: string;

  /**
   * Where alerts are sent: a webhook or API URL, a Git repository URL for commit statuses, a
   * project ID for Google Pub/Sub… (at most 2048 characters). A secret webhook URL belongs in
   * the secret's `address` key instead (`secretRef` or `secret`).
   * @default - none (the secret's `address` key, or the type's default endpoint)
   */
  readonly address?: string;

  /**
   * Timeout for sending alerts (under one hour).
   * @default - not set (Flux uses 15s)
   */
  readonly timeout?: Duration;

  /**
   * Name of a Secret in the Provider's namespace with the credentials: `address` (a webhook URL
   * kept out of Git), `token`, `username`/`password`, `headers`. Use `secret` for a SealedSecret
   * of this library.
   * @default - no credentials
   */
  readonly secretRef?: string;

  /**
   * A SealedSecret of this library with the credentials (see `secretRef`), checked to be in the
   * same cluster and namespace. Not with `secretRef`.
   * @default - no credentials
   */
  readonly secret?: SealedSecret;

  /**
   * Name of a Secret with `ca.crt` and/or `tls.crt` and `tls.key` for TLS to the provider.
   * @default - the system's CAs, no client certificate
   */
  readonly certSecretRef?: string;

  /**
   * A SealedSecret of this library with `ca.crt` and/or `tls.crt` and `tls.key` (see
   * `certSecretRef`). Not with `certSecretRef`.
   * @default - the system's CAs, no client certificate
   */
  readonly certSecret?: SealedSecret;

  /**
   * Name of a Secret with the proxy's `address` (and optional `username`, `password`). It
   * replaces the deprecated `spec.proxy`.
   * @default - no proxy
   */
  readonly proxySecretRef?: string;

  /**
   * A SealedSecret of this library with the proxy's `address` key (see `proxySecretRef`). Not
   * with `proxySecretRef`.
   * @default - no proxy
   */
  readonly proxySecret?: SealedSecret;

  /**
   * The ServiceAccount whose workload identity authenticates with the cloud provider (types
   * `azureeventhub`, `azuredevops`, `googlepubsub`; needs the controller's
   * ObjectLevelWorkloadIdentity feature gate). Not with a secret.
   * @default - the controller's own identity
   */
  readonly serviceAccountName?: string;

  /**
   * A CEL expression giving the commit status name (types `github`, `gitlab`, `gitea`,
   * `bitbucketserver`, `bitbucket`, `azuredevops`); it reads `event`, `provider` and `alert`.
   * @default - Flux's `<kind>/<name>/<provider UID>`
   */
  readonly commitStatusExpr?: string;

  /**
   * Stop sending events through this Provider.
   * @default false
   */
  readonly suspend?: boolean;
}

const PROVIDER_PROPS = [...FLUX_OBJECT_PROPS, 'type', 'channel', 'username', 'address', 'timeout', 'secretRef', 'secret', 'certSecretRef', 'certSecret',
  'proxySecretRef', 'proxySecret', 'serviceAccountName', 'commitStatusExpr', 'suspend'];

/**
 * A Flux notification `Provider` (`notification.toolkit.fluxcd.io/v1beta3`): where alerts go,
 * written to `<folder>/notifications/providers/<name>.yaml` with the bytes of
 * `flux create alert-provider --export`.
 *
 * The deprecated `spec.interval` and `spec.proxy` have no props (use `proxySecretRef`);
 * `addOverride` still reaches them.
 */
export class Provider extends FluxObject {
  /** The provider type. */
  public readonly type: ProviderType;

  private readonly props: ProviderProps;

  constructor(scope: Construct, id: string, props: ProviderProps) {
    super(scope, id, {
      apiVersion: API_VERSION_V1BETA3,
      kind: 'Provider',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: PROVIDER_PROPS,
    });
    requireProps(this, props, 'ProviderProps');
    this.props = props;
    this.type = this.props.type;
  }

  /** The provider file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/notifications/providers/${this.name}.yaml`;
  }

  /** @internal */
  protected _render(_ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    if (props.type === undefined) p.add('type', 'is required: a ProviderType such as ProviderType.SLACK');
    else checkEnum(p, 'type', props.type, ProviderType as unknown as { [key: string]: string }, 'ProviderType');
    for (const field of ['channel', 'username', 'address'] as const) {
      const v = props[field];
      if (v !== undefined && checkString(p, field, v)) checkLength(p, field, v, 1, 2048);
    }
    if (props.timeout !== undefined) checkDurationProp(p, 'timeout', props.timeout, false);
    checkBoolean(p, 'suspend', props.suspend);
    if (props.commitStatusExpr !== undefined && checkString(p, 'commitStatusExpr', props.commitStatusExpr)) {
      if (props.commitStatusExpr.trim() === '') {
        p.add('commitStatusExpr', 'must be a CEL expression, not empty', props.commitStatusExpr);
      } else if (!COMMIT_STATUS_TYPES.includes(props.type)) {
        p.add('commitStatusExpr', `applies only to the commit status types (${COMMIT_STATUS_TYPES.map((t) => `'${t}'`).join(', ')}), not to '${props.type}'`, props.commitStatusExpr);
      }
    }
    const secretRef = secretRefName(this, p, 'secretRef', props.secretRef, 'secret', props.secret, []);
    const certSecretRef = secretRefName(this, p, 'certSecretRef', props.certSecretRef, 'certSecret', props.certSecret, []);
    const proxySecretRef = secretRefName(this, p, 'proxySecretRef', props.proxySecretRef, 'proxySecret', props.proxySecret, ['address']);
    if (props.certSecret && !hasTlsKeys(props.certSecret)) {
      p.add('certSecret', `must have the key 'ca.crt', or 'tls.crt' and 'tls.key' (SealedSecret '${props.certSecret.name}' has ${keyList(props.certSecret)})`, props.certSecret.name);
    }
    this.checkNeeds(p);
    if (URL_TYPES.includes(props.type)) {
      if (typeof props.address === 'string' && props.address !== '') {
        checkUrl(p, 'address', props.address, ['http', 'https']);
      } else if (props.address === undefined && props.secret instanceof SealedSecret && !props.secret.keys.includes('address')) {
        p.add('address', `is required for a ${props.type} Provider: give the URL here, or as the key 'address' of SealedSecret '${props.secret.name}' (it has ${keyList(props.secret)})`);
      } else if (props.address === undefined && props.secret === undefined && props.secretRef === undefined) {
        p.add('address', `is required for a ${props.type} Provider: the URL notification-controller posts to, here or (to keep it out of Git) as the key 'address' of secretRef or secret`);
      }
    }
    if (props.serviceAccountName !== undefined) {
      checkObjectName(p, 'serviceAccountName', props.serviceAccountName);
      if (!WORKLOAD_IDENTITY_TYPES.includes(props.type)) {
        p.add('serviceAccountName', `applies only to the types ${WORKLOAD_IDENTITY_TYPES.map((t) => `'${t}'`).join(', ')}, not to '${props.type}'`, props.serviceAccountName);
      } else if (secretRef !== undefined) {
        p.add('serviceAccountName', 'must not be set with a secret: notification-controller refuses static credentials next to a workload identity', props.serviceAccountName);
      }
    }
    if (p.list.length > 0) return undefined;

    const spec: { [key: string]: YamlValue } = {
      type: props.type,
      channel: props.channel || undefined,
      username: props.username || undefined,
      address: props.address || undefined,
      timeout: props.timeout ? goDuration(props.timeout) : undefined,
      secretRef: secretRef ? { name: secretRef } : undefined,
      certSecretRef: certSecretRef ? { name: certSecretRef } : undefined,
      proxySecretRef: proxySecretRef ? { name: proxySecretRef } : undefined,
      serviceAccountName: props.serviceAccountName,
      commitStatusExpr: props.commitStatusExpr,
      suspend: props.suspend || undefined,
    };
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: { name: this.name, namespace: this.namespace }, spec };
  }

  /** What the provider type cannot do without: a secret with a token, a channel, an address. */
  private checkNeeds(p: Problems): void {
    const props = this.props;
    const type = props.type;
    const secret = props.secret instanceof SealedSecret ? props.secret : undefined;
    const keys = SECRET_TYPES[type];
    if (keys !== undefined) {
      if (props.secretRef === undefined && props.secret === undefined && !(type === ProviderType.AZURE_DEVOPS && props.serviceAccountName)) {
        const what = keys.length === 0 ? 'a \'token\' (or the GitHub App keys)' : keys.map((k) => `'${k}'`).join(' or ');
        p.add('secretRef', `is required for a ${type} Provider: the name of a Secret with ${what} (or secret, a SealedSecret)`);
      } else if (secret && keys.length > 0 && !keys.some((k) => secret.keys.includes(k))) {
        p.add('secret', `must have the key ${keys.map((k) => `'${k}'`).join(' or ')}: a ${type} Provider fails without it (SealedSecret '${secret.name}' has ${keyList(secret)})`, secret.name);
      }
    }
    const channel = CHANNEL_TYPES[type];
    if (channel !== undefined && props.channel === undefined) p.add('channel', `is required for a ${type} Provider: ${channel}`);
    const address = ADDRESS_TYPES[type];
    if (address !== undefined && props.address === undefined) {
      if (secret && !secret.keys.includes('address')) {
        p.add('address', `is required for a ${type} Provider: ${address}, here or as the key 'address' of SealedSecret '${secret.name}' (it has ${keyList(secret)})`);
      } else if (props.secret === undefined && props.secretRef === undefined) {
        p.add('address', `is required for a ${type} Provider: ${address}, here or as the key 'address' of secretRef or secret`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// References to Flux objects (Alert event sources, Receiver resources)
// ---------------------------------------------------------------------------------------------

/** The kinds of Flux objects an Alert can listen to and a Receiver can trigger. */
export enum NotificationObjectKind {
  /** source.toolkit.fluxcd.io Bucket. */
  BUCKET = 'Bucket',
  /** source.toolkit.fluxcd.io GitRepository. */
  GIT_REPOSITORY = 'GitRepository',
  /** kustomize.toolkit.fluxcd.io Kustomization. */
  KUSTOMIZATION = 'Kustomization',
  /** helm.toolkit.fluxcd.io HelmRelease. */
  HELM_RELEASE = 'HelmRelease',
  /** source.toolkit.fluxcd.io HelmChart. */
  HELM_CHART = 'HelmChart',
  /** source.toolkit.fluxcd.io HelmRepository. */
  HELM_REPOSITORY = 'HelmRepository',
  /** image.toolkit.fluxcd.io ImageRepository. */
  IMAGE_REPOSITORY = 'ImageRepository',
  /** image.toolkit.fluxcd.io ImagePolicy. */
  IMAGE_POLICY = 'ImagePolicy',
  /** image.toolkit.fluxcd.io ImageUpdateAutomation. */
  IMAGE_UPDATE_AUTOMATION = 'ImageUpdateAutomation',
  /** source.toolkit.fluxcd.io OCIRepository. */
  OCI_REPOSITORY = 'OCIRepository',
  /** source.extensions.fluxcd.io ArtifactGenerator. */
  ARTIFACT_GENERATOR = 'ArtifactGenerator',
  /** source.toolkit.fluxcd.io ExternalArtifact. */
  EXTERNAL_ARTIFACT = 'ExternalArtifact',
}

/**
 * The kinds a Receiver can reconcile without an apiVersion (notification-controller's
 * defaultFluxAPIVersions); for the others it fails with 'apiVersion must be specified for kind'.
 */
const RECEIVER_DEFAULT_API_VERSIONS: { [kind: string]: string } = {
  Bucket: 'source.toolkit.fluxcd.io/v1',
  HelmChart: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1',
  ImageRepository: 'image.toolkit.fluxcd.io/v1',
  ArtifactGenerator: 'source.extensions.fluxcd.io/v1beta1',
};

/** The API versions of the other kinds, for the message that asks for one. */
const API_VERSIONS: { [kind: string]: string } = {
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  ImagePolicy: 'image.toolkit.fluxcd.io/v1',
  ImageUpdateAutomation: 'image.toolkit.fluxcd.io/v1',
  ExternalArtifact: 'source.toolkit.fluxcd.io/v1',
};

/** Options of a `NotificationObjectRef` given by kind and name. */
export interface NotificationObjectRefOptions {
  /**
   * The namespace of the object(s).
   * @default - the namespace of the Alert or Receiver
   */
  readonly namespace?: string;

  /**
   * Only the objects with these labels (needs the name `'*'`: use `NotificationObjectRef.all`).
   * @default - no label filter
   */
  readonly matchLabels?: { [key: string]: string };

  /**
   * The API version of the object. A Receiver needs it for the kinds notification-controller has
   * no default for (Kustomization, HelmRelease, ImagePolicy, ImageUpdateAutomation,
   * ExternalArtifact).
   * @default - not written (an Alert matches any version; a Receiver uses Flux's current one)
   */
  readonly apiVersion?: string;

  /**
   * Receiver resources only: a CEL expression, evaluated per matched object (`res`) and request
   * (`req`), that must be true for the object to be reconciled (in addition to the Receiver's
   * `resourceFilter`).
   * @default - no filter
   */
  readonly filter?: string;
}

/**
 * A Flux object, or all objects of a kind, that an `Alert` listens to (`eventSources`) or a
 * `Receiver` triggers (`resources`): a construct of this library (`fromObject`), or a kind and a
 * name given by hand (`of`, `all`).
 */
export class NotificationObjectRef {
  /**
   * An object of this library (a HelmRelease, a HelmRepository…): its kind, name and namespace.
   * It must be in the same cluster.
   */
  public static fromObject(target: FluxObject, options: NotificationObjectRefOptions = {}): NotificationObjectRef {
    return new NotificationObjectRef(target.kind, target.name, options, target);
  }

  /** One object by kind and name (`flux create alert --event-source <kind>/<name>[.<namespace>]`). */
  public static of(kind: NotificationObjectKind, name: string, options: NotificationObjectRefOptions = {}): NotificationObjectRef {
    return new NotificationObjectRef(kind, name, options);
  }

  /** Every object of a kind (name `'*'`), optionally only those with `matchLabels`. */
  public static all(kind: NotificationObjectKind, options: NotificationObjectRefOptions = {}): NotificationObjectRef {
    return new NotificationObjectRef(kind, '*', options);
  }

  /** The kind of the object(s). */
  public readonly kind: string;
  /** The object name, or `'*'` for every object of the kind. */
  public readonly name: string;
  /** The options given. */
  public readonly options: NotificationObjectRefOptions;
  /** The construct this reference was made from, if any. */
  public readonly target?: FluxObject;

  private constructor(kind: string, name: string, options: NotificationObjectRefOptions, target?: FluxObject) {
    this.kind = kind;
    this.name = name;
    this.options = options ?? {};
    this.target = target;
  }

  /** Checks the reference and returns its YAML, or undefined (problems added). @internal */
  public _render(referrer: FluxObject, p: Problems, field: string, forReceiver: boolean): { [key: string]: YamlValue } | undefined {
    const before = p.list.length;
    const o = this.options;
    const known = ['namespace', 'matchLabels', 'apiVersion', 'filter'];
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) p.add(`${field}.${key}`, `is not an option of NotificationObjectRef; the options are ${known.map((k) => `'${k}'`).join(', ')}`, (o as Record<string, unknown>)[key]);
    }
    if (this.target) {
      if (this.target.cluster !== referrer.cluster) {
        p.add(field, `must refer to an object of the same cluster: '${this.target.node.path}' belongs to '${this.target.cluster.node.path}'`, this.name);
      }
      if (!Object.values(NotificationObjectKind).includes(this.kind as NotificationObjectKind)) {
        p.add(field, `must be an object of a kind notification-controller knows (${Object.values(NotificationObjectKind).join(', ')}): '${this.target.node.path}' is a ${this.kind}`, this.name);
      }
      if (o.namespace !== undefined && o.namespace !== this.target.namespace) {
        p.add(`${field}.namespace`, `must not differ from the namespace of '${this.target.node.path}' ('${this.target.namespace}'): leave it out`, o.namespace);
      }
      if (o.apiVersion !== undefined && o.apiVersion !== this.target.apiVersion) {
        p.add(`${field}.apiVersion`, `must not differ from the apiVersion of '${this.target.node.path}' ('${this.target.apiVersion}'): leave it out`, o.apiVersion);
      }
    } else {
      checkEnum(p, `${field}.kind`, this.kind, NotificationObjectKind as unknown as { [key: string]: string }, 'NotificationObjectKind');
      if (typeof this.name !== 'string' || (this.name !== '*' && (this.name.length === 0 || this.name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(this.name)))) {
        p.add(`${field}.name`, 'must be an object name (a DNS-1123 subdomain), or \'*\' for every object of the kind (NotificationObjectRef.all)', this.name);
      }
      if (o.namespace === '*') {
        p.add(`${field}.namespace`, 'must name one namespace: notification-controller matches it exactly (there is no \'*\' for every namespace); give one reference per namespace', o.namespace);
      } else if (o.namespace !== undefined && typeof o.namespace === 'string' && o.namespace.length > 0) {
        if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.namespace) || o.namespace.length > 63) {
          p.add(`${field}.namespace`, 'must be a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit', o.namespace);
        }
      } else if (o.namespace !== undefined) {
        p.add(`${field}.namespace`, 'must be a namespace name, or left out for the referrer\'s namespace', o.namespace);
      }
    }
    if (o.matchLabels !== undefined) {
      if (o.matchLabels === null || typeof o.matchLabels !== 'object' || Array.isArray(o.matchLabels)) {
        p.add(`${field}.matchLabels`, 'must be an object of strings ({ key: \'value\' })', o.matchLabels);
      } else {
        if (this.name !== '*') {
          p.add(`${field}.matchLabels`, `needs the name '*' (Flux ignores matchLabels on a named object): use NotificationObjectRef.all(${this.kind}, { matchLabels })`, o.matchLabels);
        }
        for (const [k, v] of Object.entries(o.matchLabels)) {
          checkQualifiedKey(p, `${field}.matchLabels.${k}`, k);
          if (typeof v !== 'string') p.add(`${field}.matchLabels.${k}`, 'must be a string: quote it', v);
          else checkLabelValue(p, `${field}.matchLabels.${k}`, v);
        }
      }
    }
    if (o.apiVersion !== undefined && checkString(p, `${field}.apiVersion`, o.apiVersion) && !/^[a-z0-9.-]+\/v[0-9]+((alpha|beta)[0-9]+)?$/.test(o.apiVersion)) {
      p.add(`${field}.apiVersion`, 'must be a group/version such as \'helm.toolkit.fluxcd.io/v2\'', o.apiVersion);
    }
    if (o.filter !== undefined) {
      if (!forReceiver) p.add(`${field}.filter`, 'applies only to Receiver resources; an Alert filters events with inclusionList and exclusionList', o.filter);
      else if (checkString(p, `${field}.filter`, o.filter) && o.filter.trim() === '') p.add(`${field}.filter`, 'must be a CEL expression, not empty', o.filter);
    }
    let apiVersion = o.apiVersion;
    if (forReceiver && apiVersion === undefined && RECEIVER_DEFAULT_API_VERSIONS[this.kind] === undefined) {
      if (this.target) {
        apiVersion = this.target.apiVersion;
      } else if (API_VERSIONS[this.kind] !== undefined) {
        p.add(`${field}.apiVersion`, `is required for a ${this.kind}: notification-controller has no default for it and fails with 'apiVersion must be specified for kind "${this.kind}"'; give { apiVersion: '${API_VERSIONS[this.kind]}' }`);
      }
    }
    if (p.list.length > before) return undefined;
    const namespace = this.target ? (this.target.namespace !== referrer.namespace ? this.target.namespace : undefined) : o.namespace;
    return {
      apiVersion,
      kind: this.kind,
      name: this.name,
      namespace,
      matchLabels: o.matchLabels && Object.keys(o.matchLabels).length > 0 ? { ...o.matchLabels } : undefined,
      filter: o.filter,
    };
  }
}

/** Renders a list of references; undefined when one is invalid. */
function renderRefs(
  referrer: FluxObject, p: Problems, field: string, refs: unknown, forReceiver: boolean, cliFlag: string,
): YamlValue[] | undefined {
  if (!Array.isArray(refs) || refs.length === 0) {
    p.add(field, `must list at least one object (NotificationObjectRef.fromObject(…), .of(…) or .all(…)), as ${cliFlag} does`, refs);
    return undefined;
  }
  const out: YamlValue[] = [];
  const seen = new Map<string, number>();
  refs.forEach((ref, i) => {
    if (!(ref instanceof NotificationObjectRef)) {
      p.add(`${field}[${i}]`, 'must be a NotificationObjectRef (NotificationObjectRef.fromObject(…), .of(…) or .all(…))', ref);
      return;
    }
    const y = ref._render(referrer, p, `${field}[${i}]`, forReceiver);
    if (!y) return;
    const key = JSON.stringify(y);
    if (seen.has(key)) p.add(`${field}[${i}]`, `must not repeat ${field}[${seen.get(key)}]`, `${ref.kind}/${ref.name}`);
    else seen.set(key, i);
    out.push(y);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Alert
// ---------------------------------------------------------------------------------------------

/** Which events an Alert forwards. */
export enum EventSeverity {
  /** Every event (info and error). */
  INFO = 'info',
  /** Error events only. */
  ERROR = 'error',
}

/** Properties of a notification `Alert` (`notification.toolkit.fluxcd.io/v1beta3`). */
export interface AlertProps extends FluxObjectProps {
  /**
   * The Provider the alerts go to: a Provider construct of the same cluster and namespace
   * (Flux looks the provider up in the Alert's namespace). Not with `providerRef`.
   * @default - `providerRef`
   */
  readonly provider?: Provider;

  /**
   * The name of a Provider in the Alert's namespace that is not a construct of this library.
   * Not with `provider`.
   * @default - `provider`
   */
  readonly providerRef?: string;

  /** The objects whose events are sent (at least one). */
  readonly eventSources: NotificationObjectRef[];

  /**
   * Forward every event (`INFO`) or errors only (`ERROR`).
   * @default - not written (Flux uses EventSeverity.INFO)
   */
  readonly eventSeverity?: EventSeverity;

  /**
   * Go regular expressions: only events whose message matches one of them are sent.
   * @default - every message
   */
  readonly inclusionList?: string[];

  /**
   * Go regular expressions: events whose message matches one of them are dropped.
   * @default - none dropped
   */
  readonly exclusionList?: string[];

  /**
   * Metadata added to every event (for example `env: prod`, `cluster: eu-1`); it replaces the
   * deprecated `summary`. A key the event already has keeps the event's value.
   * @default - none
   */
  readonly eventMetadata?: { [key: string]: string };

  /**
   * Stop sending alerts.
   * @default false
   */
  readonly suspend?: boolean;
}

const ALERT_PROPS = [...FLUX_OBJECT_PROPS, 'provider', 'providerRef', 'eventSources', 'eventSeverity', 'inclusionList', 'exclusionList', 'eventMetadata', 'suspend'];

/**
 * A Flux notification `Alert` (`notification.toolkit.fluxcd.io/v1beta3`): which events go to
 * which Provider, written to `<folder>/notifications/alerts/<name>.yaml` with the bytes of
 * `flux create alert --export`. The deprecated `spec.summary` has no prop (use `eventMetadata`).
 */
export class Alert extends FluxObject {
  private readonly props: AlertProps;

  constructor(scope: Construct, id: string, props: AlertProps) {
    super(scope, id, {
      apiVersion: API_VERSION_V1BETA3,
      kind: 'Alert',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: ALERT_PROPS,
    });
    requireProps(this, props, 'AlertProps');
    this.props = props;
  }

  /** The alert file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/notifications/alerts/${this.name}.yaml`;
  }

  /** @internal */
  protected _render(_ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    let providerName: string | undefined;
    if (props.provider !== undefined && props.providerRef !== undefined) {
      p.add('providerRef', 'must not be set with provider: give one of them', props.providerRef);
    } else if (props.provider !== undefined) {
      const provider = props.provider;
      if (!(provider instanceof Provider)) {
        p.add('provider', 'must be a Provider construct (use providerRef for a Provider by name)', provider);
      } else if (provider.cluster !== this.cluster) {
        p.add('provider', `must be a Provider of the same cluster: '${provider.node.path}' belongs to '${provider.cluster.node.path}'`, provider.name);
      } else if (provider.namespace !== this.namespace) {
        p.add('provider', `must be in the Alert's namespace '${this.namespace}' (Flux looks providerRef up there): Provider '${provider.name}' is in '${provider.namespace}'; set the namespace of one of them`, provider.name);
      } else {
        providerName = provider.name;
      }
    } else if (props.providerRef !== undefined) {
      checkObjectName(p, 'providerRef', props.providerRef);
      providerName = props.providerRef;
    } else {
      p.add('provider', 'is required: a Provider construct (or providerRef, the name of a Provider in the Alert\'s namespace)');
    }
    const eventSources = renderRefs(this, p, 'eventSources', props.eventSources, false, 'flux create alert --event-source');
    if (props.eventSeverity !== undefined) checkEnum(p, 'eventSeverity', props.eventSeverity, EventSeverity as unknown as { [key: string]: string }, 'EventSeverity');
    checkRegexList(p, 'inclusionList', props.inclusionList);
    checkRegexList(p, 'exclusionList', props.exclusionList);
    if (props.eventMetadata !== undefined) {
      if (props.eventMetadata === null || typeof props.eventMetadata !== 'object' || Array.isArray(props.eventMetadata)) {
        p.add('eventMetadata', 'must be an object of strings ({ key: \'value\' })', props.eventMetadata);
      } else {
        for (const [k, v] of Object.entries(props.eventMetadata)) {
          if (k === '') p.add('eventMetadata', 'must not have an empty key', props.eventMetadata);
          if (typeof v !== 'string') p.add(`eventMetadata.${k}`, 'must be a string: quote it', v);
        }
      }
    }
    checkBoolean(p, 'suspend', props.suspend);
    if (p.list.length > 0 || eventSources === undefined || providerName === undefined) return undefined;

    const spec: { [key: string]: YamlValue } = {
      providerRef: { name: providerName },
      eventSeverity: props.eventSeverity,
      eventSources,
      inclusionList: props.inclusionList && props.inclusionList.length > 0 ? [...props.inclusionList] : undefined,
      exclusionList: props.exclusionList && props.exclusionList.length > 0 ? [...props.exclusionList] : undefined,
      eventMetadata: props.eventMetadata && Object.keys(props.eventMetadata).length > 0 ? { ...props.eventMetadata } : undefined,
      suspend: props.suspend || undefined,
    };
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: { name: this.name, namespace: this.namespace }, spec };
  }
}

/** A list of Go regular expressions (RE2): JavaScript's syntax is close enough to catch typos. */
function checkRegexList(p: Problems, field: string, list: unknown): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    p.add(field, 'must be a list of regular expressions (strings)', list);
    return;
  }
  list.forEach((re, i) => {
    if (typeof re !== 'string' || re === '') {
      p.add(`${field}[${i}]`, 'must be a regular expression (a non-empty string)', re);
      return;
    }
    if (/\(\?[=!<]/.test(re) || /\\[1-9]/.test(re)) {
      p.add(`${field}[${i}]`, 'must be a Go (RE2) regular expression: look-arounds and back-references are not supported', re);
      return;
    }
    try {
      new RegExp(re.replace(/^\(\?[imsU]+\)/, ''));
    } catch (e) {
      const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      p.add(`${field}[${i}]`, `must be a valid regular expression: ${why.charAt(0).toLowerCase()}${why.slice(1)}`, re);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Receiver
// ---------------------------------------------------------------------------------------------

/** The type of webhook sender a Receiver accepts. */
export enum ReceiverType {
  /** Any POST to the webhook path. */
  GENERIC = 'generic',
  /** A POST signed with HMAC (the `X-Signature` header, keyed with the secret's `token`). */
  GENERIC_HMAC = 'generic-hmac',
  /** A POST with an OIDC token (GitHub Actions and other issuers), checked against `oidcProviders`; no secret. */
  GENERIC_OIDC = 'generic-oidc',
  /** GitHub webhooks (`X-Hub-Signature`). */
  GITHUB = 'github',
  /** GitLab webhooks (`X-Gitlab-Token`). */
  GITLAB = 'gitlab',
  /** Bitbucket Server webhooks. */
  BITBUCKET = 'bitbucket',
  /** Harbor webhooks. */
  HARBOR = 'harbor',
  /** Docker Hub webhooks. */
  DOCKERHUB = 'dockerhub',
  /** Quay webhooks. */
  QUAY = 'quay',
  /** Google Container/Artifact Registry via Pub/Sub push (the secret also needs `email` and `audience`). */
  GCR = 'gcr',
  /** Nexus webhooks. */
  NEXUS = 'nexus',
  /** Azure Container Registry webhooks. */
  ACR = 'acr',
  /** CDEvents. */
  CDEVENTS = 'cdevents',
}

/** A named CEL expression of a `generic-oidc` Receiver's OIDC provider, readable as `vars.<name>`. */
export interface ReceiverOidcVariable {
  /** The variable name (a CEL identifier). */
  readonly name: string;
  /** The CEL expression; it reads `claims` and the variables before it. */
  readonly expression: string;
}

/** A CEL rule a token's claims must meet. */
export interface ReceiverOidcValidation {
  /** A CEL expression that must be true (it reads `claims` and `vars`). */
  readonly expression: string;
  /** What the caller is told when it is false. */
  readonly message: string;
}

/** An OIDC issuer a `generic-oidc` Receiver accepts tokens from. */
export interface ReceiverOidcProvider {
  /** The issuer URL (`https://token.actions.githubusercontent.com`), the tokens' `iss` claim. */
  readonly issuerUrl: string;

  /**
   * The expected `aud` claim.
   * @default - not written (Flux expects 'notification-controller')
   */
  readonly audience?: string;

  /**
   * Named CEL expressions, evaluated in order.
   * @default - none
   */
  readonly variables?: ReceiverOidcVariable[];

  /**
   * The rules on the token's claims (at least one: a valid signature alone does not say who
   * called, so constrain the caller's identity, for example `claims.repository_owner == 'acme'`).
   */
  readonly validations: ReceiverOidcValidation[];
}

/** Properties of a notification `Receiver` (`notification.toolkit.fluxcd.io/v1`). */
export interface ReceiverProps extends FluxObjectProps {
  /** The webhook sender, which decides how requests are verified. */
  readonly type: ReceiverType;

  /** The objects to reconcile when a webhook arrives (at least one). */
  readonly resources: NotificationObjectRef[];

  /**
   * The event types to act on (`push` for GitHub, `Push Hook` for GitLab…).
   * @default - every event
   */
  readonly events?: string[];

  /**
   * How often the Receiver is reconciled with its Secret.
   * @default - not written (Flux uses 10m)
   */
  readonly interval?: Duration;

  /**
   * A CEL expression, evaluated for each resource (`res`) and the request (`req`), that must be
   * true for the resource to be reconciled.
   * @default - every resource
   */
  readonly resourceFilter?: string;

  /**
   * Name of a Secret in the Receiver's namespace with the `token` key (GCR also `email` and
   * `audience`). Required for every type but `generic-oidc`, unless `secret` is given.
   * @default - `secret`
   */
  readonly secretRef?: string;

  /**
   * A SealedSecret of this library with the `token` key (see `secretRef`), checked to be in the
   * same cluster and namespace. Not with `secretRef`.
   * @default - `secretRef`
   */
  readonly secret?: SealedSecret;

  /**
   * The OIDC issuers of a `generic-oidc` Receiver (at least one; only for that type).
   * @default - none
   */
  readonly oidcProviders?: ReceiverOidcProvider[];

  /**
   * Stop handling webhooks.
   * @default false
   */
  readonly suspend?: boolean;
}

const RECEIVER_PROPS = [...FLUX_OBJECT_PROPS, 'type', 'resources', 'events', 'interval', 'resourceFilter', 'secretRef', 'secret', 'oidcProviders', 'suspend'];

/**
 * A Flux notification `Receiver` (`notification.toolkit.fluxcd.io/v1`): a webhook that makes
 * Flux reconcile objects at once, written to `<folder>/notifications/receivers/<name>.yaml` with
 * the bytes of `flux create receiver --export`.
 */
export class Receiver extends FluxObject {
  /** The receiver type. */
  public readonly type: ReceiverType;

  private readonly props: ReceiverProps;

  constructor(scope: Construct, id: string, props: ReceiverProps) {
    super(scope, id, {
      apiVersion: API_VERSION_V1,
      kind: 'Receiver',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: RECEIVER_PROPS,
    });
    requireProps(this, props, 'ReceiverProps');
    this.props = props;
    this.type = this.props.type;
  }

  /** The receiver file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/notifications/receivers/${this.name}.yaml`;
  }

  /**
   * The path notification-controller serves this Receiver's webhook at (`/hook/<sha256>`, its
   * `status.webhookPath`), computed as the controller does from the token in the Secret, the
   * name and the namespace: give the sender `https://<webhook-receiver host><path>`.
   *
   * @param token the Secret's `token` value (none for a `generic-oidc` Receiver)
   */
  public webhookPath(token: string = ''): string {
    return `/hook/${crypto.createHash('sha256').update(`${token}${this.name}${this.namespace}`).digest('hex')}`;
  }

  /** @internal */
  protected _render(_ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    const oidc = props.type === ReceiverType.GENERIC_OIDC;
    if (props.type === undefined) p.add('type', 'is required: a ReceiverType such as ReceiverType.GITHUB');
    else checkEnum(p, 'type', props.type, ReceiverType as unknown as { [key: string]: string }, 'ReceiverType');
    const resources = renderRefs(this, p, 'resources', props.resources, true, 'flux create receiver --resource');
    if (props.events !== undefined) {
      if (!Array.isArray(props.events)) p.add('events', 'must be a list of event type names (strings)', props.events);
      else props.events.forEach((e, i) => { if (typeof e !== 'string' || e === '') p.add(`events[${i}]`, 'must be an event type name (a non-empty string)', e); });
    }
    if (props.interval !== undefined) checkDurationProp(p, 'interval', props.interval);
    if (props.resourceFilter !== undefined && checkString(p, 'resourceFilter', props.resourceFilter) && props.resourceFilter.trim() === '') {
      p.add('resourceFilter', 'must be a CEL expression, not empty', props.resourceFilter);
    }
    checkBoolean(p, 'suspend', props.suspend);
    const keys = props.type === ReceiverType.GCR ? ['token', 'email', 'audience'] : ['token'];
    const secretRef = secretRefName(this, p, 'secretRef', props.secretRef, 'secret', props.secret, oidc ? [] : keys);
    if (oidc && secretRef !== undefined) {
      p.add(props.secret ? 'secret' : 'secretRef', 'must not be set for a generic-oidc Receiver: it authenticates requests with the OIDC token', secretRef);
    } else if (!oidc && props.secretRef === undefined && props.secret === undefined && props.type !== undefined) {
      p.add('secretRef', `is required for a ${props.type} Receiver: the name of a Secret with the key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')} (or secret, a SealedSecret)`);
    }
    const oidcProviders = this.renderOidcProviders(p, oidc);
    if (p.list.length > 0 || resources === undefined) return undefined;

    const spec: { [key: string]: YamlValue } = {
      type: props.type,
      interval: props.interval ? goDuration(props.interval) : undefined,
      events: props.events && props.events.length > 0 ? [...props.events] : undefined,
      resources,
      resourceFilter: props.resourceFilter,
      secretRef: secretRef ? { name: secretRef } : undefined,
      oidcProviders,
      suspend: props.suspend || undefined,
    };
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: { name: this.name, namespace: this.namespace }, spec };
  }

  private renderOidcProviders(p: Problems, oidc: boolean): YamlValue[] | undefined {
    const list = this.props.oidcProviders;
    if (list === undefined || (Array.isArray(list) && list.length === 0)) {
      if (oidc) p.add('oidcProviders', 'must list at least one OIDC provider for a generic-oidc Receiver', list);
      return undefined;
    }
    if (!oidc) {
      p.add('oidcProviders', `applies only to ReceiverType.GENERIC_OIDC, not to '${this.props.type}'`, Array.isArray(list) ? list.length : list);
      return undefined;
    }
    if (!Array.isArray(list)) {
      p.add('oidcProviders', 'must be a list of ReceiverOidcProvider', list);
      return undefined;
    }
    const issuers = new Map<string, number>();
    return list.map((o, i) => {
      const f = `oidcProviders[${i}]`;
      if (typeof o?.issuerUrl !== 'string' || !/^https?:\/\/[^\s/]+/.test(o.issuerUrl)) {
        p.add(`${f}.issuerUrl`, 'must be the issuer\'s http(s):// URL, as in the tokens\' iss claim', o?.issuerUrl);
      } else if (issuers.has(o.issuerUrl)) {
        p.add(`${f}.issuerUrl`, `must not repeat oidcProviders[${issuers.get(o.issuerUrl)}] (Flux keys the list by issuer)`, o.issuerUrl);
      } else {
        issuers.set(o.issuerUrl, i);
      }
      if (o?.audience !== undefined && checkString(p, `${f}.audience`, o.audience) && o.audience === '') p.add(`${f}.audience`, 'must not be empty: leave it out for \'notification-controller\'', o.audience);
      const variables = o?.variables ?? [];
      if (!Array.isArray(variables)) {
        p.add(`${f}.variables`, 'must be a list of { name, expression }', variables);
      } else {
        variables.forEach((v, j) => {
          if (typeof v?.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) p.add(`${f}.variables[${j}].name`, 'must be a CEL identifier (letters, digits and \'_\', not starting with a digit)', v?.name);
          if (typeof v?.expression !== 'string' || v.expression.trim() === '') p.add(`${f}.variables[${j}].expression`, 'must be a CEL expression, not empty', v?.expression);
        });
      }
      const validations = o?.validations;
      if (!Array.isArray(validations) || validations.length === 0) {
        p.add(`${f}.validations`, 'must list at least one rule on the token\'s claims: a valid signature alone does not say who called (for example { expression: "claims.repository_owner == \'acme\'", message: \'not an acme repository\' })', validations);
      } else {
        validations.forEach((v, j) => {
          if (typeof v?.expression !== 'string' || v.expression.trim() === '') p.add(`${f}.validations[${j}].expression`, 'must be a CEL expression, not empty', v?.expression);
          if (typeof v?.message !== 'string' || v.message === '') p.add(`${f}.validations[${j}].message`, 'must be a message for the caller, not empty', v?.message);
        });
      }
      return {
        issuerURL: o?.issuerUrl,
        audience: o?.audience,
        variables: Array.isArray(variables) && variables.length > 0
          ? variables.map((v) => ({ name: v?.name, expression: v?.expression }))
          : undefined,
        validations: Array.isArray(validations) ? validations.map((v) => ({ expression: v?.expression, message: v?.message })) : undefined,
      } as YamlValue;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

function keyList(secret: SealedSecret): string {
  return secret.keys.length === 0 ? 'no keys' : secret.keys.map((k) => `'${k}'`).join(', ');
}

function hasTlsKeys(secret: SealedSecret): boolean {
  const k = secret.keys;
  return k.includes('ca.crt') || (k.includes('tls.crt') && k.includes('tls.key'));
}

/**
 * A secret reference given by name (`refField`) or as a SealedSecret (`secretField`): checks
 * them and returns the Secret name, or undefined when neither is given or one is wrong.
 */
function secretRefName(
  referrer: FluxObject, p: Problems, refField: string, ref: unknown, secretField: string, secret: unknown, keys: string[],
): string | undefined {
  if (ref !== undefined && secret !== undefined) {
    p.add(refField, `must not be set with ${secretField}: give one of them`, ref);
    return undefined;
  }
  if (ref !== undefined) {
    checkObjectName(p, refField, ref as string);
    return ref as string;
  }
  if (secret === undefined) return undefined;
  if (!(secret instanceof SealedSecret)) {
    p.add(secretField, `must be a SealedSecret construct (use ${refField} for a Secret by name)`, secret);
    return undefined;
  }
  if (secret.cluster !== referrer.cluster) {
    p.add(secretField, `must be a SealedSecret of the same cluster: '${secret.node.path}' belongs to '${secret.cluster.node.path}'`, secret.name);
  } else if (secret.namespace !== referrer.namespace) {
    p.add(secretField, `must be in the ${referrer.kind}'s namespace '${referrer.namespace}': SealedSecret '${secret.name}' is in '${secret.namespace}'; set its namespace to '${referrer.namespace}'`, secret.name);
  }
  const missing = keys.filter((k) => !secret.keys.includes(k));
  if (missing.length > 0) {
    p.add(secretField, `must have the key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `'${k}'`).join(', ')}, which notification-controller reads (SealedSecret '${secret.name}' has ${keyList(secret)})`, secret.name);
  }
  return secret.name;
}
