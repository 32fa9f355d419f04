import * as fs from 'fs';
import * as path from 'path';
import { Alias, Document, isAlias, isScalar, LineCounter, parseAllDocuments, Scalar, visit, YAMLError } from 'yaml';
import type { Origin } from './patch';

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
  readonly errors: YamlError[];
}

/** A syntax error, at the line to look at. */
export interface YamlError {
  readonly line: number;
  readonly message: string;
  readonly fix: string;
  /** The object of the document it is in, when the rest of the document tells (`Kind/namespace/name`). */
  readonly object?: string;
}

/** A Kubernetes object as some Flux Kustomization applies it. */
export interface AppliedObject {
  readonly doc: YamlDoc;
  /** The object after the Kustomization's postBuild substitutions (`doc.value` when there are none). */
  readonly value: any;
  /** Paths (`/spec/url`) whose value holds a `${var}` this check cannot resolve. */
  readonly unresolved?: ReadonlySet<string>;
  /** The fields kustomize patches wrote (JSON pointers), and where each patch is. */
  readonly patched?: ReadonlyMap<string, Origin>;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace it ends up in: its own, or the one a kustomization or Kustomization sets. */
  readonly namespace?: string;
  /** The names it had before kustomize renamed it (namePrefix, nameSuffix), oldest first. */
  readonly prevNames?: readonly string[];
  /** What renamed it last, in the words of a message (`namePrefix 'a-' in apps/kustomization.yaml`). */
  readonly renamedBy?: string;
}

/** A ConfigMap or Secret that a kustomize generator makes: it exists without a file. */
export interface GeneratedObject {
  readonly kind: string;
  readonly name: string;
  /** Its namespace; none when nothing sets one. */
  readonly namespace?: string;
  /** The names it had before kustomize renamed it (namePrefix, nameSuffix, the hash suffix), oldest first. */
  readonly prevNames?: readonly string[];
  /** What renamed it last, in the words of a message. */
  readonly renamedBy?: string;
  /** The kustomization whose generator gives it a hash suffix (its name ends in `-<hash>`). */
  readonly hashedBy?: string;
}

/** What one Flux Kustomization (or a cluster's root) applies. */
export interface Unit {
  /** The path it builds, relative to the repo root (`clusters/dev`). */
  readonly path: string;
  /** The Kustomization object that defines it, if any (a cluster root without one is implied). */
  readonly owner?: UnitOwner;
  readonly objects: AppliedObject[];
  /** The ConfigMaps and Secrets its kustomize generators make, which exist without a file. */
  readonly generated: readonly GeneratedObject[];
}

/** The Flux Kustomization object behind a unit. */
export interface UnitOwner {
  readonly file: string;
  readonly line: number;
  /** `Kustomization/namespace/name`. */
  readonly object: string;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SKIP_DIRS = new Set(['.git', 'node_modules', '.github', '.cdk8s-flux-gitops']);

/** Reads, and caches, the YAML files of a repo. */
export class RepoTree {
  private readonly cache = new Map<string, YamlFile>();
  private readonly peeked = new Map<string, YamlFile>();
  private readonly texts = new Map<string, string>();
  private readonly dirs = new Map<string, { name: string; dir: boolean }[] | undefined>();
  /** Files that are not manifests but are read as YAML all the same (Helm values of a configMapGenerator), and what reads them. */
  public readonly readers = new Map<string, string>();
  private readonly rules: IgnoreRule[];
  private readonly nested = new Map<string, IgnoreRule[]>();
  private readonly ignoredDirs = new Map<string, boolean>();

  constructor(public readonly root: string) {
    // What Flux leaves out of a GitRepository artifact by default (fluxcd/pkg sourceignore), then
    // what Git leaves out (.gitignore), then the repo's .sourceignore (flux.md §7).
    this.rules = [...parseIgnore(FLUX_DEFAULT_IGNORE, ''), ...parseIgnore(this.readOptional('.gitignore'), ''), ...parseIgnore(this.readOptional('.sourceignore'), '')];
  }

  private readOptional(rel: string): string {
    try {
      return fs.readFileSync(path.join(this.root, rel), 'utf8');
    } catch {
      return '';
    }
  }

  /** Whether Git or Flux (its default excludes, .sourceignore files at any depth) leaves this file out. */
  public isIgnored(rel: string): boolean {
    return this.ignoredAt(rel, false);
  }

  /** Whether Git or Flux leaves this folder out (patterns that end in '/' match folders only). */
  public isIgnoredDir(rel: string): boolean {
    return rel !== '' && this.ignoredAt(rel, true);
  }

  /** Like git: a path is out if a folder above it is out, or if the last pattern that matches it says so. */
  private ignoredAt(rel: string, isDir: boolean): boolean {
    if (isDir) {
      const known = this.ignoredDirs.get(rel);
      if (known !== undefined) return known;
    }
    const slash = rel.lastIndexOf('/');
    const parent = slash < 0 ? '' : rel.slice(0, slash);
    let ignored = parent !== '' && this.ignoredAt(parent, true);
    if (!ignored) {
      for (const r of this.rulesFor(parent)) {
        if ((!r.dirOnly || isDir) && r.re.test(rel)) ignored = !r.negate;
      }
    }
    if (isDir) this.ignoredDirs.set(rel, ignored);
    return ignored;
  }

  /** The ignore rules that apply in a folder: the repo's, then each .sourceignore on the way down. */
  private rulesFor(dir: string): IgnoreRule[] {
    if (dir === '') return this.rules;
    let rules = this.nested.get(dir);
    if (!rules) {
      const slash = dir.lastIndexOf('/');
      const own = this.hasFile(dir, '.sourceignore') ? parseIgnore(this.readOptional(`${dir}/.sourceignore`), dir) : [];
      const parent = this.rulesFor(slash < 0 ? '' : dir.slice(0, slash));
      rules = own.length > 0 ? [...parent, ...own] : parent;
      this.nested.set(dir, rules);
    }
    return rules;
  }

  private hasFile(dir: string, name: string): boolean {
    return (this.entries(dir) ?? []).some((e) => e.name === name && !e.dir);
  }

  public exists(rel: string): boolean {
    if (rel === '') return true;
    const slash = rel.lastIndexOf('/');
    const parent = this.entries(slash < 0 ? '' : rel.slice(0, slash));
    if (parent) return parent.some((e) => e.name === rel.slice(slash + 1));
    return fs.existsSync(path.join(this.root, rel));
  }

  public isDir(rel: string): boolean {
    if (rel === '') return true;
    const slash = rel.lastIndexOf('/');
    const parent = this.entries(slash < 0 ? '' : rel.slice(0, slash));
    if (parent) return parent.some((e) => e.dir && e.name === rel.slice(slash + 1));
    try {
      return fs.statSync(path.join(this.root, rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Every entry of a folder, sorted (read once). */
  private entries(rel: string): { name: string; dir: boolean }[] | undefined {
    if (this.dirs.has(rel)) return this.dirs.get(rel);
    let entries: { name: string; dir: boolean }[] | undefined;
    try {
      entries = fs.readdirSync(path.join(this.root, rel), { withFileTypes: true })
        .map((e) => ({ name: e.name, dir: e.isDirectory() || (e.isSymbolicLink() && statDir(path.join(this.root, rel, e.name))) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      entries = undefined;
    }
    this.dirs.set(rel, entries);
    return entries;
  }

  /** The entries of a folder, sorted, skipping VCS and tool folders. */
  public list(rel: string): { name: string; dir: boolean }[] {
    return (this.entries(rel) ?? []).filter((e) => !(e.dir && (SKIP_DIRS.has(e.name) || e.name.startsWith('.'))));
  }

  public kustomizationFile(dir: string): string | undefined {
    return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => this.exists(f) && !this.isDir(f));
  }

  /** A file's text (read once). */
  public text(rel: string): string {
    let text = this.texts.get(rel);
    if (text === undefined) {
      text = fs.readFileSync(path.join(this.root, rel), 'utf8');
      this.texts.set(rel, text);
    }
    return text;
  }

  /**
   * Parses a file without counting it as checked: for objects that decide how the repo is read
   * (GitRepository, ArtifactGenerator) wherever they are. `read()` later reuses the parse.
   */
  public peek(rel: string): YamlFile {
    const parsed = this.cache.get(rel) ?? this.peeked.get(rel) ?? this.parse(rel);
    if (!this.cache.has(rel)) this.peeked.set(rel, parsed);
    return parsed;
  }

  /** Parses a file (once) and counts it as checked. */
  public read(rel: string): YamlFile {
    let parsed = this.cache.get(rel);
    if (parsed) return parsed;
    parsed = this.peeked.get(rel) ?? this.parse(rel);
    this.peeked.delete(rel);
    this.cache.set(rel, parsed);
    return parsed;
  }

  private parse(rel: string): YamlFile {
    const text = this.text(rel);
    this.texts.delete(rel);
    const lines = new LineCounter();
    const docs: YamlDoc[] = [];
    const errors: YamlError[] = [];
    // merge: kustomize (go-yaml v3) merges `<<: *anchor` keys, so `upgrade: { <<: *install }` is the install fields.
    const all = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: false, logLevel: 'error' });
    const list = Array.isArray(all) ? all : [];
    list.forEach((doc, index) => {
      if (doc.errors.length > 0) {
        const object = objectOf(doc);
        for (const e of doc.errors) errors.push({ ...explain(e, doc, text, lines), object });
        return;
      }
      const start = doc.contents?.range?.[0] ?? doc.range[0];
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIASES });
      } catch (e) {
        // An alias without its anchor, or aliases that expand too far: the file does not read.
        errors.push({ ...aliasError(e as Error, doc, list, text, lines, lines.linePos(start).line), object: objectOf(doc) });
        return;
      }
      docs.push({ file: rel, index, line: lines.linePos(start).line, value, doc, lines });
    });
    return { file: rel, docs: docs.filter((d) => d.value !== null && d.value !== undefined), errors };
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

function statDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * How many copies aliases may make when a document is read (the yaml package counts each alias
 * times the aliases inside its anchor): far more than any hand-written file needs, few enough to
 * stop an alias bomb.
 */
export const MAX_ALIASES = 10000;

/** `Kind/namespace/name` of a document that does not read, if what did parse tells (read without resolving aliases). */
function objectOf(doc: Document.Parsed): string | undefined {
  const kind = doc.get('kind');
  const name = doc.getIn(['metadata', 'name']);
  const namespace = doc.getIn(['metadata', 'namespace']);
  if (typeof doc.get('apiVersion') !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  return typeof namespace === 'string' ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** Why a document that parsed could not be read: an alias without an anchor before it (as go-yaml says it), or too many aliases. */
function aliasError(
  e: Error, doc: Document.Parsed, all: Document.Parsed[], text: string, lines: LineCounter, docLine: number,
): { line: number; message: string; fix: string } {
  let unresolved: Alias | undefined;
  visit(doc, {
    Alias: (_, node) => {
      if (!node.resolve(doc)) {
        unresolved = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (unresolved) {
    const name = unresolved.source;
    const line = unresolved.range ? lines.linePos(unresolved.range[0]).line : docLine;
    // Anchors do not reach across documents: say so when another document of the file has it.
    let elsewhere: number | undefined;
    const anchor = new RegExp(`&${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s,\\]}]|$)`);
    for (const other of all) {
      if (other === doc || elsewhere !== undefined) continue;
      const at = text.slice(other.range[0], other.range[2]).search(anchor);
      if (at >= 0) elsewhere = lines.linePos(other.range[0] + at).line;
    }
    const across = elsewhere === undefined ? '' : ` (the &${name} on line ${elsewhere} is in another document of the file, and anchors do not reach across '---')`;
    return {
      line,
      message: `the alias *${name} has no anchor &${name} before it${across}: Flux fails with 'MalformedYAMLError: yaml: unknown anchor '${name}' referenced'`,
      fix: `set the anchor (&${name}) on a value above line ${line} in the same document, or write the value out`,
    };
  }
  let first: number | undefined;
  visit(doc, {
    Node: (_, node) => {
      if (isAlias(node) && node.range) {
        first = lines.linePos(node.range[0]).line;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return {
    line: first ?? docLine,
    message: `its aliases expand to more than ${MAX_ALIASES} copies (${e.message.toLowerCase()}), so the check does not read it: kustomize expands every alias in full`,
    fix: 'write the values out, or nest fewer aliases in one another',
  };
}

/** A yaml error in the words of what Flux prints, at the line where the mistake is. */
function explain(e: YAMLError, doc: Document.Parsed, text: string, lines: LineCounter): { line: number; message: string; fix: string } {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const line = lines.linePos(e.pos[0]).line;
  if (e.code === 'DUPLICATE_KEY') {
    let key: string | undefined;
    let firstLine: number | undefined;
    visit(doc, {
      Map: (_, map) => {
        const pairs = map.items;
        const i = pairs.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === e.pos[0]);
        if (i < 0) return undefined;
        const k = (pairs[i].key as Scalar).value;
        key = String(k);
        const earlier = pairs.slice(0, i).find((p) => isScalar(p.key) && p.key.value === k);
        if (earlier && isScalar(earlier.key) && earlier.key.range) firstLine = lines.linePos(earlier.key.range[0]).line;
        return visit.BREAK;
      },
    });
    return {
      line,
      message: `the key '${key ?? text.slice(e.pos[0], e.pos[1])}' appears twice in one mapping${firstLine ? ` (first on line ${firstLine})` : ''}: Flux fails with 'kustomize build failed: … mapping key "${key ?? ''}" already defined'`,
      fix: 'keep one of the two keys (a wrong indent often puts a key in the wrong mapping)',
    };
  }
  if (e.code === 'MISSING_CHAR' && /closing .?quote/i.test(first)) {
    // The parser notices at the end of the text; the quote was opened earlier.
    let opened: number | undefined;
    visit(doc, {
      Scalar: (_, node) => {
        const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
        if (quoted && node.range && node.range[0] < e.pos[0] && node.range[2] >= e.pos[0]) {
          opened = node.range[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const at = opened === undefined ? line : lines.linePos(opened).line;
    return { line: at, message: `a quoted string that starts here is never closed (${first})`, fix: `close the quote on line ${at}` };
  }
  if (e.code === 'TAB_AS_INDENT') {
    return { line, message: `a tab is used for indentation (${first}); YAML indents with spaces only`, fix: 'indent with spaces' };
  }
  return { line, message: first, fix: 'fix the YAML: Flux cannot read this file at all' };
}

export function join(a: string, b: string): string {
  const p = a ? `${a}/${b}` : b;
  return p === '' ? '' : path.posix.normalize(p).replace(/^\.\//, '').replace(/\/$/, '').replace(/^\.$/, '');
}

interface IgnoreRule {
  readonly re: RegExp;
  readonly negate: boolean;
  /** A pattern ending in '/': folders only. */
  readonly dirOnly: boolean;
}

/** fluxcd/pkg sourceignore: VCS files and the default excludes of every GitRepository artifact. */
const FLUX_DEFAULT_IGNORE = [
  '.git/', '.gitignore', '.gitmodules', '.gitattributes',
  '*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip',
  '.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml', 'codeship-*.yml',
  '**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml',
].join('\n');

/** The patterns of a .gitignore-style file; `base` is the folder the file is in. */
function parseIgnore(text: string, base: string): IgnoreRule[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), dirOnly: l.endsWith('/'), re: globToRegExp(l.replace(/^!/, ''), base) }));
}

/** A .gitignore-style pattern as a regular expression that matches a whole repo-relative path (a file's or a folder's). */
export function globToRegExp(pattern: string, base: string = ''): RegExp {
  let p = pattern;
  const anchored = p.startsWith('/') || p.slice(0, -1).includes('/');
  p = p.replace(/^\//, '');
  p = p.replace(/\/$/, '');
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (p.startsWith('**/', i)) {
      body += '(?:.*/)?';
      i += 2;
    } else if (p.startsWith('/**', i) && i + 3 === p.length) {
      body += '/.*';
      i += 2;
    } else if (p.startsWith('**', i)) {
      body += '.*';
      i += 1;
    } else if (c === '*') {
      body += '[^/]*';
    } else if (c === '?') {
      body += '[^/]';
    } else if (c === '[' && p.indexOf(']', i + 1) > i + 1) {
      const end = p.indexOf(']', i + 1);
      body += `[${p.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < p.length) {
      body += p[i + 1].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 1;
    } else {
      body += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const prefix = base ? `^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/` : '^';
  return new RegExp(`${prefix}${anchored ? '' : '(?:.*/)?'}${body}$`);
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
