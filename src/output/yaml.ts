/**
 * A YAML writer that produces the same bytes as the Go tools Flux users compare us with:
 * `flux create … --export` and `kubeseal -o yaml` both marshal through sigs.k8s.io/yaml, i.e.
 * JSON, then go-yaml v2's emitter. That means: keys in go-yaml's "natural" order, block sequences
 * not indented under their key, plain scalars where the emitter allows them, double quotes for
 * any string a reader would resolve to something else, single quotes where the emitter cannot
 * write the string plain, literal blocks for multi-line strings, scalars folded at column 80,
 * `? ` keys for keys with line breaks or longer than 128 bytes, `\U` escapes for characters
 * outside the Basic Multilingual Plane, and numbers as JSON then go-yaml write them.
 *
 * Where go-yaml's output would read differently in some YAML reader, we part from its bytes so
 * that every scalar reads the same in YAML 1.1 and YAML 1.2 (DESIGN output rule 3):
 * - a string is double-quoted when *any* of go-yaml, PyYAML, the `yaml` package's 1.1 schema or
 *   the YAML 1.2 core schema would read it as a non-string (`on`, `y`, `1.10`, `010`, `08`, `1e3`,
 *   `2024-01-01`, `~`, `<<`, `=`);
 * - NEL, LS and PS (line breaks to YAML 1.1 readers, ordinary characters to YAML 1.2 ones) are
 *   written as escapes where go-yaml writes them raw;
 * - a float written in exponent form gets a `.0` in its mantissa (`1.0e+21` for go-yaml's `1e+21`),
 *   which YAML 1.1 readers otherwise read as a string.
 */

/** A JSON-like value. `undefined` members of objects are dropped, as encoding/json's omitempty would. */
export type YamlValue = string | number | boolean | null | undefined | YamlValue[] | { [key: string]: YamlValue };

const BEST_WIDTH = 80;
const INDENT = 2;
/** go-yaml writes a key as a simple key only up to this many bytes (yaml_emitter_check_simple_key). */
const MAX_SIMPLE_KEY_BYTES = 128;

// ---------------------------------------------------------------------------------------------
// Which plain scalars some reader would read as something other than the same string.

/** Null and bool in YAML 1.1 (go-yaml, the `yaml` package) and 1.2; a superset of PyYAML's. */
const NULL_OR_BOOL = /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
/** `<<` (merge key) and `=` (PyYAML's value tag, which safe_load cannot construct). */
const SPECIAL_1_1 = /^(?:<<|=)$/;
/** YAML 1.1 ints as the `yaml` package reads them: a superset of PyYAML's (which wants `[1-9]` first in base 60). */
const INT_1_1 = /^[-+]?(?:0b[0-1_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)$/;
/**
 * YAML 1.1 floats: the `yaml` package's (`1e3`, `.e3`, even `e3`; `.`, `1.`, `-.`) and PyYAML's
 * (`1.5`, `.5`, `1.5e+3`, base 60 `1:20.5`), and `.inf`/`.nan`.
 */
const FLOAT_1_1 = /^(?:[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** YAML 1.1 timestamps as the `yaml` package reads them. */
const TIMESTAMP_1_1 = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;
/** YAML 1.1 timestamps as PyYAML reads them (`2024-01-01 10:00:00.` and `+35` offsets too). */
const TIMESTAMP_PYYAML = /^[0-9]{4}-(?:[0-9]{2}-[0-9]{2}|[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
/** The YAML 1.2 core schema's ints and floats. */
const NUMBER_1_2 = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/**
 * go-yaml v2's resolve() (resolve.go) for a plain scalar, plus its isBase60Float: whether
 * go-yaml reads `s` as a non-string, and so writes it double-quoted.
 */
const GO_SPECIAL = new Set(['', '~', 'null', 'Null', 'NULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '.nan', '.NaN', '.NAN',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']);
/** strconv.ParseFloat's syntax for a number that starts with '.', underscores between digits allowed. */
const GO_DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
/** go-yaml's yamlStyleFloat, applied after it removes every underscore. */
const GO_YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** strconv.ParseInt(s, 0, 64) and ParseUint(s, 0, 64) syntax (range checked separately). */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;
/** go-yaml's isBase60Float. */
const GO_BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/**
 * The four layouts go-yaml's parseTimestamp tries with time.Parse: "2006-1-2T15:4:5.999999999Z07:00",
 * the same with 't', "2006-1-2 15:4:5.999999999" (a layout space matches a run of spaces) and "2006-1-2".
 */
const GO_TIMESTAMP = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?(?:Z|[-+]([0-9]{2}):([0-9]{2})))|(?: +([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?))?$/;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function goTimestamp(s: string): boolean {
  const m = GO_TIMESTAMP.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day < 1 || day > days) return false;
  const hour = m[4] ?? m[9];
  if (hour !== undefined) {
    const minute = m[5] ?? m[10];
    const second = m[6] ?? m[11];
    if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
    if (m[7] !== undefined && (Number(m[7]) > 24 || Number(m[8]) > 60)) return false;
  }
  return true;
}

/** strconv.ParseInt or ParseUint with base 0 (and 64 bits) accepts `s`. */
function goParsesAsInt(s: string): boolean {
  const m = GO_INT.exec(s);
  if (!m) return false;
  let v: bigint;
  if (m[2] !== undefined) v = BigInt('0x' + m[2]);
  else if (m[3] !== undefined) v = BigInt('0o' + m[3]);
  else if (m[4] !== undefined) v = BigInt('0b' + m[4]);
  else if (m[5] !== undefined) v = m[5].length > 1 ? BigInt('0o' + m[5].slice(1)) : 0n;
  else v = BigInt(m[6]);
  if (m[1] === '-') return -v >= INT64_MIN;
  // ParseUint takes no sign; ParseInt's positive range is inside ParseUint's.
  return m[1] === '+' ? v < 2n ** 63n : v <= UINT64_MAX;
}

/** strconv.ParseInt(s, 2, 64) or ParseUint(s, 2, 64) accepts `s` (ParseInt allows a sign). */
function goParsesAsBinary(s: string, unsignedToo: boolean): boolean {
  const m = /^([-+]?)([01]+)$/.exec(s);
  if (!m) return false;
  const v = BigInt('0b' + m[2]);
  if (m[1] === '-') return -v >= INT64_MIN;
  if (v < 2n ** 63n) return true;
  return unsignedToo && m[1] === '' && v <= UINT64_MAX;
}

function goResolvesToNonString(s: string): boolean {
  if (GO_SPECIAL.has(s)) return true;
  const c = s.charCodeAt(0);
  if (c === 0x2e) return GO_DOT_FLOAT.test(s) && Number.isFinite(Number(s.replace(/_/g, '')));
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d)) return false;
  if (goTimestamp(s)) return true;
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  if (goParsesAsInt(plain)) return true;
  if (GO_YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true;
  if (plain.startsWith('0b')) return goParsesAsBinary(plain.slice(2), true);
  if (plain.startsWith('-0b')) return goParsesAsBinary('-' + plain.slice(3), false);
  return false;
}

/** Strings whose first character can start none of the forms above (the common case). */
const CANNOT_RESOLVE = /^[^-+.0-9~<=yYnNtTfFoOeE]/;

/**
 * Whether a plain (unquoted) scalar with this text would be read as something other than the
 * same string by some reader: go-yaml v2 (Kubernetes, the flux CLI), PyYAML, the `yaml`
 * package (YAML 1.1 or 1.2). Such strings are written double-quoted, as go-yaml does.
 */
export function isAmbiguousScalar(s: string): boolean {
  if (CANNOT_RESOLVE.test(s)) return false;
  return NULL_OR_BOOL.test(s) || SPECIAL_1_1.test(s) || s === ''
    || INT_1_1.test(s) || FLOAT_1_1.test(s) || TIMESTAMP_1_1.test(s) || TIMESTAMP_PYYAML.test(s) || NUMBER_1_2.test(s)
    || GO_BASE60_FLOAT.test(s) || goResolvesToNonString(s);
}

// ---------------------------------------------------------------------------------------------
// libyaml's scalar analysis and style choice.

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
/** Every character go-yaml's emitter counts as a line break (is_break). */
const ANY_BREAK = /[\n\r\u0085\u2028\u2029]/;

/** libyaml's is_printable: no C0/C1 controls but LF, no DEL, no surrogates, BOM, U+FFFE/FFFF, nor anything past the BMP. */
function isPrintable(c: string): boolean {
  const code = c.codePointAt(0)!;
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || code === 0x85
    || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff);
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
  // Any string that starts with `---` or `...` (go-yaml does not look at what follows).
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
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
    if (!isPrintable(c) || isUnicodeBreak(c)) specialCharacters = true;
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

/** Whether go-yaml writes this mapping key as a simple `key:` (else as `? key` / `: value`). */
function isSimpleKey(key: string): boolean {
  if (ANY_BREAK.test(key)) return false;
  // At most 4 UTF-8 bytes per UTF-16 pair, 3 per lone unit: only long keys need counting.
  return key.length * 3 <= MAX_SIMPLE_KEY_BYTES || Buffer.byteLength(key, 'utf8') <= MAX_SIMPLE_KEY_BYTES;
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

  /**
   * Writes a string scalar after "key:", "- " or "?" (a space is written first when `space`).
   * `simpleKey` is the simple-key context, for keys without line breaks (see isSimpleKey): no folding.
   */
  public scalar(value: string, indent: number, space: boolean, simpleKey: boolean): void {
    const a = analyze(value);
    const prefix = space ? ' ' : '';
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
    // go-yaml writes a key '=' plain, and every reader takes it for the string (only as a value
    // is it PyYAML's value tag)
    if (isAmbiguousScalar(value) && !(simpleKey && value === '=')) {
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
    // go-yaml's is_bom(value, i) looks at the start of the whole value, not at position i: a
    // value that starts with a BOM has every character escaped.
    const escapeAll = value.charCodeAt(0) === 0xfeff;
    const chars = Array.from(value);
    this.write('"');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (escapeAll || !isPrintable(c) || isBreak(c) || isUnicodeBreak(c) || c === '"' || c === '\\') {
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

// ---------------------------------------------------------------------------------------------
// Key order.

/** go-yaml v2's key order (keyList.Less): letters by code point, digit runs compared as numbers. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
/** Go's unicode.IsLetter. */
function isLetter(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return LETTER.test(String.fromCodePoint(cp));
}
/** Go's unicode.IsDigit: ASCII digits, and any other decimal digit (Nd) past Latin-1. */
function isDigit(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  if (cp < 0x100) return cp >= 0x30 && cp <= 0x39;
  return DIGIT.test(String.fromCodePoint(cp));
}

/** The string as code points (runes); a string without surrogates is read by UTF-16 unit instead. */
type Runes = { readonly length: number; at(i: number): number };
const SURROGATE = /[\uD800-\uDFFF]/;

function runes(s: string): Runes {
  if (!SURROGATE.test(s)) return { length: s.length, at: (i) => s.charCodeAt(i) };
  const cps = Array.from(s, (c) => c.codePointAt(0)!);
  return { length: cps.length, at: (i) => cps[i] };
}

/** The value of a digit run as go-yaml accumulates it: an int64 that wraps, `rune - '0'` per digit. */
function digitRun(r: Runes, from: number, start: number): { value: bigint | number; end: number } {
  let end = from;
  let value = start;
  while (end < r.length && end - from < 15) {
    const cp = r.at(end);
    if (cp < 0x30 || cp > 0x39) break;
    value = value * 10 + (cp - 48);
    end++;
  }
  if (end >= r.length || !isDigit(r.at(end))) return { value, end };
  let big = BigInt(value);
  for (; end < r.length && isDigit(r.at(end)); end++) {
    big = BigInt.asIntN(64, big * 10n + BigInt(r.at(end) - 48));
  }
  return { value: big, end };
}

function keyLess(a: string, b: string): boolean {
  const ar = runes(a);
  const br = runes(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar.at(i);
    const bc = br.at(i);
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    let start = 0;
    if (ac === 0x30 || bc === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar.at(j)); j--) {
        if (ar.at(j) !== 0x30) {
          start = 1;
          break;
        }
      }
    }
    const an = digitRun(ar, i, start);
    const bn = digitRun(br, i, start);
    // eslint-disable-next-line eqeqeq
    if (an.value != bn.value) return an.value < bn.value;
    if (an.end !== bn.end) return an.end < bn.end;
    return ac < bc;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------------------------
// Numbers.

/**
 * A number as the flux CLI writes it: encoding/json writes the shortest digits, go-yaml reads
 * them back as an int when they fit int64 or uint64 and writes them unchanged, and otherwise as
 * a float, which it writes with strconv.FormatFloat(f, 'g', -1, 64). One change: an exponent
 * form gets a `.0` in its mantissa (`1.0e+21`, not `1e+21`), since YAML 1.1 readers such as
 * PyYAML read a float only with a '.' in it.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) {
    throw new Error(`cannot write the number ${n} to YAML: Kubernetes objects hold only finite numbers`);
  }
  if (Number.isInteger(n)) {
    if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) return String(n === 0 ? 0 : n);
    if (Math.abs(n) < 1e21) {
      const digits = String(n);
      const v = BigInt(digits);
      if (v >= INT64_MIN && v <= UINT64_MAX) return digits;
    }
  }
  const [mantissa, e] = n.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// Layout.

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
  // Called right after "key:", "- " or a "?" key's ":"; writes the value and ends on its last line.
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
    const value = o[key];
    if (isSimpleKey(key)) {
      e.scalar(key, indent, false, true);
      e.write(':');
      emitValue(e, value, indent + INDENT);
      continue;
    }
    // A key with a line break or of more than 128 bytes: "? key", then ": value" on the next
    // line, with a collection value starting on the ":" line (go-yaml's compact form).
    e.write('?');
    e.scalar(key, indent + INDENT, true, false);
    e.newline(indent);
    e.write(':');
    if (isObject(value) && !isEmptyCollection(value)) {
      e.write(' ');
      emitMapping(e, value, indent + INDENT, false);
    } else if (Array.isArray(value) && value.length > 0) {
      e.write(' ');
      emitSequence(e, value, indent + INDENT, false);
    } else {
      emitValue(e, value, indent + INDENT);
    }
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
    // A scalar or empty collection at the root: go-yaml indents a root scalar's lines by 2.
    if (typeof value === 'string') {
      e.scalar(value, INDENT, false, false);
      return e.text() + '\n';
    }
    emitValue(e, value, INDENT);
    return e.text().slice(1) + '\n';
  }
  return e.text() + '\n';
}

/** One object as `flux create … --export` prints it: a `---` line, then the object. */
export function toYamlDocument(value: YamlValue): string {
  return '---\n' + toYamlBody(value);
}
