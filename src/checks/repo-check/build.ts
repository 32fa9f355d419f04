import * as path from 'path';
import { AppliedObject, isKustomizeConfig, isObject, join, RepoTree, Unit, YamlDoc } from './tree';

/** A problem found while building what a Kustomization applies. */
export interface BuildIssue {
  readonly file: string;
  readonly line?: number;
  readonly rule: string;
  readonly message: string;
  readonly fix?: string;
  /** A warning rather than an error. */
  readonly warning?: boolean;
}

/**
 * Works out what a Flux Kustomization applies from a path, as kustomize-controller does: a folder
 * with a kustomization.yaml is built from its `resources` (and its `namespace`); a folder
 * without one is walked, each sub-folder with a kustomization.yaml becoming a resource of its own
 * and every other .yaml/.yml file being decoded as Kubernetes objects.
 */
export function buildUnit(
  tree: RepoTree, unitPath: string, targetNamespace: string | undefined, owner: string | undefined, issues: BuildIssue[],
): Unit {
  const objects: AppliedObject[] = [];
  const seenDirs = new Set<string>();

  const addFile = (rel: string, namespace: string | undefined, walked: boolean) => {
    const parsed = tree.read(rel);
    for (const doc of parsed.docs) {
      if (walked && isKustomizeConfig(doc.value)) continue;
      if (!isObject(doc.value)) {
        issues.push({
          file: rel,
          line: doc.line,
          rule: 'not-kubernetes',
          message: `document ${doc.index + 1} is not a Kubernetes object (it needs apiVersion, kind and metadata.name); Flux fails the whole Kustomization with 'failed to decode Kubernetes YAML from ${rel}: missing Resource metadata'`,
          fix: 'move plain YAML (Helm values, configs) out of every path a Flux Kustomization applies, or list the folder\'s manifests in a kustomization.yaml',
        });
        continue;
      }
      objects.push(applied(doc, namespace));
    }
  };

  const buildDir = (dir: string, namespace: string | undefined, stack: string[]) => {
    if (stack.includes(dir)) {
      issues.push({ file: dir, rule: 'kustomization-cycle', message: `kustomization resources form a cycle: ${[...stack, dir].join(' -> ')}` });
      return;
    }
    const kfile = tree.kustomizationFile(dir);
    if (kfile) {
      const parsed = tree.read(kfile);
      const k = parsed.docs[0]?.value ?? {};
      const ns = namespace ?? (typeof k.namespace === 'string' ? k.namespace : undefined);
      for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
        for (const g of Array.isArray(k[field]) ? k[field] : []) {
          if (typeof g?.name === 'string') tree.generated.add(`${kind}/${g.namespace ?? ns ?? '*'}/${g.name}`);
        }
      }
      const resources: unknown[] = [...(Array.isArray(k.resources) ? k.resources : []), ...(Array.isArray(k.bases) ? k.bases : [])];
      for (const r of resources) {
        if (typeof r !== 'string' || /^[a-z]+:\/\//.test(r) || r.startsWith('github.com/')) continue;
        const p = join(dir, r);
        if (p.startsWith('..')) continue;
        if (tree.isDir(p)) {
          buildDir(p, ns, [...stack, dir]);
        } else if (tree.exists(p)) {
          addFile(p, ns, false);
        } else if (r === 'gotk-components.yaml') {
          issues.push({ file: kfile, rule: 'missing-resource', message: 'lists gotk-components.yaml, which is not there yet', fix: `run 'flux bootstrap' (or 'flux install --export > ${p}')`, warning: true });
        } else {
          issues.push({ file: kfile, rule: 'missing-resource', message: `lists the resource '${r}', which does not exist`, fix: `create ${p} or remove it from resources` });
        }
      }
      return;
    }
    if (seenDirs.has(dir)) return;
    seenDirs.add(dir);
    for (const e of tree.list(dir)) {
      const p = join(dir, e.name);
      if (e.dir) {
        if (tree.kustomizationFile(p)) buildDir(p, namespace, [...stack, dir]);
        else walk(p, namespace, stack);
      } else if (/\.ya?ml$/.test(e.name) && !tree.isIgnored(p)) {
        addFile(p, namespace, true);
      }
    }
  };

  const walk = (dir: string, namespace: string | undefined, stack: string[]) => {
    for (const e of tree.list(dir)) {
      const p = join(dir, e.name);
      if (e.dir) {
        if (tree.kustomizationFile(p)) buildDir(p, namespace, [...stack, dir]);
        else walk(p, namespace, stack);
      } else if (/\.ya?ml$/.test(e.name) && !tree.isIgnored(p)) {
        addFile(p, namespace, true);
      }
    }
  };

  if (tree.isDir(unitPath) || unitPath === '') {
    buildDir(unitPath, targetNamespace, []);
  } else if (owner) {
    issues.push({ file: owner.split('#')[0], rule: 'missing-path', message: `the Kustomization's path './${unitPath}' does not exist in the repo`, fix: 'fix spec.path or add the folder' });
  }
  return { path: unitPath, owner, objects };
}

function applied(doc: YamlDoc, namespace: string | undefined): AppliedObject {
  const v = doc.value;
  const own = typeof v.metadata.namespace === 'string' ? v.metadata.namespace : undefined;
  return { doc, apiVersion: v.apiVersion, kind: v.kind, name: v.metadata.name, namespace: namespace ?? own };
}

/** The Flux Kustomization paths and cluster roots of a repo, and what each applies. */
export function buildUnits(tree: RepoTree, issues: BuildIssue[]): Unit[] {
  const units = new Map<string, Unit>();
  const queue: { path: string; ns?: string; owner?: string }[] = [];
  if (tree.isDir('clusters')) {
    for (const e of tree.list('clusters')) if (e.dir) queue.push({ path: join('clusters', e.name) });
  }
  const seed = () => {
    // Kustomization objects anywhere define paths; used only when nothing else roots the repo.
    for (const file of tree.yamlFiles()) {
      if (tree.isIgnored(file)) continue;
      for (const doc of tree.read(file).docs) {
        if (isFluxKustomization(doc.value)) queue.push(fromKustomization(doc));
      }
    }
  };
  if (queue.length === 0) seed();
  if (queue.length === 0) queue.push({ path: '' });
  while (queue.length > 0) {
    const next = queue.shift()!;
    const key = `${next.path}|${next.ns ?? ''}`;
    if (units.has(key)) continue;
    const unit = buildUnit(tree, next.path, next.ns, next.owner, issues);
    units.set(key, unit);
    for (const o of unit.objects) {
      if (isFluxKustomization(o.doc.value)) queue.push(fromKustomization(o.doc));
    }
  }
  return [...units.values()];
}

function isFluxKustomization(v: any): boolean {
  return isObject(v) && v.kind === 'Kustomization' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');
}

function fromKustomization(doc: YamlDoc): { path: string; ns?: string; owner: string } {
  const spec = doc.value.spec ?? {};
  const p = typeof spec.path === 'string' ? spec.path : './';
  return {
    path: path.posix.normalize(p.replace(/^\.?\/*/, '') || '.').replace(/^\.$/, '').replace(/\/$/, ''),
    ns: typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined,
    owner: `${doc.file}#Kustomization/${doc.value.metadata.name}`,
  };
}
