import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Problems } from './checks/problems';
import { checkLabelName, checkLabelValue, checkObjectName, checkQualifiedKey } from './checks/rules';
import { crdViolations, unknownFields } from './checks/schema';
import { FluxCluster } from './cluster';
import { toYamlDocument, YamlValue } from './output/yaml';
import { SynthContext } from './synth/context';

/** The props every Flux object of this library takes (`metadata` of the object it writes). */
export const FLUX_OBJECT_PROPS = ['name', 'namespace', 'labels', 'annotations'];

/** The metadata props of a Flux object of this library. */
export interface FluxObjectProps {
  /**
   * The object name (`metadata.name`), also the file name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace the object lives in. References to objects in another namespace are written
   * with their namespace, as Flux reads them (a `sourceRef` defaults to the referrer's namespace).
   * @default - the cluster's Flux namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the object (`metadata.labels`), as `flux create … --label` writes them.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the object (`metadata.annotations`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** What a subclass of `FluxObject` tells it about the object it writes. */
export interface FluxObjectInit {
  /** The object's apiVersion. */
  readonly apiVersion: string;
  /** The object's kind. */
  readonly kind: string;
  /** The object name. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - the cluster's Flux namespace
   */
  readonly namespace?: string;
  /**
   * The object's labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The object's annotations.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * The props the construct was given, so that a prop it does not know (from a JavaScript
   * caller) is refused by name.
   * @default - not checked
   */
  readonly props?: any;
  /**
   * Every prop the construct knows.
   * @default - not checked
   */
  readonly knownProps?: string[];
}

/** A folder constructs write their files into: a cluster path, or a Flux Kustomization's folder. */
export interface IFolderOwner extends IConstruct {
  /** The folder, relative to the repo root. */
  readonly path: string;
}

const LAYER = Symbol.for('cdk8s-flux-gitops.Layer');

/** Marks a construct as a layer (a Flux Kustomization that owns a folder). @internal */
export function markLayer(c: IConstruct): void {
  Object.defineProperty(c, LAYER, { value: true });
}

/** Whether a construct is a layer. @internal */
export function isLayer(c: unknown): c is IFolderOwner {
  return c !== null && typeof c === 'object' && LAYER in (c as object);
}

/** The closest layer above a construct (not the construct itself), if any, below its cluster. @internal */
export function layerOf(c: IConstruct): IFolderOwner | undefined {
  const scopes = c.node.scopes;
  for (let i = scopes.length - 2; i >= 0; i--) {
    const s = scopes[i];
    if (s instanceof FluxCluster) return undefined;
    if (isLayer(s)) return s;
  }
  return undefined;
}

/** The folder a construct's files go to: its layer's folder, else its cluster's path. @internal */
export function folderOf(c: IConstruct): string {
  return layerOf(c)?.path ?? FluxCluster.of(c).path;
}

/** One escape-hatch operation, in the order they were added. */
type Escape =
  | { readonly kind: 'patch'; readonly ops: JsonPatch[] }
  | { readonly kind: 'override'; readonly path: string; readonly value: unknown; readonly remove: boolean };

/**
 * The cdk8s `ApiObject` behind every Flux object of this library (its `node.defaultChild`), so
 * that cdk8s' own escape hatches work on it: `ApiObject.of(release).addJsonPatch(...)`,
 * `ApiObject.of(release).metadata.addLabel(...)`. Its `toJson()` is the manifest synth writes.
 */
class FluxApiObject extends ApiObject {
  constructor(private readonly owner: FluxObject, id: string, init: FluxObjectInit) {
    super(owner, id, {
      apiVersion: init.apiVersion,
      kind: init.kind,
      metadata: {
        name: init.name,
        namespace: init.namespace,
        labels: plainStrings(init.labels),
        annotations: plainStrings(init.annotations),
      },
    });
    Object.defineProperty(this, FLUX_API_OBJECT, { value: true });
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.owner.addJsonPatch(...ops);
  }

  public toJson(): any {
    // Before synth (or when its props are invalid) the object has no manifest yet: its identity only.
    const manifest = this.owner._lastManifest
      ?? { apiVersion: this.apiVersion, kind: this.kind, metadata: { name: this.owner.name, namespace: this.owner.namespace } };
    return JSON.parse(JSON.stringify(manifest));
  }
}

/** Whether a cdk8s ApiObject is the one behind a Flux object of this library. @internal */
export function isFluxApiObject(o: unknown): boolean {
  // not instanceof: cdk8s' ApiObject answers it for every ApiObject, subclasses included
  return o !== null && typeof o === 'object' && FLUX_API_OBJECT in (o as object);
}

const FLUX_API_OBJECT = Symbol.for('cdk8s-flux-gitops.FluxApiObject');

/** Only string-to-string entries reach the ApiObject; the rest is reported at synth. */
function plainStrings(m: unknown): { [key: string]: string } | undefined {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return undefined;
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * A Flux object written by this library (HelmRepository, HelmRelease, Kustomization, …): its
 * metadata, its place in the repo and the escape hatches of cdk8s (`addJsonPatch`,
 * `addOverride`), applied last, before the object is checked against its official CRD schema.
 */
export abstract class FluxObject extends Construct {
  /** The object's `apiVersion`. */
  public readonly apiVersion: string;
  /** The object's `kind`. */
  public readonly kind: string;
  /** The object name. */
  public readonly name: string;
  /** The namespace the object lives in. */
  public readonly namespace: string;
  /** The cluster this object belongs to. */
  public readonly cluster: FluxCluster;
  /** The cdk8s ApiObject behind this object (also `node.defaultChild`), for cdk8s' own escape hatches. */
  public readonly apiObject: ApiObject;

  /** @internal */
  public _lastManifest?: { [key: string]: YamlValue };

  private readonly escapes: Escape[] = [];
  private readonly init: FluxObjectInit;

  protected constructor(scope: Construct, id: string, init: FluxObjectInit) {
    super(scope, id);
    this.cluster = FluxCluster.of(this);
    this.init = init;
    this.apiVersion = init.apiVersion;
    this.kind = init.kind;
    this.name = init.name;
    this.namespace = init.namespace ?? this.cluster.namespace;
    this.apiObject = new FluxApiObject(this, 'Resource', { ...init, namespace: this.namespace });
    this.node.defaultChild = this.apiObject;
  }

  /** The folder this object's file is in (its layer's folder, or its cluster's path). */
  public get folder(): string {
    return folderOf(this);
  }

  /** The file this object is written to, relative to the repo root. */
  public abstract get filePath(): string;

  /**
   * Applies RFC 6902 JSON patches (cdk8s' `JsonPatch`) to the manifest, after everything the
   * props write and before the manifest is checked against the official CRD schema.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    this.escapes.push({ kind: 'patch', ops });
  }

  /**
   * Sets a field of the manifest the props do not reach: `path` is dot-separated from the
   * object's root (`spec.install.timeout`; write `\.` for a dot inside a key, as in
   * `metadata.annotations.example\.com/team`), intermediate objects are created, and a
   * `value` of `undefined` removes the field. Applied in order with `addJsonPatch`, before
   * validation.
   */
  public addOverride(path: string, value: any): void {
    this.escapes.push({ kind: 'override', path, value, remove: value === undefined });
  }

  /** Removes a field of the manifest (`addOverride(path, undefined)`). */
  public addDeletionOverride(path: string): void {
    this.escapes.push({ kind: 'override', path, value: undefined, remove: true });
  }

  /** @internal: the manifest from the props, or undefined when they are invalid (problems added to p). */
  protected _render(_ctx: SynthContext, _p: Problems): { [key: string]: YamlValue } | undefined {
    throw new Error(`${this.node.path}: ${this.constructor.name} does not render`);
  }

  /** @internal: what to do once the manifest is final and valid (record it elsewhere). */
  protected _rendered(_ctx: SynthContext, _manifest: { [key: string]: YamlValue }): void {
    // nothing by default
  }

  /** @internal */
  public _synthesize(ctx: SynthContext): void {
    const p = new Problems(this.node.path);
    this.checkMetadata(p);
    // the props are rendered even when the metadata is wrong, so that every problem is reported at once
    const rendered = this._render(ctx, p);
    if (rendered === undefined || p.list.length > 0) {
      ctx.addProblems(p.list);
      return;
    }
    const manifest = this.applyEscapes(this.withMetadata(rendered), p);
    if (manifest === undefined) {
      ctx.addProblems(p.list);
      return;
    }
    for (const v of crdViolations(manifest)) {
      const field = v.pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(object)';
      const message = v.message.replace(/^[^:]*: /, '');
      p.add(field, `must match the official ${this.kind} schema (${this.apiVersion}): ${message}${this.escapes.length > 0 ? '; check the addJsonPatch/addOverride calls' : ''}`, pointerValue(manifest, v.pointer));
    }
    if (this.escapes.length > 0) {
      // the props write declared fields only; an escape hatch may not
      for (const u of unknownFields(manifest)) {
        const field = u.pointer.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
        p.add(field, `must be a field of the official ${this.kind} schema (${this.apiVersion}): ${u.message}; ${u.fix} (check the addJsonPatch/addOverride calls)`);
      }
    }
    ctx.addProblems(p.list);
    if (p.list.length > 0) return;
    this._lastManifest = manifest;
    const meta = (manifest.metadata ?? {}) as { [key: string]: YamlValue };
    const group = String(manifest.apiVersion).includes('/') ? String(manifest.apiVersion).split('/')[0] : '';
    const file = this.filePath;
    ctx.addObject({ cluster: this.cluster.path, id: `${group}/${manifest.kind}/${meta.namespace ?? ''}/${meta.name}`, owner: this.node.path, file });
    ctx.addFile({ path: file, content: toYamlDocument(manifest), value: manifest, owner: this.node.path });
    this._rendered(ctx, manifest);
  }

  /** Name, namespace, labels, annotations and unknown props: the same rules for every kind. */
  private checkMetadata(p: Problems): void {
    checkObjectName(p, 'name', this.name);
    checkLabelName(p, 'namespace', this.namespace);
    const { labels, annotations } = this.init;
    checkStringMap(p, 'labels', labels, true);
    checkStringMap(p, 'annotations', annotations, false);
    const props = this.init.props;
    if (this.init.knownProps && props !== null && typeof props === 'object') {
      for (const key of Object.keys(props)) {
        if (!this.init.knownProps.includes(key)) {
          const near = this.init.knownProps.find((k) => k.toLowerCase() === key.toLowerCase());
          p.add(key, `is not a prop of ${this.constructor.name}${near ? `: did you mean '${near}'?` : `; the props are ${this.init.knownProps.map((k) => `'${k}'`).join(', ')} (use addOverride for a field they do not reach)`}`, (props as Record<string, unknown>)[key]);
        }
      }
    }
  }

  /** The ApiObject's metadata (labels and annotations from the props and from `metadata.add…`) on the object. */
  private withMetadata(object: { [key: string]: YamlValue }): { [key: string]: YamlValue } {
    const fromApi = this.apiObject.metadata.toJson() as { [key: string]: YamlValue };
    const own = (object.metadata ?? {}) as { [key: string]: YamlValue };
    const merged: { [key: string]: YamlValue } = { ...own };
    for (const [k, v] of Object.entries(fromApi)) {
      if (k === 'name' || k === 'namespace') continue;
      if ((k === 'labels' || k === 'annotations') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const mine = own[k] as { [key: string]: YamlValue } | undefined;
        merged[k] = { ...v, ...(mine ?? {}) };
      } else if (own[k] === undefined) {
        merged[k] = v;
      }
    }
    return { ...object, metadata: merged };
  }

  /** Applies the JSON patches and overrides in the order they were added. */
  private applyEscapes(object: { [key: string]: YamlValue }, p: Problems): { [key: string]: YamlValue } | undefined {
    if (this.escapes.length === 0) return object;
    let doc = JSON.parse(JSON.stringify(object));
    for (const escape of this.escapes) {
      if (escape.kind === 'patch') {
        for (const op of escape.ops) {
          const json = typeof (op as { _toJson?: unknown })?._toJson === 'function' ? op._toJson() : op;
          const missing = missingPointer(doc, json);
          if (missing) {
            p.add('addJsonPatch', `must apply to the manifest: ${missing}`, json);
            return undefined;
          }
          try {
            doc = JsonPatch.apply(doc, op);
          } catch (e) {
            p.add('addJsonPatch', `must apply to the manifest: ${firstLine((e as Error).message)}`, json);
            return undefined;
          }
        }
      } else {
        const problem = applyOverride(doc, escape.path, escape.value, escape.remove);
        if (problem) {
          p.add('addOverride', problem, escape.path);
          return undefined;
        }
      }
    }
    return doc;
  }
}

/** Why a JSON patch operation cannot apply (a path it needs is not there), or undefined. */
function missingPointer(doc: unknown, op: any): string | undefined {
  if (op === null || typeof op !== 'object' || typeof op.path !== 'string') return 'an operation must have an op and a path';
  const exists = (pointer: string): boolean => {
    if (pointer === '') return true;
    let cur: any = doc;
    for (const raw of pointer.split('/').slice(1)) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (cur === null || typeof cur !== 'object' || !(part in cur)) return false;
      cur = cur[part];
    }
    return true;
  };
  const parent = (pointer: string) => pointer.slice(0, pointer.lastIndexOf('/'));
  if (op.op === 'add') {
    return exists(parent(op.path)) ? undefined : `'${parent(op.path)}' does not exist, so nothing can be added at '${op.path}' (add the parent object first)`;
  }
  if (['copy', 'move'].includes(op.op) && !exists(op.from)) return `'${op.from}' does not exist`;
  if (['copy', 'move'].includes(op.op)) return exists(parent(op.path)) ? undefined : `'${parent(op.path)}' does not exist`;
  return exists(op.path) ? undefined : `'${op.path}' does not exist (use JsonPatch.add to create a field)`;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** The value at a JSON pointer, for messages. */
function pointerValue(doc: unknown, pointer: string): unknown {
  let cur: any = doc;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur !== null && typeof cur === 'object' ? undefined : cur;
}

/** Splits `a.b\.c.d` into `['a', 'b.c', 'd']`. */
export function splitOverridePath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (ch === '.') {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts;
}

/** Sets or removes a field at a dotted path; returns a problem's rule, or undefined. */
function applyOverride(doc: any, path: unknown, value: unknown, remove: boolean): string | undefined {
  if (typeof path !== 'string' || path === '') return 'must be a dot-separated path such as \'spec.install.timeout\'';
  const parts = splitOverridePath(path);
  if (parts.some((s) => s === '')) return 'must not have an empty segment (\'a..b\', a leading or trailing dot)';
  let cur = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i];
    const index = Array.isArray(cur) ? Number(key) : undefined;
    if (Array.isArray(cur) && !(Number.isInteger(index) && index! >= 0 && index! < cur.length)) {
      return `must name an existing index of the list at '${parts.slice(0, i).join('.')}' (it has ${cur.length} items)`;
    }
    let next = Array.isArray(cur) ? cur[index!] : cur[key];
    if (next === undefined || next === null) {
      if (remove) return undefined; // nothing to remove
      next = {};
      cur[key] = next;
    } else if (typeof next !== 'object') {
      return `cannot go into '${parts.slice(0, i + 1).join('.')}': it is a ${typeof next}, not an object`;
    }
    cur = next;
  }
  const last = parts[parts.length - 1];
  if (Array.isArray(cur)) {
    const index = Number(last);
    if (!(Number.isInteger(index) && index >= 0 && index <= cur.length)) return `must name an index of the list (0 to ${cur.length})`;
    if (remove) cur.splice(index, 1);
    else cur[index] = JSON.parse(JSON.stringify(value));
    return undefined;
  }
  if (remove) delete cur[last];
  else cur[last] = value === null ? null : JSON.parse(JSON.stringify(value));
  return undefined;
}

/** Labels or annotations: string keys (qualified names) to strings. */
export function checkStringMap(p: Problems, field: string, map: unknown, labelValues: boolean): void {
  if (map === undefined) return;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    p.add(field, 'must be an object of strings ({ key: \'value\' })', map);
    return;
  }
  for (const [k, v] of Object.entries(map)) {
    checkQualifiedKey(p, `${field}.${k}`, k);
    if (typeof v !== 'string') p.add(`${field}.${k}`, `must be a string (Kubernetes ${field} map strings to strings): quote it`, v);
    else if (labelValues) checkLabelValue(p, `${field}.${k}`, v);
  }
}
