import * as fs from 'fs';
import * as path from 'path';

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, any>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** A node of a kind's declared fields: `p` the fields, `m` a map's values; -1 is not looked into (a scalar, or free-form). */
interface FieldNode {
  readonly p: Record<string, number>;
  readonly m?: number;
}

interface SchemaBundle {
  readonly kinds: string[];
  /** The declared fields of each kind, from the packages' type declarations (scripts/bundle-schemas.mjs). */
  readonly fieldNodes: FieldNode[];
  readonly fieldRoots: Record<string, number>;
  validator(apiVersion: string, kind: string): Validator | undefined;
}

/**
 * Where scripts/bundle-schemas.mjs puts the bundle, inside the package's lib/: the same path from
 * lib/checks (the package) and src/checks (this repository's tests, ts-node).
 */
const BUNDLE = path.join(__dirname, '..', '..', 'lib', 'vendor', 'flux-schemas.cjs');

/** Why the bundle is missing and what to do: reinstall the package (a repository checkout also gets the task that writes it). */
export function missingBundleMessage(bundle: string = BUNDLE): string {
  const root = path.join(path.dirname(bundle), '..', '..');
  const checkout = fs.existsSync(path.join(root, 'scripts', 'bundle-schemas.mjs'));
  return `cdk8s-flux-gitops is incomplete: the Flux CRD schemas it ships (${bundle}) are missing. `
    + 'Reinstall the package (npm install cdk8s-flux-gitops, or remove node_modules and install again); '
    + 'a tarball that lacks lib/vendor/flux-schemas.cjs was packed from an incomplete build'
    + (checkout ? ' (in a checkout of cdk8s-flux-gitops: npx projen compile, or npx projen bundle:schemas, writes it)' : '');
}

let bundle: SchemaBundle | undefined;

function load(): SchemaBundle {
  if (!bundle) {
    if (!fs.existsSync(BUNDLE)) throw new Error(missingBundleMessage());
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

/** A violation of a CRD schema: the JSON pointer of the field and what is wrong. */
export interface CrdViolation {
  /** `/spec/chart/spec/version`; empty for the object itself. */
  readonly pointer: string;
  /** `spec.chart.spec.version: must be string`. */
  readonly message: string;
}

/**
 * Validates one object against the official CRD schema of its kind. Returns one message per
 * violation (`spec.chart.spec.version: must be string`), or nothing when it is valid or its kind
 * has no bundled schema.
 */
export function validateAgainstCrd(object: { apiVersion?: unknown; kind?: unknown; [key: string]: unknown }): string[] {
  return crdViolations(object).map((v) => v.message);
}

/** Like `validateAgainstCrd`, with the pointer of each violation. */
export function crdViolations(object: { apiVersion?: unknown; kind?: unknown; [key: string]: unknown }): CrdViolation[] {
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') return [];
  const validate = load().validator(object.apiVersion, object.kind);
  if (!validate) return [];
  const seen = new Set<string>();
  const out: CrdViolation[] = [];
  const push = (pointer: string, message: string) => {
    if (!seen.has(message)) {
      seen.add(message);
      out.push({ pointer, message });
    }
  };
  const key = `${object.apiVersion}/${object.kind}`;
  if (!validate(object)) {
    for (const e of validate.errors ?? []) {
      if (newerCrdAccepts(key, e, object)) continue;
      push(e.instancePath, `${fieldPath(e.instancePath)}: ${describe(e)}`);
    }
  }
  for (const v of crdOnlyViolations(key, object)) push(v.pointer, v.message);
  return out;
}

/*
 * What the CRDs check and the bundled schemas (made from the Go types) leave out: the duration
 * patterns, enums added since, and the CEL rules (x-kubernetes-validations). Taken from
 * config/crd/bases of fluxcd/helm-controller v1.6, source-, kustomize- and notification-controller v1.9,
 * image-reflector/automation-controller v1.2 (2026-07/08).
 */
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const DURATION_NO_HOURS = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;

interface FieldRule {
  readonly path: string;
  readonly pattern?: RegExp;
  readonly values?: string[];
}

const HR_DURATIONS = ['spec.interval', 'spec.timeout', 'spec.chart.spec.interval', 'spec.install.timeout', 'spec.upgrade.timeout', 'spec.test.timeout',
  'spec.rollback.timeout', 'spec.uninstall.timeout', 'spec.install.strategy.retryInterval', 'spec.upgrade.strategy.retryInterval'];

const FIELD_RULES: Record<string, FieldRule[]> = {
  'helm.toolkit.fluxcd.io/v2/HelmRelease': [
    ...HR_DURATIONS.map((field) => ({ path: field, pattern: DURATION })),
    { path: 'spec.postRenderStrategy', values: ['nohooks', 'combined', 'separate'] },
    { path: 'spec.upgrade.chartNameChangeStrategy', values: ['InPlaceUpdate', 'Reinstall'] },
  ],
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': [
    ...['spec.interval', 'spec.retryInterval', 'spec.timeout'].map((field) => ({ path: field, pattern: DURATION })),
    { path: 'spec.postBuild.substituteStrategy', values: ['WithVariables', 'Always'] },
    { path: 'spec.buildMetadata[]', values: ['originAnnotations', 'transformerAnnotations'] },
  ],
  'source.toolkit.fluxcd.io/v1/GitRepository': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.timeout', pattern: DURATION_NO_HOURS }],
  'source.toolkit.fluxcd.io/v1/HelmRepository': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.timeout', pattern: DURATION_NO_HOURS }],
  'source.toolkit.fluxcd.io/v1/OCIRepository': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.timeout', pattern: DURATION_NO_HOURS }],
  'source.toolkit.fluxcd.io/v1/Bucket': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.timeout', pattern: DURATION_NO_HOURS }],
  'source.toolkit.fluxcd.io/v1/HelmChart': [{ path: 'spec.interval', pattern: DURATION }],
  'image.toolkit.fluxcd.io/v1/ImagePolicy': [{ path: 'spec.interval', pattern: DURATION }],
  'image.toolkit.fluxcd.io/v1/ImageRepository': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.timeout', pattern: DURATION_NO_HOURS }],
  'image.toolkit.fluxcd.io/v1/ImageUpdateAutomation': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.git.commit.signingKey.type', values: ['gpg', 'ssh'] }],
  'notification.toolkit.fluxcd.io/v1beta3/Provider': [{ path: 'spec.interval', pattern: DURATION }, { path: 'spec.timeout', pattern: DURATION_NO_HOURS }],
  'notification.toolkit.fluxcd.io/v1/Receiver': [{ path: 'spec.interval', pattern: DURATION }],
};

/** Enums the current CRDs widened since the bundled schemas were made. */
const WIDER_ENUMS: Record<string, Record<string, string[]>> = {
  'notification.toolkit.fluxcd.io/v1beta3/Provider': {
    '/spec/type': ['slack', 'discord', 'msteams', 'rocket', 'generic', 'generic-hmac', 'github', 'gitlab', 'gitea', 'giteapullrequestcomment', 'bitbucketserver',
      'bitbucket', 'azuredevops', 'googlechat', 'googlepubsub', 'webex', 'sentry', 'azureeventhub', 'telegram', 'lark', 'matrix', 'opsgenie', 'alertmanager',
      'grafana', 'githubdispatch', 'githubpullrequestcomment', 'gitlabmergerequestcomment', 'pagerduty', 'datadog', 'nats', 'zulip', 'otel', 'zoom', 'incident.io'],
  },
  'notification.toolkit.fluxcd.io/v1/Receiver': {
    '/spec/type': ['generic', 'generic-hmac', 'generic-oidc', 'github', 'gitlab', 'bitbucket', 'harbor', 'dockerhub', 'quay', 'gcr', 'nexus', 'acr', 'cdevents'],
  },
  'source.toolkit.fluxcd.io/v1/GitRepository': { '/spec/provider': ['generic', 'aws', 'azure', 'github'] },
};

const FLUX_OPERATOR_KINDS = ['FluxInstance', 'FluxReport', 'ResourceSet', 'ResourceSetInputProvider'];

/*
 * Fields the bundled schemas require and today's CRDs do not (the required lists of
 * config/crd/bases in kustomize-controller v1.9.4 and helm-controller v1.6.3, compared field by
 * field with the bundled types): dotted paths, lists are their items. A healthCheckExprs entry
 * without kind covers every kind of its apiVersion's group.
 */
const NO_LONGER_REQUIRED: Record<string, string[]> = {
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': ['spec.healthCheckExprs[].kind'],
  'helm.toolkit.fluxcd.io/v2/HelmRelease': ['spec.healthCheckExprs[].kind'],
};

/** A bundled-schema error that the current CRD no longer makes. */
function newerCrdAccepts(key: string, e: AjvError, object: any): boolean {
  const value = e.instancePath.split('/').slice(1).reduce((o: any, k) => (o !== null && typeof o === 'object' ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), object);
  if (e.keyword === 'enum') {
    const wider = WIDER_ENUMS[key]?.[e.instancePath];
    if (wider?.includes(value)) return true;
    // The Flux Operator's distribution adds its own kinds to Alert and Receiver sources.
    if (/^\/spec\/(eventSources|resources)\/[0-9]+\/kind$/.test(e.instancePath) && FLUX_OPERATOR_KINDS.includes(value)) return true;
  }
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
    const at = e.instancePath.split('/').slice(1).map((k) => (/^[0-9]+$/.test(k) ? '[]' : `.${k}`)).join('').replace(/^\./, '');
    if (NO_LONGER_REQUIRED[key]?.includes(`${at}.${e.params.missingProperty}`)) return true;
  }
  // generic-oidc Receivers (notification-controller 1.9) have oidcProviders instead of a secretRef.
  if (key === 'notification.toolkit.fluxcd.io/v1/Receiver' && e.keyword === 'required' && e.params.missingProperty === 'secretRef' && object?.spec?.type === 'generic-oidc') return true;
  return false;
}

const has = (o: any, k: string) => o !== null && typeof o === 'object' && o[k] !== undefined && o[k] !== null;

/** The CEL rules: [pointer of the object they sit on, rule, message]. */
const CEL_RULES: Record<string, [string, (o: any) => boolean, string][]> = {
  'helm.toolkit.fluxcd.io/v2/HelmRelease': [
    ['/spec/install/strategy', (s) => !has(s, 'retryInterval') || s.name !== 'RemediateOnFailure', '.retryInterval cannot be set when .name is \'RemediateOnFailure\''],
    ['/spec/upgrade/strategy', (s) => !has(s, 'retryInterval') || s.name === 'RetryOnFailure', '.retryInterval can only be set when .name is \'RetryOnFailure\''],
    ['/spec/kubeConfig', (k) => has(k, 'configMapRef') !== has(k, 'secretRef'), 'exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified'],
  ],
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': [
    ['/spec/kubeConfig', (k) => has(k, 'configMapRef') !== has(k, 'secretRef'), 'exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified'],
  ],
  'source.toolkit.fluxcd.io/v1/GitRepository': [
    ['/spec', (s) => !has(s, 'serviceAccountName') || s.provider === 'azure' || s.provider === 'aws', 'serviceAccountName can only be set when provider is \'azure\' or \'aws\''],
  ],
  'image.toolkit.fluxcd.io/v1/ImagePolicy': [
    ['/spec', (s) => !has(s, 'interval') || s.digestReflectionPolicy === 'Always', 'spec.interval is only accepted when spec.digestReflectionPolicy is set to \'Always\''],
    ['/spec', (s) => has(s, 'interval') || s.digestReflectionPolicy !== 'Always', 'spec.interval must be set when spec.digestReflectionPolicy is set to \'Always\''],
  ],
  'notification.toolkit.fluxcd.io/v1beta3/Provider': [
    ['/spec', (s) => ['github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops'].includes(s.type) || !has(s, 'commitStatusExpr'),
      'spec.commitStatusExpr is only supported for the \'github\', \'gitlab\', \'gitea\', \'bitbucketserver\', \'bitbucket\', \'azuredevops\' provider types'],
  ],
  'notification.toolkit.fluxcd.io/v1/Receiver': [
    ['/spec', (s) => s.type !== 'generic-oidc' || (Array.isArray(s.oidcProviders) && s.oidcProviders.length > 0), 'generic-oidc receivers must define at least one oidcProvider'],
    ['/spec', (s) => s.type === 'generic-oidc' || !Array.isArray(s.oidcProviders) || s.oidcProviders.length === 0, 'oidcProviders can only be set when type is generic-oidc'],
    ['/spec', (s) => s.type !== 'generic-oidc' || !has(s, 'secretRef'), 'secretRef cannot be set when type is generic-oidc'],
  ],
  'source.toolkit.fluxcd.io/v1/HelmChart': [
    ['/spec', (s) => !has(s, 'verify') || s.sourceRef?.kind === 'HelmRepository', 'spec.verify is only supported when spec.sourceRef.kind is \'HelmRepository\''],
  ],
  'source.toolkit.fluxcd.io/v1/Bucket': [
    ['/spec', (s) => ['aws', 'generic'].includes(s.provider ?? 'generic') || !has(s, 'sts'), 'STS configuration is only supported for the \'aws\' and \'generic\' Bucket providers'],
    ['/spec', (s) => s.provider !== 'aws' || !has(s, 'sts') || s.sts.provider === 'aws', '\'aws\' is the only supported STS provider for the \'aws\' Bucket provider'],
    ['/spec', (s) => (s.provider ?? 'generic') !== 'generic' || !has(s, 'sts') || s.sts.provider === 'ldap', '\'ldap\' is the only supported STS provider for the \'generic\' Bucket provider'],
    ['/spec', (s) => !has(s, 'sts') || s.sts.provider !== 'aws' || !has(s.sts, 'secretRef'), 'spec.sts.secretRef is not required for the \'aws\' STS provider'],
    ['/spec', (s) => !has(s, 'sts') || s.sts.provider !== 'aws' || !has(s.sts, 'certSecretRef'), 'spec.sts.certSecretRef is not required for the \'aws\' STS provider'],
    ['/spec', (s) => (s.provider ?? 'generic') !== 'generic' || !has(s, 'serviceAccountName'), 'ServiceAccountName is not supported for the \'generic\' Bucket provider'],
    ['/spec', (s) => !has(s, 'secretRef') || !has(s, 'serviceAccountName'), 'cannot set both .spec.secretRef and .spec.serviceAccountName'],
  ],
};

function crdOnlyViolations(key: string, object: any): CrdViolation[] {
  const out: CrdViolation[] = [];
  for (const rule of FIELD_RULES[key] ?? []) {
    const parts = rule.path.split('.');
    const visitField = (value: any, i: number, pointer: string) => {
      if (value === undefined || value === null) return;
      if (i === parts.length) {
        if (typeof value !== 'string') return; // the bundled schema reports the type
        if (rule.pattern && !rule.pattern.test(value)) out.push({ pointer, message: `${fieldPath(pointer)}: must match the pattern ${rule.pattern.source} (got ${JSON.stringify(value)})` });
        if (rule.values && !rule.values.includes(value)) out.push({ pointer, message: `${fieldPath(pointer)}: must be one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}` });
        return;
      }
      const part = parts[i];
      const list = part.endsWith('[]');
      const name = part.replace(/\[\]$/, '');
      if (typeof value !== 'object') return;
      const child = value[name];
      if (list) {
        if (Array.isArray(child)) child.forEach((c, j) => visitField(c, i + 1, `${pointer}/${name}/${j}`));
      } else {
        visitField(child, i + 1, `${pointer}/${name}`);
      }
    };
    visitField(object, 0, '');
  }
  for (const [pointer, rule, message] of CEL_RULES[key] ?? []) {
    const target = pointer.split('/').slice(1).reduce((o: any, k) => (o !== null && typeof o === 'object' ? o[k] : undefined), object);
    if (target === null || typeof target !== 'object') continue;
    let ok = true;
    try {
      ok = rule(target);
    } catch {
      ok = true;
    }
    if (!ok) out.push({ pointer, message: `${fieldPath(pointer)}: ${message}` });
  }
  return out;
}

/*
 * Fields today's CRDs declare and the bundled declarations do not have yet (the same CRDs as the
 * rules above, 2026-07/08): dotted paths, lists are their items; nothing below them is checked.
 */
const NEWER_FIELDS: Record<string, string[]> = {
  'helm.toolkit.fluxcd.io/v2/HelmRelease': ['spec.postRenderStrategy', 'spec.upgrade.chartNameChangeStrategy', 'spec.valuesFrom.literal'],
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': ['spec.buildMetadata', 'spec.ignore', 'spec.postBuild.substituteStrategy'],
  'image.toolkit.fluxcd.io/v1/ImageUpdateAutomation': ['spec.git.commit.signingKey.type'],
  'notification.toolkit.fluxcd.io/v1/Receiver': ['spec.oidcProviders', 'spec.resources.filter'],
  'source.toolkit.fluxcd.io/v1/OCIRepository': ['spec.verify.trustedRootSecretRef'],
};

/** A field the CRD of its kind does not declare. */
export interface UnknownField {
  /** `/spec/chart/spec/valuesFile`. */
  readonly pointer: string;
  /** What is wrong, with Flux's error. */
  readonly message: string;
  /** The field it likely is, or that it was removed. */
  readonly fix: string;
}

/** The declared field names at a dotted path of a kind (lists are their items), or undefined when the path is not declared or not looked into. */
function declaredAt(key: string, parts: string[]): Record<string, number> | undefined | 'free' {
  const b = load();
  let id = b.fieldRoots[key];
  if (id === undefined) return undefined;
  for (const part of parts) {
    if (id < 0) return 'free';
    const node = b.fieldNodes[id];
    const next = Object.prototype.hasOwnProperty.call(node.p, part) ? node.p[part] : node.m;
    if (next === undefined) return undefined;
    id = next;
  }
  return id < 0 ? 'free' : b.fieldNodes[id].p;
}

/**
 * The fields of an object that the official CRD of its kind does not declare (metadata against
 * ObjectMeta). The API server refuses them in the server-side apply that Flux dry-runs ('field not
 * declared in schema'), failing the whole Kustomization. Maps and free-form fields
 * (x-kubernetes-preserve-unknown-fields, such as HelmRelease spec.values) are not looked into.
 */
export function unknownFields(object: { apiVersion?: unknown; kind?: unknown; [key: string]: unknown }): UnknownField[] {
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') return [];
  const b = load();
  const key = `${object.apiVersion}/${object.kind}`;
  const root = b.fieldRoots[key];
  if (root === undefined) return [];
  const newer = NEWER_FIELDS[key] ?? [];
  const out: UnknownField[] = [];
  // The path walked so far: field names, and list indexes (numbers).
  const at: (string | number)[] = [];
  const visit = (value: unknown, nodeId: number) => {
    if (nodeId < 0 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        at.push(i);
        visit(value[i], nodeId);
        at.pop();
      }
      return;
    }
    const node = b.fieldNodes[nodeId];
    for (const k of Object.keys(value)) {
      const declared = Object.prototype.hasOwnProperty.call(node.p, k) ? node.p[k] : node.m;
      at.push(k);
      if (declared !== undefined) visit((value as Record<string, unknown>)[k], declared);
      else unknown(object, key, node, newer, at, out);
      at.pop();
    }
  };
  visit(object, root);
  return out;
}

/** Reports the field at the end of `at`, unless today's CRD declares it. */
function unknown(
  object: { apiVersion?: unknown; kind?: unknown; [key: string]: unknown }, key: string, node: FieldNode, newer: string[],
  at: (string | number)[], out: UnknownField[],
): void {
  const names = at.filter((p): p is string => typeof p === 'string');
  const dotted = names.join('.');
  if (newer.some((n) => dotted === n || dotted.startsWith(`${n}.`))) return;
  const b = load();
  const apiVersion = object.apiVersion as string;
  const kind = object.kind as string;
  const k = names[names.length - 1];
  const show = (parts: (string | number)[]) => parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  const field = show(at);
  const parentPath = show(at.slice(0, -1));
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const id = `${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${String(meta.name)}`;
  const known = Object.keys(node.p);
  const near = known.map((n) => [n, distance(n.toLowerCase(), k.toLowerCase())] as const)
    .filter(([, d]) => d <= 2).sort((x, y) => x[1] - y[1])[0]?.[0];
  // Other versions of the kind, newest first: where a removed field was.
  const group = apiVersion.split('/')[0];
  const hadIt = Object.keys(b.fieldRoots).filter((o) => o !== key && o.startsWith(`${group}/`) && o.endsWith(`/${kind}`)).sort().reverse().find((o) => {
    const declared = declaredAt(o, names.slice(0, -1));
    return declared !== undefined && declared !== 'free' && Object.prototype.hasOwnProperty.call(declared, k);
  });
  const removed = hadIt ? `${k} was removed in ${apiVersion} (${hadIt.split('/')[1]} has it)` : undefined;
  const nearField = near ? (parentPath ? `${parentPath}.${near}` : near) : undefined;
  out.push({
    pointer: at.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
    message: `${field} is not a field of ${kind} (${apiVersion}): Flux fails the whole Kustomization with '${kind}/${id} dry-run failed: failed to create typed patch object (${id}; ${apiVersion}, Kind=${kind}): .${field}: field not declared in schema'`,
    fix: nearField
      ? `${removed ? `${removed}; ` : ''}did you mean ${nearField}?`
      : removed ? `remove it: ${removed}`
        : `remove it, or move it where the ${kind} CRD declares it; the fields of ${parentPath || 'the object'} are ${known.slice(0, 15).join(', ')}${known.length > 15 ? ', …' : ''}`,
  });
}

/** The Levenshtein distance of two strings. */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
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
