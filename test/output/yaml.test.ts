import { spawnSync } from 'child_process';
import { parse } from 'yaml';
import { compareKeys, formatNumber, isAmbiguousScalar, toYamlBody, toYamlDocument } from '../../src/output/yaml';

const TRAPS = [
  'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N', 'true', 'False', 'null', 'Null', '~', '',
  '1.10', '010', '08', '0x1F', '0o17', '0b101', '1e3', '1E3', '-1e-3', '1_000', '+1', '.5', '1.', '.inf', '-.Inf', '.NaN',
  '2024-01-01', '2024-1-1 10:00:00', '2001-12-14t21:59:43.10-05:00', '1:20', '190:20:30.15', '<<', '=',
  '>4.0.0', '*', '& anchor', '!tag', '|', '- item', '? key', ': value', 'a: b', 'a #b', '#comment', '@at', '`tick',
  '"quoted"', '\'single\'', ' leading', 'trailing ', 'tab\there', 'line1\nline2', 'line1\nline2\n', '\n', ' \nx', 'x \ny',
  '%percent', '---', '...', '--- x', 'a\u0085b', 'caf\u00e9', '\u{1F511}', 'back\\slash', '{a: 1}', '[1, 2]', ',comma',
  '2.4.0', 'v1.2.3', '1.8', '10m0s', 'ChartVersion', 'kube-.*', 'https://example.com/a?b=c#d',
  'word '.repeat(40).trim(), 'x'.repeat(200), `${'a '.repeat(50)}: b`,
  // YAML 1.1 as the yaml package reads it: 1-digit date fields, base 60 with a leading 0, `e3`.
  '2024-1-2', '2024-1-2T1:2:3Z', '2024-01-01 1:2:3', '09:00', '0:30', '00:30:00', 'e3', 'E5', '.e3', '._', '+.', '0b_',
  // What go-yaml reads as a number (and quotes): upper-case and signed base prefixes.
  '0X1F', '0O17', '0B101', '-0o17', '+0x1F', '0_x1F',
  // PyYAML: an invalid date still matches its timestamp pattern and fails to load unquoted.
  '2024-02-30', '2024-13-01', '2024-01-01 10:00:00.', '2001-12-14 21:59:43.10 -5',
  // Keys past go-yaml's 128 bytes and the 1024 characters a simple key may have.
  'k'.repeat(129), 'k'.repeat(1100), 'word '.repeat(300), '\u{1F511} key', '\ufeffbom', 'x\u2029', '\u0000\u007f\u009f\ufffe',
];

describe('the YAML writer', () => {
  test('writes what flux create --export writes for E1', () => {
    expect(toYamlDocument({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'podinfo', namespace: 'flux-system' }, spec: { url: 'https://stefanprodan.github.io/charts/podinfo', interval: '5m0s' } })).toEqual([
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: HelmRepository',
      'metadata:',
      '  name: podinfo',
      '  namespace: flux-system',
      'spec:',
      '  interval: 5m0s',
      '  url: https://stefanprodan.github.io/charts/podinfo',
      '',
    ].join('\n'));
  });

  test('quotes as go-yaml does: double quotes for what a reader would retype, single where plain is not allowed', () => {
    expect(toYamlBody({ a: '1.10', b: '>4.0.0', c: '*', d: 'on', e: '', f: 'it\'s', g: '2.4.0', h: 'a: b' })).toEqual([
      'a: "1.10"',
      'b: \'>4.0.0\'',
      'c: \'*\'',
      'd: "on"',
      'e: ""',
      'f: it\'s',
      'g: 2.4.0',
      'h: \'a: b\'',
      '',
    ].join('\n'));
  });

  test('writes a key \'=\' plain as go-yaml does (every reader takes it for the string), a value \'=\' quoted', () => {
    const text = toYamlBody({ '=': '=', '<<': 'x' });
    expect(text).toEqual('"<<": x\n=: "="\n');
    expect(parse(text, { version: '1.1' })).toEqual({ '=': '=', '<<': 'x' });
  });

  test('lays out block sequences under their key, nested maps, empty collections and literal blocks', () => {
    expect(toYamlBody({ list: [{ a: 1, b: [true, null] }, [], {}, 'x', [1, [2]]], text: 'l1\nl2\n', raw: 'l1\nl2', kept: 'l1\n\n' })).toEqual([
      'kept: |+',
      '  l1',
      '',
      'list:',
      '- a: 1',
      '  b:',
      '  - true',
      '  - null',
      '- []',
      '- {}',
      '- x',
      '- - 1',
      '  - - 2',
      'raw: |-',
      '  l1',
      '  l2',
      'text: |',
      '  l1',
      '  l2',
      '',
    ].join('\n'));
  });

  test('folds long scalars at column 80, as go-yaml does', () => {
    const long = 'word '.repeat(30).trim();
    expect(toYamlBody({ spec: { description: long } })).toEqual(
      'spec:\n  description: word word word word word word word word word word word word word word\n    word word word word word word word word word word word word word word word word\n');
  });

  test('orders keys as go-yaml does (digit runs as numbers, non-letters first)', () => {
    expect(['b', 'a10', 'a2', 'A', 'a-b', 'ab', '_x', 'a'].sort(compareKeys)).toEqual(['_x', 'A', 'a', 'a-b', 'a2', 'a10', 'ab', 'b']);
  });

  test('formats numbers as Go\'s strconv.FormatFloat(f, \'g\', -1, 64), with a \'.\' in every exponent form', () => {
    expect([0, -0, 3, -7, 1.5, 0.0001, 0.00001, 123456.7, 1234567.5, 1e21, 2 ** 53].map(formatNumber)).toEqual(
      ['0', '0', '3', '-7', '1.5', '0.0001', '1.0e-05', '123456.7', '1.2345675e+06', '1.0e+21', '9007199254740992']);
    expect(() => formatNumber(Number.NaN)).toThrow('cannot write the number NaN to YAML: Kubernetes objects hold only finite numbers');
  });

  test.each(TRAPS.map((t) => [JSON.stringify(t), t]))('round-trips %s under YAML 1.1 and 1.2, as a value and as a key', (_, s) => {
    const text = toYamlBody({ key: s, [s === '' ? 'empty' : s]: 'v', list: [s] });
    for (const version of ['1.1', '1.2'] as const) {
      const back = parse(text, { version });
      expect(back.key).toEqual(s);
      expect(back.list).toEqual([s]);
      expect(back[s === '' ? 'empty' : s]).toEqual('v');
    }
  });

  test('every trap reads back the same in PyYAML, a YAML 1.1 reader', () => {
    if (spawnSync('python3', ['-c', 'import yaml']).status !== 0) return;
    const doc = toYamlBody({ values: TRAPS });
    const r = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: doc, encoding: 'utf8' });
    expect(r.stderr).toEqual('');
    expect(JSON.parse(r.stdout).values).toEqual(TRAPS);
  });

  test('a seeded fuzz of random strings round-trips under both versions', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'Z', '0', '1', '9', '.', '-', '+', '_', ':', ' ', '#', '\'', '"', '\\', '\n', '\t', 'e', 'x', 'o', 'n', 'y', '~', '*', '&', '!', '|', '>', '%', '@', '`', ',', '[', '{', '?', 'é', '\u2028'];
    const strings: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const len = Math.floor(rand() * 8);
      strings.push(Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
    }
    const text = toYamlBody({ values: strings });
    expect(parse(text, { version: '1.1' }).values).toEqual(strings);
    expect(parse(text, { version: '1.2' }).values).toEqual(strings);
    if (spawnSync('python3', ['-c', 'import yaml']).status !== 0) return;
    const r = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: text, encoding: 'utf8' });
    expect(JSON.parse(r.stdout).values).toEqual(strings);
  });

  test('knows the scalars YAML 1.1 or 1.2 would retype', () => {
    expect(['on', 'y', '1.10', '010', '08', '1e3', '2024-01-01', '~', '<<', '0x1F', '.5'].every(isAmbiguousScalar)).toBe(true);
    expect(['2.4.0', 'v1', 'kube-.*', '10m0s', 'onion', 'yes-no'].some(isAmbiguousScalar)).toBe(false);
  });
});
