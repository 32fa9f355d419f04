/**
 * How Kubernetes reads a plain YAML scalar: sigs.k8s.io/yaml converts YAML to JSON with its fork
 * of go-yaml v2, a YAML 1.1 reader (`resolve()` in go-yaml's resolve.go). kustomize-controller
 * hands manifests to the API server through it, so `enabled: on` arrives as `true`.
 */

const BOOL: Record<string, boolean> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOL[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOL[s] = false;
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseFloat syntax (decimal only; what matters for a '.' first character). */
const GO_FLOAT = /^[-+]?(([0-9](_?[0-9])*)?\.?([0-9](_?[0-9])*)?([eE][-+]?[0-9]+)?|inf(inity)?|nan)$/i;

/** The value go-yaml v2 gives a plain scalar: a string, number, boolean or null. */
export function readAsKubernetes(s: string): string | number | boolean | null {
  if (NULL.has(s)) return null;
  if (s in BOOL) return BOOL[s];
  if (s in SPECIAL) return SPECIAL[s];
  const c = s[0];
  if (c === '.') {
    return GO_FLOAT.test(s) && /[0-9]/.test(s) ? Number(s) : s;
  }
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return s;
  // go-yaml v2 keeps timestamps as strings when it decodes into interface{}.
  const plain = s.replace(/_/g, '');
  const int = parseGoInt(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  if (/^-?0b[01]+$/.test(plain)) return (plain.startsWith('-') ? -1 : 1) * parseInt(plain.replace(/^-?0b/, ''), 2);
  return s;
}

/** strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b prefixes or a leading 0 for octal. */
function parseGoInt(s: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, body] = m;
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body.startsWith('0')) n = parseInt(body.slice(1), 8);
  else n = parseInt(body, 10);
  return sign === '-' ? -n : n;
}

/** A cheap test that rules out most scalars before reading them both ways. */
export function mayDiffer(s: string): boolean {
  if (s.length === 0 || s.length > 40) return false;
  const c = s[0];
  return c === '+' || c === '-' || c === '.' || (c >= '0' && c <= '9') || s in BOOL || NULL.has(s);
}

/** A value kustomize cannot write back as JSON (`.inf`, `.nan`): the build fails. */
export const NOT_JSON = Symbol('not JSON');

/**
 * The value Flux applies for a plain scalar of a manifest: kustomize reads YAML with go-yaml v3
 * (a YAML 1.2 reader for booleans: only true and false; octal 0775 and 0o775, 1_000 and 0b101
 * as numbers, like go-yaml v2) into interface{} and writes it back as JSON, so a timestamp
 * becomes an RFC 3339 string (`2024-04-01` is "2024-04-01T00:00:00Z") and infinities fail.
 */
export function readAsKustomize(s: string): string | number | boolean | null | typeof NOT_JSON {
  if (s in BOOL) return s === 'true' || s === 'True' || s === 'TRUE' ? true : s === 'false' || s === 'False' || s === 'FALSE' ? false : s;
  const time = goYamlTimestamp(s);
  if (time !== undefined) return time;
  const v = readAsKubernetes(s);
  return typeof v === 'number' && !Number.isFinite(v) ? NOT_JSON : v;
}

/** go-yaml v3 parseTimestamp (its four layouts) as Go's json writes the time.Time: RFC 3339 with nanoseconds trimmed. */
function goYamlTimestamp(s: string): string | undefined {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:([Tt])|( ))([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, t, space, h, mi, sec, frac, zone] = m;
  // The T layouts need a zone; the space layout has none.
  if (h !== undefined && ((t !== undefined && zone === undefined) || (space !== undefined && zone !== undefined))) return undefined;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59)) return undefined;
  const two = (x: string | number) => String(x).padStart(2, '0');
  const fraction = frac ? frac.slice(0, 10).replace(/0+$/, '').replace(/^\.$/, '') : '';
  const offset = zone === undefined || zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return `${y}-${two(month)}-${two(day)}T${two(h ?? 0)}:${two(mi ?? 0)}:${two(sec ?? 0)}${fraction}${offset}`;
}
