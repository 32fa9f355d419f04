import { SynthContext } from './context';
import { findAll, MIN_NEEDLE_LENGTH } from './leaks';
import { Problem, showValue } from '../checks/problems';
import { compare } from '../output/writer';
import { YamlValue } from '../output/yaml';

/** Secrets longer than this (64 KiB) are searched for as text and base64 only. */
const MAX_ENCODED_SECRET = 64 * 1024;

/** One form a secret may be written in, and how messages name it. */
export interface SecretForm {
  readonly text: string;
  /** 'text' and 'base64' are the plain forms; the rest are named in messages. */
  readonly form: string;
}

/**
 * Every form of a secret's bytes a file could hold it in: the text itself; base64 and base64url at
 * each of the 3 alignments (so that the secret is found inside the base64 of a longer string, such
 * as `user:` + secret in a basic-auth header); hex in either case; URL encoding (percent-escapes in
 * upper or lower case, with or without the characters encodeURIComponent keeps); JSON string
 * escapes. Forms equal to the text, or shorter than the search window, are left out.
 */
export function secretForms(bytes: Buffer): SecretForm[] {
  const out = new Map<string, string>();
  const add = (text: string, form: string) => {
    if (text.length >= MIN_NEEDLE_LENGTH && !out.has(text)) out.set(text, form);
  };
  const text = bytes.toString('utf8');
  add(text, 'text');
  for (let j = 0; j < 3; j++) {
    // the whole base64 groups of the bytes from offset j: the same characters wherever they sit
    const whole = bytes.subarray(j, j + Math.floor((bytes.length - j) / 3) * 3);
    if (whole.length === 0) continue;
    add(whole.toString('base64'), 'base64');
    add(whole.toString('base64url'), 'base64url');
  }
  // a large secret (a whole values file) is searched for as it is and in base64 only: the other
  // encodings of a whole file are not what a template would write
  if (bytes.length > MAX_ENCODED_SECRET) return [...out].map(([t, form]) => ({ text: t, form }));
  const hex = bytes.toString('hex');
  add(hex, 'hex');
  add(hex.toUpperCase(), 'hex');
  for (const keep of [/[A-Za-z0-9\-_.~]/, /[A-Za-z0-9\-_.!~*'()]/]) {
    let encoded = '';
    for (const b of bytes) {
      const c = String.fromCharCode(b);
      encoded += b < 0x80 && keep.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    add(encoded, 'URL encoding');
    add(encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), 'URL encoding');
    add(encoded.replace(/%20/g, '+'), 'URL encoding');
  }
  const json = JSON.stringify(text).slice(1, -1);
  add(json, 'JSON escapes');
  add(json.replace(/\//g, '\\/'), 'JSON escapes');
  // eslint-disable-next-line no-control-regex
  add(json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'JSON escapes');
  return [...out].map(([t, form]) => ({ text: t, form }));
}

function isPlain(form: string): boolean {
  return form === 'text' || form === 'base64';
}

/** Base64 wrapped over lines (PEM, MIME: 64 or 76 columns), in a text or a decoded string. */
// A whole line of base64 (tried at line starts only: linear time), then another one.
const WRAPPED_BASE64 = /^[ \t]*[A-Za-z0-9+/_-]{40,}={0,2}[ \t]*\r?\n[ \t]*[A-Za-z0-9+/_-]/m;

/**
 * No plain text of any secret, nor any encoding of it (see `secretForms`), may appear in any file
 * synth writes: neither in the bytes written, nor in any string they decode to (the YAML writer
 * escapes, quotes and folds strings, so a secret in a values string may not appear as it is in the
 * text), nor in base64 wrapped over lines once the line breaks are taken out.
 */
export function findPlaintext(ctx: SynthContext): Problem[] {
  // Every secret (and its encodings) searched for in all the text at once, in one pass.
  // A value inside a sealed values document (secretValues) may be a setting that is no secret
  // (an image tag, a storage class): finding one elsewhere is a warning, not an error.
  const needles: { owner: string; text: string; form: string; leaf?: { source: string; path: string } }[] = [];
  for (const { owner, bytes } of ctx.plaintexts) {
    if (bytes.length < MIN_NEEDLE_LENGTH) continue;
    for (const f of secretForms(bytes)) needles.push({ owner, ...f });
  }
  for (const { owner, source, path: at, text } of ctx.valueLeaves) {
    needles.push({ owner, text, form: 'text', leaf: { source, path: at } });
  }
  if (needles.length === 0) return [];
  // The haystack: per file its text, then every key and string it was written from.
  const files = [...ctx.files.values()];
  const parts: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (const f of files) {
    starts.push(offset);
    const strings = [f.content];
    if (f.value !== undefined) collectStrings(f.value, strings);
    for (const s of strings) {
      parts.push(s);
      offset += s.length + 1;
      if (WRAPPED_BASE64.test(s)) {
        const unwrapped = s.replace(/[ \t]*\r?\n[ \t]*/g, '');
        parts.push(unwrapped);
        offset += unwrapped.length + 1;
      }
    }
  }
  const all = parts.join('\u0000');
  const seen = new Set<string>();
  // per secret and file, the plainest form found (the YAML writer's escapes look like JSON's)
  const leaks = new Map<string, { owner: string; file: string; by: string; form: string }>();
  const leafHits = new Map<string, { owner: string; source: string; path: string; files: string[] }>();
  for (const hit of findAll(all, needles.map((n) => n.text))) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (starts[mid] <= hit.offset) lo = mid;
      else hi = mid - 1;
    }
    const file = files[lo];
    const { owner, leaf, form } = needles[hit.needle];
    if (!leaf) {
      const k = `${owner}|${file.path}`;
      const known = leaks.get(k);
      if (known === undefined) leaks.set(k, { owner, file: file.path, by: file.owner, form });
      else if (isPlain(form) && !isPlain(known.form)) known.form = form;
      continue;
    }
    const key = `${owner}|${leaf.path}|${file.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const k = `${owner}|${leaf.path}`;
    const known = leafHits.get(k) ?? { owner, ...leaf, files: [] };
    known.files.push(`'${file.path}'`);
    leafHits.set(k, known);
  }
  const problems: Problem[] = [...leaks.values()].map(({ owner, file, by, form }) => ({
    path: owner,
    field: 'data',
    rule: `must not appear in plain text: a secret value of this SealedSecret is written in plain text (${isPlain(form) ? 'or base64' : `encoded as ${form}`}) in '${file}' (by ${by}); move it out of values and into the SealedSecret`,
  }));
  for (const { owner, source, path: at, files: where } of leafHits.values()) {
    where.sort(compare);
    const shown = where.length > 3 ? `${where.slice(0, 3).join(', ')} and ${where.length - 3} more` : where.join(', ');
    ctx.warn(`${owner}: the value at '${at}' of its sealed values (${source}) is also written in plain text in ${shown}: if it is a secret, keep it only in the sealed values`);
  }
  return problems;
}

/**
 * Every key and string value of a value tree that the YAML writer may not write as it is: one with
 * a space (a long scalar is folded there), a quote or backslash (escaped or doubled), or anything
 * but printable ASCII (escaped, or a literal block's indentation after a line break). Every other
 * string is in the text as it is, where the search finds it anyway.
 */
function collectStrings(v: YamlValue, out: string[]): void {
  if (typeof v === 'string') {
    if (MAY_BE_REWRITTEN.test(v)) out.push(v);
  } else if (Array.isArray(v)) {
    for (const item of v) collectStrings(item, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, item] of Object.entries(v)) {
      if (MAY_BE_REWRITTEN.test(k)) out.push(k);
      collectStrings(item, out);
    }
  }
}

const MAY_BE_REWRITTEN = /[^\x21-\x7e]|['"\\]/;

/**
 * Takes every secret (in any form `secretForms` lists) out of messages: a secret used as a name,
 * a key or a label must not reach a terminal or a CI log through the message that refuses it.
 */
export class Redactor {
  private readonly needles: string[];

  constructor(secrets: readonly Buffer[], leaves: readonly string[] = []) {
    const all = new Set<string>();
    for (const bytes of secrets) {
      // a message is never that long: a secret of over 64 KiB cannot be in one whole
      if (bytes.length < MIN_NEEDLE_LENGTH || bytes.length > MAX_ENCODED_SECRET) continue;
      for (const f of secretForms(bytes)) all.add(f.text);
    }
    for (const leaf of leaves) if (leaf.length >= MIN_NEEDLE_LENGTH) all.add(leaf);
    this.needles = [...all];
  }

  /** The text with every secret replaced by `[redacted secret]`. */
  public text(s: string): string {
    if (this.needles.length === 0 || s.length < MIN_NEEDLE_LENGTH) return s;
    const hits = findAll(s, this.needles);
    if (hits.length === 0) return s;
    let out = '';
    let at = 0;
    for (const { needle, offset } of hits) {
      const end = offset + this.needles[needle].length;
      if (end <= at) continue;
      out += s.slice(at, Math.max(at, offset)) + (offset >= at ? '[redacted secret]' : '');
      at = end;
    }
    return out + s.slice(at);
  }

  /** A problem with every secret taken out of its path, field, rule and value. */
  public problem(p: Problem): Problem {
    const path = this.text(p.path);
    const field = this.text(p.field);
    const rule = this.text(p.rule);
    let value = p.value;
    if (typeof value === 'string') {value = this.text(value);} else if (value !== undefined && value !== null && typeof value === 'object') {
      const shown = showValue(value);
      const redacted = this.text(shown);
      if (redacted !== shown) value = redacted;
    }
    return path === p.path && field === p.field && rule === p.rule && value === p.value ? p : { path, field, rule, value };
  }
}
