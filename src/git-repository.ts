import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './checks/problems';
import { checkBoolean, checkDurationProp, checkEnum, checkObjectName, checkString, checkUrl, requireProps } from './checks/rules';
import { FLUX_OBJECT_PROPS, FluxObject, FluxObjectProps } from './flux-object';
import { goDuration } from './output/duration';
import { YamlValue } from './output/yaml';
import { SynthContext } from './synth/context';

/** The provider a GitRepository authenticates with (`spec.provider`, `flux create source git --provider`). */
export enum GitProvider {
  /** Credentials from `secretRef` (the default). */
  GENERIC = 'generic',
  /** Azure DevOps with workload identity. */
  AZURE = 'azure',
  /** A GitHub App (its credentials in `secretRef`). */
  GITHUB = 'github',
}

/** Which Git objects a GitRepository verifies the signature of (`spec.verify.mode`). */
export enum GitVerificationMode {
  /** The commit at the head of the reference. */
  HEAD = 'HEAD',
  /** The tag the reference points to. */
  TAG = 'Tag',
  /** Both the tag and the commit it points to. */
  TAG_AND_HEAD = 'TagAndHEAD',
}

/** The OpenPGP verification of a GitRepository (`spec.verify`). */
export interface GitVerification {
  /**
   * What to verify.
   * @default GitVerificationMode.HEAD
   */
  readonly mode?: GitVerificationMode;

  /** Name of the Secret with the trusted public keys (in the GitRepository's namespace). */
  readonly secretRef: string;
}

/** Another GitRepository whose content is copied into this one's artifact (`spec.include`). */
export interface GitRepositoryInclude {
  /** The GitRepository to include; it must be in the same cluster and namespace. */
  readonly repository: GitRepository;

  /**
   * The path in the included repository to copy.
   * @default - its root
   */
  readonly fromPath?: string;

  /**
   * Where to copy it in this repository's artifact.
   * @default - the included repository's name
   */
  readonly toPath?: string;
}

/** Properties of a `GitRepository` (`source.toolkit.fluxcd.io/v1`): the flags of `flux create source git`. */
export interface GitRepositoryProps extends FluxObjectProps {
  /** The repository URL: `https://…`, `http://…` or `ssh://git@host/org/repo`. */
  readonly url: string;

  /**
   * The branch to follow (`--branch`).
   * @default 'main', when no tag, semver, refName or commit is given
   */
  readonly branch?: string;

  /**
   * A tag to pull instead of a branch (`--tag`).
   * @default - follow the branch
   */
  readonly tag?: string;

  /**
   * Follow the newest tag in a semver range (`--tag-semver`).
   * @default - follow the branch
   */
  readonly semver?: string;

  /**
   * A full Git reference name such as `refs/pull/420/head` (`--ref-name`).
   * @default - follow the branch
   */
  readonly refName?: string;

  /**
   * A commit SHA to pin (`--commit`); with `branch`, the commit must be on that branch.
   * @default - follow the branch
   */
  readonly commit?: string;

  /**
   * How often Flux fetches the repository.
   * @default Duration.minutes(1), as `flux create source git`
   */
  readonly interval?: Duration;

  /**
   * Timeout of Git operations.
   * @default - Flux's default (60s)
   */
  readonly timeout?: Duration;

  /**
   * Name of the Secret with the credentials (SSH key, basic auth, bearer token or GitHub App).
   * @default - no authentication (a public repository)
   */
  readonly secretRef?: string;

  /**
   * Name of the Secret with the proxy `address` (and `username`/`password`).
   * @default - no proxy
   */
  readonly proxySecretRef?: string;

  /**
   * The authentication provider.
   * @default - not set (Flux uses generic)
   */
  readonly provider?: GitProvider;

  /**
   * Clone the submodules too.
   * @default false
   */
  readonly recurseSubmodules?: boolean;

  /**
   * Paths to leave out of the artifact, in `.gitignore` syntax (`--ignore-paths`).
   * @default - Flux's default exclusions only
   */
  readonly ignorePaths?: string[];

  /**
   * Check out only these folders (`--sparse-checkout-paths`).
   * @default - the whole repository
   */
  readonly sparseCheckoutPaths?: string[];

  /**
   * Other GitRepositories whose content is copied into this one's artifact.
   * @default - none
   */
  readonly include?: GitRepositoryInclude[];

  /**
   * Verify the OpenPGP signature of the commit or tag.
   * @default - no verification
   */
  readonly verify?: GitVerification;

  /**
   * The ServiceAccount used to authenticate with the provider (workload identity).
   * @default - the controller's own
   */
  readonly serviceAccountName?: string;

  /**
   * Stop reconciling this repository.
   * @default false
   */
  readonly suspend?: boolean;
}

const GIT_REPOSITORY_PROPS = [...FLUX_OBJECT_PROPS, 'url', 'branch', 'tag', 'semver', 'refName', 'commit', 'interval', 'timeout',
  'secretRef', 'proxySecretRef', 'provider', 'recurseSubmodules', 'ignorePaths', 'sparseCheckoutPaths', 'include', 'verify',
  'serviceAccountName', 'suspend'];

/**
 * A Flux `GitRepository` (`source.toolkit.fluxcd.io/v1`), written to
 * `<folder>/git/repositories/<name>.yaml` with the bytes of `flux create source git --export`.
 * Use it as a Kustomization's `sourceRef`, or as the chart source of a HelmRelease (`gitRepository`
 * with `chart` set to the chart's path in the repository).
 */
export class GitRepository extends FluxObject {
  private readonly props: GitRepositoryProps;

  constructor(scope: Construct, id: string, props: GitRepositoryProps) {
    super(scope, id, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.labels,
      annotations: props?.annotations,
      props,
      knownProps: GIT_REPOSITORY_PROPS,
    });
    requireProps(this, props, 'GitRepositoryProps');
    this.props = props;
  }

  /** The repository file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/git/repositories/${this.name}.yaml`;
  }

  /** The repository URL as given. */
  public get url(): string {
    return this.props.url;
  }

  /** @internal */
  protected _render(_ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    checkUrl(p, 'url', props.url, ['http', 'https', 'ssh']);
    const refs = (['tag', 'semver', 'refName', 'commit'] as const).filter((k) => props[k] !== undefined);
    if (refs.length > 1) {
      p.add(refs[1], `must not be combined with ${refs[0]}: give one of tag, semver, refName and commit (a commit may come with its branch)`, props[refs[1]]);
    }
    if (props.branch !== undefined && refs.some((r) => r !== 'commit')) {
      p.add('branch', `must not be combined with ${refs.find((r) => r !== 'commit')}: the branch is followed only without a tag, semver range or refName`, props.branch);
    }
    for (const field of ['branch', 'tag', 'semver', 'refName', 'commit'] as const) {
      if (props[field] !== undefined && checkString(p, field, props[field]) && props[field]!.trim() === '') {
        p.add(field, 'must not be empty: leave it out instead', props[field]);
      }
    }
    if (props.commit !== undefined && typeof props.commit === 'string' && !/^[0-9a-f]{7,64}$/.test(props.commit)) {
      p.add('commit', 'must be a commit SHA in lowercase hex (at least 7 characters)', props.commit);
    }
    if (props.refName !== undefined && typeof props.refName === 'string' && !props.refName.startsWith('refs/')) {
      p.add('refName', 'must be a full reference name starting with \'refs/\', such as \'refs/heads/main\' or \'refs/pull/420/head\'', props.refName);
    }
    if (props.interval !== undefined) checkDurationProp(p, 'interval', props.interval);
    if (props.timeout !== undefined) checkDurationProp(p, 'timeout', props.timeout);
    for (const field of ['secretRef', 'proxySecretRef', 'serviceAccountName'] as const) {
      if (props[field] !== undefined) checkObjectName(p, field, props[field]!);
    }
    if (props.provider !== undefined) checkEnum(p, 'provider', props.provider, GitProvider as unknown as { [key: string]: string }, 'GitProvider');
    if (props.provider === GitProvider.GITHUB && props.secretRef === undefined) {
      p.add('secretRef', 'must be set with provider GITHUB: it names the Secret with the GitHub App\'s id, installation id and private key');
    }
    if (props.serviceAccountName !== undefined && props.provider !== GitProvider.AZURE) {
      p.add('serviceAccountName', 'needs provider AZURE: source-controller uses the ServiceAccount only for workload identity (the CRD refuses it otherwise)', props.serviceAccountName);
    }
    for (const field of ['recurseSubmodules', 'suspend'] as const) checkBoolean(p, field, props[field]);
    for (const field of ['ignorePaths', 'sparseCheckoutPaths'] as const) {
      const list = props[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) p.add(field, 'must be a list of paths', list);
      else list.forEach((v, i) => { if (typeof v !== 'string' || v.trim() === '' || v.includes('\n')) p.add(`${field}[${i}]`, 'must be a non-empty path on one line', v); });
    }
    if (props.verify !== undefined) {
      if (props.verify === null || typeof props.verify !== 'object') {p.add('verify', 'must be { secretRef, mode? }', props.verify);} else {
        checkObjectName(p, 'verify.secretRef', props.verify.secretRef);
        if (props.verify.mode !== undefined) checkEnum(p, 'verify.mode', props.verify.mode, GitVerificationMode as unknown as { [key: string]: string }, 'GitVerificationMode');
      }
    }
    (props.include ?? []).forEach((inc, i) => {
      if (inc === null || typeof inc !== 'object' || !(inc.repository instanceof GitRepository)) {
        p.add(`include[${i}].repository`, 'must be a GitRepository construct', inc?.repository);
        return;
      }
      if (inc.repository === this) p.add(`include[${i}].repository`, 'must not be the repository itself', inc.repository.name);
      else if (inc.repository.cluster !== this.cluster) p.add(`include[${i}].repository`, `must be in the same cluster: '${inc.repository.node.path}' belongs to '${inc.repository.cluster.node.path}'`, inc.repository.name);
      else if (inc.repository.namespace !== this.namespace) p.add(`include[${i}].repository`, `must be in the same namespace '${this.namespace}' (Flux looks it up there): it is in '${inc.repository.namespace}'`, inc.repository.name);
      for (const f of ['fromPath', 'toPath'] as const) {
        if (inc[f] !== undefined && (typeof inc[f] !== 'string' || inc[f]!.trim() === '')) p.add(`include[${i}].${f}`, 'must be a non-empty path', inc[f]);
      }
    });
    if (p.list.length > 0) return undefined;

    const ref: { [key: string]: YamlValue } = {};
    if (props.commit !== undefined) {
      ref.commit = props.commit;
      ref.branch = props.branch;
    } else if (props.refName !== undefined) {ref.name = props.refName;} else if (props.semver !== undefined) {ref.semver = props.semver;} else if (props.tag !== undefined) {ref.tag = props.tag;} else {ref.branch = props.branch ?? 'main';}
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        ignore: props.ignorePaths?.length ? props.ignorePaths.join('\n') : undefined,
        include: props.include?.length ? props.include.map((inc) => ({
          fromPath: inc.fromPath,
          repository: { name: inc.repository.name },
          toPath: inc.toPath,
        })) : undefined,
        interval: goDuration(props.interval ?? Duration.minutes(1)),
        provider: props.provider,
        proxySecretRef: props.proxySecretRef ? { name: props.proxySecretRef } : undefined,
        recurseSubmodules: props.recurseSubmodules || undefined,
        ref,
        secretRef: props.secretRef ? { name: props.secretRef } : undefined,
        serviceAccountName: props.serviceAccountName,
        sparseCheckout: props.sparseCheckoutPaths?.length ? props.sparseCheckoutPaths : undefined,
        suspend: props.suspend || undefined,
        timeout: props.timeout ? goDuration(props.timeout) : undefined,
        url: props.url,
        verify: props.verify ? { mode: props.verify.mode ?? GitVerificationMode.HEAD, secretRef: { name: props.verify.secretRef } } : undefined,
      },
    };
  }
}
