import { Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { AppliedObject, MAX_ALIASES, YamlDoc } from './tree';
import type { KustomizePatchTarget } from '../../kustomization';

/** Where a value a patch wrote comes from. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  /** The scalar as written, when the patch wrote a scalar. */
  readonly source?: string;
}

/** kustomize's patch selector (`target:`), as the constructs write it. */
type Target = KustomizePatchTarget;

/** One patch, parsed: a strategic-merge object or a list of JSON 6902 operations. */
export interface Patch {
  readonly file: string;
  readonly line: number;
  readonly target?: Target;
  /** `lines` count from `firstLine` (an inline patch starts inside its kustomization.yaml). */
  readonly merge?: { value: any; doc?: Document.Parsed; lines?: LineCounter; firstLine?: number };
  readonly ops?: JsonOp[];
  /** The patch in the words of a message: `the patch 'values.yaml'`, `the inline patch`. */
  readonly label: string;
}

/** One JSON 6902 operation, with where it and its value are written. */
export interface JsonOp {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
  readonly line: number;
  /** The line of `value:`'s value. */
  readonly valueLine?: number;
  /** The value as written, when it is a scalar (`1.10`, not the number 1.1). */
  readonly valueSource?: string;
}

/** A patch that kustomize would refuse or that matches nothing it must match. */
export interface PatchIssue {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly fix: string;
  /** `patch-target` unless said. */
  readonly rule?: string;
  /** The object the patch failed on. */
  readonly object?: string;
}

/** The JSON 6902 operations of a YAML list, each with its line and its value's line and source text. */
function jsonOps(value: unknown[], items: unknown[], lineOf: (offset: number) => number, fallback: number): JsonOp[] {
  const out: JsonOp[] = [];
  value.forEach((op: any, i) => {
    if (!op || typeof op !== 'object' || typeof op.path !== 'string') return;
    const item = items[i] as any;
    const line = item?.range ? lineOf(item.range[0]) : fallback;
    const node = isMap(item) ? item.get('value', true) as any : undefined;
    out.push({
      ...op,
      line,
      valueLine: node?.range ? lineOf(node.range[0]) : undefined,
      valueSource: isScalar(node) && typeof node.source === 'string' ? node.source : undefined,
    });
  });
  return out;
}

/**
 * Parses patch text (a file or an inline `patch: |`): YAML objects are strategic-merge patches,
 * a YAML/JSON list is JSON 6902 operations.
 */
export function parsePatchText(text: string, file: string, firstLine: number, target: Target | undefined, label: string): Patch[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, prettyErrors: false, logLevel: 'error' });
  const out: Patch[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length > 0) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch {
      continue; // an alias without its anchor: kustomize refuses the patch, as it refuses the text
    }
    const lineOf = (range?: [number, number, number]) => firstLine + (range ? lines.linePos(range[0]).line - 1 : 0);
    if (Array.isArray(value)) {
      const items = isSeq(doc.contents) ? doc.contents.items : [];
      const line = lineOf(doc.contents?.range);
      out.push({ file, line, target, label, ops: jsonOps(value, items, (offset) => firstLine + lines.linePos(offset).line - 1, line) });
    } else if (value && typeof value === 'object') {
      out.push({ file, line: lineOf(doc.contents?.range), target, label, merge: { value, doc, lines, firstLine } });
    }
  }
  return out;
}

/** A patch file, read through the check's cache (so it is checked for syntax too). */
export function patchFromDoc(doc: YamlDoc, target: Target | undefined, label: string): Patch {
  if (Array.isArray(doc.value)) {
    const items = isSeq(doc.doc.contents) ? doc.doc.contents.items : [];
    return { file: doc.file, line: doc.line, target, label, ops: jsonOps(doc.value, items, (offset) => doc.lines.linePos(offset).line, doc.line) };
  }
  return { file: doc.file, line: doc.line, target, label, merge: { value: doc.value, doc: doc.doc, lines: doc.lines } };
}

/** kustomize's NATIVE kinds get list merges by `name`; custom resources get JSON merge patch (lists replaced). */
function isNative(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

function regex(s: string): RegExp {
  try {
    return new RegExp(`^(?:${s})$`);
  } catch {
    return new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }
}

function selects(selector: string | undefined, values: Record<string, unknown> | undefined): boolean {
  if (!selector) return true;
  const have = values ?? {};
  return selector.split(',').map((t) => t.trim()).filter(Boolean).every((term) => {
    const ne = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term);
    if (ne) return String(have[ne[1]] ?? '') !== ne[2];
    const eq = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term);
    if (eq) return have[eq[1]] !== undefined && String(have[eq[1]]) === eq[2];
    if (term.startsWith('!')) return have[term.slice(1)] === undefined;
    const inSet = /^([^\s]+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (inSet) {
      const set = inSet[3].split(',').map((x) => x.trim());
      const v = have[inSet[1]];
      return inSet[2] === 'in' ? v !== undefined && set.includes(String(v)) : v === undefined || !set.includes(String(v));
    }
    return have[term] !== undefined;
  });
}

function matches(o: AppliedObject, t: Target): boolean {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return (t.group === undefined || regex(t.group).test(group))
    && (t.version === undefined || regex(t.version).test(version))
    && (t.kind === undefined || regex(t.kind).test(o.kind))
    // kustomize selects by the current id or the original one (before namePrefix and nameSuffix).
    && (t.name === undefined || regex(t.name).test(o.name) || (o.prevNames ?? []).some((n) => regex(t.name!).test(n)))
    && (t.namespace === undefined || regex(t.namespace).test(o.namespace ?? ''))
    && selects(t.labelSelector, o.value.metadata?.labels)
    && selects(t.annotationSelector, o.value.metadata?.annotations);
}

/**
 * Applies a kustomization's patches to what it has put together, as kustomize does, and records
 * which patch wrote which field (JSON pointers) so findings point at the patch.
 */
export function applyPatches(objects: AppliedObject[], patches: Patch[], issues: PatchIssue[]): AppliedObject[] {
  let out = objects;
  for (const p of patches) {
    let targets: AppliedObject[];
    if (p.target) {
      targets = out.filter((o) => matches(o, p.target!));
    } else if (p.merge) {
      const m = p.merge.value;
      const name = m?.metadata?.name;
      targets = out.filter((o) => o.kind === m?.kind && (o.name === name || (o.prevNames ?? []).includes(name))
        && (typeof m.metadata?.namespace !== 'string' || o.namespace === undefined || o.namespace === m.metadata.namespace));
      if (targets.length === 0) {
        issues.push({
          file: p.file,
          line: p.line,
          message: `${p.label} is for ${m?.kind ?? '?'}/${name ?? '?'}, which this kustomization does not have: kustomize fails with 'failed to find unique target for patch'`,
          fix: 'fix the patch\'s kind and metadata.name, or give it a target',
        });
      }
    } else {
      continue;
    }
    if (targets.length === 0) continue;
    const hit = new Set(targets);
    out = out.flatMap((o) => {
      if (!hit.has(o)) return [o];
      if (p.merge?.value?.$patch === 'delete') return [];
      const origins = new Map(o.patched ?? []);
      // A strategic-merge patch with a target takes the name and namespace of what it patches (kustomize's PatchTransformer).
      const merge = p.merge && p.target ? withoutIdentity(p.merge.value) : p.merge?.value;
      const value = p.merge ? mergePatch(o.value, merge, '', isNative(o.apiVersion), p, origins) : jsonPatch(o, o.value, p, origins, issues);
      return [{ ...o, value, patched: origins }];
    });
  }
  return out;
}

/** A merge patch without the identity kustomize replaces by its target's: apiVersion, kind, metadata.name and metadata.namespace. */
function withoutIdentity(patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const { apiVersion: _v, kind: _k, ...rest } = patch;
  if (rest.metadata && typeof rest.metadata === 'object') {
    const { name: _n, namespace: _ns, ...metadata } = rest.metadata;
    rest.metadata = metadata;
  }
  return rest;
}

function originAt(p: Patch, path: (string | number)[]): Origin {
  const m = p.merge!;
  const first = m.firstLine ?? 1;
  const node = m.doc?.getIn(path, true) as any;
  const range = node?.range;
  const line = range && m.lines ? m.lines.linePos(range[0]).line + first - 1 : p.line;
  return { file: p.file, line, source: isScalar(node) && typeof node.source === 'string' ? node.source : undefined };
}

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

function mergePatch(
  base: any, patch: any, pointer: string, native: boolean, p: Patch, origins: Map<string, Origin>, path: (string | number)[] = [],
): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    origins.set(pointer, originAt(p, path));
    if (Array.isArray(patch) && Array.isArray(base) && native && patch.every((x) => x && typeof x === 'object' && typeof x.name === 'string')
      && base.every((x) => x && typeof x === 'object' && typeof x.name === 'string')) {
      // Strategic merge of a list of named items (containers, env, volumes).
      const merged = base.map((b) => {
        const i = patch.findIndex((x: any) => x.name === b.name);
        return i < 0 ? b : mergePatch(b, patch[i], `${pointer}/${base.indexOf(b)}`, native, p, origins, [...path, i]);
      });
      for (const x of patch) if (!base.some((b) => b.name === x.name)) merged.push(x);
      return merged;
    }
    return patch;
  }
  const out: any = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      origins.set(`${pointer}/${esc(k)}`, originAt(p, [...path, k]));
      continue;
    }
    out[k] = mergePatch(out[k], v, `${pointer}/${esc(k)}`, native, p, origins, [...path, k]);
  }
  return out;
}

/**
 * Applies JSON 6902 operations like kustomize (gopkg.in/evanphx/json-patch.v4, which kustomize
 * and kustomize-controller use): the parent of every path must exist and nothing is created on
 * the way; `remove` needs the key; `replace` of a missing key sets it, of a missing list item
 * fails; `copy` and `move` read `from`, `test` compares. The first operation that does not apply
 * fails the build: it is reported and the rest of the patch is not applied.
 */
function jsonPatch(o: AppliedObject, base: any, p: Patch, origins: Map<string, Origin>, issues: PatchIssue[]): any {
  const out = structuredClone(base);
  const split = (ptr: string) => ptr.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const encode = (parts: string[]) => `/${parts.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  /** findObject: the container of a path's last key when every key above it is there, else how deep it got. */
  const find = (parts: string[]): { parent?: any; last: string; depth: number } => {
    let parent: any = out;
    let depth = 0;
    for (const k of parts.slice(0, -1)) {
      const next = parent !== null && typeof parent === 'object' ? (Array.isArray(parent) ? (/^[0-9]+$/.test(k) ? parent[Number(k)] : undefined) : parent[k]) : undefined;
      if (next === null || typeof next !== 'object') break;
      parent = next;
      depth++;
    }
    return { parent: depth < parts.length - 1 ? undefined : parent, last: parts[parts.length - 1], depth };
  };
  const invalid = (last: string) => `Unable to access invalid index: ${last}: invalid index referenced`;
  /** An item of a list: its index, or undefined when there is none (`adding` allows one past the end). */
  const item = (list: any[], last: string, adding: boolean) => {
    const i = last === '-' && adding ? list.length : /^[0-9]+$/.test(last) ? Number(last) : -1;
    return i >= 0 && i < list.length + (adding ? 1 : 0) ? i : undefined;
  };
  const fail = (op: JsonOp, what: string, at: string, kustomize: string, fix: string) => {
    issues.push({
      file: p.file,
      line: op.line,
      rule: 'patch-path',
      object: `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
      message: `${p.label} does '${op.op}' ${what}, but ${o.kind}/${o.name} (${o.doc.file}:${o.doc.line}) has no ${at}: kustomize fails with '${kustomize}'`,
      fix,
    });
  };
  const missing = (parts: string[], depth: number) => encode(parts.slice(0, depth + 1));
  for (const op of p.ops ?? []) {
    if (!['add', 'replace', 'remove', 'test', 'copy', 'move'].includes(op.op)) continue;
    const parts = split(op.path);
    if (parts.length === 0) continue;
    let value = op.value;
    if (op.op === 'copy' || op.op === 'move') {
      const fromParts = typeof op.from === 'string' ? split(op.from) : [];
      if (fromParts.length === 0) continue;
      const src = find(fromParts);
      if (!src.parent) {
        fail(op, `from ${op.from}`, missing(fromParts, src.depth), `${op.op} operation does not apply: doc is missing from path: ${op.from}: missing value`, `fix the from path (${missing(fromParts, src.depth)} is not in the object)`);
        break;
      }
      if (Array.isArray(src.parent) ? item(src.parent, src.last, false) === undefined : op.op === 'move' && !Object.prototype.hasOwnProperty.call(src.parent, src.last)) {
        const why = Array.isArray(src.parent) ? invalid(src.last) : `Unable to remove nonexistent key: ${src.last}: missing value`;
        fail(op, `from ${op.from}`, op.from!, op.op === 'copy' ? `error in copy for from: '${op.from}': ${why}` : `error in move for path: '${src.last}': ${why}`, `fix the from path (${op.from} is not in the object)`);
        break;
      }
      // json-patch v4 copies a missing key as null.
      const at = Array.isArray(src.parent) ? item(src.parent, src.last, false)! : src.last;
      value = structuredClone(src.parent[at] ?? null);
      if (op.op === 'move') {
        if (Array.isArray(src.parent)) src.parent.splice(at as number, 1);
        else delete src.parent[at];
      }
    }
    const { parent, last, depth } = find(parts);
    if (!parent) {
      const at = missing(parts, depth);
      const kustomize = op.op === 'add' || op.op === 'remove' ? `${op.op} operation does not apply: doc is missing path: "${op.path}": missing value`
        : op.op === 'test' ? `test operation does not apply: is missing path: ${op.path}: missing value`
          : op.op === 'replace' ? `replace operation does not apply: doc is missing path: ${op.path}: missing value`
            : `${op.op} operation does not apply: doc is missing destination path: ${op.path}: missing value`;
      fail(op, `at ${op.path}`, at, kustomize, op.op === 'remove' || op.op === 'test' ? `fix the path (${at} is not in the object)`
        : `add ${at} first (op: add, path: ${at}, value: {}), or set the field with a strategic-merge patch, which creates what is missing`);
      break;
    }
    const adding = op.op === 'add' || op.op === 'copy' || op.op === 'move';
    if (Array.isArray(parent) && item(parent, last, adding) === undefined) {
      const kustomize = op.op === 'replace' ? `replace operation does not apply: doc is missing key: ${op.path}: missing value`
        : op.op === 'copy' ? `error while adding value during copy: ${invalid(last)}`
          : `error in ${op.op} for path: '${op.path}': ${invalid(last)}`;
      fail(op, `at ${op.path}`, op.path, kustomize, `fix the index (the list has ${parent.length} item${parent.length === 1 ? '' : 's'}${adding ? '; - appends' : ''})`);
      break;
    }
    const key = Array.isArray(parent) ? item(parent, last, adding)! : last;
    if (op.op === 'remove' && !Array.isArray(parent) && !Object.prototype.hasOwnProperty.call(parent, last)) {
      fail(op, `at ${op.path}`, op.path, `error in remove for path: '${op.path}': Unable to remove nonexistent key: ${last}: missing value`, `fix the path (${op.path} is not in the object)`);
      break;
    }
    if (op.op === 'test') {
      const there = Array.isArray(parent) || Object.prototype.hasOwnProperty.call(parent, key);
      const actual = there ? parent[key] : null;
      if (JSON.stringify(canonical(actual)) !== JSON.stringify(canonical(value ?? null))) {
        issues.push({
          file: p.file,
          line: op.line,
          rule: 'patch-path',
          object: `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
          message: `${p.label} does 'test' at ${op.path}, but ${o.kind}/${o.name} (${o.doc.file}:${o.doc.line}) has ${there ? JSON.stringify(actual) : 'nothing'} there, not ${JSON.stringify(value ?? null)}: kustomize fails with 'testing value ${op.path} failed: test failed'`,
          fix: 'fix the value the test expects, or remove the test',
        });
        break;
      }
      continue;
    }
    origins.set(op.path, { file: p.file, line: op.op === 'remove' ? op.line : op.valueLine ?? op.line, source: op.op === 'add' || op.op === 'replace' ? op.valueSource : undefined });
    if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (Array.isArray(parent) && adding) {
      parent.splice(key as number, 0, value);
    } else {
      parent[key] = value;
    }
  }
  return out;
}

/** A value with its keys sorted, to compare as JSON. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * The patch that wrote a field (or the object or list around it), if one did; with `within`, also
 * a patch that wrote a field inside it.
 */
export function originOf(o: AppliedObject, pointer: string, within: boolean = false): Origin | undefined {
  if (!o.patched) return undefined;
  let p = pointer;
  for (;;) {
    const hit = o.patched.get(p);
    if (hit) return hit;
    if (p === '') break;
    p = p.slice(0, p.lastIndexOf('/'));
  }
  if (within) {
    for (const [k, v] of o.patched) if (k.startsWith(`${pointer}/`)) return v;
  }
  return undefined;
}
