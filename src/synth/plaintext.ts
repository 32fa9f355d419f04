import { SynthContext } from './context';
import { findAll, MIN_NEEDLE_LENGTH } from './leaks';
import { Problem } from '../checks/problems';
import { compare } from '../output/writer';
import { YamlValue } from '../output/yaml';

/**
 * No plain text of any secret, nor its base64, may appear in any file synth writes: neither in
 * the bytes written nor in any string they decode to (the YAML writer escapes, quotes and folds
 * strings, so a secret in a values string may not appear as it is in the text).
 */
export function findPlaintext(ctx: SynthContext): Problem[] {
  // Every secret (and its base64) searched for in all the text at once, in one pass.
  // A value inside a sealed values document (secretValues) may be a setting that is no secret
  // (an image tag, a storage class): finding one elsewhere is a warning, not an error.
  const needles: { owner: string; text: string; leaf?: { source: string; path: string } }[] = [];
  for (const { owner, bytes } of ctx.plaintexts) {
    if (bytes.length < MIN_NEEDLE_LENGTH) continue;
    needles.push({ owner, text: bytes.toString('utf8') }, { owner, text: bytes.toString('base64') });
  }
  for (const { owner, source, path: at, text } of ctx.valueLeaves) {
    needles.push({ owner, text, leaf: { source, path: at } });
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
    }
  }
  const all = parts.join('\u0000');
  const problems: Problem[] = [];
  const seen = new Set<string>();
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
    const { owner, leaf } = needles[hit.needle];
    const key = leaf ? `${owner}|${leaf.path}|${file.path}` : `${owner}|${file.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (leaf) {
      const k = `${owner}|${leaf.path}`;
      const known = leafHits.get(k) ?? { owner, ...leaf, files: [] };
      known.files.push(`'${file.path}'`);
      leafHits.set(k, known);
      continue;
    }
    problems.push({
      path: owner,
      field: 'data',
      rule: `must not appear in plain text: a secret value of this SealedSecret is written in plain text (or base64) in '${file.path}' (by ${file.owner}); move it out of values and into the SealedSecret`,
    });
  }
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
