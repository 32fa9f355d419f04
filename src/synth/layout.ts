import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { SynthContext } from './context';
import { toYamlBody } from '../output/yaml';

/** The names kustomize (and kustomize-controller) take for a folder's kustomization file. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A kustomize `kustomization.yaml` listing these resources, as sigs.k8s.io/yaml writes it. */
export function kustomizationYaml(resources: string[]): string {
  return toYamlBody({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}

/**
 * What kustomize-controller's generator would list for a folder (`base`, relative to `root`):
 * sub-folders with a kustomization file as a whole, every other .yaml/.yml file on its own, from
 * the files on disk that synth does not own and the files it writes now. `exclude` takes paths
 * relative to `root` (folders applied by Kustomizations of their own).
 */
export function kustomizationEntries(ctx: SynthContext, root: string, base: string, exclude: (rel: string) => boolean): string[] {
  const prefix = base ? `${base}/` : '';
  // A kustomization file that synth owned and no longer writes is about to be removed: it does not count.
  // Asked once per folder: every file below the same folder asks the same question.
  const known = new Map<string, boolean>();
  const hasKustomization = (dir: string) => {
    let has = known.get(dir);
    if (has === undefined) {
      has = KUSTOMIZATION_FILES.some((k) => {
        const rel = `${root}/${dir}/${k}`;
        return ctx.files.has(rel) || (!ctx.isOwned(rel) && fs.existsSync(path.join(ctx.outdir, rel)));
      });
      known.set(dir, has);
    }
    return has;
  };
  const entries = new Set<string>();
  const add = (rel: string) => {
    if (!rel.startsWith(prefix) || exclude(rel)) return;
    const inner = rel.slice(prefix.length);
    if (KUSTOMIZATION_FILES.includes(inner)) return;
    const parts = inner.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (hasKustomization(prefix + dir)) {
        entries.add(dir);
        return;
      }
    }
    if (/\.ya?ml$/.test(inner)) entries.add(inner);
  };
  for (const rel of ctx.filesUnder(root)) {
    if (!ctx.isOwned(`${root}/${rel}`)) add(rel);
  }
  for (const file of ctx.files.keys()) {
    if (file.startsWith(root + '/')) add(file.slice(root.length + 1));
  }
  return [...entries].sort();
}

/** A test of paths (relative to a folder) that lie in one of the `excluded` sub-folders or are one. */
export function underAny(excluded: readonly string[]): (rel: string) => boolean {
  return (rel) => excluded.some((e) => rel === e || rel.startsWith(`${e}/`));
}

/**
 * Plans a folder's `kustomization.yaml` listing `entries`; returns the hand-written files it lists
 * one by one (repo-relative), for synth to check.
 */
export function writeFolderKustomization(ctx: SynthContext, folder: string, owner: string, entries: string[]): string[] {
  ctx.addFile({ path: `${folder}/kustomization.yaml`, content: kustomizationYaml(entries), owner });
  return entries.map((e) => `${folder}/${e}`).filter((f) => /\.ya?ml$/.test(f) && !ctx.files.has(f));
}

/** The hand-written kustomization files of a folder (not written by synth). */
export function handWrittenKustomizations(ctx: SynthContext, folder: string): string[] {
  return KUSTOMIZATION_FILES.filter((k) => !ctx.isOwned(`${folder}/${k}`) && ctx.readExisting(`${folder}/${k}`) !== undefined);
}

/** Warns about the files synth writes in a folder that its hand-written kustomization file does not list. */
export function warnUnlisted(ctx: SynthContext, folder: string, kustomizationFile: string, exclude: (rel: string) => boolean): void {
  let resources: string[] = [];
  try {
    const parsed = parseYaml(ctx.readExisting(`${folder}/${kustomizationFile}`) ?? '');
    resources = Array.isArray(parsed?.resources) ? parsed.resources.filter((r: unknown) => typeof r === 'string').map((r: string) => path.posix.normalize(r).replace(/\/$/, '')) : [];
  } catch {
    // an unreadable kustomization file is the repository check's to report
  }
  const unlisted = [...ctx.files.keys()]
    .filter((f) => f.startsWith(folder + '/') && /\.ya?ml$/.test(f))
    .map((f) => f.slice(folder.length + 1))
    .filter((rel) => !exclude(rel))
    .filter((rel) => !resources.some((r) => rel === r || rel.startsWith(r + '/')));
  if (unlisted.length > 0) {
    ctx.warn(`${folder}/${kustomizationFile}: is hand-written and does not list ${unlisted.map((u) => `'${u}'`).join(', ')}: Flux applies only what it lists; add them to its resources, or delete it and let synth write it`);
  }
}
