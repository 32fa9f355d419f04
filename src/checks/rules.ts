import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { formatProblem, Problems } from './problems';
import { formatGoDuration, MAX_GO_DURATION_MS, parseGoDuration } from '../output/duration';

/**
 * The field rules of the Flux CRDs and of Kubernetes object names, written as checks that
 * collect problems (they never throw), so that synth can report every problem at once.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name (DNS-1123 subdomain, at most 253 characters). */
export function checkObjectName(p: Problems, field: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    p.add(field, 'must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit', name);
  }
}

/** A namespace name or a Helm release name (DNS-1123 label, at most `max` characters). */
export function checkLabelName(p: Problems, field: string, name: string, max: number = 63): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > max || !DNS1123_LABEL.test(name)) {
    p.add(field, `must be a DNS-1123 label: at most ${max} lowercase letters, digits and '-', starting and ending with a letter or digit`, name);
  }
}

/** A Flux duration (`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`); `allowHours` is false for HelmRepository.timeout. */
export function checkDuration(p: Problems, field: string, ms: number, allowHours: boolean = true): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    p.add(field, 'must be a positive duration', `${ms}ms`);
    return;
  }
  if (ms < 1) {
    p.add(field, 'must be at least one millisecond (the CRD pattern for durations has no unit below \'ms\')', `${ms}ms`);
    return;
  }
  if (ms > MAX_GO_DURATION_MS) {
    p.add(field, 'must be at most about 292 years (Go holds a duration in int64 nanoseconds, and the controller could not read a longer one)', `${ms}ms`);
    return;
  }
  if (!allowHours && ms >= 3_600_000) {
    p.add(field, 'must be shorter than one hour (the CRD pattern for this field has no \'h\' unit): use at most Duration.minutes(59)', formatGoDuration(ms));
  }
}

/**
 * Checks a duration property: it must be a cdk8s `Duration` (a JavaScript caller may pass
 * anything), then a positive one (see `checkDuration`). Returns whether it can be written.
 */
export function checkDurationProp(p: Problems, field: string, value: unknown, allowHours: boolean = true): boolean {
  if (typeof (value as { toMilliseconds?: unknown } | undefined)?.toMilliseconds !== 'function') {
    p.add(field, 'must be a Duration such as Duration.minutes(10), not a string or a number', value);
    return false;
  }
  const before = p.list.length;
  checkDuration(p, field, (value as Duration).toMilliseconds({ integral: false }), allowHours);
  return p.list.length === before;
}

/** A value of a string enum; JavaScript callers are not held to the TypeScript type. */
export function checkEnum(p: Problems, field: string, value: unknown, allowed: { [key: string]: string }, enumName: string): void {
  const values = Object.values(allowed);
  if (!values.includes(value as string)) {
    const keys = Object.keys(allowed).map((k) => `${enumName}.${k}`);
    p.add(field, `must be one of ${keys.join(', ')} (${values.map((v) => `'${v}'`).join(', ')})`, value);
  }
}

/** Parses and checks a Go duration string given as text. */
export function checkDurationText(p: Problems, field: string, text: string): void {
  const ms = parseGoDuration(text);
  if (ms === undefined || !/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(text)) {
    p.add(field, 'must be a Go duration such as \'30s\', \'10m\' or \'1h30m\'', text);
  }
}

/**
 * An absolute URL with one of the given schemes and a non-empty host. The text is checked as
 * written, since the CRD patterns (`^(http|https|oci)://.*$`) are: the scheme in lowercase and
 * nothing before it, no white space or control characters (a URL parser would quietly drop them).
 */
export function checkUrl(p: Problems, field: string, url: string, schemes: string[]): URL | undefined {
  const expected = `an absolute URL with scheme ${schemes.join(', ')}`;
  if (typeof url !== 'string') {
    p.add(field, `must be ${expected}`, url);
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url)) {
    p.add(field, 'must not contain spaces, tabs, line breaks or other control characters: remove them (percent-encode a space in a path as %20)', url);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    p.add(field, `must be ${expected}`, url);
    return undefined;
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    p.add(field, `url scheme '${scheme}' not supported, can be: ${schemes.join(', ')}`, url);
    return undefined;
  }
  if (!url.startsWith(`${scheme}://`)) {
    p.add(field, `must start with '${scheme}://' exactly, in lowercase (Flux matches the scheme case-sensitively)`, url);
    return undefined;
  }
  if (parsed.host === '') {
    p.add(field, 'must name a host', url);
    return undefined;
  }
  return parsed;
}

/** An optional flag: true, false or not given (JavaScript callers are not held to the type). */
export function checkBoolean(p: Problems, field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    p.add(field, 'must be true or false (a boolean, not a string or a number)', value);
  }
}

/** An optional string (JavaScript callers are not held to the type). */
export function checkString(p: Problems, field: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'string') {
    p.add(field, 'must be a string: quote it', value);
    return false;
  }
  return true;
}

/** A whole, non-negative number (or -1 where `allowUnlimited`). */
export function checkCount(p: Problems, field: string, n: number, allowUnlimited: boolean): void {
  if (!Number.isInteger(n) || n < (allowUnlimited ? -1 : 0)) {
    p.add(field, allowUnlimited ? 'must be a whole number, 0 or more (-1 for unlimited)' : 'must be a whole number, 0 or more', n);
  }
}

/** A string with a length between min and max. */
export function checkLength(p: Problems, field: string, s: string, min: number, max: number): void {
  if (typeof s !== 'string') {
    p.add(field, 'must be a string', s);
    return;
  }
  if (s.length < min || s.length > max) {
    p.add(field, min === max ? `must be ${min} characters long` : `must be ${min} to ${max} characters long`, s);
  }
}

export const VALUES_KEY = /^[\-._a-zA-Z0-9]+$/;
export const TARGET_PATH = /^([a-zA-Z0-9_\-.\\/]|\[[0-9]{1,5}\])+$/;

/** A Kubernetes label key or annotation key (`prefix/name`). */
export function checkQualifiedKey(p: Problems, field: string, key: string): void {
  const parts = key.split('/');
  const name = parts.length === 2 ? parts[1] : parts[0];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const nameOk = name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
  if (parts.length > 2 || !nameOk || !prefixOk) {
    p.add(field, 'must be a qualified name: an optional DNS subdomain prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' and \'.\'', key);
  }
}

/** A label value: at most 63 characters, alphanumeric at both ends. */
export function checkLabelValue(p: Problems, field: string, value: string): void {
  if (value.length > 63 || (value.length > 0 && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value))) {
    p.add(field, 'must be a label value: at most 63 letters, digits, \'-\', \'_\' and \'.\', alphanumeric at both ends', value);
  }
}

/** How deep `values` (and other plain data) may nest: deeper is refused before anything recurses. */
export const MAX_DATA_DEPTH = 100;

/** An argument a public entry point refused: `where: field: rule (got value)`. */
export class ArgumentError extends Error {
  constructor(where: string, field: string, rule: string, value: unknown) {
    super(formatProblem({ path: where, field, rule, value: describe(value) }));
    this.name = 'ArgumentError';
  }
}

export function isNonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}

/** Throws an `ArgumentError` unless `test(value)` holds. */
export function requireArgument(where: string, field: string, value: unknown, expected: string, test: (v: unknown) => boolean): void {
  if (!test(value)) throw new ArgumentError(where, field, `must be ${expected}`, value);
}

/**
 * The props of a construct whose props are required: an object (a JavaScript caller may pass null,
 * undefined or a string). Returns them; throws `construct path: props: …` otherwise.
 */
export function requireProps<T>(construct: Construct, props: T, typeName: string): T {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new ArgumentError(construct.node.path, 'props', `must be an object of ${typeName}`, props);
  }
  return props;
}

/**
 * Optional props: undefined is fine (the defaults), anything but an object is refused.
 */
export function optionalProps<T>(construct: Construct, props: T | undefined, typeName: string): T | undefined {
  if (props === undefined) return undefined;
  return requireProps(construct, props, typeName);
}

/** A value as shown in a message: a short text for what JSON cannot show. */
function describe(v: unknown): unknown {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'bigint') return `${v}n`;
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null && !Array.isArray(v)) return `a ${proto?.constructor?.name ?? 'object'}`;
  }
  return v;
}

/**
 * Plain data only (objects of Object or null prototype, arrays, strings, finite numbers, booleans,
 * null), at most `maxDepth` levels deep, with no getters, symbol keys or cycles. Never calls a
 * getter and never recurses deeper than `maxDepth`, so a hostile value cannot crash the check.
 */
export function checkPlainData(p: Problems, field: string, value: unknown, maxDepth: number = MAX_DATA_DEPTH): void {
  const ancestors = new Set<object>();
  const visit = (v: unknown, at: string, depth: number): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (v === undefined) {
      p.add(at, 'must not be undefined: leave the key out, or use null for an explicit null', 'undefined');
      return;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) p.add(at, 'must be a finite number', String(v));
      return;
    }
    const isArray = Array.isArray(v);
    let proto: unknown;
    try {
      proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    } catch {
      proto = undefined; // a Proxy that throws
    }
    if (!isArray && !(typeof v === 'object' && (proto === Object.prototype || proto === null))) {
      p.add(at, 'must be plain data (objects, arrays, strings, numbers, booleans, null): convert it first (a Date with toISOString(), a Map with Object.fromEntries())', describe(v));
      return;
    }
    if (depth >= maxDepth) {
      p.add(at, `must nest at most ${maxDepth} levels deep: flatten it`, `more than ${maxDepth} levels`);
      return;
    }
    if (ancestors.has(v as object)) {
      p.add(at, 'must not contain itself (a circular reference): values are written out as a tree', 'a circular reference');
      return;
    }
    let keys: string[];
    try {
      if (Object.getOwnPropertySymbols(v as object).length > 0) {
        p.add(at, 'must have only string keys: a symbol key is not written', Object.getOwnPropertySymbols(v as object)[0].toString());
      }
      keys = Object.keys(v as object);
    } catch (e) {
      p.add(at, `must be plain data: reading it fails (${(e as Error)?.message ?? String(e)})`, 'an object that cannot be read');
      return;
    }
    ancestors.add(v as object);
    for (const k of keys) {
      const child = isArray ? `${at}[${k}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`;
      let d: PropertyDescriptor | undefined;
      try {
        d = Object.getOwnPropertyDescriptor(v, k);
      } catch (e) {
        p.add(child, `must be plain data: reading it fails (${(e as Error)?.message ?? String(e)})`, 'a property that cannot be read');
        continue;
      }
      if (d === undefined) continue;
      if (d.get !== undefined || d.set !== undefined) {
        p.add(child, 'must be plain data: a getter or setter is not (its value could change, or throw); assign the value itself', 'a getter');
        continue;
      }
      visit(d.value, child, depth + 1);
    }
    ancestors.delete(v as object);
  };
  visit(value, field, 0);
}
