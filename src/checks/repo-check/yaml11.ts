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
