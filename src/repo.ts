import * as fs from 'fs';
import * as path from 'path';
import { Chart, ImplicitTokenResolver, IResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problem, SynthError } from './checks/problems';
import { CheckReport, RepositoryCheck } from './checks/repo-check';
import { ArgumentError, isNonEmptyString, MAX_DATA_DEPTH, requireArgument } from './checks/rules';
import { FluxCluster } from './cluster';
import { layerOf } from './flux-object';
import { HelmRelease } from './helm-release';
import { dependsOnTransitively, Kustomization } from './kustomization';
import { commitChanges, OutputLock, recover, WriteError } from './output/transaction';
import { compare, planChanges, planWrite, readRecord, RECORD_FILE, removeStrayTemporaries, writeFileAtomic } from './output/writer';
import { SealedSecret } from './sealed-secret';
import { LOCAL_STATE_DIR, SealingState, STATE_FILE } from './sealing/state';
import { checkPlacement, synthesizeCharts } from './synth/charts';
import { SynthContext } from './synth/context';
import { checkHandWritten, LaidOutFolder } from './synth/hand-written';
import { findPlaintext, Redactor } from './synth/plaintext';

/** Properties of a `GitOpsRepo`. */
export interface GitOpsRepoProps {
  /**
   * The root of the Git repository Flux reads; cluster paths are relative to it.
   * @default - the current working directory
   */
  readonly outdir?: string;

  /**
   * Custom cdk8s resolvers, applied to the cdk8s objects of the repo (as `App`'s `resolvers`)
   * before cdk8s' own.
   * @default - cdk8s' built-in resolvers only
   */
  readonly resolvers?: IResolver[];

  /**
   * Print synth's warnings (kept sealed values, a missing gotk-components.yaml, …) to stderr.
   * They are in `SynthResult.warnings` either way.
   * @default true
   */
  readonly printWarnings?: boolean;
}

/** What a synth did. */
export interface SynthResult {
  /** The repo root written to. */
  readonly outdir: string;
  /** Every file synth owns now, relative to the repo root, sorted. */
  readonly files: string[];
  /** The files whose bytes changed (created or updated). */
  readonly written: string[];
  /** The files synth owned before and no longer produces, now deleted. */
  readonly removed: string[];
  /** Things to know that are not errors (kept sealed values, a missing gotk-components.yaml). */
  readonly warnings: string[];
}

const GITOPS_REPO = Symbol.for('cdk8s-flux-gitops.GitOpsRepo');

/** The lines GitOpsRepo keeps in the root `.gitignore`, in this order. */
export const GITIGNORE_RULES = ['*-values-*.yaml', '!*-sealed.yaml', `/${LOCAL_STATE_DIR}/`];

/**
 * The root of a Flux GitOps repository. Define `FluxCluster`s in it, then call `synth()` to
 * write the tree Flux reads: every file checked first, nothing written when anything is wrong.
 */
export class GitOpsRepo extends Chart {
  /**
   * Whether a construct is a GitOpsRepo. (`instanceof` says so of every cdk8s Chart: Chart
   * answers `instanceof` for its subclasses too.)
   */
  public static isGitOpsRepo(x: any): x is GitOpsRepo {
    return x !== null && typeof x === 'object' && GITOPS_REPO in x;
  }

  /** The absolute path of the repo root. */
  public readonly outdir: string;

  /**
   * The resolvers cdk8s applies to the cdk8s objects of the repo (what `App.resolvers` is in a
   * cdk8s App): the repo is the root of its construct tree, so cdk8s' `ApiObject.toJson()`,
   * `Chart.toJson()` and `Testing.synth(chart)` work on charts inside it.
   */
  public readonly resolvers: IResolver[];

  private readonly printWarnings: boolean;

  constructor(props: GitOpsRepoProps = {}) {
    // The repo is the root of the tree and a Chart of its own, so that a cdk8s ApiObject placed
    // anywhere in it finds a chart: one outside a user's Chart is then reported by name at synth,
    // instead of cdk8s failing in its constructor with 'cannot find a parent chart'.
    super(undefined as any, '');
    if (props === null || typeof props !== 'object') throw new ArgumentError('GitOpsRepo', 'props', 'must be an object of GitOpsRepoProps', props);
    requireArgument('GitOpsRepo', 'outdir', props.outdir, 'a path to a folder (a non-empty string)', (v) => v === undefined || isNonEmptyString(v));
    this.outdir = path.resolve(props.outdir ?? '.');
    Object.defineProperty(this, GITOPS_REPO, { value: true });
    this.printWarnings = props.printWarnings ?? true;
    this.resolvers = [...(props.resolvers ?? []), new LazyResolver(), new ImplicitTokenResolver(), new NumberStringUnionResolver()];
  }

  /** The clusters of this repo. */
  public get clusters(): FluxCluster[] {
    return this.node.findAll().filter((c): c is FluxCluster => c instanceof FluxCluster);
  }

  /**
   * Validates everything, then writes the tree: the cluster files, the ownership record
   * (`.cdk8s-flux-gitops.json`, commit it) and the `.gitignore` rules. Files it wrote before and
   * no longer produces are removed; files it did not write are never touched.
   *
   * @throws an error listing every problem (construct path, field, rule, value) when the input
   * is invalid; nothing is written then.
   */
  public synth(): SynthResult {
    let lock: OutputLock;
    try {
      lock = OutputLock.acquire(this.outdir, LOCAL_STATE_DIR);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      throw new SynthError([{ path: this.node.path || 'GitOpsRepo', field: 'outdir', rule: `must be a folder synth can write: ${e.message}`, value: this.outdir }]);
    }
    try {
      return this.synthLocked();
    } finally {
      lock.release();
    }
  }

  private synthLocked(): SynthResult {
    // a synth that died half-way is finished (or its staging dropped) before anything is read
    const recovered = recover(this.outdir, LOCAL_STATE_DIR);
    removeStrayTemporaries(this.outdir, [...readRecord(this.outdir).files.keys(), RECORD_FILE, '.gitignore', `${LOCAL_STATE_DIR}/${STATE_FILE}`]);
    const { ctx, plan, gitignore, sealing, problems } = this._plan();
    ctx.warnings.unshift(...recovered);
    if (problems.length > 0) {
      throw new SynthError(problems);
    }

    // One transaction: the sealing state first, the files, the record, the .gitignore.
    const changes = planChanges(plan);
    const stateText = sealing.serialize();
    if (stateText !== undefined) changes.unshift({ rel: `${LOCAL_STATE_DIR}/${STATE_FILE}`, content: stateText, mode: 0o600 });
    if (gitignore.content !== undefined) changes.push({ rel: '.gitignore', content: gitignore.content });
    commitChanges(this.outdir, LOCAL_STATE_DIR, changes);
    const written = [...plan.write.keys(), ...(plan.recordChanged ? [RECORD_FILE] : []), ...(gitignore.content !== undefined ? ['.gitignore'] : [])];
    if (this.printWarnings) {
      for (const w of ctx.warnings) console.warn(`warning: ${w}`);
    }
    return {
      outdir: this.outdir,
      files: [...plan.owned, RECORD_FILE].sort(compare),
      written: written.sort(compare),
      removed: [...plan.remove],
      warnings: ctx.warnings,
    };
  }

  /**
   * @internal: everything synth would write, and every problem, without writing anything:
   * `synth()` writes it, `FluxTesting.synth()` shows it.
   */
  public _plan() {
    const record = readRecord(this.outdir);
    const sealing = SealingState.load(this.outdir);
    const ctx = new SynthContext(this.outdir, new Set(record.files.keys()), sealing, record.sealedWith);
    const clusters = this.clusters;
    const layers = this.node.findAll().filter((c): c is Kustomization => c instanceof Kustomization && c.ownsFolder && typeof c.path === 'string');
    ctx.clusterPaths = [...clusters.map((c) => c.path), ...layers.map((l) => l.path)];
    ctx.addProblems(checkClusterPaths(clusters));
    ctx.addProblems(checkLayerPaths(clusters, layers));
    ctx.addProblems(checkPlacement(this));

    // a value that cannot be read or written (a throwing getter in a prop, a value nested
    // thousands deep): reported as a problem, not a stack trace
    const guarded = (where: string, field: string, fn: () => void) => {
      try {
        fn();
      } catch (e) {
        const why = e instanceof RangeError
          ? `a value nests too deep to write (${e.message}): keep values, overrides and patches within ${MAX_DATA_DEPTH} levels`
          : `${(e as Error)?.message ?? String(e)}; check the props of the constructs in it`;
        ctx.addProblems([{ path: where, field, rule: `cannot be synthesized: ${why}` }]);
      }
    };
    for (const cluster of clusters) guarded(cluster.node.path, '(its constructs)', () => cluster._synthesize(ctx));
    guarded(this.node.path || 'GitOpsRepo', '(cdk8s charts)', () => synthesizeCharts(ctx, this));
    const laidOut = clusters.flatMap((cluster) => layOut(ctx, cluster, layers.filter((l) => l.cluster === cluster)));
    ctx.addProblems(findPlaintext(ctx));
    ctx.addProblems(checkHandWritten(ctx, laidOut));

    const plan = planWrite(this.outdir, ctx.files, record, ctx.sealedWith, ctx.guard);
    const gitignore = planGitignore(this.outdir);
    let problems = [...ctx.problems, ...plan.problems, ...gitignore.problems];
    if (problems.length > 0 || ctx.warnings.length > 0) {
      // no secret reaches a message: one used as a name or a key is shown redacted
      const redactor = this.redactor(ctx);
      problems = problems.map((p) => redactor.problem(p));
      ctx.warnings.splice(0, ctx.warnings.length, ...ctx.warnings.map((w) => redactor.text(w)));
    }
    return { ctx, plan, gitignore, sealing, problems };
  }

  /** Every secret this synth knows of, the ones it did not get to seal included. */
  private redactor(ctx: SynthContext): Redactor {
    const secrets = ctx.plaintexts.map((p) => p.bytes);
    const resolved = new Set(ctx.plaintexts.map((p) => p.owner));
    for (const c of this.node.findAll()) {
      if (!(c instanceof SealedSecret) || resolved.has(c.node.path)) continue;
      try {
        for (const source of c._sources) {
          const bytes = source._resolve().bytes;
          if (bytes !== undefined) secrets.push(bytes);
        }
      } catch {
        // a source that cannot be read has no secret to hide (its problem is reported)
      }
    }
    // (not the single values of secretValues files: any such value may be a common word, such as
    // a chart name, that messages must show)
    return new Redactor(secrets);
  }

  /**
   * Runs the repository check over the repo root as it is on disk (after `synth()`): the
   * official CRD schemas, references, duplicates and the rest, across synthesized and
   * hand-written files alike.
   */
  public check(): CheckReport {
    return RepositoryCheck.run(this.outdir);
  }
}

/**
 * Lays out one cluster: the kustomization files of its path and of the folders of its
 * Kustomizations, and the one-push rule between the SealedSecrets and the release that installs
 * their CRD: never in one Flux Kustomization (kustomize-controller dry-runs every object before
 * applying any, so the SealedSecrets would fail and the release with them). At the cluster's root,
 * the SealedSecrets then get a Kustomization of their own; in a layer, the layer must depend on
 * the one that installs the CRD.
 */
function layOut(ctx: SynthContext, cluster: FluxCluster, layers: Kustomization[]): LaidOutFolder[] {
  const members = cluster.node.findAll();
  const applierOf = (c: IConstruct) => layerOf(c) as Kustomization | undefined;
  const secretsIn = new Map<Kustomization | undefined, SealedSecret[]>();
  const crdIn = new Map<Kustomization | undefined, HelmRelease[]>();
  for (const m of members) {
    if (m instanceof SealedSecret) secretsIn.set(applierOf(m), [...(secretsIn.get(applierOf(m)) ?? []), m]);
    if (m instanceof HelmRelease && m._installsSealedSecretsCrd) crdIn.set(applierOf(m), [...(crdIn.get(applierOf(m)) ?? []), m]);
  }
  const crdLayers = layers.filter((l) => crdIn.has(l));
  const rootCrd = crdIn.has(undefined);
  const secretsApart = secretsIn.has(undefined) && (rootCrd || crdLayers.length > 0);
  const below = (folder: string) => layers
    .filter((l) => l.path !== folder && l.path.startsWith(`${folder}/`))
    .map((l) => l.path.slice(folder.length + 1));
  const rootExcluded = below(cluster.path);
  const out: LaidOutFolder[] = [{
    owner: cluster,
    cluster,
    folder: cluster.path,
    excluded: rootExcluded,
    listed: cluster._layout(ctx, secretsApart, rootExcluded, crdLayers.map((l) => ({ name: l.name, namespace: l.namespace }))),
    // a hand-written SealedSecret at the root blocks the bootstrap Kustomization, and with it every layer it creates
    installsCrd: rootCrd || crdLayers.length > 0,
    secretsApart,
  }];
  for (const layer of layers) {
    const excluded = below(layer.path);
    const listed = layer._layout(ctx, excluded);
    out.push({ owner: layer, cluster, folder: layer.path, excluded, listed, installsCrd: crdIn.has(layer), secretsApart: false });
    const secrets = secretsIn.get(layer);
    if (!secrets) continue;
    if (crdIn.has(layer)) {
      ctx.addProblems([{
        path: layer.node.path,
        field: 'path',
        rule: `must not hold SealedSecrets next to the HelmRelease that installs the sealed-secrets CRD ('${crdIn.get(layer)![0].node.path}'): kustomize-controller dry-runs every object first, so on a fresh cluster SealedSecret '${secrets[0].name}' fails ('no matches for kind "SealedSecret"') and the release with it; move the SealedSecrets to a Kustomization that dependsOn this one`,
        value: layer.path,
      }]);
      continue;
    }
    for (const crdLayer of crdLayers) {
      if (!dependsOnTransitively(layer, crdLayer)) {
        ctx.addProblems([{
          path: layer.node.path,
          field: 'dependsOn',
          rule: `must include '${crdLayer.node.path}' (directly or through another Kustomization): it installs the sealed-secrets CRD, and this Kustomization's SealedSecret '${secrets[0].name}' can only be applied after it; add it to dependsOn`,
          value: layer.dependencies.map((d) => d.name),
        }]);
      }
    }
  }
  return out;
}

/**
 * The folder of a Kustomization is applied by it alone: not a cluster path or inside one of another
 * cluster, not the folder of another Kustomization of the same cluster. Kustomizations of several
 * clusters may share a folder (they must then write the same files).
 */
function checkLayerPaths(clusters: FluxCluster[], layers: Kustomization[]): Problem[] {
  const problems: Problem[] = [];
  for (const layer of layers) {
    for (const cluster of clusters) {
      const c = cluster.path;
      if (layer.path === c || c.startsWith(layer.path + '/')) {
        problems.push({ path: layer.node.path, field: 'path', rule: `must not be or contain the path of cluster '${cluster.node.path}' ('${c}'): that folder is the cluster's own`, value: layer.path });
      } else if (cluster !== layer.cluster && layer.path.startsWith(c + '/')) {
        problems.push({ path: layer.node.path, field: 'path', rule: `must not be inside the path of another cluster, '${cluster.node.path}' ('${c}'): that cluster would apply it too`, value: layer.path });
      }
    }
    for (const other of layers) {
      if (other === layer || other.cluster !== layer.cluster) continue;
      if (other.path === layer.path && layer.node.path > other.node.path) {
        problems.push({ path: layer.node.path, field: 'path', rule: `must not be the folder of '${other.node.path}' too: Flux would apply it twice in the cluster`, value: layer.path });
      }
    }
  }
  return problems;
}

/** Cluster paths must be distinct and must not nest (Flux would apply the inner one twice). */
function checkClusterPaths(clusters: FluxCluster[]): Problem[] {
  const problems: Problem[] = [];
  for (let i = 0; i < clusters.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = clusters[i].path;
      const b = clusters[j].path;
      if (a === b || a.startsWith(b + '/') || b.startsWith(a + '/')) {
        problems.push({
          path: clusters[i].node.path,
          field: 'path',
          rule: `must not be or contain the path of cluster '${clusters[j].node.path}' ('${b}'): each cluster needs a folder of its own`,
          value: a,
        });
      }
    }
  }
  return problems;
}


/**
 * Makes sure the root `.gitignore` holds the tutorial's rules (`*-values-*.yaml`, then
 * `!*-sealed.yaml`) and the local state folder, keeping every line that was there.
 * Returns whether it changed the file.
 */
export function updateGitignore(outdir: string): boolean {
  const plan = planGitignore(outdir);
  if (plan.problems.length > 0) throw new SynthError(plan.problems);
  if (plan.content === undefined) return false;
  writeFileAtomic(path.join(outdir, '.gitignore'), plan.content);
  return true;
}

/**
 * The new text of the root `.gitignore` (undefined when it holds the rules already), worked out
 * before anything is written. Every line that was there is kept, and so is its line ending.
 */
function planGitignore(outdir: string): { content?: string; problems: Problem[] } {
  const file = path.join(outdir, '.gitignore');
  let before = '';
  try {
    if (fs.lstatSync(file).isSymbolicLink()) {
      return { problems: [{ path: '.gitignore', field: 'path', rule: 'must be a file, not a symbolic link: synth never reads or writes through one (it could reach outside the repo); replace the link with a real file', value: '.gitignore' }] };
    }
    if (!fs.statSync(file).isFile()) {
      return { problems: [{ path: '.gitignore', field: 'path', rule: 'must be a file: synth keeps its rules for values files there; move what is in the way', value: '.gitignore' }] };
    }
    before = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { problems: [{ path: '.gitignore', field: 'path', rule: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix its permissions`, value: '.gitignore' }] };
    }
  }
  const lines = before.split(/\r?\n/).map((l) => l.trim());
  const last = (rule: string) => lines.lastIndexOf(rule);
  const missing: string[] = [];
  const valuesAt = last('*-values-*.yaml');
  if (valuesAt === -1) missing.push('*-values-*.yaml');
  // The negation only works after the rule it negates.
  if (valuesAt === -1 || last('!*-sealed.yaml') < valuesAt) missing.push('!*-sealed.yaml');
  if (last(`/${LOCAL_STATE_DIR}/`) === -1 && last(`${LOCAL_STATE_DIR}/`) === -1 && last(LOCAL_STATE_DIR) === -1) missing.push(`/${LOCAL_STATE_DIR}/`);
  if (missing.length === 0) return { problems: [] };
  const valuesRules = missing.filter((m) => m !== `/${LOCAL_STATE_DIR}/`);
  const block = [
    ...(valuesRules.length > 0 ? ['# Plain-text Helm values stay out of Git; sealed files stay in (cdk8s-flux-gitops).', ...valuesRules] : []),
    ...(missing.includes(`/${LOCAL_STATE_DIR}/`) ? ['# Local sealing state of cdk8s-flux-gitops (keyed digests): never commit it.', `/${LOCAL_STATE_DIR}/`] : []),
  ];
  // A file written with CRLF line endings stays CRLF.
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const prefix = before === '' ? '' : /\r?\n$/.test(before) ? before + eol : before + eol + eol;
  return { content: prefix + block.join(eol) + eol, problems: [] };
}
