import { Document, isMap, isScalar, LineCounter, visit } from 'yaml';

/**
 * The first key that a map of the document holds twice, found in linear time (the `yaml`
 * library's own `uniqueKeys` check compares every pair of keys of a map: quadratic, minutes for a
 * large file). Scalar keys are compared by type and value, as that check does; others are skipped.
 */
export function firstDuplicateKey(doc: Document, lines: LineCounter): { line: number; col: number } | undefined {
  let found: { line: number; col: number } | undefined;
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        if (!isScalar(k)) continue;
        const id = `${typeof k.value}:${String(k.value)}`;
        if (seen.has(id)) {
          found = lines.linePos(k.range?.[0] ?? 0);
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}
