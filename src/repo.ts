import * as fs from 'fs';
import * as path from 'path';
import { Chart, ImplicitTokenResolver, IResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { Problem, SynthError } from './checks/problems';
import { CheckReport, RepositoryCheck } from './checks/repo-check';
import { FluxCluster } from './cluster';
import { HelmRelease } from './helm-release';
import { applyWrite, compare, planWrite, readRecord, RECORD_FILE, writeFileAtomic } from './output/writer';
import { SealedSecret } from './sealed-secret';
import { LOCAL_STATE_DIR, SealingState } from './sealing/state';
import { SynthContext } from './synth/context';
import { checkHandWritten } from './synth/hand-written';
import { findPlaintext } from './synth/plaintext';

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

/** The lines GitOpsRepo keeps in the root `.gitignore`, in this order. */
export const GITIGNORE_RULES = ['*-values-*.yaml', '!*-sealed.yaml', `/${LOCAL_STATE_DIR}/`];

/**
 * The root of a Flux GitOps repository. Define `FluxCluster`s in it, then call `synth()` to
 * write the tree Flux reads: every file checked first, nothing written when anything is wrong.
 */
export class GitOpsRepo extends Chart {
  /** The absolute path of the repo root. */
  public readonly outdir: string;

  /**
   * The resolvers cdk8s applies to the cdk8s objects of the repo (what `App.resolvers` is in a
   * cdk8s App): the repo is the root of its construct tree, so cdk8s' `ApiObject.toJson()`,
   * `Chart.toJson()` and `Testing.synth(chart)` work on charts inside it.
   */
  public readonly resolvers: IResolver[];

  constructor(props: GitOpsRepoProps = {}) {
    // The repo is the root of the tree and a Chart of its own, so that a cdk8s ApiObject placed
    // anywhere in it finds a chart: one outside a user's Chart is then reported by name at synth,
    // instead of cdk8s failing in its constructor with 'cannot find a parent chart'.
    super(undefined as any, '');
    this.outdir = path.resolve(props.outdir ?? '.');
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
    const record = readRecord(this.outdir);
    const sealing = SealingState.load(this.outdir);
    const ctx = new SynthContext(this.outdir, new Set(record.files.keys()), sealing, record.sealedWith);
    const clusters = this.clusters;
    ctx.clusterPaths = clusters.map((c) => c.path);
    ctx.addProblems(checkClusterPaths(clusters));

    for (const cluster of clusters) {
      cluster._synthesize(ctx);
    }
    const laidOut = clusters.map((cluster) => {
      const members = cluster.node.findAll();
      const hasSecrets = members.some((c) => c instanceof SealedSecret);
      const installsCrd = members.some((c) => c instanceof HelmRelease && c._installsSealedSecretsCrd);
      const secretsApart = hasSecrets && installsCrd;
      return { cluster, listed: cluster._layout(ctx, secretsApart), installsCrd, secretsApart };
    });
    ctx.addProblems(findPlaintext(ctx));
    ctx.addProblems(checkHandWritten(ctx, laidOut));

    const plan = planWrite(this.outdir, ctx.files, record, ctx.sealedWith);
    const gitignore = planGitignore(this.outdir);
    const problems = [...ctx.problems, ...plan.problems, ...gitignore.problems];
    if (problems.length > 0) {
      throw new SynthError(problems);
    }

    fs.mkdirSync(this.outdir, { recursive: true });
    const { written, removed } = applyWrite(this.outdir, plan);
    sealing.save(this.outdir);
    if (gitignore.content !== undefined) {
      writeFileAtomic(path.join(this.outdir, '.gitignore'), gitignore.content);
      written.push('.gitignore');
    }
    for (const w of ctx.warnings) console.warn(`warning: ${w}`);
    return {
      outdir: this.outdir,
      files: [...plan.owned, RECORD_FILE].sort(compare),
      written: written.sort(compare),
      removed,
      warnings: ctx.warnings,
    };
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
