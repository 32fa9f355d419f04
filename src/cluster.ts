import * as path from 'path';
import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Problems } from './checks/problems';
import { checkDurationProp, checkLabelName, checkObjectName, checkUrl, isNonEmptyString, requireArgument, requireProps } from './checks/rules';
import { goDuration } from './output/duration';
import { toYamlBody, YamlValue } from './output/yaml';
import { SealingCertificate } from './sealing/certificate';
import { SynthContext } from './synth/context';
import { handWrittenKustomizations, kustomizationEntries, kustomizationYaml, underAny, warnUnlisted, writeFolderKustomization } from './synth/layout';

/** How Flux syncs the cluster from Git: what `flux bootstrap` writes to `<namespace>/gotk-sync.yaml` (`flux-system/` by default). */
export interface FluxSyncOptions {
  /**
   * The Git URL Flux clones, e.g. `ssh://git@github.com/acme/fleet` (`flux bootstrap github`
   * writes this form) or an `https://` URL for token authentication.
   */
  readonly url: string;

  /**
   * The branch to follow.
   * @default 'main'
   */
  readonly branch?: string;

  /**
   * Follow a tag instead of a branch.
   * @default - follow the branch
   */
  readonly tag?: string;

  /**
   * Follow the newest tag matching a semver range instead of a branch.
   * @default - follow the branch
   */
  readonly semver?: string;

  /**
   * Pin a commit SHA instead of a branch.
   * @default - follow the branch
   */
  readonly commit?: string;

  /**
   * How often the GitRepository is fetched (`flux bootstrap --interval`).
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * Name of the Secret with the Git credentials (a deploy key or token). `flux bootstrap` creates
   * it in the cluster; it is never written to Git.
   * @default 'flux-system'
   */
  readonly secretName?: string;
}

/** Properties of a `FluxCluster`. */
export interface FluxClusterProps {
  /**
   * The cluster's path in the repo, the one given to `flux bootstrap --path`.
   * @default `clusters/<id>`
   */
  readonly path?: string;

  /**
   * The namespace Flux runs in; every Flux object of the cluster lives there.
   * @default 'flux-system'
   */
  readonly namespace?: string;

  /**
   * Write `flux-system/gotk-sync.yaml` and `flux-system/kustomization.yaml` exactly as
   * `flux bootstrap` writes them (in `<namespace>/` with another namespace, as bootstrap does).
   * `gotk-components.yaml` is never written: it comes from `flux bootstrap` (or `flux install --export`).
   * @default - `flux-system/` belongs to `flux bootstrap` and is never touched
   */
  readonly sync?: FluxSyncOptions;

  /**
   * The sealed-secrets controller's public certificate (`kubeseal --fetch-cert`), used to seal
   * every SealedSecret of this cluster. Convention: `pub-sealed-secrets-<cluster>.pem` at the repo root.
   * @default - the cluster can have no SealedSecret
   */
  readonly sealingCertificate?: SealingCertificate;
}

/** A member of a cluster that takes part in synth. */
interface ClusterMember extends IConstruct {
  _synthesize(ctx: SynthContext): void;
}

function isMember(c: IConstruct): c is ClusterMember {
  return typeof (c as unknown as ClusterMember)._synthesize === 'function' && !(c instanceof FluxCluster);
}

/**
 * One Kubernetes cluster reconciled by Flux from `clusters/<id>` (or `path`). Everything defined
 * inside it is written below that path: `helm/repositories/`, `helm/releases/`, `helm/secrets/`.
 */
export class FluxCluster extends Construct {
  /** The cluster that a construct belongs to; throws when it is not inside one. */
  public static of(construct: IConstruct): FluxCluster {
    for (const scope of construct.node.scopes.slice().reverse()) {
      if (scope instanceof FluxCluster) return scope;
    }
    throw new Error(`${construct.node.path || construct.node.id}: must be defined inside a FluxCluster (it is in '${construct.node.scope?.node.path || 'the root'}'): pass the FluxCluster, or a construct inside it, as the scope`);
  }

  /** The cluster's path in the repo, relative to the repo root (`clusters/dev`). */
  public readonly path: string;
  /** The Flux namespace. */
  public readonly namespace: string;
  /** The sealing certificate, if any. */
  public readonly sealingCertificate?: SealingCertificate;

  private readonly sync?: FluxSyncOptions;
  private readonly rawPath: string;

  constructor(scope: Construct, id: string, props: FluxClusterProps = {}) {
    super(scope, id);
    requireProps(this, props, 'FluxClusterProps');
    requireArgument(this.node.path, 'path', props.path, 'a folder inside the repo, such as \'clusters/dev\'', (v) => v === undefined || isNonEmptyString(v));
    this.rawPath = props.path ?? `clusters/${id}`;
    this.path = path.posix.normalize(this.rawPath.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
    this.namespace = props.namespace ?? 'flux-system';
    this.sync = props.sync;
    this.sealingCertificate = props.sealingCertificate;
  }

  /** @internal */
  public _synthesize(ctx: SynthContext): void {
    const p = new Problems(this.node.path);
    if (path.posix.isAbsolute(this.path) || this.path === '.' || this.path.startsWith('..')) {
      p.add('path', 'must be a folder inside the repo, such as \'clusters/dev\'', this.rawPath);
    }
    checkLabelName(p, 'namespace', this.namespace);
    ctx.addProblems(p.list);

    for (const member of this.node.findAll().filter(isMember)) {
      member._synthesize(ctx);
    }
    if (this.sync) this.synthesizeSync(ctx, this.sync);
  }

  /**
   * @internal: the kustomization files of this cluster. `kustomization.yaml` at the cluster path
   * lists what kustomize-controller would find there on its own (the Flux namespace folder,
   * every other sub-folder with a kustomization file, every other .yaml file, hand-written ones
   * included), less the folders that Kustomizations of their own apply (`excluded`, relative to
   * the cluster path), so that plain `kustomize build` of the path gives what Flux applies. When
   * the cluster installs the sealed-secrets CRD and has SealedSecrets at its root, `helm/secrets/`
   * is left out of it and applied by a Flux Kustomization of its own
   * (`helm/secrets-kustomization.yaml`), which depends on the layers that install the CRD.
   * Returns the hand-written files that `kustomization.yaml` lists one by one (repo-relative).
   */
  public _layout(
    ctx: SynthContext,
    secretsNeedOwnKustomization: boolean,
    excluded: string[] = [],
    secretsDependOn: { name: string; namespace: string }[] = [],
  ): string[] {
    const rootFile = `${this.path}/kustomization.yaml`;
    const isExcluded = underAny(excluded);
    const handWritten = handWrittenKustomizations(ctx, this.path);
    if (!secretsNeedOwnKustomization && handWritten.length > 0) {
      // The user keeps the cluster's kustomization file: it is theirs; say what it leaves out.
      warnUnlisted(ctx, this.path, handWritten[0], isExcluded);
      return [];
    }

    const secretsDir = 'helm/secrets';
    if (secretsNeedOwnKustomization) {
      const secretsKustomization = `${this.path}/helm/secrets-kustomization.yaml`;
      const kustomization = {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'helm-secrets', namespace: this.namespace },
        spec: {
          dependsOn: secretsDependOn.length
            ? secretsDependOn.map((d) => ({ name: d.name, namespace: d.namespace !== this.namespace ? d.namespace : undefined }))
            : undefined,
          interval: '10m0s',
          retryInterval: '1m0s',
          path: `./${this.path}/${secretsDir}`,
          prune: true,
          sourceRef: { kind: 'GitRepository', name: this.namespace },
        },
      };
      ctx.addObject({ cluster: this.path, id: `kustomize.toolkit.fluxcd.io/Kustomization/${this.namespace}/helm-secrets`, owner: this.node.path, file: secretsKustomization });
      ctx.addFile({ path: secretsKustomization, content: '---\n' + toYamlBody(kustomization), owner: this.node.path });
      const secrets = kustomizationEntries(ctx, this.path, secretsDir, isExcluded);
      ctx.addFile({ path: `${this.path}/${secretsDir}/kustomization.yaml`, content: kustomizationYaml(secrets), owner: this.node.path });
      for (const other of handWritten) {
        ctx.addProblems([{
          path: this.node.path,
          field: 'path',
          rule: `must not hold a hand-written '${other}': this cluster needs '${rootFile}' (its SealedSecrets wait for the sealed-secrets CRD in a Kustomization of their own), and kustomize refuses a folder with two kustomization files; move its resources elsewhere`,
          value: `${this.path}/${other}`,
        }]);
      }
    }

    const entries = kustomizationEntries(ctx, this.path, '', (rel) => isExcluded(rel) || (secretsNeedOwnKustomization && rel.startsWith(`${secretsDir}/`)));
    if (!entries.some((e) => e === this.namespace || e.startsWith(`${this.namespace}/`))) {
      ctx.warn(`${rootFile}: lists no '${this.namespace}/' folder, as there is none with a kustomization.yaml yet; synth again after 'flux bootstrap' so that Flux keeps managing itself from Git`);
    }
    return writeFolderKustomization(ctx, this.path, this.node.path, entries);
  }

  private synthesizeSync(ctx: SynthContext, sync: FluxSyncOptions): void {
    const p = new Problems(this.node.path);
    checkUrl(p, 'sync.url', sync.url, ['http', 'https', 'ssh']);
    const refs = [['branch', sync.branch], ['tag', sync.tag], ['semver', sync.semver], ['commit', sync.commit]].filter(([, v]) => v !== undefined);
    if (refs.length > 1) {
      p.add('sync', 'must set at most one of branch, tag, semver and commit', Object.fromEntries(refs));
    }
    for (const [field, value] of refs) {
      if (typeof value !== 'string' || value.trim() === '') {
        p.add(`sync.${field}`, `must not be empty: give the ${field} to follow, or leave it out (the branch defaults to 'main')`, value);
      }
    }
    if (sync.interval !== undefined) checkDurationProp(p, 'sync.interval', sync.interval);
    if (sync.secretName !== undefined) checkObjectName(p, 'sync.secretName', sync.secretName);
    ctx.addProblems(p.list);
    if (p.list.length > 0) return;

    const ref: { [key: string]: YamlValue } = {};
    if (sync.tag) ref.tag = sync.tag;
    else if (sync.semver) ref.semver = sync.semver;
    else if (sync.commit) ref.commit = sync.commit;
    else ref.branch = sync.branch ?? 'main';

    const gitRepository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: this.namespace, namespace: this.namespace },
      spec: {
        interval: goDuration(sync.interval ?? Duration.minutes(1)),
        ref,
        secretRef: { name: sync.secretName ?? 'flux-system' },
        url: sync.url,
      },
    };
    const kustomization = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: this.namespace, namespace: this.namespace },
      spec: {
        interval: '10m0s',
        path: `./${this.path}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: this.namespace },
      },
    };
    // flux bootstrap writes its files to <path>/<namespace>/ (pkg/manifestgen/sync: path.Join(TargetPath, Namespace, ManifestFile)).
    const syncDir = `${this.path}/${this.namespace}`;
    const syncFile = `${syncDir}/gotk-sync.yaml`;
    ctx.addObject({ cluster: this.path, id: `source.toolkit.fluxcd.io/GitRepository/${this.namespace}/${this.namespace}`, owner: this.node.path, file: syncFile });
    ctx.addObject({ cluster: this.path, id: `kustomize.toolkit.fluxcd.io/Kustomization/${this.namespace}/${this.namespace}`, owner: this.node.path, file: syncFile });
    ctx.addFile({
      path: syncFile,
      content: '# This manifest was generated by flux. DO NOT EDIT.\n---\n' + toYamlBody(gitRepository) + '---\n' + toYamlBody(kustomization),
      owner: this.node.path,
    });

    const kustomizationFile = `${syncDir}/kustomization.yaml`;
    const existing = ctx.readExisting(kustomizationFile);
    const ours = kustomizationYaml(['gotk-components.yaml', 'gotk-sync.yaml']);
    if (existing !== undefined && existing !== ours && !ctx.isOwned(kustomizationFile)) {
      // Like flux bootstrap: a customized flux-system/kustomization.yaml (patches) is kept as it is.
      ctx.warn(`${kustomizationFile}: kept as it is (it was customized); make sure it lists gotk-components.yaml and gotk-sync.yaml`);
    } else {
      ctx.addFile({ path: kustomizationFile, content: ours, owner: this.node.path });
    }
    if (ctx.readExisting(`${syncDir}/gotk-components.yaml`) === undefined) {
      const install = this.namespace === 'flux-system' ? 'flux install --export' : `flux install --namespace=${this.namespace} --export`;
      ctx.warn(`${syncDir}/gotk-components.yaml: not there yet; run 'flux bootstrap' (or '${install} > ${syncDir}/gotk-components.yaml') before Flux can reconcile this cluster`);
    }
  }
}
