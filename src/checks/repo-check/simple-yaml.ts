import { Alias, Document, LineCounter, Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

/**
 * A fast reader for the YAML that manifests, CRDs and values files are made of: block mappings
 * and sequences; plain scalars (folded over more lines too), quoted ones (on more lines too,
 * double-quoted with JSON's escapes), `|` and `|-` literal blocks, one-line flow sequences and
 * mappings of scalars; anchors, aliases and merge keys; comments, `---` and empty documents. It
 * builds the Documents the yaml package's composer builds for that text: the same node classes,
 * values, scalar types, sources and formats, anchors, the same range starts (the lines findings
 * name) and line starts, about five times as fast and with a fraction of the garbage. That is
 * what keeps the check of a 10 MB file within a second or two.
 *
 * Anything else (tags, nested flow collections, folded and keep blocks, indentation indicators,
 * explicit keys, directives, `...`, tabs, CR line ends, a key that appears twice, a comment after
 * an empty value, any syntax error) makes it return `undefined`, and the caller reads the text
 * with the yaml package: its answer is the package's answer, or none. The ends of ranges follow
 * simpler rules than the package's (which comments a node takes in); nothing reads them for such
 * documents. test/checks/repo-check/simple-yaml.test.ts compares the two readers on every YAML
 * file of the tests and on thousands of generated and mutated texts.
 */
export function parseSimpleDocuments(
  text: string, lines: LineCounter, options: ParseOptions & DocumentOptions & SchemaOptions,
): Document.Parsed[] | undefined {
  // Characters whose rules the reader does not take on: tabs, CR, other control characters, BOM, NEL, LS and PS.
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029]/.test(text)) return undefined;
  try {
    const reader = new Reader(text, options);
    const docs = reader.documents();
    for (const start of reader.starts) lines.addNewLine(start);
    return docs;
  } catch (e) {
    // Nesting deeper than the stack: the yaml package's (it reports it as an error of the file).
    if (e === NOT_SIMPLE || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Thrown (one object, no stack to capture) where the text leaves what the reader takes on. */
const NOT_SIMPLE = { notSimple: true };

function bail(): never {
  throw NOT_SIMPLE;
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const AMPERSAND = 38;
/** The indent of a line that holds only a comment, or nothing but spaces (both below any real indent). */
const COMMENT = -1;
const BLANK = -2;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** First characters a plain scalar may not start with here: YAML's indicators, and the ones the reader leaves to the yaml package. */
const NOT_PLAIN_START = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));
/** Characters a plain key, an anchor or an alias may not hold here (flow indicators: the yaml package has its own reading of them). */
const NOT_IN_KEY = new Set('[]{},'.split('').map((c) => c.charCodeAt(0)));
/** What ends a plain scalar in a flow collection (a comma, a closing bracket, a space). */
const FLOW_END = new Set([44, 93, 125, SPACE]);
/** JSON's escapes, which mean the same in a YAML double-quoted scalar. */
const JSON_ESCAPES = /\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})|\\u[dD][89a-fA-F]/;

interface Tag {
  readonly default?: boolean | 'key';
  readonly test?: RegExp;
  readonly format?: string;
  resolve(value: string, onError: (message: string) => void, options: unknown): unknown;
}

class Reader {
  /** Where each line starts (the first at 0), as the yaml package's LineCounter has them. */
  public readonly starts: number[] = [0];
  /** Each line's indent, or COMMENT or BLANK for a line with no content. */
  private readonly indents: Int32Array;
  private readonly n: number;
  /** The schema of the document being read (its nodes hold it, as the composer's do). */
  private schema: Schema;
  private readonly valueTags: Tag[];
  private readonly keyTags: Tag[];

  constructor(private readonly text: string, private readonly options: ParseOptions & DocumentOptions & SchemaOptions) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    this.n = this.starts.length;
    this.indents = new Int32Array(this.n);
    for (let l = 0; l < this.n; l++) {
      const s = this.starts[l];
      const e = this.end(l);
      let p = s;
      while (p < e && text.charCodeAt(p) === SPACE) p++;
      this.indents[l] = p === e ? BLANK : text.charCodeAt(p) === HASH ? COMMENT : p - s;
    }
    this.schema = new Document(undefined, options).schema;
    const tags = (this.schema as unknown as { tags: Tag[] }).tags;
    this.valueTags = tags.filter((t) => t.default === true && t.test);
    this.keyTags = tags.filter((t) => (t.default === true || t.default === 'key') && t.test);
  }

  public documents(): Document.Parsed[] {
    const docs: Document.Parsed[] = [];
    let l = this.skip(0);
    while (l < this.n) {
      let docStart = false;
      // A document starts at its `---`, or else at its content (comments before it are not its own).
      const offset = this.starts[l];
      if (this.isMarker(l)) {
        // `---` alone on its line (a comment may follow).
        const p = this.starts[l] + 3;
        const rest = this.text.slice(p, this.end(l));
        if (rest !== '' && !/^ +#/.test(rest) && !/^ +$/.test(rest)) bail();
        docStart = true;
        l = this.skip(l + 1);
      } else if (this.isDocEnd(l)) {
        bail();
      }
      const doc = new Document(undefined, this.options) as Document.Parsed;
      this.schema = doc.schema;
      if (l >= this.n || this.isMarker(l)) {
        // An empty document (`helm template` writes one per empty template): a null after the `---` and its spaces.
        let k = offset + 3;
        while (this.text.charCodeAt(k) === SPACE) k++;
        doc.directives!.docStart = true;
        (doc as { contents: unknown }).contents = this.nullAt(k);
        doc.range = [offset, k, l < this.n ? this.starts[l] : this.text.length];
        docs.push(doc);
        continue;
      }
      const col = this.indents[l];
      const root = this.block(l, col);
      l = this.skip(root.next);
      if (l < this.n && !this.isMarker(l)) bail();
      if (docStart) doc.directives!.docStart = true;
      (doc as { contents: unknown }).contents = root.node;
      // Blank and comment lines after the content are the document's, up to the next `---`;
      // not after an empty value (which ends before its line's newline).
      const contentEnd = root.node.range![2];
      const docEnd = this.text.charCodeAt(contentEnd) === 10 ? contentEnd : l < this.n ? this.starts[l] : this.text.length;
      doc.range = [offset, contentEnd, docEnd];
      docs.push(doc);
    }
    return docs;
  }

  /** The end of line l (its '\n', or the end of the text). */
  private end(l: number): number {
    return l + 1 < this.n ? this.starts[l + 1] - 1 : this.text.length;
  }

  /** The first line from l that is not blank or a comment. */
  private skip(l: number): number {
    while (l < this.n && this.indents[l] < 0) l++;
    return l;
  }

  private isMarker(l: number): boolean {
    const s = this.starts[l];
    return this.indents[l] === 0 && this.text.startsWith('---', s) && (s + 3 === this.end(l) || this.text.charCodeAt(s + 3) === SPACE);
  }

  private isDocEnd(l: number): boolean {
    const s = this.starts[l];
    return this.indents[l] === 0 && this.text.startsWith('...', s) && (s + 3 === this.end(l) || this.text.charCodeAt(s + 3) === SPACE);
  }

  /** Whether position p starts a sequence item (`-` then a space or the end of the line). */
  private isItem(p: number, e: number): boolean {
    return this.text.charCodeAt(p) === DASH && (p + 1 === e || this.text.charCodeAt(p + 1) === SPACE);
  }

  /** A block collection whose first token is at line l, column col. */
  private block(l: number, col: number): { node: YAMLMap | YAMLSeq; next: number } {
    const p = this.starts[l] + col;
    if (this.isItem(p, this.end(l))) return this.seq(l, col);
    const colon = this.keyEnd(p, this.end(l));
    if (colon >= 0) return this.map(l, col, colon);
    return bail();
  }

  /**
   * Where the key at p ends (the index of its ':'), or -1 when no key starts at p. Bails on keys
   * the reader leaves to the yaml package.
   */
  private keyEnd(p: number, e: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.closingQuote(p, e);
      if (close < 0) return -1;
      if (t.charCodeAt(close + 1) !== COLON) return -1;
      return close + 2 === e || t.charCodeAt(close + 2) === SPACE ? close + 1 : -1;
    }
    if (NOT_PLAIN_START.has(c)) return -1;
    for (let k = p; k < e; k++) {
      const ch = t.charCodeAt(k);
      if (ch === COLON && (k + 1 === e || t.charCodeAt(k + 1) === SPACE)) {
        if (t.charCodeAt(k - 1) === SPACE || k - p > 1000) bail();
        return k;
      }
      if ((ch === HASH && t.charCodeAt(k - 1) === SPACE) || NOT_IN_KEY.has(ch)) return -1;
    }
    return -1;
  }

  /** The index of the quote closing the quoted scalar opened at p, or -1 when it does not close on its line. */
  private closingQuote(p: number, e: number): number {
    return this.closeFrom(p + 1, e, this.text.charCodeAt(p));
  }

  /** The index of the quote q that closes a quoted scalar, from `from` on a line ending at e, or -1. */
  private closeFrom(from: number, e: number, q: number): number {
    const t = this.text;
    for (let k = from; k < e; k++) {
      const ch = t.charCodeAt(k);
      if (q === DQUOTE && ch === BACKSLASH) {
        k++;
        continue;
      }
      if (ch === q) {
        if (q === SQUOTE && t.charCodeAt(k + 1) === SQUOTE) {
          k++;
          continue;
        }
        return k;
      }
    }
    return -1;
  }

  /** A block mapping whose first key is at line l, column col (its ':' at `colon`, when the caller found it). */
  private map(l: number, col: number, colon: number = -1): { node: YAMLMap; next: number } {
    const map = new YAMLMap(this.schema);
    const seen = new Set<string>();
    const start = this.starts[l] + col;
    let end = start;
    let last = l + 1;
    for (;;) {
      const e = this.end(l);
      const p = this.starts[l] + col;
      if (colon < 0) colon = this.keyEnd(p, e);
      if (colon < 0) bail();
      const key = this.scalarAt(p, colon, true);
      const source = key.source as string;
      // Merge keys (`<<: *defaults`) may repeat, as go-yaml merges each.
      if (!(source === '<<' && key.type === Scalar.PLAIN)) {
        if (seen.has(source)) bail();
        seen.add(source);
      }
      const { node: value, next } = this.value(colon + 1, l, col, false);
      map.items.push(new Pair(key, value));
      end = value.range![2];
      last = next;
      colon = -1;
      const j = this.skip(next);
      if (j >= this.n || this.isMarker(j) || this.indents[j] < col) break;
      if (this.indents[j] > col || this.isItem(this.starts[j] + col, this.end(j))) break;
      l = j;
    }
    map.range = [start, end, end];
    return { node: map, next: last };
  }

  /** A block sequence whose first `-` is at line l, column col. */
  private seq(l: number, col: number): { node: YAMLSeq; next: number } {
    const seq = new YAMLSeq(this.schema);
    const start = this.starts[l] + col;
    let end = start;
    let last = l + 1;
    for (;;) {
      const { node: item, next } = this.value(this.starts[l] + col + 1, l, col, true);
      seq.items.push(item);
      end = item.range![2];
      last = next;
      const j = this.skip(next);
      if (j >= this.n || this.isMarker(j) || this.indents[j] < col) break;
      if (this.indents[j] > col || !this.isItem(this.starts[j] + col, this.end(j))) break;
      l = j;
    }
    seq.range = [start, end, end];
    return { node: seq, next: last };
  }

  /**
   * The value after a key's ':' or an item's '-' (from p, on line l, in the collection at column
   * col): an optional anchor, then a value on the line, or a block on the lines below (a
   * sequence at the mapping's own column too), or nothing (null). In a sequence item, a mapping
   * may start on the line (`- name: x`).
   */
  private value(p: number, l: number, col: number, inSeq: boolean): { node: Scalar | YAMLMap | YAMLSeq | Alias; next: number } {
    const t = this.text;
    const e = this.end(l);
    let v = p;
    while (v < e && t.charCodeAt(v) === SPACE) v++;
    let anchor: string | undefined;
    if (t.charCodeAt(v) === AMPERSAND) ({ anchor, at: v } = this.anchorAt(v, e));
    let r: { node: Scalar | YAMLMap | YAMLSeq | Alias; next: number };
    if (v === e || t.charCodeAt(v) === HASH) {
      const j = this.skip(l + 1);
      if (j < this.n && !this.isMarker(j) && this.indents[j] > col) {
        r = this.block(j, this.indents[j]);
      } else if (!inSeq && j < this.n && this.indents[j] === col && this.isItem(this.starts[j] + col, this.end(j))) {
        r = this.seq(j, col);
      } else {
        // An anchored empty value: the yaml package's.
        if (anchor !== undefined) bail();
        r = { node: this.empty(p, l), next: l + 1 };
      }
    } else if (inSeq && this.isItem(v, e)) {
      return bail();
    } else {
      const colon = inSeq ? this.keyEnd(v, e) : -1;
      if (colon >= 0) {
        // `- &a key: value` anchors the key: the yaml package's.
        if (anchor !== undefined) bail();
        r = this.map(l, v - this.starts[l], colon);
      } else {
        r = this.inline(v, l, col);
      }
    }
    if (anchor !== undefined) (r.node as Scalar).anchor = anchor;
    return r;
  }

  /**
   * A value that starts at p on line l, in a collection at column col: a plain or quoted scalar
   * (on more lines than one too), an alias, a one-line flow collection of scalars or a `|` block.
   */
  private inline(p: number, l: number, col: number): { node: Scalar | YAMLMap | YAMLSeq | Alias; next: number } {
    const t = this.text;
    const e = this.end(l);
    const c = t.charCodeAt(p);
    let node: Scalar | YAMLMap | YAMLSeq | Alias;
    let last = l;
    if (c === 124 /* | */) return this.literal(p, l, col);
    if (c === 42 /* * */) {
      const k = this.nameEnd(p + 1, e);
      const name = t.slice(p + 1, k);
      // `*a:` is an error of the yaml package's (an alias ending in ':').
      if (name.endsWith(':')) bail();
      node = new Alias(name);
      node.range = [p, k, this.lineEndAfter(k, e)];
    } else if (c === 91 /* [ */) {
      node = this.flowSeq(p, e);
    } else if (c === 123 /* { */) {
      node = this.flowMap(p, e);
    } else if (c === DQUOTE || c === SQUOTE) {
      const close = this.closingQuote(p, e);
      if (close >= 0) {
        node = this.scalarAt(p, close + 1, false);
        node.range![2] = this.lineEndAfter(close + 1, e);
      } else {
        ({ node, last } = this.multiLineQuoted(p, l, col));
      }
    } else {
      if (NOT_PLAIN_START.has(c) && !(c === DASH && p + 1 < e && t.charCodeAt(p + 1) !== SPACE)) bail();
      let k = this.plainEnd(p, e);
      const commented = k < e;
      while (t.charCodeAt(k - 1) === SPACE) k--;
      // More lines, more indented than the collection, continue a plain scalar: folded with a space, or a newline per blank line.
      let folded: string | undefined;
      let stop = k;
      for (let x = l + 1; !commented && x < this.n;) {
        let blanks = 0;
        while (x < this.n && this.isBlank(x)) {
          blanks++;
          x++;
        }
        if (x >= this.n || this.indents[x] <= col) break;
        const s0 = this.starts[x] + this.indents[x];
        const e0 = this.end(x);
        // A continuation line may start with any character but an indicator (`- `, `? `, `: `) or a comment.
        const c0 = t.charCodeAt(s0);
        if (c0 === HASH || ((c0 === DASH || c0 === 63 /* ? */ || c0 === COLON) && (s0 + 1 === e0 || t.charCodeAt(s0 + 1) === SPACE))) bail();
        let k0 = this.plainEnd(s0, e0);
        if (k0 < e0) bail();
        while (t.charCodeAt(k0 - 1) === SPACE) k0--;
        folded = (folded ?? t.slice(p, k)) + (blanks > 0 ? '\n'.repeat(blanks) : ' ') + t.slice(s0, k0);
        stop = k0;
        last = x;
        x++;
      }
      node = this.scalarAt(p, stop, false, folded);
      node.range![2] = this.lineEndAfter(stop, this.end(last));
    }
    // A more indented line after the value continues it (or is an error): the yaml package's.
    const j = this.skip(last + 1);
    if (j < this.n && !this.isMarker(j) && this.indents[j] > col) bail();
    return { node, next: last + 1 };
  }

  /**
   * A quoted scalar that the line l does not close, from its quote at p: its lines fold (a line
   * break is a space, each blank line a newline), and each is indented past the collection at
   * col (the yaml package's rule; go-yaml's looser one is the caller's to handle). A backslash in
   * a double-quoted one (escaped line breaks): the yaml package's.
   */
  private multiLineQuoted(p: number, l: number, col: number): { node: Scalar; last: number } {
    const t = this.text;
    const q = t.charCodeAt(p);
    const unquote = (x: string) => (q === SQUOTE ? x.replace(/''/g, "'") : x);
    const check = (x: string) => {
      if (q === DQUOTE && x.includes('\\')) bail();
      return x;
    };
    let value = unquote(check(t.slice(p + 1, this.end(l)))).replace(/ +$/, '');
    let blanks = 0;
    for (let x = l + 1; x < this.n; x++) {
      if (this.isBlank(x)) {
        blanks++;
        continue;
      }
      const s0 = this.starts[x] + this.indentOf(x);
      const e0 = this.end(x);
      if (s0 - this.starts[x] <= col) bail();
      const close = this.closeFrom(s0, e0, q);
      const join = blanks > 0 ? '\n'.repeat(blanks) : ' ';
      blanks = 0;
      if (close < 0) {
        value += join + unquote(check(t.slice(s0, e0))).replace(/ +$/, '');
        continue;
      }
      value += join + unquote(check(t.slice(s0, close)));
      const scalar = new Scalar(value);
      scalar.type = q === DQUOTE ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
      scalar.source = value;
      scalar.range = [p, close + 1, this.lineEndAfter(close + 1, e0)];
      return { node: scalar, last: x };
    }
    return bail();
  }

  /** The anchor `&name` at p (then spaces), and where the value after it starts. An anchored alias is an error: the yaml package's. */
  private anchorAt(p: number, e: number): { anchor: string; at: number } {
    const t = this.text;
    let k = this.nameEnd(p + 1, e);
    const anchor = t.slice(p + 1, k);
    while (k < e && t.charCodeAt(k) === SPACE) k++;
    if (t.charCodeAt(k) === 42 /* * */ || t.charCodeAt(k) === AMPERSAND) bail();
    return { anchor, at: k };
  }

  /** Where the name of an anchor or alias from p ends: at a space or the end of the line. A flow indicator in it, or no name: the yaml package's. */
  private nameEnd(p: number, e: number): number {
    const t = this.text;
    let k = p;
    while (k < e && t.charCodeAt(k) !== SPACE) {
      if (NOT_IN_KEY.has(t.charCodeAt(k))) bail();
      k++;
    }
    if (k === p) bail();
    return k;
  }

  /** The indent of line x (its leading spaces, whatever follows them). */
  private indentOf(x: number): number {
    const t = this.text;
    let k = this.starts[x];
    const e = this.end(x);
    while (k < e && t.charCodeAt(k) === SPACE) k++;
    return k - this.starts[x];
  }

  /** Where the plain scalar from p on a line ending at e ends (a comment, or e). Bails on `: ` (a mapping where none may be). */
  private plainEnd(p: number, e: number): number {
    const t = this.text;
    for (let k = p; k < e; k++) {
      const ch = t.charCodeAt(k);
      if (ch === HASH && t.charCodeAt(k - 1) === SPACE) return k;
      if (ch === COLON && (k + 1 === e || t.charCodeAt(k + 1) === SPACE)) bail();
    }
    return e;
  }

  /** A flow sequence of scalars on one line (`[a, "b"]`), from its `[` at p. */
  private flowSeq(p: number, e: number): YAMLSeq {
    const seq = new YAMLSeq(this.schema);
    seq.flow = true;
    const end = this.flowItems(p, e, 93 /* ] */, (k) => {
      const item = this.flowScalar(k, e, false);
      seq.items.push(item.node);
      return item.end;
    });
    seq.range = [p, end, this.lineEndAfter(end, e)];
    return seq;
  }

  /** A flow mapping of scalars on one line (`{a: 1, "b": c}`), from its `{` at p. */
  private flowMap(p: number, e: number): YAMLMap {
    const t = this.text;
    const map = new YAMLMap(this.schema);
    map.flow = true;
    const seen = new Set<string>();
    const end = this.flowItems(p, e, 125 /* } */, (k) => {
      const key = this.flowScalar(k, e, true);
      const source = key.node.source as string;
      if (seen.has(source) || source === '<<') bail();
      seen.add(source);
      // `key: value`, the colon right after the key: anything else is the yaml package's.
      if (t.charCodeAt(key.end) !== COLON || t.charCodeAt(key.end + 1) !== SPACE) bail();
      let v = key.end + 1;
      while (v < e && t.charCodeAt(v) === SPACE) v++;
      const value = this.flowScalar(v, e, false);
      map.items.push(new Pair(key.node, value.node));
      return value.end;
    });
    map.range = [p, end, this.lineEndAfter(end, e)];
    return map;
  }

  /**
   * The items of a flow collection on one line, from its opening bracket at p to the closing one
   * (`close`): `item` reads one at k and says where it ends. Returns the index after the closing bracket.
   */
  private flowItems(p: number, e: number, close: number, item: (k: number) => number): number {
    const t = this.text;
    let k = p + 1;
    const spaces = () => {
      while (k < e && t.charCodeAt(k) === SPACE) k++;
    };
    spaces();
    if (t.charCodeAt(k) === close) return k + 1;
    for (;;) {
      spaces();
      k = item(k);
      spaces();
      const sep = t.charCodeAt(k);
      if (sep === close) return k + 1;
      if (sep !== 44 /* , */) bail();
      k++;
      spaces();
      // A trailing comma: the yaml package's.
      if (t.charCodeAt(k) === close) bail();
    }
  }

  /** A quoted or plain scalar in a flow collection, at k; a plain one ends at a space, ',', ']', '}' or ':'. */
  private flowScalar(k: number, e: number, atKey: boolean): { node: Scalar; end: number } {
    const t = this.text;
    const c = t.charCodeAt(k);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.closingQuote(k, e);
      if (close < 0) bail();
      const node = this.scalarAt(k, close + 1, atKey);
      return { node, end: close + 1 };
    }
    if (NOT_PLAIN_START.has(c) && !(c === DASH && k + 1 < e && !FLOW_END.has(t.charCodeAt(k + 1)))) bail();
    const from = k;
    while (k < e && !FLOW_END.has(t.charCodeAt(k))) {
      const ch = t.charCodeAt(k);
      if (ch === HASH && t.charCodeAt(k - 1) === SPACE) bail();
      // A ':' ends a key; in a value, or in the middle of a plain scalar, it is the yaml package's.
      if (ch === COLON) {
        if (atKey && k > from && (k + 1 === e || t.charCodeAt(k + 1) === SPACE)) break;
        bail();
      }
      if (ch === 91 || ch === 123) bail();
      k++;
    }
    if (k === from) bail();
    const node = this.scalarAt(from, k, atKey);
    return { node, end: k };
  }

  /** The end of what follows a value on its line (spaces, a comment): the start of the next line. */
  private lineEndAfter(p: number, e: number): number {
    const t = this.text;
    let k = p;
    while (k < e && t.charCodeAt(k) === SPACE) k++;
    if (k < e && !(t.charCodeAt(k) === HASH && k > p)) bail();
    return e < t.length ? e + 1 : e;
  }

  /**
   * The scalar written from p to end (quotes included), resolved as the yaml package resolves it;
   * `folded` is the text of a plain scalar on more than one line.
   */
  private scalarAt(p: number, end: number, atKey: boolean, folded?: string): Scalar {
    const t = this.text;
    const c = t.charCodeAt(p);
    let scalar: Scalar;
    let source: string;
    if (c === DQUOTE) {
      source = t.slice(p + 1, end - 1);
      if (source.includes('\\')) {
        if (JSON_ESCAPES.test(source)) bail();
        source = JSON.parse(`"${source}"`);
      }
      scalar = new Scalar(source);
      scalar.type = Scalar.QUOTE_DOUBLE;
    } else if (c === SQUOTE) {
      source = t.slice(p + 1, end - 1).replace(/''/g, "'");
      scalar = new Scalar(source);
      scalar.type = Scalar.QUOTE_SINGLE;
    } else {
      source = folded ?? t.slice(p, end);
      scalar = this.resolvePlain(source, atKey);
      scalar.type = Scalar.PLAIN;
    }
    scalar.source = source;
    scalar.range = [p, end, end];
    return scalar;
  }

  private resolvePlain(source: string, atKey: boolean): Scalar {
    const tag = (atKey ? this.keyTags : this.valueTags).find((x) => x.test!.test(source));
    if (!tag) return new Scalar(source);
    const res = tag.resolve(source, () => bail(), this.options);
    const scalar = res instanceof Scalar ? res : new Scalar(res);
    if (tag.format) scalar.format = tag.format;
    return scalar;
  }

  /** The empty (null) value of `key:` or `-` with nothing after it on line l, from p. */
  private empty(p: number, l: number): Scalar {
    const t = this.text;
    const e = this.end(l);
    let k = p;
    while (k < e && t.charCodeAt(k) === SPACE) k++;
    // Comments after an empty value: the yaml package's (they become the value's, by rules of its own).
    if (k < e) bail();
    for (let x = l + 1; x < this.n && this.indents[x] < 0; x++) if (!this.isBlank(x)) bail();
    return this.nullAt(k);
  }

  /** The empty plain scalar (null) at k. */
  private nullAt(k: number): Scalar {
    const scalar = this.resolvePlain('', false);
    scalar.type = Scalar.PLAIN;
    scalar.source = '';
    scalar.range = [k, k, k];
    return scalar;
  }

  /** A `|` literal block scalar (`|`, `|-`) whose header is at p on line l, in a collection at column col. */
  private literal(p: number, l: number, col: number): { node: Scalar; next: number } {
    const t = this.text;
    const e = this.end(l);
    let h = p + 1;
    const chomp = t.charCodeAt(h) === DASH ? '-' : '';
    if (chomp) h++;
    // `|+`, indentation indicators and other header text: the yaml package's.
    if (h < e && t.charCodeAt(h) !== SPACE) bail();
    this.lineEndAfter(h, e);
    // The content: from the first non-empty line, while lines are empty or indented at least as much.
    let first = l + 1;
    while (first < this.n && this.isBlank(first)) first++;
    const m = first < this.n ? this.indentOf(first) : 0;
    if (first >= this.n || m <= col || this.isMarker(first)) bail();
    for (let x = l + 1; x < first; x++) if (this.end(x) - this.starts[x] > m) bail();
    let last = first;
    let x = first + 1;
    for (; x < this.n; x++) {
      if (this.isBlank(x)) {
        if (this.end(x) - this.starts[x] > m) bail();
        continue;
      }
      if (this.indentOf(x) < m) break;
      last = x;
    }
    // A block that ends the text without a newline: the yaml package's.
    if (this.end(last) === t.length) bail();
    const parts: string[] = [];
    for (let y = l + 1; y <= last; y++) parts.push(this.isBlank(y) ? '' : t.slice(this.starts[y] + m, this.end(y)));
    const value = parts.join('\n') + (chomp ? '' : '\n');
    const scalar = new Scalar(value);
    scalar.type = Scalar.BLOCK_LITERAL;
    scalar.source = value;
    // The block ends after its last content line's newline (blank lines after it are not its own).
    const stop = this.end(last) + 1;
    scalar.range = [p, stop, stop];
    return { node: scalar, next: x };
  }

  /** Whether line x holds nothing but spaces. */
  private isBlank(x: number): boolean {
    return this.indents[x] === BLANK;
  }
}
