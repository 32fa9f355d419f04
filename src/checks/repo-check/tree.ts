import * as fs from 'fs';
import * as path from 'path';
import { Document, LineCounter, parseAllDocuments } from 'yaml';

/** One YAML document of a file. */
export interface YamlDoc {
  readonly file: string;
  readonly index: number;
  readonly line: number;
  readonly value: any;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** A parsed file: its documents, or the syntax errors that kept it from parsing. */
export interface YamlFile {
  readonly file: string;
  readonly docs: YamlDoc[];
  readonly errors: { readonly line: number; readonly message: string }[];
}

/** A Kubernetes object as some Flux Kustomization applies it. */
export interface AppliedObject {
  readonly doc: YamlDoc;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace it ends up in: its own, or the one a kustomization or Kustomization sets. */
  readonly namespace?: string;
}

/** What one Flux Kustomization (or a cluster's root) applies. */
export interface Unit {
  /** The path it builds, relative to the repo root (`clusters/dev`). */
  readonly path: string;
  /** The Kustomization object that defines it, if any (a cluster root without one is implied). */
  readonly owner?: string;
  readonly objects: AppliedObject[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SKIP_DIRS = new Set(['.git', 'node_modules', '.github', '.cdk8s-flux-gitops']);

/** Reads, and caches, the YAML files of a repo. */
export class RepoTree {
  private readonly cache = new Map<string, YamlFile>();
  /** Names that kustomize generators make (`ConfigMap/namespace/name`), which exist without a file. */
  public readonly generated = new Set<string>();
  private readonly ignore: RegExp[];
  private readonly negate: RegExp[];

  constructor(public readonly root: string) {
    const patterns = ['.gitignore', '.sourceignore'].flatMap((f) => {
      try {
        return fs.readFileSync(path.join(root, f), 'utf8').split(/\r?\n/);
      } catch {
        return [];
      }
    }).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    this.ignore = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
    this.negate = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  }

  /** Whether Git (or Flux's .sourceignore) leaves this file out. */
  public isIgnored(rel: string): boolean {
    return this.ignore.some((r) => r.test(rel)) && !this.negate.some((r) => r.test(rel));
  }

  public exists(rel: string): boolean {
    return fs.existsSync(path.join(this.root, rel));
  }

  public isDir(rel: string): boolean {
    try {
      return fs.statSync(path.join(this.root, rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /** The entries of a folder, sorted, skipping VCS and tool folders. */
  public list(rel: string): { name: string; dir: boolean }[] {
    try {
      return fs.readdirSync(path.join(this.root, rel), { withFileTypes: true })
        .filter((e) => !(e.isDirectory() && (SKIP_DIRS.has(e.name) || e.name.startsWith('.'))))
        .map((e) => ({ name: e.name, dir: e.isDirectory() }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return [];
    }
  }

  public kustomizationFile(dir: string): string | undefined {
    return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => this.exists(f) && !this.isDir(f));
  }

  /** Parses a file (once). */
  public read(rel: string): YamlFile {
    let parsed = this.cache.get(rel);
    if (parsed) return parsed;
    const text = fs.readFileSync(path.join(this.root, rel), 'utf8');
    const lines = new LineCounter();
    const docs: YamlDoc[] = [];
    const errors: { line: number; message: string }[] = [];
    const all = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const list = Array.isArray(all) ? all : [];
    list.forEach((doc, index) => {
      for (const e of doc.errors) {
        errors.push({ line: lines.linePos(e.pos[0]).line, message: e.message.split('\n')[0] });
      }
      if (doc.errors.length === 0) {
        const start = doc.contents?.range?.[0] ?? doc.range[0];
        docs.push({ file: rel, index, line: lines.linePos(start).line, value: doc.toJS({ maxAliasCount: 100 }), doc, lines });
      }
    });
    parsed = { file: rel, docs: docs.filter((d) => d.value !== null && d.value !== undefined), errors };
    this.cache.set(rel, parsed);
    return parsed;
  }

  /** Every YAML file below a folder (relative paths). */
  public yamlFiles(rel: string = ''): string[] {
    const out: string[] = [];
    for (const e of this.list(rel)) {
      const p = join(rel, e.name);
      if (e.dir) out.push(...this.yamlFiles(p));
      else if (/\.ya?ml$/.test(e.name) || e.name === 'Kustomization') out.push(p);
    }
    return out;
  }

  /** The files read so far. */
  public get readFiles(): YamlFile[] {
    return [...this.cache.values()];
  }
}

export function join(a: string, b: string): string {
  return path.posix.normalize(a ? `${a}/${b}` : b).replace(/^\.\//, '').replace(/\/$/, '');
}

/** A .gitignore-style pattern as a regular expression over repo-relative POSIX paths. */
function globToRegExp(pattern: string): RegExp {
  let p = pattern;
  const anchored = p.startsWith('/') || p.slice(0, -1).includes('/');
  p = p.replace(/^\//, '');
  const dirOnly = p.endsWith('/');
  p = p.replace(/\/$/, '');
  const body = p.split('').map((c, i, all) => {
    if (c === '*') return all[i + 1] === '*' ? '' : (all[i - 1] === '*' ? '.*' : '[^/]*');
    if (c === '?') return '[^/]';
    return c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }).join('');
  const prefix = anchored ? '^' : '(^|/)';
  return new RegExp(`${prefix}${body}${dirOnly ? '/' : '(/|$)'}`);
}

/** Whether a document looks like a Kubernetes object (what Flux needs to decode it). */
export function isObject(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && typeof value.apiVersion === 'string' && typeof value.kind === 'string'
    && value.metadata !== null && typeof value.metadata === 'object' && typeof value.metadata.name === 'string';
}

export function isKustomizeConfig(value: any): boolean {
  return value !== null && typeof value === 'object' && typeof value.apiVersion === 'string'
    && value.apiVersion.startsWith('kustomize.config.k8s.io/');
}
