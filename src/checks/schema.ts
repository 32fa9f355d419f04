import * as fs from 'fs';
import * as path from 'path';

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, any>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

interface SchemaBundle {
  readonly kinds: string[];
  validator(apiVersion: string, kind: string): Validator | undefined;
}

/** Where scripts/bundle-schemas.mjs puts the bundle: the same depth from src/checks and lib/checks. */
const BUNDLE = path.join(__dirname, '..', '..', 'vendor', 'flux-schemas.cjs');

let bundle: SchemaBundle | undefined;

function load(): SchemaBundle {
  if (!bundle) {
    if (!fs.existsSync(BUNDLE)) {
      throw new Error(`the Flux CRD schemas are not bundled yet (${BUNDLE} is missing): run 'npx projen bundle:schemas'`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bundle = require(BUNDLE) as SchemaBundle;
  }
  return bundle;
}

/** Whether the official schemas (@kubernetes-models/flux-cd, /sealed-secrets) cover this kind. */
export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return load().validator(apiVersion, kind) !== undefined;
}

/** The apiVersion/kind pairs the bundled schemas know. */
export function crdKinds(): string[] {
  return [...load().kinds];
}

/**
 * Validates one object against the official CRD schema of its kind. Returns one message per
 * violation (`spec.chart.spec.version: must be string`), or nothing when it is valid or its kind
 * has no bundled schema.
 */
export function validateAgainstCrd(object: { apiVersion?: unknown; kind?: unknown }): string[] {
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') return [];
  const validate = load().validator(object.apiVersion, object.kind);
  if (!validate || validate(object)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of validate.errors ?? []) {
    const msg = `${fieldPath(e.instancePath)}: ${describe(e)}`;
    if (!seen.has(msg)) {
      seen.add(msg);
      out.push(msg);
    }
  }
  return out;
}

function fieldPath(instancePath: string): string {
  if (!instancePath) return '(object)';
  return instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p, i) => (/^[0-9]+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'type': return `must be ${p.type}`;
    case 'enum': return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required': return `must have the field '${p.missingProperty}'`;
    case 'pattern': return `must match the pattern ${p.pattern}`;
    case 'maxLength': return `must be at most ${p.limit} characters long`;
    case 'minLength': return `must be at least ${p.limit} characters long`;
    case 'maximum': return `must be at most ${p.limit}`;
    case 'minimum': return `must be at least ${p.limit}`;
    case 'maxItems': return `must have at most ${p.limit} items`;
    case 'minItems': return `must have at least ${p.limit} items`;
    case 'additionalProperties': return `must not have the field '${p.additionalProperty}'`;
    case 'format': return `must be a valid ${p.format}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    default: return `must satisfy '${e.keyword}' ${JSON.stringify(p)}`;
  }
}
