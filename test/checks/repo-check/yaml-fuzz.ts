/**
 * Generated YAML for comparing the check's fast reader with the yaml package: the block shapes
 * manifests have, every scalar style the reader takes on, and the characters at which YAML's
 * rules change (indicators, comments, quotes, indentation), mutated at random.
 */

/** A seeded generator (Park and Miller's): the same texts on every run. */
export function random(seed: number): () => number {
  // Seeds spread over the range, and a few draws dropped: neighbouring seeds start far apart.
  let a = ((Math.floor(Math.abs(seed)) * 2654435761) % 2147483646) + 1;
  const next = () => {
    a = (a * 48271) % 2147483647;
    return (a - 1) / 2147483646;
  };
  for (let i = 0; i < 4; i++) next();
  return next;
}

const PLAIN = [
  'a', 'a b', 'a:b', 'a: b', 'a #b', 'a#b', 'a  b', '1', '-1', '+1', '0x1F', '0o17', '0777', '1_000', '1e3', '1.5', '.5', '-.5e2',
  '.inf', '-.Inf', '.nan', 'true', 'True', 'TRUE', 'yes', 'on', 'null', 'Null', '~', '2024-01-01', '-', '--', '---', '...', '- a',
  '? a', ':a', '@a', '`a', '%a', '&a', '*a', '!a', '|', '>', 'a,b', '[a]', '{a}', 'a]', 'a}', 'é', '😀', 'http://x:80/y?q=1#f',
  "it's", 'say "hi"', '<<', '=', 'a\'', '-a', 'a - b', 'a: ', "'a", '"a', 'x'.repeat(1030),
];
const QUOTED = [
  '""', "''", '"a"', "'a'", '"a b"', '"a\\"b"', '"a\\\\b"', '"\\u00e9"', '"\\x41"', '"\\t"', '"\\ "', '"\\/"', '"\\n"', '"\\uD800"',
  "'it''s'", "'a\"b'", '"a # b"', '"a: b"', '"1"', "'true'", '"', "'", '"a\\"', "'a''", '" a "', '"\\e"',
];
const KEYS = [
  'a', 'b', 'key', 'a b', 'a.b/c', 'app.kubernetes.io/name', '1', '0x1', 'true', 'null', '~', '"q"', "'s'", '"a\\"b"', '"1"', '-k',
  '?k', '<<', 'a#b', 'k[1]', 'k,1', '"k": 1', 'x'.repeat(1030), '', ' a', 'a ', '"é"', '&a a', '!t a',
];
const NOISE = [':', '#', '-', "'", '"', '[', ']', '{', '}', ',', '|', '>', '&', '*', '!', '%', '@', '`', '\\', ' ', '  ', '\n', '\t', '\r', '?', '---', 'a'];

/** `noise` (0 to 1): how often the text has the rarer shapes, edge values and mutations. */
export function generate(rnd: () => number, noise: number = 1): string {
  // The edge values are at the end of their lists: less noise picks from fewer.
  const size = (xs: readonly unknown[]) => (xs === PLAIN || xs === QUOTED || xs === KEYS ? Math.max(4, xs.length * noise) : xs.length);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * size(xs))];
  const chance = (p: number) => rnd() < p;
  const lines: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const step = () => pick([2, 2, 2, 1, 4]);
  const tail = () => (chance(0.1) ? ' # c' : '') + (chance(0.05) ? ' ' : '');
  const between = (indent: number) => {
    if (chance(0.08)) lines.push(chance(0.5) ? '' : pad(Math.floor(rnd() * (indent + 3))));
    if (chance(0.06)) lines.push(`${pad(chance(0.5) ? indent : Math.floor(rnd() * 6))}# note`);
  };
  // Anchors set so far, for aliases and merge keys (and now and then an alias to none).
  const anchors: string[] = [];
  const anchor = () => {
    if (!chance(0.12)) return '';
    anchors.push(`a${anchors.length}`);
    return `&${anchors[anchors.length - 1]} `;
  };
  const alias = () => `*${anchors.length > 0 && !chance(0.1 * noise) ? pick(anchors) : 'none'}`;
  const scalarLines = (indent: number): string[] => {
    if (chance(0.08)) return [alias() + tail()];
    const out = valueLines(indent);
    out[0] = anchor() + out[0];
    return out;
  };
  const valueLines = (indent: number): string[] => {
    const kind = rnd();
    if (kind < 0.45) return [pick(PLAIN) + tail()];
    if (kind < 0.7) return [pick(QUOTED) + tail()];
    if (kind < 0.78) {
      // a plain or quoted scalar on more lines
      const q = pick(['', '', "'", '"']);
      const out = [q + pick(['a', 'first', 'x y', "it''s", '', ' ']) + (chance(0.1) ? ' ' : '')];
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        if (chance(0.2)) out.push(chance(0.5) ? '' : pad(indent + 1));
        out.push(pad(indent + pick([1, 2, 3, 0])) + pick(['b', 'c d', "'q'", '"d"', '- e', '[f]', '{f}', '# g', 'h: i', 'j #k', '\'\'', 'z', '&a', '*a', '!a', '|', '>', '%a', '@a', '`a', '? a', ': a', '-e', '--- x', 'a "b', 'k\\"']));
      }
      out[out.length - 1] += q;
      return out;
    }
    if (kind < 0.88) {
      const out = [pick(['|', '|-', '|+', '|2', '>', '| # c', '|-  ', '|x'])];
      const m = indent + pick([2, 2, 1, 4, 0]);
      const n = 1 + Math.floor(rnd() * 4);
      if (chance(0.15)) out.push(pad(Math.floor(rnd() * (m + 2))));
      for (let i = 0; i < n; i++) {
        out.push(pad(m + (chance(0.2) ? 2 : 0)) + pick(['line', '# not a comment', 'a: b', '- c', '  d', '"e"', 'f  ']));
        if (chance(0.15)) out.push(chance(0.5) ? '' : pad(Math.floor(rnd() * (m + 3))));
      }
      return out;
    }
    const items = Array.from({ length: Math.floor(rnd() * 4) }, () => pick([...PLAIN.slice(0, 30), ...QUOTED.slice(0, 12)]));
    const sp = pick(['', ' ']);
    const sep = pick([', ', ',', ' , ']);
    if (chance(0.5)) return [`[${sp}${items.join(sep)}${chance(0.05) ? ',' : ''}${sp}]${tail()}`, ...(chance(0.05) ? ['{}'] : [])];
    const pairs = items.map((v, i) => `${chance(0.9) ? `${pick(KEYS.slice(0, 14))}${i}` : pick(KEYS)}${pick([': ', ':', ' : ', ':  '])}${v}`);
    return [`{${sp}${pairs.join(sep)}${chance(0.05) ? ',' : ''}${sp}}${tail()}`];
  };
  const node = (indent: number, depth: number, compact = false): void => {
    if (depth > 3 || (depth > 0 && chance(0.2)) || (depth === 0 && chance(0.05 * noise))) return;
    const seq = chance(0.35);
    const used = new Set<string>();
    // Keys of one mapping differ, but now and then.
    const key = () => {
      let k = pick(KEYS);
      if (used.has(k) && !chance(0.05 * noise)) k = /^["']/.test(k) ? `${k.slice(0, -1)}${used.size}${k.slice(-1)}` : `${k}${used.size}`;
      used.add(k);
      return k;
    };
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      between(indent);
      const lead = compact && i === 0 ? '' : pad(indent);
      if (seq) {
        if (chance(0.3)) {
          const k = key();
          const v = scalarLines(indent + 2);
          lines.push(`${lead}- ${k}: ${v[0]}`, ...v.slice(1));
          if (chance(0.5)) lines.push(`${pad(indent + 2)}${key()}: ${pick(PLAIN)}`);
        } else if (chance(0.25)) {
          lines.push(`${lead}-${tail()}`);
          node(indent + step(), depth + 1);
        } else {
          const v = scalarLines(indent);
          lines.push(`${lead}- ${v[0]}`, ...v.slice(1));
        }
      } else {
        if (chance(0.05) && anchors.length > 0) lines.push(`${lead}<<: ${alias()}`);
        const k = key();
        if (chance(0.3)) {
          lines.push(`${lead}${k}:${chance(0.1) ? ` ${anchor() || '&n '}`.trimEnd() : ''}${tail()}`);
          if (chance(0.2)) {
            const v = scalarLines(indent);
            lines.push(`${pad(indent)}- ${v[0]}`, ...v.slice(1));
          } else {
            node(indent + step(), depth + 1);
          }
        } else {
          const v = scalarLines(indent);
          lines.push(`${lead}${k}:${pick([' ', ' ', '  '])}${v[0]}`, ...v.slice(1));
        }
      }
    }
  };
  const docs = 1 + Math.floor(rnd() * 3);
  for (let d = 0; d < docs; d++) {
    if (d > 0 || chance(0.3)) lines.push(chance(0.1 * noise) ? '...' : pick(['---', '---', '--- # doc', '--- ']));
    if (chance(0.1)) lines.push('# head');
    node(chance(0.1) ? 2 : 0, 0);
  }
  let text = lines.join('\n') + (chance(0.9) ? '\n' : '');
  // Mutations: one character anywhere, as people mistype.
  const mutations = chance(0.3 * noise) ? 1 + Math.floor(rnd() * 2) : 0;
  for (let i = 0; i < mutations && text.length > 0; i++) {
    const at = Math.floor(rnd() * text.length);
    text = text.slice(0, at) + pick(NOISE) + text.slice(at + (chance(0.5) ? 1 : 0));
  }
  return text;
}
