/* eslint-disable no-bitwise -- a rolling hash is 32-bit integer arithmetic */

/**
 * Finds which of many needles (at least `WINDOW` characters long) occur in a text, in one pass:
 * Rabin-Karp with many patterns. Each needle is filed under the hash of one `WINDOW`-character
 * window of its own, a rolling hash of every window of the text is looked up, and only a needle
 * filed there is compared in full. The window of a needle is chosen where the fewest other needles
 * are filed, so that needles sharing a prefix (`password-1…`, `password-2…`, base64 of alike
 * values) do not all become candidates at every place the text has that prefix.
 */
const WINDOW = 8;
const BASE = 31;
/** How far into a needle its window may start (enough to get past any common prefix). */
const MAX_WINDOW_OFFSET = 64;

export const MIN_NEEDLE_LENGTH = WINDOW;

export interface Hit {
  /** The needle's index. */
  readonly needle: number;
  /** Where it starts in the text. */
  readonly offset: number;
}

interface Filed {
  readonly needle: number;
  /** Where the needle's window starts in the needle. */
  readonly offset: number;
}

/** The power of BASE that leaves a rolling window with its oldest character. */
function windowPower(): number {
  let pow = 1;
  for (let i = 0; i < WINDOW - 1; i++) pow = Math.imul(pow, BASE);
  return pow;
}

/** Calls `visit(hash, start)` for every WINDOW-character window of a needle that starts at most at `maxStart`. */
function eachWindow(s: string, maxStart: number, pow: number, visit: (hash: number, start: number) => void): void {
  let h = 0;
  const end = Math.min(s.length, maxStart + WINDOW);
  for (let i = 0; i < end; i++) {
    if (i >= WINDOW) h = (h - Math.imul(s.charCodeAt(i - WINDOW), pow)) | 0;
    h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
    if (i >= WINDOW - 1) visit(h, i - WINDOW + 1);
  }
}

/** Every occurrence of every needle in the text, ordered by offset, then needle. */
export function findAll(text: string, needles: string[]): Hit[] {
  const pow = windowPower();
  const byHash = new Map<number, Filed[]>();
  needles.forEach((n, i) => {
    if (n.length < WINDOW) throw new Error(`needle ${i} is shorter than ${WINDOW} characters`);
    let best: { hash: number; offset: number; load: number } | undefined;
    eachWindow(n, MAX_WINDOW_OFFSET, pow, (hash, offset) => {
      const load = byHash.get(hash)?.length ?? 0;
      if (best === undefined || load < best.load) best = { hash, offset, load };
    });
    const list = byHash.get(best!.hash);
    if (list) list.push({ needle: i, offset: best!.offset });
    else byHash.set(best!.hash, [{ needle: i, offset: best!.offset }]);
  });
  if (byHash.size === 0) return [];
  // A bit per hash bucket, so that most windows of the text are dismissed without a Map lookup.
  const bits = new Uint8Array(1 << 17);
  const mask = (1 << 20) - 1;
  for (const h of byHash.keys()) bits[(h & mask) >>> 3] |= 1 << (h & 7);
  const hits: Hit[] = [];
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    if (i >= WINDOW) h = (h - Math.imul(text.charCodeAt(i - WINDOW), pow)) | 0;
    h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
    if (i < WINDOW - 1 || (bits[(h & mask) >>> 3] & (1 << (h & 7))) === 0) continue;
    const candidates = byHash.get(h);
    if (!candidates) continue;
    const start = i - WINDOW + 1;
    for (const { needle, offset } of candidates) {
      const at = start - offset;
      if (at >= 0 && text.startsWith(needles[needle], at)) hits.push({ needle, offset: at });
    }
  }
  return hits.sort((a, b) => a.offset - b.offset || a.needle - b.needle);
}
