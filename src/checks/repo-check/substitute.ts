import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit } from 'yaml';
import { MAX_ALIASES } from './tree';

/** A Flux Kustomization's `spec.postBuild`, as far as the repo tells. */
export interface Substitution {
  /** `postBuild.substitute`. */
  readonly vars: Record<string, string>;
  /** Whether `postBuild.substituteFrom` adds variables the repo does not show (ConfigMaps, Secrets in the cluster). */
  readonly external: boolean;
}

const EXPR = /\$\$\{|\$\{([^}]*)\}/g;

/**
 * Applies a Kustomization's postBuild substitution to one document, like kustomize-controller
 * (`${var}`, `${var:=default}`, `${var:-default}`; `$${var}` stays literal). A plain scalar that
 * is one whole `${var}` takes the type its value reads as (`replicas: ${n}` with n=2 is the number
 * 2); a quoted one stays a string. Returns the substituted value and the JSON pointers
 * (`/spec/url`) of the values whose variables the repo does not define.
 */
export function substitute(doc: Document.Parsed | undefined, value: any, s: Substitution): { value: any; unresolved: Set<string> } {
  const unresolved = new Set<string>();
  if (!doc || !JSON.stringify(value).includes('${')) return { value, unresolved };
  const copy = doc.clone();
  visit(copy, {
    Scalar: (_, node, ancestors) => {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      let missing = false;
      const text = node.value.replace(EXPR, (all, expr: string | undefined) => {
        if (expr === undefined) return '${';
        const r = resolve(expr, s);
        if (r === undefined) {
          missing = true;
          return all;
        }
        return r;
      });
      if (missing) {
        unresolved.add(pointer(ancestors, node));
        return;
      }
      const whole = /^\$\{[^}]*\}$/.test(node.value);
      if (whole && (node.type === Scalar.PLAIN || node.type === undefined)) {
        const parsed = parseDocument(text, { version: '1.1' }).contents;
        node.value = isScalar(parsed) ? parsed.value : text;
      } else {
        node.value = text;
      }
    },
  });
  return { value: copy.toJS({ maxAliasCount: MAX_ALIASES }), unresolved };
}

/** postBuild substitution in one string (a name kustomize made, such as a generator's): a `${var}` the repo does not define stays as it is. */
export function substituteText(text: string, s: Substitution): string {
  if (!text.includes('${')) return text;
  return text.replace(EXPR, (all, expr: string | undefined) => (expr === undefined ? '${' : resolve(expr, s) ?? all));
}

function resolve(expr: string, s: Substitution): string | undefined {
  const m = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[=-])(.*))?$/s.exec(expr);
  if (!m) return undefined;
  const [, name, op, fallback] = m;
  const v = Object.prototype.hasOwnProperty.call(s.vars, name) ? s.vars[name] : undefined;
  if (v !== undefined && !(op?.startsWith(':') && v === '')) return v;
  if (op !== undefined) return fallback;
  // From substituteFrom, or unset: the repo does not say.
  return undefined;
}

/** The JSON pointer of a node from the ancestors `visit` passes. */
function pointer(ancestors: readonly unknown[], node: unknown): string {
  const parts: string[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const a = chain[i];
    const next = chain[i + 1];
    if (isPair(a)) {
      if (next === a.key) return parts.length ? `/${parts.join('/')}` : '';
      parts.push(String(isScalar(a.key) ? a.key.value : a.key));
    } else if (isSeq(a)) {
      parts.push(String(a.items.indexOf(next as any)));
    } else if (isMap(a)) {
      // the Pair comes next
    }
  }
  return parts.length ? `/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` : '';
}
