import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { buildUnits, BuildIssue, ownedFiles } from './build';
import { CheckReport, Finding, Severity } from './model';
import { originOf } from './patch';
import { AppliedObject, GeneratedObject, isObject, RepoTree, Unit, YamlDoc } from './tree';
import { mayDiffer, NOT_JSON, readAsKubernetes, readAsKustomize } from './yaml11';
import { crdKinds, crdViolations, distance, hasCrdSchema, unknownFields } from '../schema';

/** API versions Flux no longer serves (flux.md §1), and the version that replaces each. */
const REMOVED: Record<string, { since: string; use: string }> = {
  'source.toolkit.fluxcd.io/v1beta1': { since: '2.7', use: 'source.toolkit.fluxcd.io/v1' },
  'source.toolkit.fluxcd.io/v1beta2': { since: '2.8', use: 'source.toolkit.fluxcd.io/v1' },
  'kustomize.toolkit.fluxcd.io/v1beta1': { since: '2.7', use: 'kustomize.toolkit.fluxcd.io/v1' },
  'kustomize.toolkit.fluxcd.io/v1beta2': { since: '2.8', use: 'kustomize.toolkit.fluxcd.io/v1' },
  'helm.toolkit.fluxcd.io/v2beta1': { since: '2.7', use: 'helm.toolkit.fluxcd.io/v2' },
  'helm.toolkit.fluxcd.io/v2beta2': { since: '2.8', use: 'helm.toolkit.fluxcd.io/v2' },
  'notification.toolkit.fluxcd.io/v1beta1': { since: '2.7', use: 'notification.toolkit.fluxcd.io/v1beta3 (Alert, Provider) or v1 (Receiver)' },
  'notification.toolkit.fluxcd.io/v1beta2': { since: '2.9', use: 'notification.toolkit.fluxcd.io/v1beta3 (Alert, Provider) or v1 (Receiver)' },
  'image.toolkit.fluxcd.io/v1beta1': { since: '2.7', use: 'image.toolkit.fluxcd.io/v1' },
  'image.toolkit.fluxcd.io/v1beta2': { since: '2.9', use: 'image.toolkit.fluxcd.io/v1' },
};

const SCOPE_ANNOTATIONS = ['sealedsecrets.bitnami.com/namespace-wide', 'sealedsecrets.bitnami.com/cluster-wide'];

/** Runs every rule over a repo and returns the findings, sorted. */
export function checkRepository(dir: string): CheckReport {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`cannot check '${dir}': it is not a folder`);
  }
  const tree = new RepoTree(root);
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  const issues: BuildIssue[] = [];
  const { units, clusters, trees, complete, kustomizations } = buildUnits(tree, issues);
  // Which clusters each unit (by its objects) and each document is in: a finding in a base that
  // two clusters share is printed once, naming them.
  const unitClusters = new Map<readonly AppliedObject[], Set<string>>();
  const docClusters = new Map<string, Set<string>>();
  const tag = <K>(m: Map<K, Set<string>>, k: K, label: string) => {
    let set = m.get(k);
    if (!set) m.set(k, set = new Set());
    set.add(label);
  };
  if (clusters.length > 1) {
    for (const cluster of clusters) {
      const label = cluster[0]?.path || '.';
      for (const u of cluster) {
        tag(unitClusters, u.objects, label);
        for (const o of u.objects) tag(docClusters, `${o.doc.file}#${o.doc.index}`, label);
      }
    }
  }
  const inClusters = (labels: Iterable<string> | undefined) => (labels ? { clusters: [...labels] } : {});
  for (const { warning, unitObjects, ...i } of issues) {
    add({ ...i, severity: warning ? Severity.WARNING : Severity.ERROR, ...inClusters(unitObjects && unitClusters.get(unitObjects)) });
  }

  for (const u of tree.unreadable.values()) {
    add({ file: u.file, rule: 'unreadable-file', message: u.message, fix: u.fix, severity: Severity.ERROR });
  }
  for (const f of tree.readFiles) {
    const reader = tree.readers.get(f.file);
    for (const e of f.errors) {
      add({
        file: f.file,
        line: e.line,
        object: e.object,
        rule: 'yaml-syntax',
        message: reader ? `${e.message}; the file is ${reader}, and helm-controller fails to read values that do not parse` : e.message,
        fix: e.fix,
        severity: Severity.ERROR,
      });
    }
  }

  // Each cluster on its own: a reference resolves only to what the same cluster applies. An
  // object is checked once per way it is applied (a base patched or substituted differently).
  const counted = new Set<string>();
  const checked = new Set<AppliedObject>();
  // Where else an object is, when a reference misses it: `Kind/namespace/name` (and `Kind|name`) → the cluster's root.
  const elsewhere = new Map<string, string>();
  if (clusters.length > 1) {
    for (const cluster of clusters) {
      const label = cluster[0]?.path || '.';
      const names = [...cluster.flatMap((u) => u.objects), ...cluster.flatMap((u) => u.generated)];
      for (const o of names) {
        for (const name of [o.name, ...(o.prevNames ?? [])]) {
          for (const k of [`${o.kind}/${o.namespace ?? '*'}/${name}`, `${o.kind}|${name}`]) if (!elsewhere.has(k)) elsewhere.set(k, label);
        }
        // What other objects make there too: the Secret of a SealedSecret.
        if (o.kind === 'SealedSecret') for (const k of [`Secret/${o.namespace ?? '*'}/${o.name}`, `Secret|${o.name}`]) if (!elsewhere.has(k)) elsewhere.set(k, label);
      }
    }
  }
  for (const cluster of clusters) {
    const unique = new Map<string, AppliedObject>();
    for (const u of cluster) {
      for (const o of u.objects) {
        const variant = o.value === o.doc.value ? '' : JSON.stringify(o.value);
        unique.set(`${o.doc.file}#${o.doc.index}#${o.kind}/${o.namespace ?? ''}/${o.name}#${variant}`, o);
        counted.add(`${o.doc.file}#${o.doc.index}#${o.kind}/${o.name}`);
      }
    }
    const objects = [...unique.values()];
    const label = cluster[0]?.path || '.';
    // The Kustomizations of the cluster: those applied, those that apply it (a seed nothing here applies), all when the repo does not tell.
    const owners = [...cluster.flatMap((u) => (u.owner ? [u.owner.object.replace(/^Kustomization\//, '')] : [])), ...kustomizations]
      .map((k) => (k.includes('/') ? k : `/${k}`));
    const index = indexObjects(objects, cluster.flatMap((u) => u.generated), (key) => {
      const other = elsewhere.get(key);
      return other !== undefined && other !== label ? other : undefined;
    }, owners);
    // References resolve in this cluster; what an object is on its own holds wherever it is applied.
    const perCluster = new Set(['dangling-reference', 'values-key']);
    for (const o of objects) {
      const addHere: Add = (f) => add({ ...f, ...(clusters.length > 1 ? { clusters: perCluster.has(f.rule) ? [label] : [...(docClusters.get(`${o.doc.file}#${o.doc.index}`) ?? [label])] } : {}) });
      checkObject(o, index, addHere, !checked.has(o), complete);
      checked.add(o);
    }
  }
  for (const u of units) checkUnit(u, (f) => add({ ...f, ...inClusters(unitClusters.get(u.objects)) }));
  if (complete) checkUnlisted(tree, units, add);
  for (const t of trees) checkAppliedTwice(t, (f) => add({ ...f, ...inClusters(t[0] && unitClusters.get(t[0].objects)) }));
  // Where each document lands (its namespace after kustomize), for the findings on its scalars.
  const landing = new Map<string, string>();
  for (const u of units) for (const o of u.objects) if (!landing.has(`${o.doc.file}#${o.doc.index}`)) landing.set(`${o.doc.file}#${o.doc.index}`, describe(o));
  checkAmbiguousScalars(tree, add, landing);

  const sorted = dedupe(findings).sort((a, b) =>
    cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.rule, b.rule) || cmp(a.message, b.message) || cmp(a.object ?? '', b.object ?? ''));
  return {
    dir: root,
    files: tree.readFiles.length,
    objects: counted.size,
    errors: sorted.filter((f) => f.severity === Severity.ERROR).length,
    warnings: sorted.filter((f) => f.severity === Severity.WARNING).length,
    findings: sorted,
  };
}

type Add = (f: Finding) => void;

function describe(o: AppliedObject): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

/** The line of the key a JSON pointer ends in, in the document it is written in (if it is). */
function keyLine(doc: YamlDoc, pointer: string): number | undefined {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parent = doc.doc.getIn(parts.slice(0, -1).map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p)), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((i) => isScalar(i.key) && String(i.key.value) === parts[parts.length - 1]);
  const range = isScalar(pair?.key) ? pair.key.range : undefined;
  return range ? doc.lines.linePos(range[0]).line : undefined;
}

/**
 * The line of the field a JSON pointer names in the object's own document (its key's line), or of
 * the nearest field above it that is written there; the document's first line otherwise (a List
 * item, an object the pointer is not in).
 */
function fieldLine(o: AppliedObject, pointer: string): number {
  // An item of a List: its document is the List.
  if (!isObject(o.doc.value) || o.doc.value.kind !== o.kind) return o.doc.line;
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = parts.length; n > 0; n--) {
    const at = parts.slice(0, n).map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
    const parent = n === 1 ? o.doc.doc.contents : o.doc.doc.getIn(at.slice(0, -1), true);
    const last = at[at.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((i) => isScalar(i.key) && String(i.key.value) === String(last));
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      if (range) return o.doc.lines.linePos(range[0]).line;
    } else if (isSeq(parent) && typeof last === 'number') {
      const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
      if (range) return o.doc.lines.linePos(range[0]).line;
    }
  }
  return o.doc.line;
}

/** A finding on an object: at the patch that wrote `pointer` when a kustomize patch did, else at the field. */
function finding(
  o: AppliedObject, rule: string, message: string, fix: string | undefined, severity: Severity = Severity.ERROR, pointer?: string, within = false,
): Finding {
  const origin = pointer === undefined ? undefined : originOf(o, pointer, within);
  if (origin) return { file: origin.file, line: origin.line, object: describe(o), rule, message: `${message} (a kustomize patch here sets it; the object is in ${o.doc.file}:${o.doc.line})`, fix, severity };
  return { file: o.doc.file, line: pointer ? fieldLine(o, pointer) : o.doc.line, object: describe(o), rule, message, fix, severity };
}

/** What kustomize renamed an object to, and what renamed it. */
interface Renamed {
  readonly name: string;
  readonly by: string;
  /** The kustomization whose generator adds the hash suffix. */
  readonly hashedBy?: string;
}

interface Index {
  find(kinds: string[], namespace: string | undefined, name: string): AppliedObject | undefined;
  /** Whether a kustomize generator of the same cluster makes this ConfigMap or Secret. */
  generated(kind: string, namespace: string | undefined, name: string): boolean;
  /** Why nothing of these kinds has this name: kustomize renamed it (to what, by what), or another cluster has it. */
  missing(kinds: string[], namespace: string | undefined, name: string): { renamed?: Renamed; cluster?: string };
}

/** Namespaces that may be the same: equal, or either one not known. */
const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

function indexObjects(
  objects: AppliedObject[], generatedObjects: readonly GeneratedObject[], elsewhere: (key: string) => string | undefined,
  kustomizations: readonly string[] = [],
): Index {
  const generatedSet = new Set(generatedObjects.map((g) => `${g.kind}/${g.namespace ?? '*'}/${g.name}`));
  // Names a ${var} of postBuild.substituteFrom leaves open match any value of it.
  const open = generatedObjects.filter((g) => g.name.includes('${')).map((g) => ({ g, re: new RegExp(`^${g.name.split(/\$\{[^}]*\}/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`) }));
  const renamed = [
    ...objects.filter((o) => o.prevNames).map((o) => ({ ...o, hashedBy: undefined as string | undefined })),
    ...generatedObjects.filter((g) => g.prevNames),
  ];
  const byKey = new Map<string, AppliedObject>();
  const byName = new Map<string, AppliedObject>();
  const put = (o: AppliedObject, kind: string, namespace: string | undefined, name: string) => {
    byKey.set(`${kind}/${namespace ?? ''}/${name}`, o);
    byName.set(`${kind}/${name}`, o);
  };
  // flux bootstrap makes these in the cluster even when gotk-sync.yaml is only a placeholder.
  const bootstrap = { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } as AppliedObject;
  put(bootstrap, 'GitRepository', 'flux-system', 'flux-system');
  put({ ...bootstrap, kind: 'Kustomization' }, 'Kustomization', 'flux-system', 'flux-system');
  for (const k of kustomizations) {
    const [namespace, name] = k.split('/');
    put({ kind: 'Kustomization', name, namespace: namespace || undefined } as AppliedObject, 'Kustomization', namespace || undefined, name);
  }
  for (const o of objects) {
    put(o, o.kind, o.namespace, o.name);
    const v = o.value;
    // What other objects in the repo make in the cluster.
    if (o.kind === 'HelmRelease' && v.spec?.chart) {
      // The HelmChart a HelmRelease's chart template makes: <namespace>-<name> (api/v2 GetHelmChartName).
      put(o, 'HelmChart', v.spec.chart.spec?.sourceRef?.namespace ?? o.namespace, `${o.namespace ?? ''}-${o.name}`);
    } else if (o.kind === 'ArtifactGenerator') {
      for (const a of Array.isArray(v.spec?.artifacts) ? v.spec.artifacts : []) if (typeof a?.name === 'string') put(o, 'ExternalArtifact', o.namespace, a.name);
    } else if (o.kind === 'SealedSecret') {
      put(o, 'Secret', o.namespace, o.name);
    } else if (o.kind === 'ExternalSecret' || o.kind === 'PushSecret') {
      const target = typeof v.spec?.target?.name === 'string' ? v.spec.target.name : o.name;
      put(o, 'Secret', o.namespace, target);
    } else if (o.kind === 'Certificate' && typeof v.spec?.secretName === 'string') {
      put(o, 'Secret', o.namespace, v.spec.secretName);
    }
  }
  return {
    // An object or reference without a namespace can be anywhere: do not guess.
    find: (kinds, namespace, name) => {
      for (const kind of kinds) {
        const hit = namespace === undefined ? byName.get(`${kind}/${name}`) : (byKey.get(`${kind}/${namespace}/${name}`) ?? byKey.get(`${kind}//${name}`));
        if (hit) return hit;
      }
      return undefined;
    },
    generated: (kind, namespace, name) => generatedSet.has(`${kind}/${namespace ?? '*'}/${name}`) || generatedSet.has(`${kind}/*/${name}`)
      || open.some(({ g, re }) => g.kind === kind && sameNamespace(namespace, g.namespace) && re.test(name)),
    missing: (kinds, namespace, name) => {
      const hit = renamed.find((r) => kinds.includes(r.kind) && r.prevNames!.includes(name) && sameNamespace(namespace, r.namespace));
      if (hit) return { renamed: { name: hit.name, by: hit.renamedBy ?? 'kustomize', hashedBy: hit.hashedBy } };
      for (const kind of kinds) {
        // `Kind/namespace/name`, `Kind/*/name` for an object whose namespace is not known, `Kind|name` for any.
        const cluster = namespace === undefined ? elsewhere(`${kind}|${name}`) : elsewhere(`${kind}/${namespace}/${name}`) ?? elsewhere(`${kind}/*/${name}`);
        if (cluster) return { cluster };
      }
      return {};
    },
  };
}

/** Flux and sealed-secrets API groups whose kinds and versions the bundled schemas know. */
const CHECKED_GROUPS = new Set(['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io', 'image.toolkit.fluxcd.io', 'bitnami.com']);

/** An apiVersion/kind in a Flux group that no Flux serves: a typo in the kind or the version. */
function unknownKind(o: AppliedObject): { message: string; fix: string } | undefined {
  const group = o.apiVersion.split('/')[0];
  if (!CHECKED_GROUPS.has(group) || !o.apiVersion.includes('/')) return undefined;
  const served = crdKinds().filter((k) => k.startsWith(`${group}/`) && !REMOVED[k.slice(0, k.lastIndexOf('/'))]);
  const sameKind = served.filter((k) => k.endsWith(`/${o.kind}`));
  if (sameKind.length > 0) {
    const use = sameKind.map((k) => k.slice(0, k.lastIndexOf('/'))).join(' or ');
    return { message: `${o.apiVersion} does not serve ${o.kind}: the cluster refuses it ('no matches for kind "${o.kind}" in version "${o.apiVersion}"')`, fix: `use apiVersion: ${use}` };
  }
  const kinds = [...new Set(served.map((k) => k.slice(k.lastIndexOf('/') + 1)))];
  const near = kinds.map((k) => [k, distance(k.toLowerCase(), o.kind.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
  return {
    message: `${group} has no kind '${o.kind}': the cluster refuses it ('no matches for kind "${o.kind}" in version "${o.apiVersion}"')`,
    fix: near && near[1] <= 3 ? `did you mean kind: ${near[0]}?` : `the kinds of ${group} are ${kinds.join(', ')}`,
  };
}

/** Checks one object; with `full` false (seen in another cluster already), only its references. */
function checkObject(o: AppliedObject, index: Index, add: Add, full: boolean, complete: boolean): void {
  const v = o.value;
  const spec = v.spec ?? {};
  if (o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && !REMOVED[o.apiVersion]) checkKustomization(o, spec, index, add, complete);
  if (!full) {
    if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/') && !REMOVED[o.apiVersion]) checkHelmRelease(o, spec, index, add);
    return;
  }
  const removed = REMOVED[o.apiVersion];
  if (removed) {
    add(finding(o, 'removed-api-version', `${o.apiVersion} is no longer served by Flux (removed in Flux ${removed.since}): the cluster refuses this object`,
      `use ${removed.use}; for objects already in a cluster, run 'flux migrate' before upgrading Flux`));
    return;
  }
  // A Secret without data or stringData (a placeholder that a reflector or a service account
  // fills in the cluster) has no values in Git.
  const secretKeys = o.kind === 'Secret' ? [...Object.keys(objectOr(v.data)), ...Object.keys(objectOr(v.stringData))] : [];
  if (o.kind === 'Secret' && o.apiVersion === 'v1' && !v.sops && secretKeys.length > 0) {
    add(finding(o, 'plain-secret', `a plain Secret puts its values (${secretKeys.slice(0, 5).join(', ')}${secretKeys.length > 5 ? ', …' : ''}) in Git in plain text (base64 is no encryption)`,
      'seal it: kubectl create secret … --dry-run=client -o yaml | kubeseal -o yaml (or encrypt it with SOPS), and delete the plain file'));
  }
  checkStringMaps(o, add);
  if (hasCrdSchema(o.apiVersion, o.kind)) {
    const unresolved = [...(o.unresolved ?? [])];
    for (const { pointer, message } of crdViolations(v)) {
      if (o.kind === 'HelmRelease' && message.startsWith('spec.chart.spec.version: must be string')) continue;
      // A ${var} from postBuild.substituteFrom: its value is not in the repo.
      if (unresolved.some((u) => pointer === u || pointer.startsWith(`${u}/`))) continue;
      add(finding(o, 'crd-schema', message, `see the ${o.kind} CRD (${o.apiVersion}) for the field's type and allowed values`, Severity.ERROR, pointer));
    }
    for (const { pointer, message, fix } of unknownFields(v)) {
      const f = finding(o, 'unknown-field', message, fix, Severity.ERROR, pointer);
      add(f.file === o.doc.file && f.line === o.doc.line ? { ...f, line: keyLine(o.doc, pointer) ?? f.line } : f);
    }
  } else {
    const unknown = unknownKind(o);
    if (unknown) add(finding(o, 'crd-schema', unknown.message, unknown.fix));
  }
  if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) checkHelmRelease(o, spec, index, add);
  if (o.kind === 'HelmRepository' && o.apiVersion.startsWith('source.toolkit.fluxcd.io/') && typeof spec.url === 'string' && !spec.url.includes('${')) {
    const oci = spec.url.startsWith('oci://');
    if (oci && spec.type !== 'oci') {
      add(finding(o, 'helmrepository-type', `the url '${spec.url}' is an OCI registry but type is ${spec.type === undefined ? 'not set (default)' : `'${spec.type}'`}`,
        'set spec.type: oci (or use an OCIRepository)', Severity.ERROR, originOf(o, '/spec/type') ? '/spec/type' : '/spec/url'));
    } else if (!oci && spec.type === 'oci') {
      add(finding(o, 'helmrepository-type', `type is 'oci' but the url '${spec.url}' is not an oci:// url`, 'use an oci:// url, or remove type: oci for a chart index',
        Severity.ERROR, originOf(o, '/spec/type') ? '/spec/type' : '/spec/url'));
    }
  }
  if (o.kind === 'SealedSecret' && o.apiVersion === 'bitnami.com/v1alpha1') {
    const top = v.metadata?.annotations ?? {};
    const template = spec.template?.metadata?.annotations ?? {};
    for (const a of SCOPE_ANNOTATIONS) {
      if (String(template[a]) === 'true' && String(top[a]) !== 'true') {
        add(finding(o, 'sealed-scope-annotation', `'${a}: "true"' is only in spec.template.metadata.annotations; the controller reads the scope from metadata.annotations, so it unseals with the strict label and fails ('no key could decrypt secret')`,
          `add '${a}: "true"' to metadata.annotations too (kubeseal --scope writes both)`, Severity.ERROR, `/spec/template/metadata/annotations/${a.replace(/\//g, '~1')}`));
      }
    }
  }
}

/**
 * Maps of strings in the Kubernetes types (labels, annotations, ConfigMap and Secret data): kustomize
 * passes a number or a boolean through (`enabled: true`, `mode: 0644` in a ConfigMap), and the
 * API server refuses the object. Flux and SealedSecret kinds have their CRD schema for this.
 */
function checkStringMaps(o: AppliedObject, add: Add): void {
  const v = o.value;
  const maps: [string, unknown, string][] = [];
  if (!hasCrdSchema(o.apiVersion, o.kind)) {
    maps.push(['/metadata/labels', v.metadata?.labels, 'ObjectMeta.metadata.labels'], ['/metadata/annotations', v.metadata?.annotations, 'ObjectMeta.metadata.annotations']);
  }
  if (o.apiVersion === 'v1' && o.kind === 'ConfigMap') maps.push(['/data', v.data, 'ConfigMap.data'], ['/binaryData', v.binaryData, 'ConfigMap.binaryData']);
  if (o.apiVersion === 'v1' && o.kind === 'Secret') maps.push(['/data', v.data, 'Secret.data'], ['/stringData', v.stringData, 'Secret.stringData']);
  for (const [pointer, map, go] of maps) {
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    // The map's nodes by key, once (a lookup per key would be quadratic in a large ConfigMap).
    let nodes: Map<string, unknown> | undefined;
    const nodeOf = (k: string) => {
      if (!nodes) {
        nodes = new Map();
        const mapNode = o.value === o.doc.value ? o.doc.doc.getIn(pointer.split('/').slice(1), true) : undefined;
        if (isMap(mapNode)) {
          for (const pair of mapNode.items) {
            if (isScalar(pair.key) && !nodes.has(String(pair.key.value))) nodes.set(String(pair.key.value), pair.value);
          }
        }
      }
      return nodes.get(k);
    };
    const entries = map as Record<string, unknown>;
    for (const k of Object.keys(entries)) {
      const value = entries[k];
      // A string that no YAML reader takes for a number, a boolean or null: nothing to say (most values).
      if (typeof value === 'string' && !/^[-+.0-9~]|^(true|false|null)$/i.test(value)) continue;
      // A plain scalar as kustomize reads it (1_000 is a number, on a string); a tagged one (!!binary) as its tag says.
      const node = nodeOf(k);
      const plain = isScalar(node) && node.type === Scalar.PLAIN && !node.tag && typeof node.source === 'string' ? node.source : undefined;
      // A quoted string (most values): nothing to say, without more work.
      if (typeof value === 'string' && plain === undefined) continue;
      if (isScalar(node) && node.tag) continue;
      // A ${var} of substituteFrom that the repo does not know: its value is not known either.
      const at = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (o.unresolved?.has(at)) continue;
      const x = plain !== undefined ? readAsKustomize(plain) : value;
      if (typeof x === 'string' || typeof x === 'symbol' || x === null || x === undefined || x instanceof Uint8Array) continue;
      const type = typeof x === 'number' ? 'number' : typeof x === 'boolean' ? 'bool' : Array.isArray(x) ? 'array' : 'object';
      const source = plain ?? JSON.stringify(x);
      const field = `${pointer.slice(1).replace(/\//g, '.')}.${k}`;
      const shown = typeof x === 'number' && String(x) !== source ? `${x} (written ${source})` : source;
      add(finding(o, 'string-value', `${field} is the ${type === 'bool' ? 'boolean' : type} ${shown}, but ${go.replace(/^ObjectMeta\./, '')} values are strings: the API server refuses the object ('json: cannot unmarshal ${type} into Go struct field ${go} of type string'), and with it the whole Kustomization`,
        typeof x === 'object' ? 'write the value as one string (a block scalar |, or JSON in quotes)' : `quote it: ${k}: "${source}"`, Severity.ERROR, at));
    }
  }
}

/**
 * A Flux Kustomization's references: `dependsOn` (Flux waits for a dependency that never comes),
 * `postBuild.substituteFrom` (the build fails unless `optional: true`), and a `sourceRef` whose
 * namespace has no such source while another namespace has it (a typo).
 */
function checkKustomization(o: AppliedObject, spec: any, index: Index, add: Add, complete: boolean): void {
  const ns = o.namespace;
  const where = (kinds: string[], refNs: string | undefined, name: string) => {
    const m = index.missing(kinds, refNs, name);
    if (m.renamed) return `, but kustomize renames it to '${m.renamed.name}' (${m.renamed.by})`;
    return m.cluster ? `, which is not in this cluster (it is in the cluster of '${m.cluster}')` : ', which is not in the repo';
  };
  const ref = spec.sourceRef;
  if (ref && typeof ref.kind === 'string' && typeof ref.name === 'string' && !unresolvedVar(ref.name, ref.namespace)) {
    const refNs = typeof ref.namespace === 'string' ? ref.namespace : ns;
    const other = refNs === undefined || index.find([ref.kind], refNs, ref.name) ? undefined : index.find([ref.kind], undefined, ref.name);
    if (other && other.namespace !== undefined && other.namespace !== refNs) {
      add(finding(o, 'dangling-reference', `spec.sourceRef points to ${ref.kind} '${ref.name}' in namespace '${refNs}'${ref.namespace === undefined ? ' (a sourceRef without namespace means the Kustomization\'s own)' : ''}, which has none; there is one in namespace '${other.namespace}': Flux fails with '${ref.kind}.source.toolkit.fluxcd.io "${ref.name}" not found'`,
        `set spec.sourceRef.namespace: ${other.namespace}`, Severity.ERROR, ref.namespace === undefined ? '/spec/sourceRef' : '/spec/sourceRef/namespace'));
    }
  }
  (Array.isArray(spec.dependsOn) ? spec.dependsOn : []).forEach((d: any, i: number) => {
    if (!d || typeof d.name !== 'string' || unresolvedVar(d.name, d.namespace)) return;
    const refNs = typeof d.namespace === 'string' ? d.namespace : ns;
    if (index.find(['Kustomization'], refNs, d.name)) return;
    add(finding(o, 'dangling-reference', `spec.dependsOn[${i}] names Kustomization '${d.name}'${refNs ? ` in namespace '${refNs}'` : ''}${where(['Kustomization'], refNs, d.name)}: Flux never applies this one ('dependency '${refNs ?? ''}/${d.name}' is not ready')`,
      d.namespace === undefined && ns !== undefined ? `fix the name, or set namespace (a dependsOn without namespace means '${ns}')` : 'fix the name and namespace, or remove the dependency', Severity.ERROR, `/spec/dependsOn/${i}`, true));
  });
  // What a cluster applies is known only when the repo says where it starts; the bootstrap
  // Kustomization's variables come before anything it applies (flux bootstrap, Terraform).
  if (!complete || (o.name === 'flux-system' && o.namespace === 'flux-system') || /(^|\/)gotk-sync\.ya?ml$/.test(o.doc.file)) return;
  (Array.isArray(spec.postBuild?.substituteFrom) ? spec.postBuild.substituteFrom : []).forEach((s: any, i: number) => {
    if (!s || typeof s.name !== 'string' || s.optional === true || unresolvedVar(s.name)) return;
    const kind = s.kind === 'Secret' ? 'Secret' : s.kind === 'ConfigMap' ? 'ConfigMap' : undefined;
    if (!kind || index.find([kind], ns, s.name) || index.generated(kind, ns, s.name)) return;
    add(finding(o, 'dangling-reference', `spec.postBuild.substituteFrom[${i}] reads ${kind} '${s.name}'${ns ? ` in namespace '${ns}'` : ''}${where([kind], ns, s.name)}: Flux fails the build ('substitute from '${kind}/${ns ?? ''}/${s.name}' error: ${kind === 'Secret' ? 'secrets' : 'configmaps'} "${s.name}" not found')`,
      `define it in '${ns ?? 'the Kustomization\'s namespace'}' (substituteFrom reads the Kustomization's namespace), or set optional: true if something outside the repo creates it`, Severity.ERROR, `/spec/postBuild/substituteFrom/${i}`, true));
  });
}

function checkHelmRelease(o: AppliedObject, spec: any, index: Index, add: Add): void {
  const hasChart = spec.chart !== undefined && spec.chart !== null;
  const hasChartRef = spec.chartRef !== undefined && spec.chartRef !== null;
  if (hasChart === hasChartRef) {
    add(finding(o, 'chart-or-chartref', hasChart ? 'sets both spec.chart and spec.chartRef' : 'sets neither spec.chart nor spec.chartRef',
      'set exactly one: spec.chart.spec (chart + sourceRef) or spec.chartRef (OCIRepository/HelmChart); Flux: \'either chart or chartRef must be set\'',
      Severity.ERROR, hasChart ? (originOf(o, '/spec/chartRef') ? '/spec/chartRef' : '/spec/chart') : undefined));
  }
  const version = spec.chart?.spec?.version;
  if (version !== undefined && version !== null && typeof version !== 'string') {
    const origin = originOf(o, '/spec/chart/spec/version');
    const node = o.doc.doc.getIn(['spec', 'chart', 'spec', 'version'], true);
    const source = origin?.source ?? (!origin && isScalar(node) && typeof node.source === 'string' ? node.source : JSON.stringify(version));
    add(finding(o, 'chart-version-string', `spec.chart.spec.version ${source} is a YAML ${typeof version} (${JSON.stringify(version)}), not a string: the CRD refuses it ('must be of type string')`,
      `quote it: version: "${source}"`, Severity.ERROR, '/spec/chart/spec/version'));
  }
  const ns = o.namespace;
  /** Why a reference finds nothing, and what to do about it then: kustomize renamed it, another cluster has it, or nothing has it. */
  const why = (kinds: string[], refNs: string | undefined, name: string, kustomizePath: string, fix: string): { reason: string; fix: string } => {
    const m = index.missing(kinds, refNs, name);
    const config = `declare the field in a configurations: file (nameReference: [{kind: ${kinds[0]}, fieldSpecs: [{kind: HelmRelease, path: ${kustomizePath}}]}]) so that kustomize rewrites it`;
    if (m.renamed?.hashedBy) {
      return {
        reason: `, but ${m.renamed.by} names it '${m.renamed.name}' (a hash of its content) and kustomize rewrites names only in the fields it knows, which HelmRelease fields are not: Flux finds no ${kinds[0]} '${name}'`,
        fix: `set generatorOptions.disableNameSuffixHash: true in ${m.renamed.hashedBy} (or options.disableNameSuffixHash: true on the generator), or ${config}`,
      };
    }
    if (m.renamed) {
      return {
        reason: `, but kustomize renames it to '${m.renamed.name}' (${m.renamed.by}) and rewrites names only in the fields it knows, which HelmRelease fields are not: Flux finds no ${kinds[0]} '${name}'`,
        fix: `refer to it as '${m.renamed.name}', or ${config}`,
      };
    }
    if (m.cluster) return { reason: `, which is not in this cluster (it is in the cluster of '${m.cluster}')`, fix };
    return { reason: ', which is not in the repo', fix };
  };
  const ref = (kinds: string[], r: any, field: string, what: string, pointer: string) => {
    if (!r || typeof r.name !== 'string' || unresolvedVar(r.name, r.namespace)) return;
    const refNs = typeof r.namespace === 'string' ? r.namespace : ns;
    const kind = typeof r.kind === 'string' ? r.kind : undefined;
    const candidates = kind ? [kind] : kinds;
    if (!index.find(candidates, refNs, r.name)) {
      const { reason, fix } = why(candidates, refNs, r.name, `${pointer.slice(1).replace(/\/[0-9]+$/, '')}/name`,
        r.namespace === undefined && ns !== undefined ? `define it in '${ns}' (a reference without namespace means the HelmRelease's namespace), or set ${field}.namespace` : 'define it, or fix the name and namespace');
      add(finding(o, 'dangling-reference', `${field} points to ${kind ?? what} '${r.name}'${refNs ? ` in namespace '${refNs}'` : ''}${reason}`, fix, Severity.ERROR, pointer, true));
    }
  };
  ref(['HelmRepository', 'GitRepository', 'Bucket'], spec.chart?.spec?.sourceRef, 'spec.chart.spec.sourceRef', 'source', '/spec/chart/spec/sourceRef');
  ref(['OCIRepository', 'HelmChart', 'ExternalArtifact'], spec.chartRef, 'spec.chartRef', 'source', '/spec/chartRef');
  (Array.isArray(spec.dependsOn) ? spec.dependsOn : []).forEach((d: any, i: number) => ref(['HelmRelease'], { ...d, kind: 'HelmRelease' }, `spec.dependsOn[${i}]`, 'HelmRelease', `/spec/dependsOn/${i}`));
  (Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []).forEach((vf: any, i: number) => {
    if (!vf || typeof vf.name !== 'string' || vf.optional === true || unresolvedVar(vf.name)) return;
    const field = `spec.valuesFrom[${i}]`;
    const key = typeof vf.valuesKey === 'string' ? vf.valuesKey : 'values.yaml';
    const keyFinding = (holder: AppliedObject, kind: string, keys: string[], fix: string) => {
      if (keys.includes(key)) return;
      add(finding(o, 'values-key', `${field}.valuesKey '${key}'${vf.valuesKey === undefined ? ' (the default)' : ''} is not a key of ${kind} '${vf.name}' (${keys.map((k) => `'${k}'`).join(', ') || 'no keys'}, ${holder.doc.file}:${holder.doc.line}): Flux fails with 'could not find key ${key} in ${vf.kind} '${holder.namespace ?? ''}/${vf.name}''`,
        fix, Severity.ERROR, `/spec/valuesFrom/${i}`, true));
    };
    if (vf.kind === 'ConfigMap') {
      const cm = index.find(['ConfigMap'], ns, vf.name);
      if (!cm && !index.generated('ConfigMap', ns, vf.name)) {
        const { reason, fix } = why(['ConfigMap'], ns, vf.name, 'spec/valuesFrom/name', 'define the ConfigMap in the HelmRelease\'s namespace, or set optional: true');
        add(finding(o, 'dangling-reference', `${field} reads ConfigMap '${vf.name}'${ns ? ` in namespace '${ns}'` : ''}${reason}`, fix, Severity.ERROR, `/spec/valuesFrom/${i}`, true));
      } else if (cm && cm.kind === 'ConfigMap') {
        keyFinding(cm, 'ConfigMap', [...Object.keys(cm.value.data ?? {}), ...Object.keys(cm.value.binaryData ?? {})], `add the key '${key}' to ${cm.doc.file}, or fix valuesKey`);
      }
      return;
    }
    if (vf.kind !== 'Secret') return;
    const sealed = index.find(['SealedSecret'], ns, vf.name);
    const secret = sealed ?? index.find(['Secret'], ns, vf.name);
    if (!secret && !index.generated('Secret', ns, vf.name)) {
      const { reason, fix } = why(['Secret', 'SealedSecret'], ns, vf.name, 'spec/valuesFrom/name', 'seal it into a SealedSecret in the HelmRelease\'s namespace, or set optional: true if something else creates it');
      add(finding(o, 'dangling-reference', `${field} reads Secret '${vf.name}'${ns ? ` in namespace '${ns}'` : ''}${reason === ', which is not in the repo' ? `${reason} (no SealedSecret or Secret of that name)` : reason}`,
        fix, Severity.ERROR, `/spec/valuesFrom/${i}`, true));
      return;
    }
    if (sealed) {
      const s = sealed.value.spec ?? {};
      keyFinding(sealed, 'SealedSecret', [...new Set([...Object.keys(s.encryptedData ?? {}), ...Object.keys(s.template?.data ?? {})])],
        `seal the key '${key}' into ${sealed.doc.file} (kubeseal --merge-into), or fix valuesKey`);
    } else if (secret && secret.kind === 'Secret') {
      keyFinding(secret, 'Secret', [...Object.keys(secret.value.data ?? {}), ...Object.keys(secret.value.stringData ?? {})], `add the key '${key}' to ${secret.doc.file}, or fix valuesKey`);
    }
  });
}

/** A mapping, or an empty one for anything else. */
function objectOr(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

/** A name that holds a ${var} postBuild substitution leaves unknown here. */
function unresolvedVar(...values: unknown[]): boolean {
  return values.some((v) => typeof v === 'string' && v.includes('${'));
}

function checkUnit(u: Unit, add: Add): void {
  const sealedChart = (o: AppliedObject) => {
    const spec = o.value.spec ?? {};
    if (typeof spec.chart?.spec?.chart === 'string') return /(^|\/)sealed-secrets\/?$/.test(spec.chart.spec.chart);
    const ref = spec.chartRef;
    if (ref?.kind !== 'OCIRepository') return false;
    const repo = u.objects.find((x) => x.kind === 'OCIRepository' && x.name === ref.name && (x.namespace ?? o.namespace) === (ref.namespace ?? o.namespace));
    return typeof repo?.value.spec?.url === 'string' && /\/sealed-secrets\/?$/.test(repo.value.spec.url);
  };
  const installsCrd = u.objects.find((o) => o.kind === 'HelmRelease' && sealedChart(o) && o.value.spec?.install?.crds !== 'Skip');
  // The CRD shipped as plain YAML in the same Kustomization: kustomize-controller applies CRDs
  // first and waits for them, so the SealedSecrets' dry-run finds the kind (flux.md §7).
  const shipsCrd = u.objects.some((o) => o.kind === 'CustomResourceDefinition' && o.name === 'sealedsecrets.bitnami.com');
  if (installsCrd && !shipsCrd) {
    for (const s of u.objects.filter((o) => o.kind === 'SealedSecret')) {
      add(finding(s, 'sealedsecret-with-crd-release', `is applied by the same Flux Kustomization ('${u.path || '.'}') as ${describe(installsCrd)} (${installsCrd.doc.file}), which installs the SealedSecret CRD: on a fresh cluster the dry-run fails with 'no matches for kind "SealedSecret"' and blocks the whole Kustomization`,
        'apply the SealedSecrets from a Flux Kustomization of their own (cdk8s-flux-gitops writes helm/secrets-kustomization.yaml for this), or install the CRD beforehand'));
    }
  }
}

/**
 * A manifest next to the kustomization.yaml of a folder that Flux applies, which the
 * kustomization does not list (resources, patches, generators, …): Flux builds the folder with
 * kustomize, so the file is not applied, which is rarely what its author meant.
 */
function checkUnlisted(tree: RepoTree, units: Unit[], add: Add): void {
  const read = new Set(tree.readFiles.map((f) => f.file));
  const done = new Set<string>();
  for (const u of units) {
    if (done.has(u.path)) continue;
    done.add(u.path);
    const kfile = tree.kustomizationFile(u.path);
    if (!kfile || tree.isIgnored(kfile)) continue;
    const ktext = tree.readOptional(kfile);
    for (const e of tree.list(u.path)) {
      const rel = u.path ? `${u.path}/${e.name}` : e.name;
      if (e.dir || !/\.ya?ml$/.test(e.name) || rel === kfile || read.has(rel) || tree.isIgnored(rel) || tree.unreadable.has(rel)) continue;
      // Named anywhere in the kustomization (a generator's file, a patch, a replacement): listed.
      if (ktext.includes(e.name)) continue;
      // Only manifests: a values file or another config next to it is not meant to be applied.
      if (!tree.peek(rel).docs.some((d) => isObject(d.value))) continue;
      add({
        file: rel,
        rule: 'unlisted-manifest',
        message: `is in '${u.path || '.'}', which ${u.owner ? `${u.owner.object} (${u.owner.file}:${u.owner.line})` : 'Flux'} builds from its ${path.posix.basename(kfile)}, and that does not list it: Flux does not apply it`,
        fix: `list it under resources: in ${kfile}, or move it out of the folder`,
        severity: Severity.WARNING,
      });
    }
  }
}

/** Who applies a unit's objects, in the words of a message. */
function applier(u: Unit): string {
  return u.owner ? `${u.owner.object} (${u.owner.file}:${u.owner.line}, path './${u.path}')` : `the cluster root '${u.path || '.'}'`;
}

/**
 * The same object applied by two Flux Kustomizations of one cluster (DESIGN rule 5). Flux does not
 * fail: all Kustomizations apply with one field manager, so each silently overwrites the other's
 * fields and ownership labels, and the pruning of one deletes what the other still applies
 * (kustomize-controller#732, #1724).
 */
function checkAppliedTwice(tree: Unit[], add: Add): void {
  const first = new Map<string, { o: AppliedObject; u: Unit }>();
  for (const u of tree) {
    for (const o of u.objects) {
      if (o.name.includes('${') || (o.namespace ?? '').includes('${')) continue;
      const slash = o.apiVersion.indexOf('/');
      const id = `${slash < 0 ? '' : o.apiVersion.slice(0, slash)}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
      const seen = first.get(id);
      if (!seen) {
        first.set(id, { o, u });
        continue;
      }
      if (seen.u === u) continue;
      add(finding(o, 'duplicate-apply',
        `is applied by two Flux Kustomizations of one cluster, ${applier(u)} and ${applier(seen.u)} (from ${seen.o.doc.file}:${seen.o.doc.line}): Flux reports no error, but each overwrites the other's changes and ownership labels, and when one stops applying it, its pruning deletes the object the other still applies`,
        `apply it from one Flux Kustomization only: remove it from '${u.path || '.'}' or from '${seen.u.path || '.'}'`, Severity.WARNING));
    }
  }
}

/** Keys whose numbers are file modes: `defaultMode: 0400` means the octal 256 to kustomize, helm and kubectl alike. */
const FILE_MODE = /^(defaultMode|mode|fileMode|dirMode)$/;

/**
 * Plain scalars whose value is not what they read as to someone: for a manifest, what Flux
 * applies (kustomize reads it with go-yaml v3 and writes JSON) against YAML 1.1 readers (helm,
 * kubectl, PyYAML) and YAML 1.2 ones; for a Helm values file that a generator makes into a
 * ConfigMap, what helm-controller reads (YAML 1.1, go-yaml v2) against YAML 1.2 readers.
 */
function checkAmbiguousScalars(tree: RepoTree, add: Add, landing: ReadonlyMap<string, string>): void {
  const owned = ownedFiles(tree);
  for (const f of tree.readFiles) {
    if (owned.has(f.file) || f.errors.length > 0) continue;
    const helm = tree.readers.has(f.file);
    for (const d of f.docs) {
      const v = d.value;
      const object = landing.get(`${d.file}#${d.index}`)
        ?? (isObject(v) ? (typeof v.metadata.namespace === 'string' ? `${v.kind}/${v.metadata.namespace}/${v.metadata.name}` : `${v.kind}/${v.metadata.name}`) : undefined);
      const check = (node: unknown, key: string | undefined, isKey: boolean) => {
        if (!isScalar(node) || node.type !== Scalar.PLAIN || typeof node.source !== 'string' || !mayDiffer(node.source)) return;
        const found = helm ? helmReading(node.source, node.value, key, isKey) : fluxReading(node.source, node.value, key, isKey);
        if (!found) return;
        add({
          file: d.file,
          line: node.range ? d.lines.linePos(node.range[0]).line : d.line,
          object,
          rule: found.rule ?? 'yaml11-ambiguous',
          message: found.message,
          fix: found.fix,
          severity: found.rule ? Severity.ERROR : Severity.WARNING,
        });
      };
      // Every key and value of every mapping, every item of every sequence (a direct walk: the yaml package's visit() costs more than the check).
      const walk = (node: unknown): void => {
        if (isMap(node)) {
          for (const pair of node.items) {
            check(pair.key, undefined, true);
            check(pair.value, isScalar(pair.key) ? String(pair.key.value) : undefined, false);
            walk(pair.key);
            walk(pair.value);
          }
        } else if (isSeq(node)) {
          for (const item of node.items) check(item, undefined, false);
          for (const item of node.items) walk(item);
        }
      };
      walk(d.doc.contents);
    }
  }
}

interface Reading {
  readonly message: string;
  readonly fix: string;
  /** An error of this rule, not a yaml11-ambiguous warning. */
  readonly rule?: string;
}

/** Why a number reads differently in YAML 1.2. */
function numberWhy(source: string): string {
  if (/^[-+]?0[0-7]/.test(source.replace(/_/g, ''))) return 'a leading 0 is octal';
  if (/^[-+]?0[bB]/.test(source)) return '0b is binary';
  return '_ separates digits';
}

/** A plain scalar of a manifest, as Flux applies it (kustomize) and as YAML 1.1 and 1.2 readers read it. */
function fluxReading(source: string, read12: unknown, key: string | undefined, isKey: boolean): Reading | undefined {
  // Keys become JSON strings: kustomize keeps `on:` as "on", which is what a manifest means.
  if (isKey) return undefined;
  const flux = readAsKustomize(source);
  const read11 = readAsKubernetes(source);
  if (flux === NOT_JSON) {
    const go = read11 === Infinity ? '+Inf' : read11 === -Infinity ? '-Inf' : 'NaN';
    return {
      rule: 'yaml-syntax',
      message: `the plain scalar ${source} is the float ${go} to kustomize, which cannot write it as JSON: Flux fails with 'json: unsupported value: ${go}'`,
      fix: `quote it ("${source}") if you mean the string`,
    };
  }
  if (typeof flux === 'string' && typeof read11 === 'boolean') {
    return {
      message: `the plain scalar ${source} is the string "${source}" under Flux (kustomize reads YAML with go-yaml v3, where only true and false are booleans) but the boolean ${read11} for YAML 1.1 readers (helm or kubectl reading a file, PyYAML)${read11 ? '' : '; a chart that tests it with if takes the non-empty string as true'}`,
      fix: `quote it ("${source}") if you mean the string, or write ${read11} if you mean the boolean`,
    };
  }
  if (typeof flux === 'string' && flux !== read12) {
    return {
      message: `the plain scalar ${source} is a timestamp to kustomize (go-yaml v3): Flux applies it as "${flux}", not "${source}"`,
      fix: `quote it ("${source}") to keep it as written`,
    };
  }
  if (typeof flux === 'number' && flux !== read12 && !(key !== undefined && FILE_MODE.test(key))) {
    return {
      message: `the plain scalar ${source} is the number ${flux} under Flux and for YAML 1.1 readers (${numberWhy(source)}) but ${JSON.stringify(read12)} for YAML 1.2 readers`,
      fix: `write ${flux} if you mean the number, or quote it ("${source}") if you mean the string`,
    };
  }
  return undefined;
}

/** A plain scalar of a Helm values file, as helm-controller reads it (YAML 1.1) and as YAML 1.2 readers do. */
function helmReading(source: string, read12: unknown, key: string | undefined, isKey: boolean): Reading | undefined {
  const read11 = readAsKubernetes(source);
  if (JSON.stringify(read11) === JSON.stringify(read12)) return undefined;
  if (typeof read11 === 'boolean') {
    return isKey
      ? {
        message: `the key ${source} is the boolean ${read11} for helm-controller, which reads values files as YAML 1.1 (go-yaml v2), so the key is "${read11}", not "${source}"`,
        fix: `quote it ("${source}")`,
      }
      : {
        message: `the plain scalar ${source} is the boolean ${read11} for helm-controller, which reads values files as YAML 1.1 (go-yaml v2), but the string "${source}" for YAML 1.2 readers`,
        fix: `write ${read11} if you mean the boolean, or quote it ("${source}") if you mean the string`,
      };
  }
  if (typeof read11 === 'number' && !isKey && !(key !== undefined && FILE_MODE.test(key))) {
    return {
      message: `the plain scalar ${source} is the number ${read11} for helm-controller, which reads values files as YAML 1.1 (${numberWhy(source)}), but ${JSON.stringify(read12)} for YAML 1.2 readers`,
      fix: `write ${read11} if you mean the number, or quote it ("${source}") if you mean the string`,
    };
  }
  return undefined;
}

/** One finding for each file, line, rule, message and object; the clusters it holds in, merged (named only when more than one). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, { f: Finding; clusters: Set<string> }>();
  for (const f of findings) {
    const k = `${f.file}|${f.line}|${f.rule}|${f.message}|${f.object}`;
    const known = seen.get(k);
    if (known) {
      for (const c of f.clusters ?? []) known.clusters.add(c);
    } else {
      seen.set(k, { f, clusters: new Set(f.clusters ?? []) });
    }
  }
  return [...seen.values()].map(({ f, clusters }) => {
    const { clusters: _, ...rest } = f;
    return clusters.size > 1 ? { ...rest, clusters: [...clusters].sort() } : rest;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
