import * as fs from 'fs';
import * as path from 'path';
import { Alias, Document, isAlias, isScalar, LineCounter, parseAllDocuments, Scalar, visit, YAMLError } from 'yaml';
import type { Origin } from './patch';
import { parseSimpleDocuments } from './simple-yaml';

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
  private readonly dirs = new Map<string, Entry[] | undefined>();
  /** The real path of each folder listed so far (symlinks resolved), to tell a folder loop. */
  private readonly realDirs = new Map<string, string>();
  /** Files and folders that are not read: a symlink loop or one out of the repo, a device, a name that is not UTF-8, a file too large. */
  public readonly unreadable = new Map<string, Unreadable>();
  private readonly rootReal: string;
  /** Files that are not manifests but are read as YAML all the same (Helm values of a configMapGenerator), and what reads them. */
  public readonly readers = new Map<string, string>();
  private readonly rules: IgnoreRule[];
  private readonly nested = new Map<string, IgnoreRule[]>();
  private readonly ignoredDirs = new Map<string, boolean>();

  constructor(public readonly root: string) {
    this.rootReal = fs.realpathSync(root);
    this.realDirs.set('', this.rootReal);
    // What Flux leaves out of a GitRepository artifact by default (fluxcd/pkg sourceignore), then
    // what Git leaves out (.gitignore), then the repo's .sourceignore (flux.md §7).
    this.rules = [...parseIgnore(FLUX_DEFAULT_IGNORE, ''), ...parseIgnore(this.readOptional('.gitignore'), ''), ...parseIgnore(this.readOptional('.sourceignore'), '')];
  }

  /** A file's text, or '' when it is not there (or not a file that may be read). */
  public readOptional(rel: string): string {
    if (!this.exists(rel) || this.isDir(rel)) return '';
    try {
      return this.text(rel);
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

  /** Whether a path is in the repo (only through folders and symlinks that stay inside it). */
  public exists(rel: string): boolean {
    return this.entry(rel) !== undefined;
  }

  public isDir(rel: string): boolean {
    return this.entry(rel)?.dir === true;
  }

  private entry(rel: string): Entry | undefined {
    if (rel === '') return { name: '', dir: true };
    if (rel === '..' || rel.startsWith('../') || rel.startsWith('/')) return undefined;
    const slash = rel.lastIndexOf('/');
    const name = rel.slice(slash + 1);
    return this.entries(slash < 0 ? '' : rel.slice(0, slash))?.find((e) => e.name === name);
  }

  /**
   * Every entry of a folder, sorted (read once). A folder is listed only when its parent listed
   * it, so nothing is reached through a symlink that leaves the repo or loops; entries that cannot
   * be read (a loop, a symlink out of the repo, a device or pipe, a name that is not UTF-8) are left
   * out and recorded in `unreadable`.
   */
  private entries(rel: string): Entry[] | undefined {
    if (this.dirs.has(rel)) return this.dirs.get(rel);
    let entries: Entry[] | undefined;
    const real = rel === '' ? this.rootReal : (this.isDir(rel) ? this.realDirs.get(rel) : undefined);
    if (real !== undefined) {
      try {
        entries = [];
        for (const raw of fs.readdirSync(real, { encoding: 'buffer' })) {
          const e = this.classify(rel, real, raw);
          if (e) entries.push(e);
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch {
        entries = undefined;
      }
    }
    this.dirs.set(rel, entries);
    return entries;
  }

  /** One entry of a folder: a folder or a regular file that stays in the repo, or undefined (and why, in `unreadable`). */
  private classify(dir: string, realDir: string, raw: Buffer): Entry | undefined {
    const name = raw.toString('utf8');
    const rel = join(dir, name);
    // Dot folders (.git) and tool folders are never read: what is wrong inside them is not ours to say.
    const quiet = SKIP_DIRS.has(name) || name.startsWith('.');
    const bad = (message: string, fix: string) => {
      if (!quiet) this.unreadable.set(rel, { file: rel, message, fix });
      return undefined;
    };
    if (!Buffer.from(name, 'utf8').equals(raw)) {
      const shown = join(dir, raw.toString('latin1').replace(/[^\x20-\x7e]/g, '?'));
      this.unreadable.set(shown, { file: shown, message: `the file name is not UTF-8 (bytes ${raw.toString('hex')}), so it is not read`, fix: 'rename it with a UTF-8 name' });
      return undefined;
    }
    const abs = path.join(realDir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = fs.realpathSync(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A dangling symlink is a file that is not there.
        if (code === 'ENOENT') return undefined;
        return bad(`is a symlink that cannot be resolved (${code === 'ELOOP' ? 'a symlink loop' : code}): kustomize fails to read it`, 'point the symlink at a file of the repo, or replace it with the file');
      }
      if (target !== this.rootReal && !target.startsWith(this.rootReal + path.sep)) {
        return bad(`is a symlink to ${target}, outside the repo: it is not read (kustomize refuses files outside the root: 'security; file … is not in or below …')`, 'copy what it points to into the repo');
      }
      try {
        st = fs.statSync(target);
      } catch {
        return undefined;
      }
      if (st.isDirectory()) {
        // A folder loop: the symlink leads to a folder it is already inside of (on the way from the root).
        for (let up: string | undefined = dir; up !== undefined; up = up === '' ? undefined : parentOf(up)) {
          if (this.realDirs.get(up) === target) {
            return bad(`is a symlink to the folder '${up || '.'}' that holds it (a folder loop): it is not walked`, 'remove the symlink, or point it at a folder that does not hold it');
          }
        }
        this.realDirs.set(rel, target);
        return { name, dir: true };
      }
      return st.isFile() ? { name, dir: false, size: st.size, real: target } : bad(`is a symlink to ${target}, which is not a regular file: it is not read`, 'replace it with a regular file');
    }
    if (st.isDirectory()) {
      this.realDirs.set(rel, abs);
      return { name, dir: true };
    }
    if (st.isFile()) return { name, dir: false, size: st.size, real: abs };
    return bad(`is not a regular file (${st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'a device'}): it is not read`, 'remove it from the repo');
  }

  /** The entries of a folder, sorted, skipping VCS and tool folders. */
  public list(rel: string): Entry[] {
    return (this.entries(rel) ?? []).filter((e) => !(e.dir && (SKIP_DIRS.has(e.name) || e.name.startsWith('.'))));
  }

  public kustomizationFile(dir: string): string | undefined {
    return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => this.exists(f) && !this.isDir(f));
  }

  /** A file's text (read once). */
  public text(rel: string): string {
    let text = this.texts.get(rel);
    if (text === undefined) {
      const e = this.entry(rel);
      if (!e || e.dir) {
        text = '';
      } else if ((e.size ?? 0) > MAX_FILE_BYTES) {
        this.unreadable.set(rel, {
          file: rel,
          message: `is ${(e.size! / 1048576).toFixed(1)} MiB, more than the ${MAX_FILE_BYTES / 1048576} MiB the check reads: it is not checked`,
          fix: 'split it into smaller files (a manifest this large is rarely meant)',
        });
        text = '';
      } else {
        try {
          text = readRegularFile(e.real!);
        } catch (err) {
          this.unreadable.set(rel, { file: rel, message: `cannot be read (${(err as Error).message})`, fix: 'make it a readable regular file' });
          text = '';
        }
      }
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
    let text = this.text(rel);
    this.texts.delete(rel);
    let lines = new LineCounter();
    const parseText = (t: string, lc: LineCounter) => {
      const all = parseAllDocuments(t, { lineCounter: lc, ...PARSE_OPTIONS });
      return Array.isArray(all) ? all : [];
    };
    // Most files take the fast reader (which has no duplicate keys to report: it leaves those files to the yaml package).
    const simple = parseSimpleDocuments(text, lines, PARSE_OPTIONS);
    let list = simple ?? parseText(text, lines);
    if (list.some((d) => d.errors.length > 0)) {
      // go-yaml reads a quoted scalar whose continuation lines are not indented past its key (common
      // in CRD descriptions); the yaml package does not. Read it again with those lines indented
      // (which does not change the value: a quoted scalar's line breaks fold with their indent).
      const again = indentQuotedContinuations(text);
      if (again !== text) {
        const lc = new LineCounter();
        const other = parseText(again, lc);
        const count = (l: Document.Parsed[]) => l.reduce((n, d) => n + d.errors.length, 0);
        if (count(other) < count(list)) {
          text = again;
          lines = lc;
          list = other;
        }
      }
    }
    const docs: YamlDoc[] = [];
    const errors: YamlError[] = [];
    list.forEach((doc, index) => {
      if (doc.errors.length > 0) {
        // go-yaml stops at the first error; what follows an unclosed quote is its echo.
        errors.push({ ...explain(doc.errors[0], doc, text, lines), object: objectOf(doc) });
        return;
      }
      const duplicate = simple ? undefined : duplicateKey(doc, lines);
      if (duplicate) {
        errors.push({ ...duplicate, object: objectOf(doc) });
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

/** An entry of a folder that may be read. */
interface Entry {
  readonly name: string;
  readonly dir: boolean;
  /** A file's size in bytes. */
  readonly size?: number;
  /** A file's real path (its symlink resolved). */
  readonly real?: string;
}

/** A file or folder the check does not read, and why. */
export interface Unreadable {
  readonly file: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * How the check reads YAML. merge: kustomize (go-yaml v3) merges `<<: *anchor` keys, so
 * `upgrade: { <<: *install }` is the install fields. Duplicate keys are found in linear time
 * after the parse (the parser's own check compares every key with every other one).
 */
export const PARSE_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false, logLevel: 'error' } as const;

/** The largest file the check reads (larger ones are a finding, not read): 16 MiB. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** Reads a file that must still be a regular file when opened (not swapped for a pipe or device since it was listed), at most MAX_FILE_BYTES. */
function readRegularFile(p: string): string {
  // Not blocking on a pipe, not following a symlink put there since: the flags add up (no overlap).
  const fd = fs.openSync(p, fs.constants.O_RDONLY + (fs.constants.O_NONBLOCK ?? 0) + (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1048576} MiB`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    fs.closeSync(fd);
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

/**
 * The first key that appears twice in one mapping, as go-yaml v3 (kustomize) finds it: keys
 * are the same when their kind and text are (`1` and "1" too). Linear: one set per mapping.
 */
function duplicateKey(doc: Document.Parsed, lines: LineCounter): { line: number; message: string; fix: string } | undefined {
  let found: { line: number; message: string; fix: string } | undefined;
  visit(doc, {
    Map: (_, map) => {
      const seen = new Set<string>();
      const keyText = (k: Scalar) => (typeof k.source === 'string' ? k.source : String(k.value));
      for (const pair of map.items) {
        const k = pair.key;
        if (!isScalar(k)) continue;
        const text = keyText(k);
        // Merge keys may repeat (go-yaml merges each).
        if (text === '<<' && k.type === Scalar.PLAIN) continue;
        if (!seen.has(text)) {
          seen.add(text);
          continue;
        }
        const first = map.items.find((p) => isScalar(p.key) && keyText(p.key) === text)!.key as Scalar;
        const line = k.range ? lines.linePos(k.range[0]).line : 1;
        const firstLine = first.range ? lines.linePos(first.range[0]).line : undefined;
        found = {
          line,
          message: `the key '${text}' appears twice in one mapping${firstLine ? ` (first on line ${firstLine})` : ''}: Flux fails with 'kustomize build failed: … mapping key "${text}" already defined'`,
          fix: 'keep one of the two keys (a wrong indent often puts a key in the wrong mapping)',
        };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The text with the continuation lines of multi-line quoted scalars indented past their key, as
 * the yaml package needs and go-yaml, PyYAML and kubectl do not (they take any indent there).
 * Lines of block scalars and comments are left alone; nothing else changes.
 */
export function indentQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  let quote: string | undefined;
  let minIndent = 0;
  let block: number | undefined;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const indent = line.length - line.trimStart().length;
    let from = 0;
    if (quote !== undefined) {
      if (/^(---|\.\.\.)(\s|$)/.test(line)) {
        quote = undefined;
        continue;
      }
      if (line.trim() !== '' && indent < minIndent) {
        line = ' '.repeat(minIndent - indent) + line;
        lines[i] = line;
        changed = true;
      }
      const end = closingQuote(line, 0, quote);
      if (end < 0) continue;
      quote = undefined;
      from = end + 1;
    } else if (block !== undefined) {
      if (line.trim() === '' || indent > block) continue;
      block = undefined;
    }
    // The column of the line's key: past any `- ` sequence indicators.
    const keyCol = from === 0 ? /^[ ]*(?:-[ ]+)*/.exec(line)![0].length : minIndent - 1;
    const dashCol = indent;
    let prev = from === 0 ? '' : 'x';
    for (let j = from; j < line.length; j++) {
      const c = line[j];
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (j === 0 || line[j - 1] === ' ' || line[j - 1] === '\t')) break;
      const starts = prev === '' || prev === ':' || prev === '-' || prev === '[' || prev === '{' || prev === ',' || prev === '?';
      if (starts && (c === '"' || c === "'")) {
        const end = closingQuote(line, j + 1, c);
        if (end < 0) {
          quote = c;
          minIndent = keyCol + 1;
          break;
        }
        j = end;
        prev = 'x';
        continue;
      }
      if (starts && (c === '|' || c === '>') && /^[|>][0-9+-]{0,2}[ \t]*(#.*)?$/.test(line.slice(j))) {
        block = prev === ':' ? keyCol : dashCol;
        break;
      }
      // A plain scalar or key: skip to the next indicator that may start a value.
      if (c === ':' || c === '-' || c === '[' || c === '{' || c === ',' || c === '?') {
        prev = (c === ':' || c === '-' || c === '?') && j + 1 < line.length && line[j + 1] !== ' ' && line[j + 1] !== '\t' ? 'x' : c;
        continue;
      }
      prev = 'x';
    }
  }
  return changed ? lines.join('\n') : text;
}

/** The index of the quote that closes a quoted scalar opened before `from`, or -1 when the line does not close it. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let j = from; j < line.length; j++) {
    if (quote === '"' && line[j] === '\\') {
      j++;
      continue;
    }
    if (line[j] === quote) {
      if (quote === "'" && line[j + 1] === "'") {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
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
