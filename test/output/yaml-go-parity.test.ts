import { spawnSync } from 'child_process';
import { parse } from 'yaml';
import { formatGoDuration, parseGoDuration } from '../../src/output/duration';
import { compareKeys, formatNumber, isAmbiguousScalar, toYamlBody } from '../../src/output/yaml';

// The expected texts below were recorded from go-yaml v2.4.4 (go.yaml.in/yaml/v2, the emitter
// behind sigs.k8s.io/yaml and so `flux create … --export`), fed the same values as JSON.

const lines = (...l: string[]) => l.join('\n') + '\n';

function pyyamlLoad(text: string): unknown {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: text, encoding: 'utf8' });
  expect(r.stderr).toEqual('');
  return JSON.parse(r.stdout);
}
const hasPyYaml = spawnSync('python3', ['-c', 'import yaml']).status === 0;

describe('go-yaml parity', () => {
  test('keys of more than 128 bytes are written as "? key" with the value after ": ", compact', () => {
    const k = 'k'.repeat(130);
    const w = 'word '.repeat(30);
    const doc = { spec: { [k]: 'v', l: [{ [k]: [1, { a: 'b' }] }], m: { [w]: { x: 1, y: [] } } } };
    const text = toYamlBody(doc);
    expect(text).toEqual(lines(
      'spec:',
      `  ? ${k}`,
      '  : v',
      '  l:',
      `  - ? ${k}`,
      '    : - 1',
      '      - a: b',
      '  m:',
      '    ? \'word word word word word word word word word word word word word word word',
      '      word word word word word word word word word word word word word word word \'',
      '    : x: 1',
      '      "y": []',
    ));
    expect(parse(text)).toEqual(doc);
    expect(parse(text, { version: '1.1' })).toEqual(doc);
  });

  test('a key longer than 1024 characters stays readable (a simple key may not be)', () => {
    const doc = { ['x'.repeat(1100)]: 'v', list: [{ ['é'.repeat(600)]: 1 }] };
    const text = toYamlBody(doc);
    expect(text.startsWith('list:\n- ? ')).toBe(true);
    expect(parse(text)).toEqual(doc);
    if (hasPyYaml) expect(pyyamlLoad(text)).toEqual(doc);
  });

  test('keys with line breaks are written as "? |-" literal blocks', () => {
    const doc = { 'a\nb': 'v', 'c': { 'k\n': { p: 1, q: [true] } } };
    const text = toYamlBody(doc);
    expect(text).toEqual(lines(
      '? |-',
      '  a',
      '  b',
      ': v',
      'c:',
      '  ? |',
      '    k',
      '  : p: 1',
      '    q:',
      '    - true',
    ));
    expect(parse(text)).toEqual(doc);
    if (hasPyYaml) expect(pyyamlLoad(text)).toEqual(doc);
  });

  test('quotes what go-yaml quotes: upper-case and signed base prefixes, base 60 with a leading 0, short dates, `---`/`...` prefixes', () => {
    const doc = {
      key: '\u{1F511} x',
      bom: '\ufeffa b',
      dash: '---x',
      dots: '...y',
      hex: '0X1F',
      oct: '0O17',
      bin: '0B101',
      neg: '-0o17',
      b60: '0:30',
      clock: '09:00',
      date: '2024-1-2',
      ts: '2024-1-2T1:2:3Z',
      hexfloat: '0x1p3',
      u: '1_e5',
    };
    expect(toYamlBody(doc)).toEqual(lines(
      'b60: "0:30"',
      'bin: "0B101"',
      'bom: "\\uFEFF\\x61\\x20\\x62"',
      'clock: "09:00"',
      'dash: \'---x\'',
      'date: "2024-1-2"',
      'dots: \'...y\'',
      'hex: "0X1F"',
      'hexfloat: 0x1p3',
      'key: "\\U0001F511 x"',
      'neg: "-0o17"',
      'oct: "0O17"',
      'ts: "2024-1-2T1:2:3Z"',
      'u: "1_e5"',
    ));
    expect(['0X1F', '0O17', '-0o17', '0:30', '09:00', '2024-1-2', '2024-1-2T1:2:3Z', '1_e5', 'e3', '0_x1F'].every(isAmbiguousScalar)).toBe(true);
    // Only go-yaml reads these as timestamps or ints (Go's time.Parse takes a ',' before the fraction).
    expect(toYamlBody({
      a: '2024-01-01 10:00:00,5',
      b: '2023-02-29T10:00:00,5Z',
      c: '2024-02-29T10:00:00,5Z',
      d: '0b+101',
      e: '0XFFFFFFFFFFFFFFFFF',
      f: '+0X1F',
      g: '0O8',
      h: '0b-1',
      i: '2024-01-01T24:00:00,5Z',
    })).toEqual(lines(
      'a: "2024-01-01 10:00:00,5"',
      'b: 2023-02-29T10:00:00,5Z',
      'c: "2024-02-29T10:00:00,5Z"',
      'd: "0b+101"',
      'e: 0XFFFFFFFFFFFFFFFFF',
      'f: "+0X1F"',
      'g: 0O8',
      'h: "0b-1"',
      'i: 2024-01-01T24:00:00,5Z',
    ));
    // Go's time.Parse rejects these, and no YAML reader takes them for anything but a string.
    expect(['0x1p3', '2024-01-01T10:00:00+0500', '2024-1-2T1:2', 'v2024-01-01'].some(isAmbiguousScalar)).toBe(false);
  });

  test('characters outside the Basic Multilingual Plane are escaped and counted as go-yaml counts columns', () => {
    expect(toYamlBody(`${'word '.repeat(30)}\u{1F511}`)).toEqual(lines(
      '"word word word word word word word word word word word word word word word word word',
      '  word word word word word word word word word word word word word \\U0001F511"',
    ));
    expect(toYamlBody('a\nb')).toEqual(lines('|-', '  a', '  b'));
    expect([1, null, [], {}].map(toYamlBody)).toEqual(['1\n', 'null\n', '[]\n', '{}\n']);
  });

  test('orders keys as keyList.Less: any Unicode decimal digit, digit runs as wrapping int64s', () => {
    expect(['k\u0663', 'k10', 'k2'].sort(compareKeys)).toEqual(['k2', 'k10', 'k\u0663']);
    expect(['a3', 'a18446744073709551617', 'a2'].sort(compareKeys)).toEqual(['a18446744073709551617', 'a2', 'a3']);
    expect(['a99999999999999999999', 'a1'].sort(compareKeys)).toEqual(['a1', 'a99999999999999999999']);
    // (keyList.Less is not transitive for every set, e.g. a10 < a1b < a01 < a10, and Go's sort
    // then depends on map order; this set has no such cycle.)
    expect(['a01', 'a1', 'a001', 'a10', 'a010', 'x10y0', 'x10y00', 'x10y1', 'x1-', 'x10'].reverse().sort(compareKeys))
      .toEqual(['a1', 'a01', 'a001', 'a10', 'a010', 'x1-', 'x10', 'x10y0', 'x10y00', 'x10y1']);
  });

  test('writes numbers as JSON then go-yaml do: integers that fit int64/uint64 as digits, the rest as floats', () => {
    const n = [2 ** 60, 1e19, 2 ** 63 - 1, -(2 ** 63), 123456789012345680000, 1e-7, 1e20, 5e-324, 0.5, -0];
    // go-yaml writes 1e-07, 1e+20 and 5e-324: without a '.', YAML 1.1 readers take those for strings.
    expect(n.map(formatNumber)).toEqual(['1152921504606847000', '10000000000000000000', '9223372036854776000',
      '-9.223372036854776e+18', '1.2345678901234568e+20', '1.0e-07', '1.0e+20', '5.0e-324', '0.5', '0']);
    const text = toYamlBody({ n });
    expect(parse(text).n).toEqual(n.map((x) => (x === 0 ? 0 : x)));
    expect(parse(text, { version: '1.1' }).n).toEqual(n.map((x) => (x === 0 ? 0 : x)));
    if (hasPyYaml) expect(pyyamlLoad(text)).toEqual({ n: n.map((x) => (x === 0 ? 0 : x)) });
  });
});

describe('Go durations', () => {
  test('formats as time.Duration.String()', () => {
    expect([0, 1, 999, 1000, 1500, 60_000, 90_000, 3_600_000, 3_600_500, 5_400_000, -90_000].map(formatGoDuration))
      .toEqual(['0s', '1ms', '999ms', '1s', '1.5s', '1m0s', '1m30s', '1h0m0s', '1h0m0.5s', '1h30m0s', '-1m30s']);
  });

  test('formats fractions of a millisecond and of a second as Go does', () => {
    expect([1.5, 1000.5, 1_000_000.0015].map(formatGoDuration)).toEqual(['1.5ms', '1.0005s', '16m40.0000015s']);
  });

  test('parses what time.ParseDuration parses, and nothing else', () => {
    expect(['1h30m', '1.5h', '.5s', '1.s', '0', '-0', '+1m', '500ms', '2\u00b5s', '2\u03bcs', '2us', '3ns'].map(parseGoDuration))
      .toEqual([5_400_000, 5_400_000, 500, 1000, 0, 0, 60_000, 500, 0.002, 0.002, 0.002, 0.000003]);
    expect(['', '1', '.s', 'h', '1 h', '1d', '1h 30m', '--1s', '99999999h'].map(parseGoDuration)).toEqual(Array(9).fill(undefined));
  });
});
