/**
 * A YAML writer that produces the same bytes as the Go tools Flux users compare us with:
 * `flux create … --export` and `kubeseal -o yaml` both marshal through sigs.k8s.io/yaml, i.e.
 * go-yaml v2's emitter. That means: keys in go-yaml's "natural" order, block sequences not
 * indented under their key, plain scalars where the emitter allows them, double quotes for any
 * string a YAML reader would resolve to something else, single quotes where the emitter cannot
 * write the string plain, literal blocks for multi-line strings, and long scalars folded at
 * column 80.
 *
 * On top of go-yaml, a string is quoted when *either* YAML 1.1 or YAML 1.2 would read it as a
 * non-string (`on`, `y`, `1.10`, `010`, `08`, `1e3`, `2024-01-01`, `~`, `<<`), so every scalar
 * reads the same under both (DESIGN output rule 3).
 */

/** A JSON-like value. `undefined` members of objects are dropped, as encoding/json's omitempty would. */
export type YamlValue = string | number | boolean | null | undefined | YamlValue[] | { [key: string]: YamlValue };

const BEST_WIDTH = 80;
const INDENT = 2;

const NULL_1_1 = /^(?:~|null|Null|NULL|)$/;
const BOOL_1_1 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT_1_1 = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
// The YAML 1.1 float as real readers implement it (PyYAML, go-yaml v2): the spec's own regex
// (`\.[0-9.]*`) would also take `2.4.0`, which no reader does.
const FLOAT_1_1 = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TIMESTAMP_1_1 = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
const SPECIAL_1_1 = /^(?:<<|=)$/;
const INT_1_2 = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
// What some YAML 1.1 readers (the yaml package's 1.1 schema) also take for a float: `.`, `-.`, `1.`.
const FLOAT_1_1_LOOSE = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/;
const FLOAT_1_2 = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
// Go's strconv.ParseFloat (used by go-yaml's resolver) also takes these forms.
const FLOAT_GO = /^[-+]?(?:(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_.]+[pP][-+]?[0-9]+|inf(?:inity)?|nan)$/i;

/**
 * Whether a plain (unquoted) scalar with this text would be read as something other than the
 * same string by a YAML 1.1 reader (Kubernetes, go-yaml v2), a YAML 1.2 reader, or Go's resolver.
 */
export function isAmbiguousScalar(s: string): boolean {
  if (NULL_1_1.test(s) || BOOL_1_1.test(s) || SPECIAL_1_1.test(s)) return true;
  if (INT_1_1.test(s) || FLOAT_1_1.test(s) || FLOAT_1_1_LOOSE.test(s) || TIMESTAMP_1_1.test(s)) return true;
  if (INT_1_2.test(s) || FLOAT_1_2.test(s)) return true;
  if (/[0-9]/.test(s) && FLOAT_GO.test(s)) return true;
  return false;
}

interface ScalarAnalysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

const isBreak = (c: string) => c === '\n' || c === '\r';
/** NEL, LS and PS: line breaks to YAML 1.1 readers, ordinary characters to YAML 1.2 ones. */
const isUnicodeBreak = (c: string) => c === '\u0085' || c === '\u2028' || c === '\u2029';
const isSpace = (c: string) => c === ' ';
const isBlank = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c);

function isPrintable(c: string): boolean {
  const code = c.codePointAt(0)!;
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || code === 0x85
    || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff)
    || (code >= 0x10000 && code <= 0x10ffff);
}

const SIMPLE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const SIMPLE_ANALYSIS: ScalarAnalysis = { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };

/** libyaml's yaml_emitter_analyze_scalar, for the block context we always write in. */
function analyze(value: string): ScalarAnalysis {
  // Names, versions, URLs without spaces: nothing in them restricts the style.
  if (SIMPLE.test(value)) return SIMPLE_ANALYSIS;
  if (value.length === 0) {
    return { multiline: false, blockPlainAllowed: false, singleQuotedAllowed: true, blockAllowed: false };
  }
  const chars = Array.from(value);
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;

  if (value.startsWith('---') || value.startsWith('...')) {
    if (isBlank(chars[3])) blockIndicators = true;
  }

  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        blockIndicators = true;
      }
      if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) {
        blockIndicators = true;
      }
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    // NEL, LS and PS are line breaks to YAML 1.1 readers and ordinary characters to YAML 1.2
    // ones: only an escape reads the same in both.
    if (!isPrintable(c) || c === '\ufeff' || isUnicodeBreak(c)) specialCharacters = true;
    if (isBreak(c)) lineBreaks = true;

    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c);
  }

  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

class Emitter {
  private readonly out: string[] = [];
  private column = 0;

  public text(): string {
    return this.out.join('');
  }

  public write(s: string): void {
    this.out.push(s);
    const nl = s.lastIndexOf('\n');
    this.column = nl === -1 ? this.column + charLength(s) : charLength(s.slice(nl + 1));
  }

  public newline(indent: number): void {
    this.write('\n' + ' '.repeat(indent));
  }

  /** Writes a string scalar after "key:" or "- " (a space is written first when `space`). */
  public scalar(value: string, indent: number, space: boolean, simpleKey: boolean): void {
    const a = analyze(value);
    const prefix = space ? ' ' : '';
    if (a.multiline && simpleKey) {
      this.write(prefix);
      this.doubleQuoted(value, indent, false);
      return;
    }
    if (a.multiline) {
      if (a.blockAllowed) {
        this.write(prefix);
        this.literal(value, indent);
        return;
      }
      this.write(prefix);
      this.doubleQuoted(value, indent, true);
      return;
    }
    this.write(prefix);
    if (isAmbiguousScalar(value)) {
      this.doubleQuoted(value, indent, !simpleKey);
    } else if (a.blockPlainAllowed) {
      this.plain(value, indent, !simpleKey);
    } else if (a.singleQuotedAllowed) {
      this.singleQuoted(value, indent, !simpleKey);
    } else {
      this.doubleQuoted(value, indent, !simpleKey);
    }
  }

  /** Whether a scalar written from the current column could be folded at all. */
  private mayFold(value: string, allowBreaks: boolean): boolean {
    return allowBreaks && this.column + value.length + 2 > BEST_WIDTH && value.includes(' ');
  }

  private plain(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.mayFold(value, allowBreaks)) {
      this.write(value);
      return;
    }
    const chars = Array.from(value);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1] ?? '')) {
          this.newline(indent);
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
  }

  private singleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.mayFold(value, allowBreaks)) {
      this.write(`'${value.replace(/'/g, '\'\'')}'`);
      return;
    }
    const chars = Array.from(value);
    this.write('\'');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && !isSpace(chars[i + 1] ?? '')) {
          this.newline(indent);
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c === '\'' ? '\'\'' : c);
        spaces = false;
      }
    }
    this.write('\'');
  }

  private doubleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.mayFold(value, allowBreaks) && /^[\x20-\x7e]*$/.test(value) && !/["\\]/.test(value)) {
      this.write(`"${value}"`);
      return;
    }
    const chars = Array.from(value);
    this.write('"');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || isUnicodeBreak(c) || c === '"' || c === '\\') {
        this.write(escape(c));
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.newline(indent);
          if (isSpace(chars[i + 1] ?? '')) this.write('\\');
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.write('"');
  }

  private literal(value: string, indent: number): void {
    let hints = '';
    if (value[0] === ' ' || isBreak(value[0])) hints += String(INDENT);
    const last = value[value.length - 1];
    if (!isBreak(last)) {
      hints += '-';
    } else if (value.length === 1 || isBreak(value[value.length - 2])) {
      hints += '+';
    }
    this.write('|' + hints);
    const body = isBreak(last) ? value.slice(0, -1) : value;
    for (const line of body.split(/\r\n|\r|\n/)) {
      if (line.length === 0) {
        this.write('\n');
      } else {
        this.newline(indent);
        this.write(line);
      }
    }
  }
}

/** The length in characters (code points), as the emitter counts columns. */
function charLength(s: string): number {
  return /[\uD800-\uDFFF]/.test(s) ? Array.from(s).length : s.length;
}

function escape(c: string): string {
  switch (c) {
    case '\0': return '\\0';
    case '\x07': return '\\a';
    case '\b': return '\\b';
    case '\t': return '\\t';
    case '\n': return '\\n';
    case '\x0b': return '\\v';
    case '\f': return '\\f';
    case '\r': return '\\r';
    case '\x1b': return '\\e';
    case '"': return '\\"';
    case '\\': return '\\\\';
    case '\u0085': return '\\N';
    case '\u00a0': return '\\_';
    case '\u2028': return '\\L';
    case '\u2029': return '\\P';
    default: {
      const code = c.codePointAt(0)!;
      if (code <= 0xff) return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
      if (code <= 0xffff) return '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
      return '\\U' + code.toString(16).toUpperCase().padStart(8, '0');
    }
  }
}

/** go-yaml v2's key order (keyList.Less): letters by code point, digit runs compared as numbers. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which go-yaml uses for floats. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) {
    throw new Error(`cannot write the number ${n} to YAML: Kubernetes objects hold only finite numbers`);
  }
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) {
    return BigInt(n).toString();
  }
  const [mantissa, e] = n.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(n);
}

function isEmptyCollection(v: YamlValue): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && definedKeys(v).length === 0);
}

function isObject(v: YamlValue): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function definedKeys(o: { [key: string]: YamlValue }): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined).sort(compareKeys);
}

function emitValue(e: Emitter, v: YamlValue, indent: number): void {
  // Called right after "key:" or "- "; writes the value and ends on the value's last line.
  if (v === null || v === undefined) {
    e.write(' null');
  } else if (typeof v === 'boolean') {
    e.write(v ? ' true' : ' false');
  } else if (typeof v === 'number') {
    e.write(' ' + formatNumber(v));
  } else if (typeof v === 'string') {
    e.scalar(v, indent, true, false);
  } else if (isEmptyCollection(v)) {
    e.write(Array.isArray(v) ? ' []' : ' {}');
  } else if (Array.isArray(v)) {
    emitSequence(e, v, indent - INDENT, true);
  } else {
    emitMapping(e, v, indent, true);
  }
}

function emitMapping(e: Emitter, o: { [key: string]: YamlValue }, indent: number, nested: boolean): void {
  let first = true;
  for (const key of definedKeys(o)) {
    if (nested || !first) e.newline(indent);
    first = false;
    e.scalar(key, indent, false, true);
    e.write(':');
    emitValue(e, o[key], indent + INDENT);
  }
}

function emitSequence(e: Emitter, items: YamlValue[], indent: number, nested: boolean): void {
  let first = true;
  for (const item of items) {
    if (nested || !first) e.newline(indent);
    first = false;
    e.write('-');
    if (isObject(item) && !isEmptyCollection(item)) {
      // "- key: value" with the following keys aligned under the first one.
      e.write(' ');
      emitMapping(e, item, indent + INDENT, false);
    } else if (Array.isArray(item) && item.length > 0) {
      e.write(' ');
      emitSequence(e, item, indent + INDENT, false);
    } else {
      emitValue(e, item, indent + INDENT);
    }
  }
}

/** The body of one YAML document (no `---`), ending with a newline. */
export function toYamlBody(value: YamlValue): string {
  const e = new Emitter();
  if (isObject(value) && !isEmptyCollection(value)) {
    emitMapping(e, value, 0, false);
  } else if (Array.isArray(value) && value.length > 0) {
    emitSequence(e, value, 0, false);
  } else {
    emitValue(e, value, 0);
    return e.text().slice(1) + '\n';
  }
  return e.text() + '\n';
}

/** One object as `flux create … --export` prints it: a `---` line, then the object. */
export function toYamlDocument(value: YamlValue): string {
  return '---\n' + toYamlBody(value);
}
