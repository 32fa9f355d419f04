import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { generate, random } from './yaml-fuzz';
import { parseSimpleDocuments } from '../../../src/checks/repo-check/simple-yaml';
import { MAX_ALIASES, PARSE_OPTIONS } from '../../../src/checks/repo-check/tree';

/**
 * What the check reads of a node: its class, where it starts (the line of a finding), and for a
 * scalar its value, type, source, tag and format. The ends of ranges are left out: the fast
 * reader does not follow the yaml package's rules for which comments a node's range takes in,
 * and nothing reads them for documents it reads.
 */
function outline(node: unknown): unknown {
  const n = node as { range?: [number, number, number] } | null | undefined;
  const at = n?.range?.[0];
  if (isMap(node)) return { map: node.items.map((p) => [outline(p.key), outline(p.value)]), at, flow: Boolean(node.flow) };
  if (isSeq(node)) return { seq: node.items.map(outline), at, flow: Boolean(node.flow) };
  if (isScalar(node)) {
    const v = node.value;
    return { value: typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v, of: typeof v, type: node.type, source: node.source, tag: node.tag, format: node.format, at };
  }
  return node === null || node === undefined ? node : { other: (node as object).constructor.name };
}

/** The document's value as the check reads it (aliases resolved, merge keys merged), or why it does not read. */
function toJson(doc: Document.Parsed): string {
  try {
    return JSON.stringify(doc.toJS({ maxAliasCount: MAX_ALIASES }));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** 'fast' when the fast reader gives what the yaml package gives, 'yaml' when it leaves the text to it, else how they differ. */
function compare(text: string): string {
  const fastLines = new LineCounter();
  const fast = parseSimpleDocuments(text, fastLines, PARSE_OPTIONS);
  const lines = new LineCounter();
  const all = parseAllDocuments(text, { lineCounter: lines, ...PARSE_OPTIONS });
  const docs = (Array.isArray(all) ? all : []) as Document.Parsed[];
  if (!fast) return 'yaml';
  if (docs.some((d) => d.errors.length > 0)) return `read text the yaml package refuses (${docs.flatMap((d) => d.errors.map((e) => e.code)).join(', ')})`;
  if (fast.length !== docs.length) return `${fast.length} documents, not ${docs.length}`;
  if (JSON.stringify(fastLines.lineStarts) !== JSON.stringify(lines.lineStarts)) return 'other line starts';
  for (let i = 0; i < docs.length; i++) {
    const a = JSON.stringify({ contents: outline(fast[i].contents), docStart: fast[i].directives?.docStart, at: fast[i].range[0] });
    const b = JSON.stringify({ contents: outline(docs[i].contents), docStart: docs[i].directives?.docStart, at: docs[i].range[0] });
    if (a !== b) {
      let k = 0;
      while (a[k] === b[k]) k++;
      return `document ${i}: …${a.slice(Math.max(0, k - 80), k + 80)}… where the yaml package has …${b.slice(Math.max(0, k - 80), k + 80)}…`;
    }
    if (toJson(fast[i]) !== toJson(docs[i])) return `document ${i}: ${toJson(fast[i])} where the yaml package has ${toJson(docs[i])}`;
  }
  return 'fast';
}

describe('the fast reader reads what the yaml package reads, or leaves the text to it', () => {
  test.each([
    ['block mappings and sequences', 'a: 1\nb:\n  c: x\n  d:\n  - e\n  - f: g\n    h: i\n-k: 1\n', 'yaml'],
    ['a manifest', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x # a comment\n  labels: {}\ndata:\n  a: "1"\n  b: \'it\'\'s\'\n  c: |\n    line\n\n    # not a comment\n', 'fast'],
    ['every core scalar', 'a: [1, -1, 0x1F, 0o17, 1e3, .5, .inf, -.Inf, .nan, true, False, ~, null, 0777, 1_000, 2024-01-01]\n', 'fast'],
    ['documents', '# head\n---\na: 1\n--- # two\n- b\n---\nc:\n', 'fast'],
    ['empty documents, as helm template writes them', '---\n# Source: chart/templates/empty.yaml\n---\n# Source: chart/templates/cm.yaml\na: 1\n---   \n---\n', 'fast'],
    ['a compact sequence in a mapping', 'a:\n- 1\n-\n  - 2\nb: 3\n', 'fast'],
    ['a plain scalar on three lines', 'a: one\n  two\n\n  three\nb: 4\n', 'fast'],
    ['a quoted scalar on two lines', "a: 'one\n  ''two'''\nb: \"x\n\n  y \"\n", 'fast'],
    ['a double-quoted scalar with JSON escapes', 'a: "\\u00e9\\n\\"\\\\/"\n', 'fast'],
    ['a double-quoted scalar with a YAML-only escape', 'a: "\\x41"\n', 'yaml'],
    ['a literal block that keeps its newlines', 'a: |+\n  x\n\n', 'yaml'],
    ['a folded block', 'a: >\n  x\n  y\n', 'yaml'],
    ['anchors and aliases', 'a: &x 1\nb: *x\nc:\n- &y\n  d: 1\n- *y\n', 'fast'],
    ['merge keys', 'base: &base\n  a: 1\n  b: 2\nmore: &more\n  c: 3\nthis:\n  <<: *base\n  <<: *more\n  b: 4\n', 'fast'],
    ['an alias without its anchor (both readers fail the same way)', 'a: *nowhere\n', 'fast'],
    ['an anchor on a key', '&k a: 1\n', 'yaml'],
    ['a merge key with a flow mapping', 'a:\n  <<: {b: 1}\n  c: 2\n', 'fast'],
    ['a tag', 'a: !!str 1\n', 'yaml'],
    ['flow mappings of scalars', 'a: {b: 1, "c": d, e: \'f g\'}\nh: { }\ni: [ {j: k} ]\n', 'yaml'],
    ['a flow mapping of scalars', 'a: {b: 1, "c": d, e: \'f g\', h: -1}\ni: { }\n', 'fast'],
    ['a flow mapping in a flow sequence', 'a: [{b: 1}]\n', 'yaml'],
    ['a duplicate key', 'a: 1\na: 2\n', 'yaml'],
    ['a tab', 'a:\t1\n', 'yaml'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n', 'yaml'],
    ['a comment after an empty value', 'a: # none\nb: 1\n', 'yaml'],
    ['a quoted continuation line at the key\'s indent (go-yaml reads it)', 'a:\n  b: "one\n  two"\n', 'yaml'],
    ['a bad indent', 'a:\n    b: 1\n  c: 2\n', 'yaml'],
    ['a directive', '%YAML 1.2\n---\na: 1\n', 'yaml'],
  ])('%s', (_, text, expected) => {
    expect(compare(text)).toBe(expected);
  });

  test('on generated text, plain and mutated', () => {
    const counts: Record<string, number> = {};
    const differences: string[] = [];
    for (const [noise, n] of [[0.2, 4000], [1, 1500]]) {
      for (let seed = 1; seed <= n; seed++) {
        const text = generate(random(seed * 7919 + noise * 100), noise);
        const r = compare(text);
        counts[r === 'fast' || r === 'yaml' ? r : 'different'] = (counts[r === 'fast' || r === 'yaml' ? r : 'different'] ?? 0) + 1;
        if (r !== 'fast' && r !== 'yaml' && differences.length < 3) differences.push(`${JSON.stringify(text)}: ${r}`);
      }
    }
    expect(differences).toEqual([]);
    // Enough of them take the fast reader for the comparison to mean something.
    expect(counts.fast).toBeGreaterThan(1000);
  });

  test('on every YAML file of the tests (fixtures, golden files, corpus)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && /\.ya?ml$/.test(e.name)) files.push(p);
      }
    };
    walk(path.join(__dirname, '..', '..'));
    const results = files.map((f) => [path.relative(__dirname, f), compare(fs.readFileSync(f, 'utf8'))]);
    expect(results.filter(([, r]) => r !== 'fast' && r !== 'yaml')).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
    // What flux and kubectl write takes the fast reader; the files of quoted lines only go-yaml reads do not.
    expect(results.filter(([, r]) => r === 'yaml').map(([f]) => f).sort()).toEqual([
      '../corpus/yaml-quoted-continuation/clusters/dev/broken.yaml',
      '../corpus/yaml-quoted-continuation/clusters/dev/plain-broken.yaml',
      '../corpus/yaml-quoted-continuation/clusters/dev/widgets-crd.yaml',
    ]);
  });

  test.each([
    ['one mapping of 20,000 keys', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 20000 }, (_, i) => `  key${i}: "value ${i}"\n`).join('')}`],
    ['2,000 Deployments', Array.from({ length: 2000 }, (_, i) => `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: "ghcr.io/acme/app:1.${i}.0"\n        args: ["--port=8080", --verbose]\n        resources: {}\n`).join('')],
    ['CRDs as controller-gen writes them', Array.from({ length: 200 }, (_, i) => `---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things${i}.example.com\nspec:\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        description: A long description that the YAML writer folds onto the\n          next line.\n        properties:\n          kind:\n            description: |-\n              Kind of the referent, valid values are ('Secret',\n              'ConfigMap').\n            enum:\n            - Secret\n            x-kubernetes-validations:\n            - message: the name must be set\n              rule: 'has(self.name) &&\n                self.name != '''''\n`).join('')],
  ])('%s take the fast reader', (_, text) => {
    expect(compare(text)).toBe('fast');
  });
});
