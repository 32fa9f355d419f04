import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { Problem, SynthError } from './checks/problems';
import { CheckReport, RepositoryCheck } from './checks/repo-check';
import { FluxCluster } from './cluster';
import { HelmRelease } from './helm-release';
import { applyWrite, compare, listFiles, planWrite, readRecord, RECORD_FILE, writeFileAtomic } from './output/writer';
import { YamlValue } from './output/yaml';
import { SealedSecret } from './sealed-secret';
import { LOCAL_STATE_DIR, SealingState } from './sealing/state';
import { SynthContext } from './synth/context';
import { findAll, MIN_NEEDLE_LENGTH } from './synth/leaks';

/** Properties of a `GitOpsRepo`. */
export interface GitOpsRepoProps {
  /**
   * The root of the Git repository Flux reads; cluster paths are relative to it.
   * @default - the current working directory
   */
  readonly outdir?: string;
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
export class GitOpsRepo extends Construct {
  /** The absolute path of the repo root. */
  public readonly outdir: string;

  constructor(props: GitOpsRepoProps = {}) {
    super(undefined as any, '');
    this.outdir = path.resolve(props.outdir ?? '.');
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
    for (const cluster of clusters) {
      const members = cluster.node.findAll();
      const hasSecrets = members.some((c) => c instanceof SealedSecret);
      const installsCrd = members.some((c) => c instanceof HelmRelease && c._installsSealedSecretsCrd);
      cluster._layout(ctx, hasSecrets && installsCrd);
    }
    ctx.addProblems(findPlaintext(ctx));
    ctx.addProblems(checkHandWritten(ctx, clusters));

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
      files: [...ctx.files.keys(), RECORD_FILE].sort(compare),
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
 * An object synth writes must not also be in a hand-written manifest of the same cluster (as when
 * the tutorial's `releases/cert-manager-v1.8.0.yaml` is still there): kustomize fails the whole
 * cluster with 'may not add resource with an already registered id'. Nor may a hand-written file
 * there hold a plain Secret (not SOPS-encrypted): synth would list it for Flux to apply. Objects
 * without a namespace and files that are not YAML objects are left to the repository check.
 */
function checkHandWritten(ctx: SynthContext, clusters: FluxCluster[]): Problem[] {
  const problems: Problem[] = [];
  for (const cluster of clusters) {
    for (const rel of listFiles(path.join(ctx.outdir, cluster.path)).filter((f) => /\.ya?ml$/.test(f))) {
      const file = `${cluster.path}/${rel}`;
      if (ctx.isOwned(file) || ctx.files.has(file)) continue;
      const text = ctx.readExisting(file);
      // Only top-level kinds synth writes can clash, and plain Secrets must not be there at all
      // (this skips gotk-components.yaml's CRDs unparsed).
      if (text === undefined || !/^kind:[ \t]*["']?(HelmRepository|HelmRelease|OCIRepository|GitRepository|Kustomization|SealedSecret|Secret)["']?[ \t]*$/m.test(text)) continue;
      let docs: unknown[];
      try {
        docs = parseAllDocuments(text).map((d) => d.toJS());
      } catch {
        continue;
      }
      for (const o of docs as any[]) {
        const meta = o?.metadata;
        if (o?.apiVersion === 'v1' && o.kind === 'Secret' && o.sops === undefined) {
          problems.push({
            path: cluster.node.path,
            field: 'path',
            rule: `must not hold a plain Secret: '${file}' has Secret ${meta?.namespace ? `${meta.namespace}/` : ''}${meta?.name ?? '(no name)'} in plain text, and Flux would apply it from Git as it is; define a SealedSecret in the code instead and delete the file (or encrypt it with SOPS)`,
            value: file,
          });
          continue;
        }
        if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string' || typeof meta?.name !== 'string' || typeof meta?.namespace !== 'string') continue;
        const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
        const id = `${group}/${o.kind}/${meta.namespace}/${meta.name}`;
        const ours = ctx.findObject(cluster.path, id);
        if (ours) {
          problems.push({
            path: ours.owner,
            field: 'name',
            rule: `must be unique in its cluster: ${id} is also in the hand-written '${file}' (${o.apiVersion}); Flux fails with 'may not add resource with an already registered id': delete that file now that the code defines the object, or set 'name'`,
            value: meta.name,
          });
        }
      }
    }
  }
  return problems;
}


/**
 * No plain text of any secret, nor its base64, may appear in any file synth writes: neither in
 * the bytes written nor in any string they decode to (the YAML writer escapes, quotes and folds
 * strings, so a secret in a values string may not appear as it is in the text).
 */
function findPlaintext(ctx: SynthContext): Problem[] {
  // Every secret (and its base64) searched for in all the text at once, in one pass.
  // A value inside a sealed values document (secretValues) may be a setting that is no secret
  // (an image tag, a storage class): finding one elsewhere is a warning, not an error.
  const needles: { owner: string; text: string; leaf?: { source: string; path: string } }[] = [];
  for (const { owner, bytes } of ctx.plaintexts) {
    if (bytes.length < MIN_NEEDLE_LENGTH) continue;
    needles.push({ owner, text: bytes.toString('utf8') }, { owner, text: bytes.toString('base64') });
  }
  for (const { owner, source, path: at, text } of ctx.valueLeaves) {
    needles.push({ owner, text, leaf: { source, path: at } });
  }
  if (needles.length === 0) return [];
  // The haystack: per file its text, then every key and string it was written from.
  const files = [...ctx.files.values()];
  const parts: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (const f of files) {
    starts.push(offset);
    const strings = [f.content];
    if (f.value !== undefined) collectStrings(f.value, strings);
    for (const s of strings) {
      parts.push(s);
      offset += s.length + 1;
    }
  }
  const all = parts.join('\u0000');
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const leafHits = new Map<string, { owner: string; source: string; path: string; files: string[] }>();
  for (const hit of findAll(all, needles.map((n) => n.text))) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (starts[mid] <= hit.offset) lo = mid;
      else hi = mid - 1;
    }
    const file = files[lo];
    const { owner, leaf } = needles[hit.needle];
    const key = leaf ? `${owner}|${leaf.path}|${file.path}` : `${owner}|${file.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (leaf) {
      const k = `${owner}|${leaf.path}`;
      const known = leafHits.get(k) ?? { owner, ...leaf, files: [] };
      known.files.push(`'${file.path}'`);
      leafHits.set(k, known);
      continue;
    }
    problems.push({
      path: owner,
      field: 'data',
      rule: `must not appear in plain text: a secret value of this SealedSecret is written in plain text (or base64) in '${file.path}' (by ${file.owner}); move it out of values and into the SealedSecret`,
    });
  }
  for (const { owner, source, path: at, files: where } of leafHits.values()) {
    where.sort(compare);
    const shown = where.length > 3 ? `${where.slice(0, 3).join(', ')} and ${where.length - 3} more` : where.join(', ');
    ctx.warn(`${owner}: the value at '${at}' of its sealed values (${source}) is also written in plain text in ${shown}: if it is a secret, keep it only in the sealed values`);
  }
  return problems;
}

/**
 * Every key and string value of a value tree that the YAML writer may not write as it is: one with
 * a space (a long scalar is folded there), a quote or backslash (escaped or doubled), or anything
 * but printable ASCII (escaped, or a literal block's indentation after a line break). Every other
 * string is in the text as it is, where the search finds it anyway.
 */
function collectStrings(v: YamlValue, out: string[]): void {
  if (typeof v === 'string') {
    if (MAY_BE_REWRITTEN.test(v)) out.push(v);
  } else if (Array.isArray(v)) {
    for (const item of v) collectStrings(item, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, item] of Object.entries(v)) {
      if (MAY_BE_REWRITTEN.test(k)) out.push(k);
      collectStrings(item, out);
    }
  }
}

const MAY_BE_REWRITTEN = /[^\x21-\x7e]|['"\\]/;

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
