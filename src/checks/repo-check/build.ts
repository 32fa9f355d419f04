import * as path from 'path';
import { Document, Scalar, visit } from 'yaml';
import { applyPatches, parsePatchText, Patch, PatchIssue, patchFromDoc } from './patch';
import { substitute, substituteText, Substitution } from './substitute';
import { AppliedObject, GeneratedObject, isKustomizeConfig, isObject, join, RepoTree, Unit, UnitOwner, YamlDoc } from './tree';
import { RECORD_FILE } from '../../output/writer';

/** A problem found while building what a Kustomization applies. */
export interface BuildIssue {
  readonly file: string;
  readonly line?: number;
  readonly object?: string;
  readonly rule: string;
  readonly message: string;
  readonly fix?: string;
  /** A warning rather than an error. */
  readonly warning?: boolean;
  /** The objects of the unit whose build found it (which cluster it is in). */
  readonly unitObjects?: readonly AppliedObject[];
}

/**
 * What a Flux source holds, seen from a Kustomization's `spec.path`: the repo itself for the
 * repo's own GitRepository, or the files an ArtifactGenerator copies into an ExternalArtifact.
 * Paths are relative to the source's root; `real()` turns them into repo paths.
 */
export interface SourceView {
  /** A key that tells sources apart. */
  readonly key: string;
  /** `the repo`, or which artifact. */
  readonly describe: string;
  /** The repo path a source path comes from, if it comes from one. */
  real(p: string): string | undefined;
  isDir(p: string): boolean;
  isFile(p: string): boolean;
  list(p: string): { name: string; dir: boolean }[];
}

/** The repo's own GitRepository: source paths are repo paths. */
function repoView(tree: RepoTree, root: string = ''): SourceView {
  const inside = (p: string) => (p === '..' || p.startsWith('../') ? undefined : join(root, p));
  return {
    key: root ? `repo:${root}` : 'repo',
    describe: root ? `the repo folder ${root} (the source's root)` : 'the repo',
    real: inside,
    isDir: (p) => {
      const r = inside(p);
      return r !== undefined && (r === '' || tree.isDir(r));
    },
    isFile: (p) => {
      const r = inside(p);
      return r !== undefined && r !== '' && tree.exists(r) && !tree.isDir(r);
    },
    list: (p) => {
      const r = inside(p);
      return r === undefined ? [] : tree.list(r);
    },
  };
}

/**
 * The folder of this repo that a source named flux-system holds when it is not a GitRepository
 * (the Flux Operator syncs an OCI artifact pushed from a folder of the repo): the root, or the one
 * folder (two levels down at most) that has `wanted`.
 */
function syncRoot(tree: RepoTree, wanted: string): string | undefined {
  if (wanted === '') return undefined;
  if (tree.isDir(wanted)) return '';
  const hits: string[] = [];
  for (const a of tree.list('')) {
    if (!a.dir || tree.isIgnored(a.name)) continue;
    if (tree.isDir(join(a.name, wanted))) hits.push(a.name);
    for (const b of tree.list(a.name)) {
      if (b.dir && tree.isDir(join(join(a.name, b.name), wanted))) hits.push(join(a.name, b.name));
    }
  }
  return hits.length === 1 ? hits[0] : undefined;
}

interface CopyOp {
  /** The repo folder a `dir/**` copy reads from, or the file a plain copy reads. */
  readonly from: string;
  /** The artifact folder (or file) it writes to. */
  readonly to: string;
  readonly file: boolean;
}

/**
 * An ExternalArtifact an ArtifactGenerator makes from the repo (source-watcher): `from:
 * "@alias/apps/base/**"` with `to: "@artifact/base/"` puts repo folder apps/base at base/.
 */
function artifactView(tree: RepoTree, key: string, describe: string, ops: CopyOp[]): SourceView {
  const under = (p: string, dir: string) => dir === '' || p === dir || p.startsWith(`${dir}/`);
  const real = (p: string): string | undefined => {
    let fallback: string | undefined;
    // Later copies overwrite earlier ones.
    for (const op of [...ops].reverse()) {
      if (op.file) {
        if (p === op.to) return op.from;
        continue;
      }
      if (!under(p, op.to)) continue;
      const r = join(op.from, p.slice(op.to.length).replace(/^\//, ''));
      if (r === '..' || r.startsWith('../')) continue;
      if (tree.exists(r) || r === '') return r;
      fallback = fallback ?? r;
    }
    return fallback;
  };
  /** Folders that exist only because a copy writes below them. */
  const virtualChildren = (p: string) => {
    const names = new Map<string, boolean>();
    for (const op of ops) {
      if (op.to === p || !under(op.to, p)) continue;
      const rest = p === '' ? op.to : op.to.slice(p.length + 1);
      const [first, ...more] = rest.split('/');
      names.set(first, more.length > 0 || !op.file || names.get(first) === true);
    }
    return names;
  };
  return {
    key,
    describe,
    real,
    isDir: (p) => {
      const r = real(p);
      return (r !== undefined && (r === '' || tree.isDir(r))) || virtualChildren(p).size > 0;
    },
    isFile: (p) => {
      const r = real(p);
      return r !== undefined && r !== '' && tree.exists(r) && !tree.isDir(r);
    },
    list: (p) => {
      const entries = new Map<string, boolean>();
      const r = real(p);
      if (r !== undefined && (r === '' || tree.isDir(r))) for (const e of tree.list(r)) entries.set(e.name, e.dir);
      for (const [name, dir] of virtualChildren(p)) if (!entries.has(name)) entries.set(name, dir);
      return [...entries.entries()].map(([name, dir]) => ({ name, dir })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
  };
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A remote resource or file: a URL (https://, git::, ssh://), or a git host path kustomize clones. */
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git::|^git@|^(github\.com|gitlab\.com|bitbucket\.org)\//i;

/** What a kustomize build level has put together. */
interface Built {
  readonly objects: AppliedObject[];
  /** The objects by kustomize id, at this level. */
  readonly ids: Map<string, AppliedObject>;
  /** ConfigMaps and Secrets its configMapGenerator/secretGenerator make; `hash` says which generator gives the name a hash suffix. */
  readonly generated: (GeneratedObject & { hash?: { field: string; file: string } })[];
  /** The nameReference entries of the `configurations:` files of this level and the ones below it (kustomize merges them upward). */
  readonly nameRefs: NameReference[];
}

/** A kustomize transformer configuration's nameReference entry: where the name of a `kind` is referred to. */
interface NameReference {
  readonly kind: string;
  readonly group?: string;
  readonly version?: string;
  readonly fieldSpecs: { path: string; kind?: string; group?: string; version?: string }[];
}

/**
 * What a Flux Kustomization adds to the kustomization at its path (fluxcd/pkg kustomize
 * generator): targetNamespace, namePrefix and nameSuffix replace the kustomization's own
 * namespace, namePrefix and nameSuffix; spec.patches and spec.components are appended to its own.
 */
export interface FluxBuild {
  readonly targetNamespace?: string;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly patches?: unknown[];
  readonly components?: unknown[];
  readonly ignoreMissingComponents?: boolean;
}

const emptyBuilt = (): Built => ({ objects: [], ids: new Map(), generated: [], nameRefs: [] });

/** A build level after a transformer: the same level, its ids made again from the objects. */
function withObjects(built: Built, objects: AppliedObject[], generated = built.generated): Built {
  return { ...built, objects, ids: new Map(objects.map((o) => [idOf(o), o])), generated };
}

/**
 * Works out what a Flux Kustomization applies from a path, as kustomize-controller does: a folder
 * with a kustomization.yaml is built from its `resources`, generators and `components`, then its
 * patches, `namespace`, `namePrefix` and `nameSuffix`; a folder without one is walked, each
 * sub-folder with a kustomization.yaml becoming a resource of its own and every other .yaml/.yml
 * file being decoded as Kubernetes objects. Like kustomize, each kustomization refuses an object
 * id it already has; at the top, generated names get their hash suffix and the references that
 * `configurations:` declare follow the new names.
 */
export function buildUnit(
  tree: RepoTree, view: SourceView, unitPath: string, flux: FluxBuild | undefined, owner: (UnitOwner & { doc?: YamlDoc }) | undefined,
  subst: Substitution | undefined, issues: BuildIssue[],
): Unit {
  const seenDirs = new Set<string>();
  const kustomizationFile = (dir: string) => KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => view.isFile(f));

  /** Adds objects to a build level, as kustomize's ResMap.Append: an id it already has fails the build. */
  const accumulate = (into: Built, objects: AppliedObject[], level: string) => {
    for (const o of objects) {
      const id = idOf(o);
      const other = into.ids.get(id);
      if (other) {
        issues.push({
          file: o.doc.file,
          line: o.doc.line,
          object: describeObject(o),
          rule: 'duplicate-object',
          message: `${describeObject(o)} is also defined in ${other.doc.file}:${other.doc.line}; the kustomize build of '${level || '.'}' fails with 'may not add resource with an already registered id'`,
          fix: 'keep one of them (or give them different names)',
        });
        continue;
      }
      into.ids.set(id, o);
      into.objects.push(o);
    }
  };

  const fileObjects = (src: string, walked: boolean): AppliedObject[] => {
    const rel = view.real(src);
    if (rel === undefined) return [];
    const out: AppliedObject[] = [];
    for (const doc of tree.read(rel).docs) {
      if (walked && isKustomizeConfig(doc.value)) continue;
      if (isList(doc.value)) {
        // kind: List (or any ...List): kustomize applies its items.
        for (const item of doc.value.items) if (isObject(item)) out.push(applied({ ...doc, value: item }));
        continue;
      }
      if (!isObject(doc.value)) {
        issues.push({
          file: rel,
          line: doc.line,
          rule: 'not-kubernetes',
          message: `document ${doc.index + 1} is not a Kubernetes object (${missingParts(doc.value)}); Flux fails the whole Kustomization with 'failed to decode Kubernetes YAML from ${rel}: missing Resource metadata'`,
          fix: 'move plain YAML (Helm values, configs) out of every path a Flux Kustomization applies, or list the folder\'s manifests in a kustomization.yaml',
        });
        continue;
      }
      out.push(applied(doc));
    }
    return out;
  };

  /** A list field of a kustomization (resources, components, …): kustomize refuses anything but a list of strings. */
  const listField = (krel: string, kdoc: YamlDoc | undefined, k: any, field: string): unknown[] => {
    const v = k[field];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    const type = typeof v === 'object' ? 'mapping' : typeof v;
    issues.push({
      file: krel,
      line: lineAt(kdoc, [field]),
      rule: 'kustomization-invalid',
      message: `${field} is a ${type}, not a list: kustomize fails with 'invalid Kustomization: json: cannot unmarshal ${type === 'mapping' ? 'object' : type} into Go struct field Kustomization.${field} of type []${field === 'patches' ? 'types.Patch' : 'string'}'`,
      fix: `make it a list: ${field}: [${typeof v === 'string' ? v : '…'}]`,
    });
    return [];
  };

  const buildDir = (dir: string, stack: string[], fluxRoot?: FluxBuild): Built => {
    const built = emptyBuilt();
    if (stack.includes(dir)) {
      issues.push({ file: view.real(dir) ?? dir, rule: 'kustomization-cycle', message: `kustomization resources form a cycle: ${[...stack, dir].join(' -> ')}` });
      return built;
    }
    const kfile = kustomizationFile(dir);
    if (!kfile) {
      // Flux generates a kustomization.yaml for the path: every file and sub-kustomization at one level.
      if (seenDirs.has(dir)) return built;
      seenDirs.add(dir);
      walk(dir, stack, built, dir);
      return fluxRoot ? transform(dir, undefined, undefined, {}, built, stack, fluxRoot) : built;
    }
    const krel = view.real(kfile)!;
    const parsed = tree.read(krel);
    const kdoc = parsed.docs[0];
    const k = kdoc?.value !== null && typeof kdoc?.value === 'object' ? kdoc.value : {};
    return level(dir, krel, kdoc, k, built, stack, fluxRoot);
  };

  /**
   * One kustomization (or Component) as kustomize's accumulateTarget runs it, into `into`: its
   * resources, configurations and generators, then its components, then its transformers. A
   * Component runs into the kustomization that lists it, so its patches and namespace apply to all
   * that kustomization has put together so far.
   */
  const level = (dir: string, krel: string, kdoc: YamlDoc | undefined, k: any, into: Built, stack: string[], fluxRoot?: FluxBuild): Built => {
    const here = view.real(dir) ?? dir;
    const built = into;
    for (const r of [...listField(krel, kdoc, k, 'resources'), ...listField(krel, kdoc, k, 'bases')]) {
      if (typeof r !== 'string' || REMOTE.test(r)) continue;
      const p = join(dir, r);
      if (p === '..' || p.startsWith('../') || r.startsWith('/')) {
        issues.push({
          file: krel,
          line: lineOf(kdoc, r),
          rule: 'missing-resource',
          message: `lists the resource '${r}', which is outside ${view.key === 'repo' ? 'the repo' : view.describe}: Flux builds from the source's artifact, where nothing above its root exists (kustomize: 'security; file … is not in or below …')`,
          fix: 'move what it points to into the repo (or the source), or remove it from resources',
        });
        continue;
      }
      if (view.isDir(p)) {
        const sk = kustomizationFile(p);
        if (!sk) {
          issues.push({
            file: krel,
            line: lineOf(kdoc, r),
            rule: 'missing-resource',
            message: `lists the folder '${r}', which has no kustomization.yaml: kustomize fails with 'unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory'`,
            fix: `add a kustomization.yaml to ${view.real(p) ?? p} listing its manifests, or list the files themselves`,
          });
        } else if (tree.read(view.real(sk)!).docs[0]?.value?.kind === 'Component') {
          issues.push({
            file: krel,
            line: lineOf(kdoc, r),
            rule: 'kustomization-invalid',
            message: `lists the Component '${r}' under resources: kustomize fails with 'expected kind != 'Component' for path …/${view.real(p) ?? p}'`,
            fix: 'list it under components:',
          });
          continue;
        }
        const sub = buildDir(p, [...stack, dir]);
        accumulate(built, sub.objects, here);
        built.generated.push(...sub.generated);
        built.nameRefs.push(...sub.nameRefs);
      } else if (view.isFile(p)) {
        accumulate(built, fileObjects(p, false), here);
      } else if (r === 'gotk-components.yaml') {
        issues.push({ file: krel, line: lineOf(kdoc, r), rule: 'missing-resource', message: 'lists gotk-components.yaml, which is not there yet', fix: `run 'flux bootstrap' (or 'flux install --export > ${view.real(p) ?? p}')`, warning: true });
      } else {
        issues.push({ file: krel, line: lineOf(kdoc, r), rule: 'missing-resource', message: `lists the resource '${r}', which does not exist`, fix: `create ${view.real(p) ?? p} or remove it from resources` });
      }
    }
    for (const c of listField(krel, kdoc, k, 'configurations')) {
      if (typeof c !== 'string') continue;
      const p = join(dir, c);
      const rel = view.real(p);
      if (rel === undefined || !view.isFile(p)) {
        issues.push({ file: krel, line: lineOf(kdoc, c), rule: 'missing-resource', message: `lists the configuration '${c}', which does not exist`, fix: `create ${rel ?? p} or remove it from configurations` });
        continue;
      }
      for (const d of tree.read(rel).docs) built.nameRefs.push(...nameReferences(d.value));
    }
    const hashOff = k.generatorOptions?.disableNameSuffixHash === true;
    for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      listField(krel, kdoc, k, field).forEach((g: any, i: number) => {
        if (typeof g?.name !== 'string') return;
        const namespace = typeof g.namespace === 'string' ? g.namespace : undefined;
        // behavior: merge or replace changes a generator of a base: no new object.
        if (g.behavior !== 'merge' && g.behavior !== 'replace') {
          const hashed = !hashOff && g.options?.disableNameSuffixHash !== true;
          built.generated.push({ kind, name: g.name, namespace, hash: hashed ? { field, file: krel } : undefined });
        }
        generatorFiles(dir, krel, kdoc, field, i, g, kind, typeof k.namespace === 'string' && k.namespace !== '' ? k.namespace : namespace);
      });
    }
    return transform(dir, krel, kdoc, k, built, stack, fluxRoot);
  };

  /** A level's components, then its transformers: patches, namespace, namePrefix and nameSuffix. */
  const transform = (
    dir: string, krel: string | undefined, kdoc: YamlDoc | undefined, k: any, into: Built, stack: string[], fluxRoot?: FluxBuild,
  ): Built => {
    let built = into;
    const components: { entry: unknown; fromFlux: boolean }[] = [
      ...(krel ? listField(krel, kdoc, k, 'components') : []).map((entry) => ({ entry, fromFlux: false })),
      ...(fluxRoot?.components ?? []).map((entry) => ({ entry, fromFlux: true })),
    ];
    for (const { entry, fromFlux } of components) {
      if (typeof entry !== 'string') continue;
      const p = join(dir, entry);
      const at = fromFlux || !krel
        ? {
          file: owner?.file ?? (view.real(dir) ?? dir),
          line: fromFlux && owner?.doc ? lineOf(owner.doc, entry) : owner?.line,
          object: owner?.object,
        }
        : { file: krel, line: lineOf(kdoc, entry) };
      const field = fromFlux ? 'spec.components' : 'components';
      const ck = p === '..' || p.startsWith('../') ? undefined : kustomizationFile(p);
      if (!ck) {
        if (fromFlux && fluxRoot?.ignoreMissingComponents && !view.isDir(p)) continue;
        const missing = !view.isDir(p);
        issues.push({
          ...at,
          rule: 'missing-resource',
          message: missing
            ? `${field} lists '${entry}', which does not exist: kustomize fails with 'accumulating components: loader.New "must build at directory: not a valid directory'`
            : `${field} lists '${entry}', which has no kustomization.yaml: kustomize fails with 'unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory'`,
          fix: missing
            ? `fix the path (${fromFlux ? 'it is relative to spec.path' : 'it is relative to the kustomization'}: ${view.real(p) ?? p})${fromFlux ? ', or set spec.ignoreMissingComponents: true' : ''}`
            : `add a kustomization.yaml (kind: Component) to ${view.real(p) ?? p}`,
        });
        continue;
      }
      const crel = view.real(ck)!;
      const cdoc = tree.read(crel).docs[0];
      const ckv = cdoc?.value !== null && typeof cdoc?.value === 'object' ? cdoc.value : {};
      if (ckv.kind !== 'Component') {
        issues.push({
          ...at,
          rule: 'kustomization-invalid',
          message: `${field} lists '${entry}', whose ${path.posix.basename(crel)} is a ${typeof ckv.kind === 'string' ? ckv.kind : 'Kustomization'}, not a Component: kustomize fails with 'accumulating components: accumulateDirectory: "expected kind 'Component' for path …/${view.real(p) ?? p}'`,
          fix: `set kind: Component (apiVersion: kustomize.config.k8s.io/v1alpha1) in ${crel}, or list the folder under resources`,
        });
        continue;
      }
      if (stack.includes(p) || p === dir) {
        issues.push({ file: crel, rule: 'kustomization-cycle', message: `kustomization components form a cycle: ${[...stack, dir, p].join(' -> ')}` });
        continue;
      }
      built = level(p, crel, cdoc, ckv, built, [...stack, dir]);
    }
    const own = krel ? kustomizePatches(dir, krel, kdoc, k) : [];
    built = patch(built, [...own, ...fluxPatches(fluxRoot)]);
    const namespace = fluxRoot?.targetNamespace !== undefined ? fluxRoot.targetNamespace : k.namespace;
    if (typeof namespace === 'string' && namespace !== '') built = setNamespace(built, namespace);
    const by = (field: string, value: string) => (fluxRoot?.[field as 'namePrefix'] !== undefined && owner
      ? `spec.${field} '${value}' of ${owner.object} (${owner.file}:${owner.line})`
      : `${field} '${value}' in ${krel}`);
    const prefix = fluxRoot?.namePrefix !== undefined ? fluxRoot.namePrefix : k.namePrefix;
    const suffix = fluxRoot?.nameSuffix !== undefined ? fluxRoot.nameSuffix : k.nameSuffix;
    const p = typeof prefix === 'string' ? prefix : '';
    const s = typeof suffix === 'string' ? suffix : '';
    if (p !== '' || s !== '') built = rename(built, (n) => `${p}${n}${s}`, [p ? by('namePrefix', p) : '', s ? by('nameSuffix', s) : ''].filter(Boolean).join(' and '));
    // replacements come last among kustomize's transformers.
    if (krel) {
      const reps = replacementsOf(dir, krel, kdoc, k);
      if (reps.length > 0) built = withObjects(built, applyReplacements(built.objects, reps, krel, kdoc, issues));
    }
    return built;
  };

  /** A kustomization's `replacements`: inline, or `path:` files of one replacement or a list of them. */
  const replacementsOf = (dir: string, krel: string, kdoc: YamlDoc | undefined, k: any): any[] => {
    const out: any[] = [];
    for (const e of listField(krel, kdoc, k, 'replacements')) {
      if (!e || typeof e !== 'object') continue;
      const entry = e as any;
      if (typeof entry.path === 'string') {
        const p = join(dir, entry.path);
        const rel = view.real(p);
        if (rel === undefined || !view.isFile(p)) {
          issues.push({ file: krel, line: lineOf(kdoc, entry.path), rule: 'missing-resource', message: `lists the replacement file '${entry.path}', which does not exist`, fix: `create ${rel ?? p} or remove it from replacements` });
          continue;
        }
        for (const d of tree.read(rel).docs) out.push(...(Array.isArray(d.value) ? d.value : [d.value]));
      } else {
        out.push(entry);
      }
    }
    return out.filter((r) => r && typeof r === 'object');
  };

  /** The Flux Kustomization's spec.patches, at the root. */
  const fluxPatches = (fluxRoot: FluxBuild | undefined): Patch[] => {
    if (!fluxRoot?.patches || !owner?.doc) return [];
    const ps: Patch[] = [];
    for (const raw of fluxRoot.patches) {
      const e = raw as any;
      if (e && typeof e === 'object' && typeof e.patch === 'string') {
        ps.push(...parsePatchText(e.patch, owner.file, inlineLine(owner.doc, e.patch), e.target && typeof e.target === 'object' ? e.target : undefined, 'the patch in spec.patches'));
      }
    }
    return ps;
  };

  /**
   * The files a generator reads: a missing one fails the build; YAML ones (Helm values) are read
   * and checked like every other file; a secretGenerator's values sit in Git in plain text unless
   * the files are SOPS-encrypted (kustomize-controller decrypts those).
   */
  const generatorFiles = (
    dir: string, krel: string, kdoc: YamlDoc | undefined, field: string, i: number, g: any, kind: string, namespace: string | undefined,
  ) => {
    const line = (...at: (string | number)[]) => lineAt(kdoc, [field, i, ...at]);
    const plain: string[] = [];
    if (Array.isArray(g.literals) && g.literals.length > 0) {
      const keys = g.literals.map((l: unknown) => String(typeof l === 'string' ? l : Object.keys(l ?? {})[0] ?? '').split('=')[0]).filter(Boolean);
      plain.push(keys.length > 0 ? `literals (${keys.join(', ')})` : 'literals');
    }
    for (const list of ['files', 'envs'] as const) {
      const entries: unknown[] = Array.isArray(g[list]) ? g[list] : typeof g.env === 'string' && list === 'envs' ? [g.env] : [];
      entries.forEach((entry, j) => {
        if (typeof entry !== 'string') return;
        const eq = list === 'files' ? entry.indexOf('=') : -1;
        const key = eq < 0 ? path.posix.basename(entry) : entry.slice(0, eq);
        const file = eq < 0 ? entry : entry.slice(eq + 1);
        // A URL: kustomize fetches it at build time; it is not in the repo (and not plain text in Git).
        if (REMOTE.test(file)) return;
        const p = join(dir, file);
        const rel = view.real(p);
        if (rel === undefined || !view.isFile(p)) {
          issues.push({
            file: krel,
            line: line(list, j),
            rule: 'missing-resource',
            message: `${field} '${g.name}' reads the file '${file}', which does not exist: kustomize fails with 'evalsymlink failure on '${file}''`,
            fix: `create ${rel ?? p} or fix the path`,
          });
          return;
        }
        const text = tree.text(rel);
        const encrypted = /^sops:\s*$|"sops"\s*:|^sops_mac=|ENC\[AES256_GCM,/m.test(text);
        if (!encrypted) plain.push(`${list === 'files' ? 'the file' : 'the env file'} ${rel}`);
        if (list === 'files' && !encrypted && (/\.ya?ml$/.test(file) || /\.ya?ml$/.test(key))) {
          tree.read(rel);
          tree.readers.set(rel, `the key '${key}' of the ${kind} '${g.name}' that ${field} in ${krel} makes`);
        }
      });
    }
    if (kind === 'Secret' && plain.length > 0) {
      issues.push({
        file: krel,
        line: line('name'),
        object: `Secret/${namespace ? `${namespace}/` : ''}${g.name}`,
        rule: 'plain-secret',
        message: `secretGenerator '${g.name}' makes a plain v1 Secret from ${plain.join(' and ')}: its values are in Git in plain text`,
        fix: 'seal them into a SealedSecret (kubectl create secret … --dry-run=client -o yaml | kubeseal -o yaml) or encrypt the files with SOPS, and remove the generator',
      });
    }
  };

  const patch = (built: Built, patches: Patch[]): Built => {
    if (patches.length === 0) return built;
    const problems: PatchIssue[] = [];
    const objects = applyPatches(built.objects, patches, problems);
    for (const p of problems) issues.push({ file: p.file, line: p.line, object: p.object, rule: p.rule ?? 'patch-target', message: p.message, fix: p.fix });
    return withObjects(built, objects);
  };

  /** The patches of a kustomization.yaml: patches, patchesStrategicMerge, patchesJson6902. */
  const kustomizePatches = (dir: string, krel: string, kdoc: YamlDoc | undefined, k: any): Patch[] => {
    const out: Patch[] = [];
    const fromFile = (file: string, target: any, label: string) => {
      const p = join(dir, file);
      const rel = view.real(p);
      if (rel === undefined || !view.isFile(p)) {
        issues.push({ file: krel, line: lineOf(kdoc, file), rule: 'missing-resource', message: `lists the patch '${file}', which does not exist`, fix: `create ${rel ?? p} or remove the patch` });
        return;
      }
      for (const d of tree.read(rel).docs) out.push(patchFromDoc(d, target, label));
    };
    const inline = (text: string, target: any) => {
      out.push(...parsePatchText(text, krel, inlineLine(kdoc, text), target, 'the inline patch'));
    };
    for (const e of Array.isArray(k.patches) ? k.patches : []) {
      if (!e || typeof e !== 'object') continue;
      const target = e.target && typeof e.target === 'object' ? e.target : undefined;
      if (typeof e.path === 'string') fromFile(e.path, target, `the patch '${e.path}'`);
      else if (typeof e.patch === 'string') inline(e.patch, target);
    }
    for (const e of Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []) {
      if (typeof e !== 'string') continue;
      if (/\n/.test(e) || /^\s*(apiVersion|kind)\s*:/m.test(e)) inline(e, undefined);
      else fromFile(e, undefined, `the patch '${e}'`);
    }
    for (const e of Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []) {
      if (!e || typeof e !== 'object') continue;
      const target = e.target && typeof e.target === 'object' ? e.target : undefined;
      if (typeof e.path === 'string') fromFile(e.path, target, `the patch '${e.path}'`);
      else if (typeof e.patch === 'string') inline(e.patch, target);
    }
    return out;
  };

  const walk = (dir: string, stack: string[], into: Built, top: string) => {
    for (const e of view.list(dir)) {
      const p = join(dir, e.name);
      const rel = view.real(p);
      if (rel !== undefined && tree.isIgnored(rel)) continue;
      if (e.dir) {
        if (kustomizationFile(p)) {
          const sub = buildDir(p, [...stack, dir]);
          accumulate(into, sub.objects, view.real(top) ?? top);
          into.generated.push(...sub.generated);
          into.nameRefs.push(...sub.nameRefs);
        } else {
          walk(p, stack, into, top);
        }
      } else if (/\.ya?ml$/.test(e.name)) {
        accumulate(into, fileObjects(p, true), view.real(top) ?? top);
      }
    }
  };

  let built = emptyBuilt();
  if (view.isDir(unitPath)) {
    built = buildDir(unitPath, [], flux ?? {});
  } else if (owner) {
    issues.push({
      file: owner.file,
      // At spec.path, when the document is the Kustomization itself (not a List of it).
      line: (owner.doc?.doc.get('kind') === 'Kustomization' ? lineAt(owner.doc, ['spec', 'path']) : undefined) ?? owner.line,
      object: owner.object,
      rule: 'missing-path',
      message: `spec.path './${unitPath}' does not exist in ${view.describe}: Flux fails with 'kustomization path not found'`,
      fix: 'fix spec.path (it is relative to the root of the source) or add the folder',
    });
  }
  // kustomize's last steps, at the top of the build: generated names get their hash suffix, then
  // references follow renamed objects where configurations declare them (FixBackReferences).
  let generated: GeneratedObject[] = built.generated.map(({ hash, ...g }) => (hash
    ? { ...g, name: `${g.name}-<hash>`, prevNames: [...(g.prevNames ?? []), g.name], renamedBy: `the ${hash.field} in ${hash.file}`, hashedBy: hash.file }
    : g));
  // Objects marked config.kubernetes.io/local-config (the source of replacements, often) are not output.
  const output = built.objects.filter((o) => String(o.value.metadata?.annotations?.['config.kubernetes.io/local-config']) !== 'true');
  let objects = fixBackReferences(output, generated, built.nameRefs);
  // Then postBuild substitution, on what kustomize built (generated names too).
  if (subst) {
    objects = objects.map((o) => substituted(o, subst));
    generated = generated.map((g) => ({
      ...g, name: substituteText(g.name, subst), namespace: g.namespace === undefined ? undefined : substituteText(g.namespace, subst),
    }));
  }
  return { path: view.real(unitPath) ?? unitPath, owner, objects, generated };
}

/** One step of a kustomize field path: a key, a list index, or a list item by a field (`[name=app]`). */
type FieldStep = { key: string } | { index: number } | { match: [string, string] };

/** A kustomize field path (`spec.template.spec.containers.[name=app].image`) as steps. */
function fieldSteps(fieldPath: string): FieldStep[] {
  const parts = fieldPath.match(/\[[^\]]*\]|[^.]+/g) ?? [];
  return parts.map((p) => {
    const m = /^\[([^=\]]+)=([^\]]*)\]$/.exec(p);
    if (m) return { match: [m[1], m[2]] as [string, string] };
    return /^[0-9]+$/.test(p) ? { index: Number(p) } : { key: p };
  });
}

function getField(value: any, steps: FieldStep[]): unknown {
  let cur = value;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if ('key' in s) cur = Array.isArray(cur) ? undefined : cur[s.key];
    else if ('index' in s) cur = Array.isArray(cur) ? cur[s.index] : undefined;
    else cur = Array.isArray(cur) ? cur.find((x) => x && typeof x === 'object' && String(x[s.match[0]]) === s.match[1]) : undefined;
  }
  return cur;
}

/** Sets a field (in place) as a replacement does: only where its parent exists, unless `create`. */
function setField(value: any, steps: FieldStep[], to: unknown, create: boolean): boolean {
  let cur = value;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const last = i === steps.length - 1;
    if (cur === null || typeof cur !== 'object') return false;
    if ('key' in s && !Array.isArray(cur)) {
      if (last) {
        if (!(s.key in cur) && !create) return false;
        cur[s.key] = to;
        return true;
      }
      if (cur[s.key] === undefined || cur[s.key] === null) {
        if (!create) return false;
        cur[s.key] = {};
      }
      cur = cur[s.key];
    } else if ('index' in s && Array.isArray(cur)) {
      if (last) {
        if (s.index >= cur.length) return false;
        cur[s.index] = to;
        return true;
      }
      cur = cur[s.index];
    } else if ('match' in s && Array.isArray(cur)) {
      const item = cur.find((x) => x && typeof x === 'object' && String(x[s.match[0]]) === s.match[1]);
      if (item === undefined || last) return false;
      cur = item;
    } else {
      return false;
    }
  }
  return false;
}

/** Whether an object matches a replacement's select (or reject) entry: kind, name and namespace (regular expressions, as kustomize reads them), group, version, labels, annotations. */
function selects(o: AppliedObject, sel: any): boolean {
  if (!sel || typeof sel !== 'object') return false;
  const re = (pattern: unknown, value: string | undefined) => typeof pattern !== 'string' || pattern === '' || new RegExp(`^(?:${pattern})$`).test(value ?? '');
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  const version = o.apiVersion.slice(slash + 1);
  const pairs = (text: unknown, of: any) => typeof text !== 'string' || text.split(',').map((x) => x.trim()).filter(Boolean)
    .every((x) => {
      const [key, val] = x.split(/==?/);
      return val === undefined ? of?.[key] !== undefined : String(of?.[key]) === val;
    });
  try {
    return re(sel.kind, o.kind) && re(sel.name, o.name) && re(sel.namespace, o.namespace) && re(sel.group, group) && re(sel.version, version)
      && pairs(sel.labelSelector, o.value.metadata?.labels) && pairs(sel.annotationSelector, o.value.metadata?.annotations);
  } catch {
    return false;
  }
}

/**
 * kustomize's ReplacementTransformer: a source field's value (by default the source's name) is
 * copied into the fields of the targets, whole or one delimited part of it; a replacement into
 * metadata.namespace or metadata.name moves or renames the object.
 */
function applyReplacements(objects: AppliedObject[], reps: any[], krel: string, kdoc: YamlDoc | undefined, issues: BuildIssue[]): AppliedObject[] {
  let out = objects;
  for (const r of reps) {
    const src = r.source;
    if (!src || typeof src !== 'object') continue;
    const candidates = out.filter((o) => (typeof src.kind !== 'string' || o.kind === src.kind)
      && (typeof src.name !== 'string' || o.name === src.name || (o.prevNames ?? []).includes(src.name))
      && (typeof src.namespace !== 'string' || o.namespace === src.namespace)
      && (typeof src.group !== 'string' || o.apiVersion.startsWith(`${src.group}/`))
      && (typeof src.version !== 'string' || o.apiVersion.endsWith(`/${src.version}`) || o.apiVersion === src.version));
    if (candidates.length !== 1) {
      issues.push({
        file: krel,
        line: lineOf(kdoc, typeof src.name === 'string' ? src.name : String(src.kind ?? '')),
        rule: 'kustomization-invalid',
        message: `a replacement's source (${src.kind ?? '*'} '${src.name ?? '*'}') matches ${candidates.length === 0 ? 'no object' : `${candidates.length} objects`}: kustomize fails with '${candidates.length === 0 ? 'nothing selected by' : 'more than one match for'} ${src.kind ?? ''}.[noVer].[noGrp]/${src.name ?? ''}'`,
        fix: 'fix the source\'s kind, name and namespace',
      });
      continue;
    }
    const source = candidates[0];
    let value = getField(current(source), fieldSteps(typeof src.fieldPath === 'string' ? src.fieldPath : 'metadata.name'));
    if (value === undefined) continue;
    const so = src.options ?? {};
    if (typeof so.delimiter === 'string' && so.delimiter !== '' && typeof value === 'string') value = value.split(so.delimiter)[Number(so.index ?? 0)];
    if (value === undefined) continue;
    for (const t of Array.isArray(r.targets) ? r.targets : []) {
      if (!t || typeof t !== 'object') continue;
      const rejects: any[] = Array.isArray(t.reject) ? t.reject : [];
      const paths: string[] = (Array.isArray(t.fieldPaths) ? t.fieldPaths : []).filter((p: unknown) => typeof p === 'string');
      const opts = t.options ?? {};
      out = out.map((o) => {
        if (!selects(o, t.select) || rejects.some((x) => selects(o, x))) return o;
        const v = structuredClone(current(o));
        let changed = false;
        for (const fp of paths) {
          const steps = fieldSteps(fp);
          let to: unknown = value;
          if (typeof opts.delimiter === 'string' && opts.delimiter !== '') {
            const parts = String(getField(v, steps) ?? '').split(opts.delimiter);
            const i = Number(opts.index ?? 0);
            if (i < 0) parts.unshift(String(value));
            else if (i >= parts.length) parts.push(String(value));
            else parts[i] = String(value);
            to = parts.join(opts.delimiter);
          }
          if (setField(v, steps, to, opts.create === true)) {
            changed = true;
          } else if (opts.create !== true && getField(v, steps) === undefined) {
            issues.push({
              file: krel,
              line: lineOf(kdoc, fp),
              object: describeObject(o),
              rule: 'kustomization-invalid',
              message: `a replacement target has no field '${fp}' in ${describeObject(o)}: kustomize fails with 'unable to find field "${fp}" in replacement target'`,
              fix: 'set options.create: true on the target, or fix the field path',
            });
          }
        }
        if (!changed) return o;
        const name = typeof v.metadata?.name === 'string' && v.metadata.name !== '' ? v.metadata.name : o.name;
        const namespace = NOT_NAMESPACED.has(o.kind) || typeof v.metadata?.namespace !== 'string' ? o.namespace : v.metadata.namespace;
        return {
          ...o,
          value: v,
          name,
          namespace,
          ...(name !== o.name ? { prevNames: [...(o.prevNames ?? []), o.name], renamedBy: `a replacement in ${krel}` } : {}),
        };
      });
    }
  }
  return out;
}

/** An object's value with the name and namespace kustomize has given it so far (what a replacement reads). */
function current(o: AppliedObject): any {
  const meta = o.value.metadata ?? {};
  if (meta.name === o.name && (o.namespace === undefined || meta.namespace === o.namespace)) return o.value;
  return { ...o.value, metadata: { ...meta, name: o.name, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) } };
}

/** kustomize's namespace transformer: namespaced objects move, Namespace objects are renamed. */
function setNamespace(built: Built, namespace: string): Built {
  const objects = built.objects.map((o) => {
    if (o.kind === 'Namespace') return { ...o, name: namespace };
    return NOT_NAMESPACED.has(o.kind) ? o : { ...o, namespace };
  });
  return withObjects(built, objects, built.generated.map((g) => ({ ...g, namespace })));
}

/** kustomize's PrefixSuffixTransformer, which renames every object but CustomResourceDefinitions, Namespaces and APIServices. */
function rename(built: Built, to: (name: string) => string, by: string): Built {
  const keeps = (o: AppliedObject) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace'
    || (o.kind === 'APIService' && o.apiVersion.startsWith('apiregistration.k8s.io/'));
  const objects = built.objects.map((o) => (keeps(o) ? o : { ...o, name: to(o.name), prevNames: [...(o.prevNames ?? []), o.name], renamedBy: by }));
  const generated = built.generated.map((g) => ({ ...g, name: to(g.name), prevNames: [...(g.prevNames ?? []), g.name], renamedBy: by }));
  return withObjects(built, objects, generated);
}

/** The nameReference entries of a kustomize transformer configuration file. */
function nameReferences(v: any): NameReference[] {
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  if (!Array.isArray(v?.nameReference)) return [];
  return v.nameReference.filter((e: any) => typeof e?.kind === 'string' && Array.isArray(e.fieldSpecs)).map((e: any) => ({
    kind: e.kind,
    group: str(e.group),
    version: str(e.version),
    fieldSpecs: e.fieldSpecs.filter((f: any) => typeof f?.path === 'string').map((f: any) => ({ path: f.path, kind: str(f.kind), group: str(f.group), version: str(f.version) })),
  }));
}

/** Whether an apiVersion has a group and version (either one left out matches). */
function gvMatches(apiVersion: string, group: string | undefined, version: string | undefined): boolean {
  const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return (group === undefined || group === g) && (version === undefined || version === v);
}

/**
 * kustomize's FixBackReferences for the nameReference entries of `configurations:` (the built-in
 * ones know no Flux field): a reference, in the same namespace, to a name a renamed object had
 * before now holds its new name.
 */
function fixBackReferences(objects: AppliedObject[], generated: readonly GeneratedObject[], refs: readonly NameReference[]): AppliedObject[] {
  if (refs.length === 0) return objects;
  // The renamed objects by each name they had.
  const byOldName = new Map<string, { kind: string; apiVersion: string; name: string; namespace?: string }[]>();
  const renamed = [
    ...objects.filter((o) => o.prevNames),
    ...generated.filter((g) => g.prevNames).map((g) => ({ ...g, apiVersion: 'v1' })),
  ];
  for (const t of renamed) {
    for (const n of t.prevNames!) {
      let list = byOldName.get(n);
      if (!list) byOldName.set(n, list = []);
      list.push(t);
    }
  }
  if (byOldName.size === 0) return objects;
  // Each field spec once (a base used twice brings its configuration twice), by the kind it is in.
  const specs = new Map<string, { ref: NameReference; spec: NameReference['fieldSpecs'][number] }>();
  for (const ref of refs) {
    for (const spec of ref.fieldSpecs) specs.set(JSON.stringify([ref.kind, ref.group, ref.version, spec]), { ref, spec });
  }
  const byKind = new Map<string, { ref: NameReference; spec: NameReference['fieldSpecs'][number] }[]>();
  for (const e of specs.values()) {
    const k = e.spec.kind ?? '*';
    let list = byKind.get(k);
    if (!list) byKind.set(k, list = []);
    list.push(e);
  }
  return objects.map((o) => {
    const mine = [...(byKind.get(o.kind) ?? []), ...(byKind.get('*') ?? [])];
    if (mine.length === 0) return o;
    let value = o.value;
    for (const { ref, spec } of mine) {
      if (!gvMatches(o.apiVersion, spec.group, spec.version)) continue;
      value = setNames(value, spec.path.split('/').filter(Boolean), (old) => {
        const hits = (byOldName.get(old) ?? []).filter((t) => t.kind === ref.kind && gvMatches(t.apiVersion, ref.group, ref.version)
          && (NOT_NAMESPACED.has(o.kind) || NOT_NAMESPACED.has(t.kind) || (o.namespace ?? 'default') === (t.namespace ?? 'default')));
        return hits.length > 0 && hits.every((h) => h.name === hits[0].name) ? hits[0].name : old;
      });
    }
    return value === o.value ? o : { ...o, value };
  });
}

/** Sets the names at a kustomize field path: lists on the way are walked, and a path that ends at a mapping means its `name`. */
function setNames(node: any, parts: string[], to: (old: string) => string): any {
  if (Array.isArray(node)) {
    const out = node.map((n) => setNames(n, parts, to));
    return out.some((n, i) => n !== node[i]) ? out : node;
  }
  if (parts.length === 0) {
    if (typeof node === 'string') return to(node);
    if (node !== null && typeof node === 'object' && typeof node.name === 'string') {
      const name = to(node.name);
      return name === node.name ? node : { ...node, name };
    }
    return node;
  }
  if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, parts[0])) return node;
  const next = setNames(node[parts[0]], parts.slice(1), to);
  return next === node[parts[0]] ? node : { ...node, [parts[0]]: next };
}

/** kustomize's resource id: group, kind, namespace, name. */
function idOf(o: AppliedObject): string {
  const slash = o.apiVersion.indexOf('/');
  return `${slash < 0 ? '' : o.apiVersion.slice(0, slash)}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
}

function describeObject(o: AppliedObject): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

function isList(v: any): boolean {
  return v !== null && typeof v === 'object' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function missingParts(v: any): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `it is a ${Array.isArray(v) ? 'list' : typeof v === 'string' ? 'string' : typeof v}, not a mapping with apiVersion, kind and metadata.name`;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof v[k] !== 'string');
  if (v.metadata === null || typeof v.metadata !== 'object' || typeof v.metadata.name !== 'string') missing.push('metadata.name');
  return `it has no ${missing.join(', ')}`;
}

/** The line of the node at a path of a document (`['secretGenerator', 0, 'name']`), or the document's first line. */
function lineAt(doc: YamlDoc | undefined, at: (string | number)[]): number | undefined {
  if (!doc) return undefined;
  const node = doc.doc.getIn(at, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? doc.lines.linePos(node.range[0]).line : doc.line;
}

/** The line of a scalar in a document (a resource entry), or the document's first line. */
function lineOf(doc: YamlDoc | undefined, value: string): number | undefined {
  if (!doc) return undefined;
  let found: number | undefined;
  visit(doc.doc, {
    Scalar: (_, node) => {
      if (node.value === value && node.range) {
        found = doc.lines.linePos(node.range[0]).line;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found ?? doc.line;
}

/** The kinds kustomize's namespace transformer leaves alone (resid's cluster-scoped kinds). */
const NOT_NAMESPACED = new Set([
  'APIService', 'CSIDriver', 'CSINode', 'CertificateSigningRequest', 'Cluster', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass',
  'RuntimeClass', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'StorageClass', 'SubjectAccessReview', 'TokenReview',
  'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

function applied(doc: YamlDoc): AppliedObject {
  const value = doc.value;
  const meta = value.metadata;
  const namespace = NOT_NAMESPACED.has(value.kind) || typeof meta.namespace !== 'string' ? undefined : meta.namespace;
  return { doc, value, apiVersion: value.apiVersion, kind: value.kind, name: meta.name, namespace };
}

/** An object after the Kustomization's postBuild substitution (metadata included). */
function substituted(o: AppliedObject, subst: Substitution): AppliedObject {
  if (o.value.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled') return o;
  // A patched object has no source document of its own: its scalars count as plain.
  const doc = o.value === o.doc.value ? o.doc.doc : new Document(o.value) as Document.Parsed;
  const r = substitute(doc, o.value, subst);
  // The name and namespace as kustomize wrote them (a prefix included) are substituted too.
  const name = substituteText(o.name, subst);
  const namespace = o.namespace === undefined ? undefined : substituteText(o.namespace, subst);
  if (r.value === o.value && r.unresolved.size === 0 && name === o.name && namespace === o.namespace) return o;
  const value = isObject(r.value) ? r.value : o.value;
  const prevNames = o.prevNames?.map((n) => substituteText(n, subst));
  return { ...o, value, name, namespace, prevNames, unresolved: r.unresolved.size > 0 ? r.unresolved : undefined };
}

/** The first line of an inline patch text in a YAML document (the line after `|`). */
function inlineLine(doc: YamlDoc | undefined, text: string): number {
  if (!doc) return 1;
  let line = doc.line;
  visit(doc.doc, {
    Scalar: (_, node) => {
      if (node.value === text && node.range) {
        const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
        line = doc.lines.linePos(node.range[0]).line + (block ? 1 : 0);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return line;
}

interface Queued {
  readonly view: SourceView;
  readonly path: string;
  /** What the Kustomization adds to the kustomization at its path (targetNamespace, namePrefix, patches, components, …). */
  readonly flux?: FluxBuild;
  readonly owner?: UnitOwner & { doc?: YamlDoc };
  readonly subst?: Substitution;
  /** The Kustomization document, when it was found by scanning the repo rather than applied. */
  readonly seed?: string;
  /** The cluster a Kustomization with spec.kubeConfig applies to (`namespace/secret`), not the one it is in. */
  readonly remote?: string;
}

/** The objects that decide how the repo is read: GitRepositories, ArtifactGenerators, Flux Kustomizations, FluxInstances. */
interface Sources {
  readonly git: { name: string; namespace?: string; url?: string; branch?: string; file: string }[];
  readonly generators: { name: string; namespace?: string; value: any; file: string }[];
  /** Every Flux Kustomization document of the repo, applied or not. */
  readonly kustomizations: YamlDoc[];
  /** Every Flux Operator FluxInstance document (its spec.sync is the cluster's bootstrap Kustomization). */
  readonly instances: YamlDoc[];
}

const SOURCE_TEXT = /kind:\s*["']?(GitRepository|ArtifactGenerator)\b|kustomize\.toolkit\.fluxcd\.io\/|fluxcd\.controlplane\.io\//;

function scanSources(tree: RepoTree): Sources {
  const git: Sources['git'] = [];
  const generators: Sources['generators'] = [];
  const kustomizations: YamlDoc[] = [];
  const instances: YamlDoc[] = [];
  for (const file of tree.yamlFiles()) {
    if (tree.isIgnored(file)) continue;
    const text = tree.text(file);
    if (!SOURCE_TEXT.test(text)) continue;
    for (const doc of tree.peek(file).docs) {
      const v = doc.value;
      if (!isObject(v)) continue;
      if (v.kind === 'GitRepository' && v.apiVersion.startsWith('source.toolkit.fluxcd.io/')) {
        git.push({ name: v.metadata.name, namespace: v.metadata.namespace, url: v.spec?.url, branch: v.spec?.ref?.branch, file });
      } else if (v.kind === 'ArtifactGenerator' && v.apiVersion.startsWith('source.extensions.fluxcd.io/')) {
        generators.push({ name: v.metadata.name, namespace: v.metadata.namespace, value: v, file });
      } else if (isFluxKustomization(v)) {
        kustomizations.push(doc);
      } else if (v.kind === 'FluxInstance' && v.apiVersion.startsWith('fluxcd.controlplane.io/')) {
        instances.push(doc);
      }
    }
  }
  return { git, generators, kustomizations, instances };
}

function normalizeUrl(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  return url.toLowerCase().replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]*@/, '').replace(/:(?=[^/0-9])/, '/').replace(/:[0-9]+\//, '/')
    .replace(/\.git$/, '').replace(/\/+$/, '');
}

/** Whether a GitRepository is this repo: yes, no, or unknown (then only a path that exists here tells). */
type Locality = 'yes' | 'no' | 'maybe';

/** Decides which GitRepository names (and namespaces) are this repo. */
function localGit(sources: Sources): (name: string, namespace: string | undefined) => Locality {
  // The bootstrap GitRepository: flux-system, or in gotk-sync.yaml; else one in a flux-system folder.
  let bootstrap = sources.git.filter((g) => g.name === 'flux-system' || /(^|\/)gotk-sync\.ya?ml$/.test(g.file));
  if (bootstrap.length === 0) bootstrap = sources.git.filter((g) => /(^|\/)flux-system\//.test(g.file));
  const urls = new Set(bootstrap.map((g) => `${normalizeUrl(g.url)}#${g.branch ?? ''}`));
  return (name, namespace) => {
    const defs = sources.git.filter((g) => g.name === name && (namespace === undefined || g.namespace === undefined || g.namespace === namespace));
    // Not in the repo: the bootstrap GitRepository (gotk-sync.yaml may be a placeholder); another
    // name may be a repository another repo or the flux CLI defines: only a path that exists here tells.
    if (defs.length === 0) return name === 'flux-system' ? 'yes' : 'maybe';
    if (defs.some((g) => bootstrap.includes(g) || urls.has(`${normalizeUrl(g.url)}#${g.branch ?? ''}`))) return 'yes';
    // Another URL or branch than the bootstrap one is another repo; without a bootstrap one, unknown.
    return bootstrap.some((g) => g.url !== undefined) ? 'no' : 'maybe';
  };
}

/**
 * The view of an ExternalArtifact that an ArtifactGenerator in the repo makes from the repo
 * itself. Each cluster has its own generators, often with the same names: the one nearest the
 * Kustomization (in the folder tree) that holds `wanted` wins.
 */
function externalArtifact(
  tree: RepoTree, sources: Sources, isLocal: (name: string, ns: string | undefined) => Locality, name: string, namespace: string | undefined,
  from: string, wanted: string,
): SourceView | undefined {
  const views: { view: SourceView; near: number }[] = [];
  for (const g of sources.generators) {
    if (namespace !== undefined && g.namespace !== undefined && g.namespace !== namespace) continue;
    const spec = g.value.spec ?? {};
    const artifact = (Array.isArray(spec.artifacts) ? spec.artifacts : []).find((a: any) => a?.name === name);
    if (!artifact) continue;
    // Aliases of this repo: its GitRepository, or a flux-system OCIRepository made from a folder of it.
    const aliases = new Map<string, any>((Array.isArray(spec.sources) ? spec.sources : [])
      .filter((s: any) => typeof s?.alias === 'string' && ((s.kind === 'GitRepository' && isLocal(s.name, s.namespace ?? g.namespace) !== 'no')
        || ((s.kind === 'OCIRepository' || s.kind === 'Bucket') && s.name === 'flux-system')))
      .map((s: any) => [s.alias, s]));
    const ops: CopyOp[] = [];
    for (const c of Array.isArray(artifact.copy) ? artifact.copy : []) {
      const src = /^@([^/]+)\/?(.*)$/.exec(typeof c?.from === 'string' ? c.from : '');
      const to = /^@artifact\/?(.*)$/.exec(typeof c?.to === 'string' ? c.to : '');
      if (!src || !to || !aliases.has(src[1])) continue;
      const pattern = src[2];
      const glob = pattern.search(/[*?[{]/);
      const dest = to[1];
      const dir = join('', glob < 0 ? path.posix.dirname(pattern) : pattern.slice(0, glob).replace(/[^/]*$/, ''));
      const root = aliases.get(src[1]).kind === 'GitRepository' ? '' : syncRoot(tree, dir);
      if (root === undefined) continue;
      if (glob < 0) {
        ops.push({ from: join(root, pattern), to: dest.endsWith('/') || dest === '' ? join(dest, path.posix.basename(pattern)) : join('', dest), file: true });
      } else {
        ops.push({ from: join(root, dir), to: join('', dest), file: false });
      }
    }
    if (ops.length === 0) continue;
    const a = path.posix.dirname(g.file).split('/');
    const b = path.posix.dirname(from).split('/');
    let near = 0;
    while (near < a.length && near < b.length && a[near] === b[near]) near++;
    views.push({
      view: artifactView(tree, `ExternalArtifact/${g.namespace ?? ''}/${name} (${g.file})`,
        `the ExternalArtifact '${name}' (what the ArtifactGenerator '${g.name}' in ${g.file} copies into it)`, ops),
      near,
    });
  }
  views.sort((x, y) => y.near - x.near);
  return (views.find((v) => v.view.isDir(wanted)) ?? views[0])?.view;
}

/** What a repo applies: every unit, and the units grouped by the cluster that applies them. */
export interface BuiltRepo {
  readonly units: Unit[];
  /** The units whose objects references resolve against: one group per cluster (or one for a repo that does not tell its clusters). */
  readonly clusters: Unit[][];
  /** Units known to be applied to one cluster: what one root (or one remote kubeConfig) leads to. */
  readonly trees: Unit[][];
  /** Whether each cluster is known in full (from a bootstrap folder or clusters/), so that what it lacks is missing. */
  readonly complete: boolean;
  /** Every Flux Kustomization of the repo (`namespace/name`), when the repo does not say which cluster applies which. */
  readonly kustomizations: readonly string[];
}

/** A spec.path as a repo-relative folder: `./clusters/dev/` is `clusters/dev`, `./` is the root. */
function normalizePath(p: unknown): string {
  const s = typeof p === 'string' ? p : './';
  return path.posix.normalize(s.replace(/^\.?\/*/, '') || '.').replace(/^\.$/, '').replace(/\/$/, '');
}

function isUnder(file: string, dir: string): boolean {
  return dir === '' || file.startsWith(`${dir}/`);
}

/** A root to start from: a folder read from `view`. */
interface Root {
  readonly view: SourceView;
  readonly path: string;
}

/**
 * The folders Flux is bootstrapped at, at any depth: the spec.path of a Kustomization (or of a
 * FluxInstance's spec.sync) that is itself inside that folder, which is what `flux bootstrap
 * --path` and the Flux Operator write, and the folder above every `gotk-sync.yaml` (a
 * placeholder before `flux bootstrap` ran).
 */
function bootstrapRoots(tree: RepoTree, sources: Sources, isLocal: (name: string, ns: string | undefined) => Locality): Root[] {
  const roots = new Map<string, Root>();
  const add = (root: string, prefix: string) => {
    const view = prefix === '' ? repoView(tree) : repoView(tree, prefix);
    const unitPath = prefix === '' ? root : root.slice(prefix.length + 1);
    roots.set(`${view.key}|${unitPath}`, { view, path: unitPath });
  };
  /** The folder above `file` that is `wanted`, for a source that is the whole repo (`exact`) or an artifact of a folder of it. */
  const syncedFolder = (file: string, wanted: string, exact: boolean): { root: string; prefix: string } | undefined => {
    if (exact) return isUnder(file, wanted) ? { root: wanted, prefix: '' } : undefined;
    if (wanted === '') return undefined;
    for (let dir = path.posix.dirname(file); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) {
      if (dir === wanted) return { root: dir, prefix: '' };
      if (dir.endsWith(`/${wanted}`)) return { root: dir, prefix: dir.slice(0, dir.length - wanted.length - 1) };
    }
    return undefined;
  };
  for (const doc of sources.kustomizations) {
    const spec = doc.value.spec ?? {};
    const ref = spec.sourceRef ?? {};
    const wanted = normalizePath(spec.path);
    let hit: { root: string; prefix: string } | undefined;
    if (ref.kind === 'GitRepository' && typeof ref.name === 'string') {
      if (isLocal(ref.name, typeof ref.namespace === 'string' ? ref.namespace : doc.value.metadata.namespace) === 'yes') hit = syncedFolder(doc.file, wanted, true);
    } else if ((ref.kind === 'OCIRepository' || ref.kind === 'Bucket') && ref.name === 'flux-system') {
      hit = syncedFolder(doc.file, wanted, false);
    }
    if (hit) add(hit.root, hit.prefix);
  }
  for (const doc of sources.instances) {
    const sync = doc.value.spec?.sync;
    if (!sync || typeof sync !== 'object') continue;
    const hit = syncedFolder(doc.file, normalizePath(sync.path), sync.kind === 'GitRepository');
    if (hit) add(hit.root, hit.prefix);
  }
  for (const file of tree.yamlFiles()) {
    if (!/(^|\/)gotk-sync\.ya?ml$/.test(file) || tree.isIgnored(file)) continue;
    const dir = path.posix.dirname(file);
    if (dir === '.') continue;
    const root = path.posix.dirname(dir);
    add(root === '.' ? '' : root, '');
  }
  return [...roots.values()].sort((a, b) => (a.view.key + a.path < b.view.key + b.path ? -1 : 1));
}

/**
 * Cluster folders under clusters/ when no bootstrap says where they are: a folder with a
 * kustomization file, YAML files or a flux-system folder is one. A folder of folders only is one
 * cluster too (the Flux Operator may sync clusters/prod, whose apps/ and sources/ refer to one
 * another), unless its folders are clusters of their own: bootstrapped (a flux-system/ folder or
 * a gotk-sync.yaml), written by this library as clusters (its ownership record lists their
 * kustomization.yaml), or defining the same objects (one cluster could not apply them both), as
 * clusters/eu/west-1 and clusters/eu/west-2 do.
 */
function clusterFolders(tree: RepoTree, dir: string, recorded: ReadonlySet<string>): string[] {
  const entries = tree.list(dir).filter((e) => !(e.dir ? tree.isIgnoredDir(join(dir, e.name)) : tree.isIgnored(join(dir, e.name))));
  const own = tree.kustomizationFile(dir) !== undefined || entries.some((e) => !e.dir && /\.ya?ml$/.test(e.name)) || entries.some((e) => e.dir && e.name === 'flux-system');
  if (own || entries.length === 0) return [dir];
  const subs = entries.filter((e) => e.dir).map((e) => join(dir, e.name));
  const bootstrapped = (d: string): boolean => tree.isDir(join(d, 'flux-system')) || recorded.has(join(d, 'kustomization.yaml'))
    || tree.yamlFiles(d).some((f) => /(^|\/)gotk-sync\.ya?ml$/.test(f) && !tree.isIgnored(f));
  const ids = (d: string) => new Set(tree.yamlFiles(d).filter((f) => !tree.isIgnored(f)).flatMap((f) => tree.peek(f).docs)
    .filter((doc) => isObject(doc.value)).map((doc) => `${doc.value.apiVersion.split('/')[0]}|${doc.value.kind}|${doc.value.metadata.namespace ?? ''}|${doc.value.metadata.name}`));
  const clash = () => {
    const seen = new Set<string>();
    for (const d of subs) {
      const mine = ids(d);
      for (const id of mine) if (seen.has(id)) return true;
      for (const id of mine) seen.add(id);
    }
    return false;
  };
  if (subs.some(bootstrapped) || (subs.length > 1 && clash())) return subs.flatMap((d) => clusterFolders(tree, d, recorded));
  return [dir];
}

/**
 * The cluster folders that another one includes (a kustomization resource or component, or a
 * Flux Kustomization's path, inside it): a shared clusters/base is part of the clusters that
 * use it, not a cluster of its own.
 */
function includedFolders(tree: RepoTree, dirs: string[], sources: Sources): Set<string> {
  const out = new Set<string>();
  const hit = (from: string, target: string) => {
    for (const d of dirs) if (d !== from && !isUnder(from, d) && (target === d || isUnder(target, d))) out.add(d);
  };
  for (const from of dirs) {
    for (const f of tree.yamlFiles(from)) {
      if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f) || tree.isIgnored(f)) continue;
      const k = tree.peek(f).docs[0]?.value;
      for (const field of ['resources', 'bases', 'components']) {
        for (const r of Array.isArray(k?.[field]) ? k[field] : []) if (typeof r === 'string') hit(from, join(path.posix.dirname(f), r));
      }
    }
  }
  for (const doc of sources.kustomizations) {
    const from = dirs.find((d) => isUnder(doc.file, d));
    if (from) hit(from, normalizePath(doc.value.spec?.path));
  }
  return out;
}

/**
 * What to build in a repo without Flux Kustomizations: the root, if it has a kustomization file;
 * otherwise each top-level overlay (a folder with a kustomization file that no other one lists,
 * like apps/staging and apps/production, each its own `kustomize build`). Nothing says that Flux
 * applies any other folder, so none is walked: Helm charts, Ansible, Taskfiles and
 * docker-compose files are no manifests. A kustomization inside a Helm chart (below a folder with
 * a Chart.yaml) is the chart's, not an overlay.
 */
function overlayRoots(tree: RepoTree): string[] {
  if (tree.kustomizationFile('')) return [''];
  const files = tree.yamlFiles().filter((f) => !tree.isIgnored(f) && /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f));
  const inChart = (d: string) => d.split('/').some((_, i, parts) => tree.exists(join(parts.slice(0, i + 1).join('/'), 'Chart.yaml')));
  const dirs = [...new Set(files.map((f) => path.posix.dirname(f)))].filter((d) => tree.kustomizationFile(d) !== undefined && !inChart(d));
  const listed = new Set<string>();
  const components = new Set<string>();
  for (const d of dirs) {
    const k = tree.peek(tree.kustomizationFile(d)!).docs[0]?.value;
    if (!k || typeof k !== 'object') continue;
    if (k.kind === 'Component') components.add(d);
    for (const f of ['resources', 'bases', 'components']) {
      for (const r of Array.isArray(k[f]) ? k[f] : []) if (typeof r === 'string') listed.add(join(d, r));
    }
  }
  return dirs.filter((d) => !listed.has(d) && !components.has(d)).sort();
}

/** The Flux Kustomization paths and cluster roots of a repo, and what each applies. */
export function buildUnits(tree: RepoTree, issues: BuildIssue[]): BuiltRepo {
  const queue: Queued[] = [];
  const repo = repoView(tree);
  const sources = scanSources(tree);
  const isLocal = localGit(sources);

  /** Where a Kustomization object reads its files from, when that is this repo. */
  const fromKustomization = (doc: YamlDoc, effectiveNs: string | undefined): Queued | undefined => {
    const v = doc.value;
    const spec = v.spec ?? {};
    const ns = effectiveNs ?? v.metadata.namespace;
    const ref = spec.sourceRef ?? {};
    const refNs = typeof ref.namespace === 'string' ? ref.namespace : ns;
    const unitPath = normalizePath(spec.path);
    let view: SourceView | undefined;
    if (ref.kind === 'GitRepository' && typeof ref.name === 'string') {
      const local = isLocal(ref.name, refNs);
      // Unknown: a folder of this repo is likely meant; the root of another repo is not.
      if (local === 'yes' || (local === 'maybe' && unitPath !== '' && repo.isDir(unitPath))) view = repo;
    } else if ((ref.kind === 'OCIRepository' || ref.kind === 'Bucket') && ref.name === 'flux-system') {
      const root = syncRoot(tree, unitPath);
      if (root !== undefined) view = root === '' ? repo : repoView(tree, root);
    } else if (ref.kind === 'ExternalArtifact' && typeof ref.name === 'string') {
      view = externalArtifact(tree, sources, isLocal, ref.name, refNs, doc.file, unitPath);
    }
    // Other sources (OCIRepository, Bucket, another Git repository) are not in this repo.
    if (!view) return undefined;
    const pb = spec.postBuild;
    const subst: Substitution | undefined = pb && typeof pb === 'object'
      ? {
        vars: Object.fromEntries(Object.entries(pb.substitute ?? {}).map(([k, val]) => [k, String(val)])),
        external: Array.isArray(pb.substituteFrom) && pb.substituteFrom.length > 0,
      }
      : undefined;
    const kc = spec.kubeConfig && typeof spec.kubeConfig === 'object' ? spec.kubeConfig : undefined;
    const kcName = kc ? (kc.secretRef?.name ?? kc.configMapRef?.name ?? '?') : undefined;
    return {
      view,
      path: unitPath,
      flux: fluxBuild(spec),
      owner: { file: doc.file, line: doc.line, object: `Kustomization/${ns ? `${ns}/` : ''}${v.metadata.name}`, doc },
      subst,
      remote: kcName === undefined ? undefined : `${ns ?? ''}/${kcName}`,
    };
  };

  // Where the clusters start: their bootstrap folders; else clusters/<name>; else the
  // Kustomizations nothing here applies; else the repo's top-level kustomize overlays.
  let mode: 'roots' | 'seeds' | 'overlays' = 'roots';
  for (const r of bootstrapRoots(tree, sources, isLocal)) queue.push(r);
  let clusterDirs: string[] = [];
  if (tree.isDir('clusters') && !tree.isIgnoredDir('clusters')) {
    const recorded = ownedFiles(tree);
    for (const e of tree.list('clusters')) {
      if (e.dir && !tree.isIgnoredDir(`clusters/${e.name}`)) clusterDirs.push(...clusterFolders(tree, `clusters/${e.name}`, recorded));
    }
    const included = includedFolders(tree, clusterDirs, sources);
    clusterDirs = clusterDirs.filter((d) => !included.has(d));
  }
  // With bootstrap folders, a clusters/<name> that none of them reads is a cluster not bootstrapped yet (below).
  const laterDirs = queue.length > 0 ? clusterDirs : [];
  if (queue.length === 0) for (const dir of clusterDirs) queue.push({ view: repo, path: dir });
  if (queue.length === 0 && sources.kustomizations.length > 0) {
    mode = 'seeds';
    for (const doc of sources.kustomizations) {
      const q = fromKustomization(doc, undefined);
      if (q) queue.push({ ...q, seed: `${doc.file}#${doc.index}` });
    }
  }
  if (queue.length === 0 && sources.kustomizations.length === 0) {
    mode = 'overlays';
    for (const dir of overlayRoots(tree)) queue.push({ view: repo, path: dir });
  }
  const built = new Map<string, {
    unit: Unit;
    issues: BuildIssue[];
    seed?: string;
    children: Set<string>;
    remote?: string;
    /** Every Kustomization that reads this path this way, and the unit it is in. */
    readers: { owner: UnitOwner; from: string }[];
  }>();
  const roots = new Set<string>();
  const appliedDocs = new Set<string>();
  const queued: (Queued & { from?: string })[] = queue;
  for (;;) {
    if (queued.length === 0) {
      const read = [...built.values()].map((b) => b.unit.path);
      // A folder whose files a cluster's build already read (a shared clusters/base) is part of that cluster.
      const files = tree.readFiles.map((f) => f.file);
      const overlaps = (dir: string) => read.some((p) => p === '' || p === dir || p.startsWith(`${dir}/`) || dir.startsWith(`${p}/`))
        || files.some((f) => f.startsWith(`${dir}/`));
      for (const dir of laterDirs.splice(0).filter((d) => !overlaps(d))) queued.push({ view: repo, path: dir });
      if (queued.length === 0) break;
    }
    const next = queued.shift()!;
    const { targetNamespace, patches, ...more } = next.flux ?? {};
    const place = `${next.view.key}|${next.path}|${targetNamespace ?? ''}`;
    const extra = Object.values(more).some((x) => x !== undefined) ? `|${JSON.stringify(more)}` : '';
    const key = `${place}|${JSON.stringify(next.subst ?? null)}|${JSON.stringify(patches ?? null)}${extra}`;
    if (next.from === undefined) roots.add(key);
    // A cluster root reads itself again through its bootstrap Kustomization: not a child of its own.
    if (next.from !== undefined && next.from !== key) built.get(next.from)?.children.add(key);
    const same = built.get(key);
    if (same) {
      // The same reading, now reached from another Kustomization: no longer only a seed.
      if (!next.seed) same.seed = undefined;
      const reader = next.owner && next.from !== undefined ? { owner: next.owner, from: next.from } : undefined;
      if (reader && !same.readers.some((r) => r.owner.file === reader.owner.file && r.owner.line === reader.owner.line && r.from === reader.from)) {
        same.readers.push(reader);
      }
      continue;
    }
    // A cluster root is read again as the Kustomization that syncs it (gotk-sync.yaml), which may
    // substitute variables or patch: that reading replaces the implied one.
    const impliedKey = `${place}|null|null`;
    const implied = built.get(impliedKey);
    if (implied && !implied.unit.owner && next.owner) {
      built.delete(impliedKey);
      for (const b of built.values()) if (b.children.delete(impliedKey)) b.children.add(key);
      if (roots.delete(impliedKey)) roots.add(key);
    }
    const unitIssues: BuildIssue[] = [];
    const unit = buildUnit(tree, next.view, next.path, next.flux, next.owner, next.subst, unitIssues);
    built.set(key, {
      unit,
      issues: unitIssues,
      seed: next.seed,
      children: new Set(),
      remote: next.remote,
      readers: next.owner && next.from !== undefined ? [{ owner: next.owner, from: next.from }] : [],
    });
    for (const o of unit.objects) {
      if (isFluxKustomization(o.value)) {
        appliedDocs.add(`${o.doc.file}#${o.doc.index}`);
        const q = fromKustomization({ ...o.doc, value: o.value }, o.namespace);
        if (q) queued.push({ ...q, from: key });
      }
    }
  }
  // A Kustomization found as a seed that another Kustomization applies is read through that one
  // (with its patches and namespace), not on its own.
  const kept = new Map([...built.entries()].filter(([, b]) => !(b.seed && appliedDocs.has(b.seed))));
  const archived = mode === 'seeds' ? archivedSeeds(tree, sources) : new Set<string>();
  for (const b of kept.values()) {
    // A Kustomization that nothing applies, lists or depends on, and that depends on nothing, is
    // not known to be applied (an archived one): a path it lacks is no error.
    const unknown = b.seed !== undefined && b.children.size === 0 && archived.has(b.seed);
    issues.push(...(unknown ? b.issues.filter((i) => i.rule !== 'missing-path') : b.issues).map((i) => ({ ...i, unitObjects: b.unit.objects })));
  }
  const units = [...kept.values()].map((b) => b.unit);
  if (mode === 'overlays') return { units, clusters: [units], trees: [], complete: false, kustomizations: [] };

  // Seeds: the roots are the Kustomizations no other one applies.
  if (mode === 'seeds') {
    roots.clear();
    const reached = new Set<string>();
    for (const [k, b] of kept) for (const c of b.children) if (c !== k) reached.add(c);
    for (const k of kept.keys()) if (!reached.has(k)) roots.add(k);
  }
  // A tree: a root and what it leads to; a Kustomization with spec.kubeConfig and what it leads
  // to are another cluster's.
  const trees: Unit[][] = [];
  const inTree = new Set<string>();
  for (const root of [...roots].filter((k) => kept.has(k))) {
    const groups = new Map<string, Set<string>>();
    const pending: [string, string][] = [[root, '']];
    while (pending.length > 0) {
      const [k, group] = pending.pop()!;
      const b = kept.get(k);
      if (!b) continue;
      const g = b.remote !== undefined && b.remote !== group ? `${root}|${b.remote}` : group;
      let members = groups.get(g);
      if (!members) groups.set(g, members = new Set());
      if (members.has(k)) continue;
      members.add(k);
      for (const c of b.children) pending.push([c, g]);
    }
    for (const members of groups.values()) {
      // In the order they were read: a cluster's root first.
      // A unit shared by clusters is applied in each by that cluster's Kustomization.
      trees.push([...kept.keys()].filter((k) => members.has(k)).map((k) => {
        const b = kept.get(k)!;
        const owner = b.readers.find((r) => members.has(r.from))?.owner;
        return owner && owner !== b.unit.owner ? { ...b.unit, owner } : b.unit;
      }));
      for (const k of members) {
        inTree.add(k);
        const b = kept.get(k)!;
        const readers = b.readers.filter((r) => members.has(r.from))
          .filter((r, i, all) => all.findIndex((x) => x.owner.file === r.owner.file && x.owner.line === r.owner.line) === i);
        for (const twin of readers.slice(1)) {
          const first = readers[0].owner;
          issues.push({
            file: twin.owner.file,
            line: twin.owner.line,
            object: twin.owner.object,
            rule: 'duplicate-apply',
            message: `applies the same path './${b.unit.path}' as ${first.object} (${first.file}:${first.line}) in the same cluster: every object in it is applied by both Kustomizations; Flux reports no error, but each overwrites the other's changes and ownership labels, and when one stops applying an object its pruning deletes what the other still applies`,
            fix: 'keep one of the two Kustomizations (or point them at different paths)',
            warning: true,
          });
        }
      }
    }
  }
  // Units only reachable through a cycle of Kustomizations.
  const rest = [...kept.entries()].filter(([k]) => !inTree.has(k)).map(([, b]) => b.unit);
  if (rest.length > 0) trees.push(rest);
  // Without bootstrap or clusters/ folders the repo does not say which Kustomizations share a cluster: one.
  return {
    units,
    clusters: mode === 'seeds' ? [units] : trees,
    trees,
    complete: mode === 'roots',
    kustomizations: mode === 'seeds' ? sources.kustomizations.map((d) => `${d.value.metadata.namespace ?? ''}/${d.value.metadata.name}`) : [],
  };
}

/**
 * The Flux Kustomization documents (`file#index`) that are not part of the Flux Kustomization
 * graph: no kustomization file lists their file, no other Kustomization depends on them, and
 * they depend on none.
 */
function archivedSeeds(tree: RepoTree, sources: Sources): Set<string> {
  const listed = new Set<string>();
  for (const f of tree.yamlFiles()) {
    if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f) || tree.isIgnored(f)) continue;
    const k = tree.peek(f).docs[0]?.value;
    for (const r of Array.isArray(k?.resources) ? k.resources : []) if (typeof r === 'string') listed.add(join(path.posix.dirname(f), r));
  }
  const key = (ns: unknown, name: unknown) => `${typeof ns === 'string' ? ns : ''}/${String(name)}`;
  const dependedOn = new Set<string>();
  for (const doc of sources.kustomizations) {
    for (const d of Array.isArray(doc.value.spec?.dependsOn) ? doc.value.spec.dependsOn : []) {
      if (d && typeof d.name === 'string') dependedOn.add(key(d.namespace ?? doc.value.metadata.namespace, d.name));
    }
  }
  const out = new Set<string>();
  for (const doc of sources.kustomizations) {
    const v = doc.value;
    const dependsOn = Array.isArray(v.spec?.dependsOn) && v.spec.dependsOn.length > 0;
    if (dependsOn || dependedOn.has(key(v.metadata.namespace, v.metadata.name)) || listed.has(doc.file)) continue;
    out.add(`${doc.file}#${doc.index}`);
  }
  return out;
}

/** What a Flux Kustomization's spec adds to the build of its path; undefined when it adds nothing. */
function fluxBuild(spec: any): FluxBuild | undefined {
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const list = (x: unknown) => (Array.isArray(x) && x.length > 0 ? x : undefined);
  const f: FluxBuild = {
    targetNamespace: str(spec.targetNamespace),
    namePrefix: str(spec.namePrefix),
    nameSuffix: str(spec.nameSuffix),
    patches: list(spec.patches),
    components: list(spec.components),
    ignoreMissingComponents: spec.ignoreMissingComponents === true ? true : undefined,
  };
  return Object.values(f).some((x) => x !== undefined) ? f : undefined;
}

/** The files this library's ownership record lists (what synth wrote); none when there is no record. */
export function ownedFiles(tree: RepoTree): Set<string> {
  try {
    return new Set(Object.keys(JSON.parse(tree.readOptional(RECORD_FILE)).files ?? {}));
  } catch {
    return new Set();
  }
}

function isFluxKustomization(v: any): boolean {
  return isObject(v) && v.kind === 'Kustomization' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');
}
