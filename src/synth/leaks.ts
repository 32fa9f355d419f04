/* eslint-disable no-bitwise -- a rolling hash is 32-bit integer arithmetic */

/**
 * Finds which of many needles (at least `WINDOW` characters long) occur in a text, in one pass:
 * a rolling hash of every `WINDOW`-character window is looked up among the needles' prefixes,
 * and only a matching prefix is compared in full (Rabin-Karp with many patterns).
 */
const WINDOW = 8;
const BASE = 31;

export const MIN_NEEDLE_LENGTH = WINDOW;

export interface Hit {
  /** The needle's index. */
  readonly needle: number;
  /** Where it starts in the text. */
  readonly offset: number;
}

function prefixHash(s: string): number {
  let h = 0;
  for (let i = 0; i < WINDOW; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** Every occurrence of every needle in the text. */
export function findAll(text: string, needles: string[]): Hit[] {
  const byHash = new Map<number, number[]>();
  needles.forEach((n, i) => {
    if (n.length < WINDOW) throw new Error(`needle ${i} is shorter than ${WINDOW} characters`);
    const h = prefixHash(n);
    const list = byHash.get(h);
    if (list) list.push(i);
    else byHash.set(h, [i]);
  });
  if (byHash.size === 0) return [];
  let pow = 1;
  for (let i = 0; i < WINDOW - 1; i++) pow = Math.imul(pow, BASE);
  const hits: Hit[] = [];
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    if (i >= WINDOW) h = (h - Math.imul(text.charCodeAt(i - WINDOW), pow)) | 0;
    h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
    if (i < WINDOW - 1) continue;
    const candidates = byHash.get(h);
    if (!candidates) continue;
    const start = i - WINDOW + 1;
    for (const k of candidates) {
      if (text.startsWith(needles[k], start)) hits.push({ needle: k, offset: start });
    }
  }
  return hits;
}
