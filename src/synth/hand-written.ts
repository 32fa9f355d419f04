import * as path from 'path';
import { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { Problem } from '../checks/problems';
import { FluxCluster } from '../cluster';
import { SynthContext } from './context';
import { gitIgnoredPaths, matchesValuesRule } from './ignored';
import { RECORD_FILE } from '../output/writer';

/**
 * What synth knows of a folder Flux applies (a cluster path, or a Kustomization's folder) once its
 * kustomization files are planned.
 */
export interface LaidOutFolder {
  /** The cluster, or the Kustomization construct that owns the folder. */
  readonly owner: IConstruct;
  readonly cluster: FluxCluster;
  /** The folder, repo-relative. */
  readonly folder: string;
  /** Sub-folders (relative to `folder`) that Kustomizations of their own apply: checked there. */
  readonly excluded: readonly string[];
  /** The hand-written files the folder's kustomization.yaml lists one by one (repo-relative). */
  readonly listed: readonly string[];
  /** Whether the Flux Kustomization that applies the folder also applies the sealed-secrets CRD's release (or one that does). */
  readonly installsCrd: boolean;
  /** Whether `helm/secrets/` is applied by a Flux Kustomization of its own. */
  readonly secretsApart: boolean;
}

/** The kinds synth writes: only these can clash with a hand-written object. */
const OUR_KINDS = /^kind:[ \t]*["']?(HelmRepository|HelmRelease|OCIRepository|GitRepository|Kustomization|SealedSecret|Secret)["']?[ \t]*$/m;

/**
 * What synth checks of the files it did not write but puts in front of Flux:
 * - every file it writes, and every hand-written file its kustomization.yaml lists, must reach
 *   Git: none may be git-ignored (a name with `-values-` matches the tutorial's rule);
 * - a hand-written file it lists must be YAML of Kubernetes objects (Flux fails the whole cluster
 *   with 'missing Resource metadata' otherwise);
 * - no hand-written file of a cluster may hold a plain Secret (not SOPS-encrypted), an object synth
 *   writes too ('may not add resource with an already registered id'), or, in a cluster that
 *   installs the sealed-secrets CRD, a SealedSecret that the cluster's own Kustomization applies
 *   (its dry-run fails before the CRD exists, and the whole cluster with it).
 */
export function checkHandWritten(ctx: SynthContext, folders: readonly LaidOutFolder[]): Problem[] {
  const ignored = checkIgnored(ctx, folders);
  const problems: Problem[] = [...ignored];
  // one problem a file: an ignored one, or a secret's source (refused on its own), is not read
  const done = new Set([...ctx.secretSourceFiles, ...ignored.map((p) => p.value)]);
  for (const { owner, cluster, folder, excluded, listed, installsCrd, secretsApart } of folders) {
    const listedSet = new Set(listed);
    for (const rel of ctx.filesUnder(folder).filter((f) => /\.ya?ml$/.test(f))) {
      if (excluded.some((e) => rel.startsWith(`${e}/`))) continue;
      const file = `${folder}/${rel}`;
      if (ctx.isOwned(file) || ctx.files.has(file) || done.has(file)) continue;
      done.add(file);
      const isListed = listedSet.has(file);
      const text = ctx.readExisting(file);
      // Unlisted files are parsed only when they may hold a kind that matters here (this skips
      // gotk-components.yaml's CRDs unparsed).
      if (text === undefined || (!isListed && !OUR_KINDS.test(text))) continue;
      const docs = parseAllDocuments(text);
      const list = Array.isArray(docs) ? docs : [docs];
      const error = list.flatMap((d) => d.errors)[0];
      if (error) {
        if (isListed) {
          const at = error.linePos?.[0];
          problems.push({
            path: owner.node.path,
            field: 'path',
            rule: `must hold only YAML that parses: '${file}'${at ? ` line ${at.line}` : ''} does not (${error.code}), and synth lists it for Flux, which would fail the whole cluster; fix it or move it out of the cluster path`,
            value: file,
          });
        }
        continue;
      }
      for (const doc of list) {
        const o = doc.toJS({ maxAliasCount: 100 }) as any;
        if (o === null || o === undefined) continue; // an empty document
        const meta = o?.metadata;
        if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string' || typeof meta?.name !== 'string') {
          if (isListed) {
            problems.push({
              path: owner.node.path,
              field: 'path',
              rule: `must hold only Kubernetes objects: '${file}' has YAML that is none (no apiVersion, kind and metadata.name), and synth lists it for Flux, which fails the whole cluster with 'missing Resource metadata'; move it out of the cluster path (values files belong at the repo root)`,
              value: file,
            });
            break;
          }
          continue;
        }
        const problem = checkObject(ctx, owner, cluster, file, o, installsCrd && !(secretsApart && rel.startsWith('helm/secrets/')));
        if (problem) problems.push(problem);
      }
    }
  }
  return problems;
}

/** One hand-written object: a plain Secret, a SealedSecret before its CRD, or a clash with ours. */
function checkObject(ctx: SynthContext, owner: IConstruct, cluster: FluxCluster, file: string, o: any, beforeCrd: boolean): Problem | undefined {
  const meta = o.metadata;
  const shown = `${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${meta.name}`;
  if (o.apiVersion === 'v1' && o.kind === 'Secret' && o.sops === undefined) {
    return {
      path: owner.node.path,
      field: 'path',
      rule: `must not hold a plain Secret: '${file}' has Secret ${shown} in plain text, and Flux would apply it from Git as it is; define a SealedSecret in the code instead and delete the file (or encrypt it with SOPS)`,
      value: file,
    };
  }
  if (o.apiVersion === 'bitnami.com/v1alpha1' && o.kind === 'SealedSecret' && beforeCrd) {
    return {
      path: owner.node.path,
      field: 'path',
      rule: owner === cluster
        ? `must not hold a hand-written SealedSecret where the cluster's own Kustomization applies it: '${file}' has SealedSecret ${shown}, and this cluster installs the sealed-secrets CRD, so on a fresh cluster its dry-run fails ('no matches for kind "SealedSecret"') and the whole cluster with it; define it in the code (synth applies the SealedSecrets on their own), or move the file to '${cluster.path}/helm/secrets/'`
        : `must not hold a hand-written SealedSecret next to the release that installs the sealed-secrets CRD: '${file}' has SealedSecret ${shown}, and this Kustomization applies that release too, so on a fresh cluster its dry-run fails ('no matches for kind "SealedSecret"') and the whole Kustomization with it; move the file to a Kustomization that dependsOn this one`,
      value: file,
    };
  }
  if (typeof meta.namespace !== 'string') return undefined;
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const id = `${group}/${o.kind}/${meta.namespace}/${meta.name}`;
  const ours = ctx.findObject(cluster.path, id);
  if (!ours) return undefined;
  return {
    path: ours.owner,
    field: 'name',
    rule: `must be unique in its cluster: ${id} is also in the hand-written '${file}' (${o.apiVersion}); Flux fails with 'may not add resource with an already registered id': delete that file now that the code defines the object, or set 'name'`,
    value: meta.name,
  };
}

/**
 * Every file synth writes and every hand-written file it lists must reach Git. The rules GitOpsRepo
 * keeps are checked by name (the .gitignore may not hold them yet); the user's own through Git.
 */
function checkIgnored(ctx: SynthContext, folders: readonly LaidOutFolder[]): Problem[] {
  const planned = [...ctx.files.values()].filter((f) => f.path !== RECORD_FILE);
  const listed = folders.flatMap(({ owner, listed: files }) => files.map((f) => ({ file: f, owner })));
  const byGit = gitIgnoredPaths(ctx.outdir, [...planned.map((f) => f.path), ...listed.map((l) => l.file)]);
  const why = (file: string) => (matchesValuesRule(file) ? 'the .gitignore rule \'*-values-*.yaml\' for plain-text values files' : byGit.has(file) ? `'${byGit.get(file)}'` : undefined);
  const problems: Problem[] = [];
  for (const f of planned) {
    const rule = why(f.path);
    if (rule === undefined) continue;
    problems.push({
      path: f.owner,
      field: 'name',
      rule: `must give a file that reaches Git: '${f.path}' is git-ignored by ${rule}, so Flux would never see it (and a clone could not build the cluster); choose a name without '-values-' or change that rule`,
      value: path.posix.basename(f.path),
    });
  }
  for (const { file, owner } of listed) {
    if (ctx.secretSourceFiles.has(file)) continue;
    const rule = why(file);
    if (rule === undefined) continue;
    problems.push({
      path: owner.node.path,
      field: 'path',
      rule: `must not list a file that Git ignores: '${file}' is git-ignored by ${rule}, so it never reaches Git, and Flux would fail to find what the cluster's kustomization.yaml lists; rename it, or move it out of the cluster path (values files belong at the repo root)`,
      value: file,
    });
  }
  return problems;
}
