import * as fs from 'fs';
import * as path from 'path';
import { isScalar, parseAllDocuments, Scalar, visit } from 'yaml';
import { buildUnits, BuildIssue } from './build';
import { CheckReport, Finding, Severity } from './model';
import { AppliedObject, isObject, RepoTree, Unit, YamlDoc } from './tree';
import { RECORD_FILE } from '../../output/writer';
import { isAmbiguousScalar } from '../../output/yaml';
import { hasCrdSchema, validateAgainstCrd } from '../schema';

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
  const units = buildUnits(tree, issues);
  for (const { warning, ...i } of issues) add({ ...i, severity: warning ? Severity.WARNING : Severity.ERROR });

  // Every document once, however many Kustomizations apply it.
  const unique = new Map<string, AppliedObject>();
  for (const u of units) for (const o of u.objects) unique.set(`${o.doc.file}#${o.doc.index}`, o);
  const objects = [...unique.values()];

  for (const f of tree.readFiles) {
    for (const e of f.errors) {
      add({ file: f.file, line: e.line, rule: 'yaml-syntax', message: e.message, fix: 'fix the YAML: Flux cannot read this file at all', severity: Severity.ERROR });
    }
  }

  const index = indexObjects(objects);
  for (const o of objects) checkObject(o, index, tree, add);
  for (const u of units) checkUnit(u, add);
  checkAmbiguousScalars(tree, root, add);

  const sorted = dedupe(findings).sort((a, b) =>
    cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.rule, b.rule) || cmp(a.message, b.message));
  return {
    dir: root,
    files: tree.readFiles.length,
    objects: objects.length,
    errors: sorted.filter((f) => f.severity === Severity.ERROR).length,
    warnings: sorted.filter((f) => f.severity === Severity.WARNING).length,
    findings: sorted,
  };
}

type Add = (f: Finding) => void;

function describe(o: AppliedObject): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

function finding(o: AppliedObject, rule: string, message: string, fix: string | undefined, severity: Severity = Severity.ERROR): Finding {
  return { file: o.doc.file, line: o.doc.line, object: describe(o), rule, message, fix, severity };
}

interface Index {
  find(kinds: string[], namespace: string | undefined, name: string): AppliedObject | undefined;
}

function indexObjects(objects: AppliedObject[]): Index {
  const byKey = new Map<string, AppliedObject>();
  const byName = new Map<string, AppliedObject>();
  for (const o of objects) {
    byKey.set(`${o.kind}/${o.namespace ?? ''}/${o.name}`, o);
    byName.set(`${o.kind}/${o.name}`, o);
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
  };
}

function checkObject(o: AppliedObject, index: Index, tree: RepoTree, add: Add): void {
  const v = o.doc.value;
  const removed = REMOVED[o.apiVersion];
  if (removed) {
    add(finding(o, 'removed-api-version', `${o.apiVersion} is no longer served by Flux (removed in Flux ${removed.since}): the cluster refuses this object`,
      `use ${removed.use}; for objects already in a cluster, run 'flux migrate' before upgrading Flux`));
    return;
  }
  if (o.kind === 'Secret' && (o.apiVersion === 'v1') && !v.sops) {
    add(finding(o, 'plain-secret', 'a plain Secret puts its values in Git in plain text (base64 is no encryption)',
      'seal it: kubectl create secret … --dry-run=client -o yaml | kubeseal -o yaml, or a SealedSecret construct'));
  }
  if (hasCrdSchema(o.apiVersion, o.kind)) {
    for (const message of validateAgainstCrd(v)) {
      if (o.kind === 'HelmRelease' && message.startsWith('spec.chart.spec.version: must be string')) continue;
      add(finding(o, 'crd-schema', message, `see the ${o.kind} CRD (${o.apiVersion}) for the field's type and allowed values`));
    }
  }
  const spec = v.spec ?? {};
  if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) checkHelmRelease(o, spec, index, tree, add);
  if (o.kind === 'HelmRepository' && o.apiVersion.startsWith('source.toolkit.fluxcd.io/') && typeof spec.url === 'string') {
    const oci = spec.url.startsWith('oci://');
    if (oci && spec.type !== 'oci') {
      add(finding(o, 'helmrepository-type', `the url '${spec.url}' is an OCI registry but type is ${spec.type === undefined ? 'not set (default)' : `'${spec.type}'`}`, 'set spec.type: oci (or use an OCIRepository)'));
    } else if (!oci && spec.type === 'oci') {
      add(finding(o, 'helmrepository-type', `type is 'oci' but the url '${spec.url}' is not an oci:// url`, 'use an oci:// url, or remove type: oci for a chart index'));
    }
  }
  if (o.kind === 'SealedSecret' && o.apiVersion === 'bitnami.com/v1alpha1') {
    const top = v.metadata?.annotations ?? {};
    const template = spec.template?.metadata?.annotations ?? {};
    for (const a of SCOPE_ANNOTATIONS) {
      if (template[a] === 'true' && top[a] !== 'true') {
        add(finding(o, 'sealed-scope-annotation', `'${a}: "true"' is only in spec.template.metadata.annotations; the controller reads the scope from metadata.annotations, so it unseals with the strict label and fails ('no key could decrypt secret')`,
          `add '${a}: "true"' to metadata.annotations too (kubeseal --scope writes both)`));
      }
    }
  }
}

function checkHelmRelease(o: AppliedObject, spec: any, index: Index, tree: RepoTree, add: Add): void {
  const hasChart = spec.chart !== undefined && spec.chart !== null;
  const hasChartRef = spec.chartRef !== undefined && spec.chartRef !== null;
  if (hasChart === hasChartRef) {
    add(finding(o, 'chart-or-chartref', hasChart ? 'sets both spec.chart and spec.chartRef' : 'sets neither spec.chart nor spec.chartRef',
      'set exactly one: spec.chart.spec (chart + sourceRef) or spec.chartRef (OCIRepository/HelmChart); Flux: \'either chart or chartRef must be set\''));
  }
  const version = spec.chart?.spec?.version;
  if (version !== undefined && typeof version !== 'string') {
    const node = o.doc.doc.getIn(['spec', 'chart', 'spec', 'version'], true);
    const source = isScalar(node) && typeof node.source === 'string' ? node.source : JSON.stringify(version);
    add(finding(o, 'chart-version-string', `spec.chart.spec.version ${source} is a YAML ${typeof version} (${JSON.stringify(version)}), not a string: the CRD refuses it ('must be of type string')`,
      `quote it: version: "${source}"`));
  }
  const ns = o.namespace;
  const ref = (kinds: string[], r: any, field: string, what: string) => {
    if (!r || typeof r.name !== 'string') return;
    const refNs = typeof r.namespace === 'string' ? r.namespace : ns;
    const kind = typeof r.kind === 'string' ? r.kind : undefined;
    const candidates = kind ? [kind] : kinds;
    if (!index.find(candidates, refNs, r.name)) {
      add(finding(o, 'dangling-reference', `${field} points to ${kind ?? what} '${r.name}'${refNs ? ` in namespace '${refNs}'` : ''}, which is not in the repo`,
        r.namespace === undefined && ns !== undefined ? `define it in '${ns}' (a reference without namespace means the HelmRelease's namespace), or set ${field}.namespace` : 'define it, or fix the name and namespace'));
    }
  };
  ref(['HelmRepository', 'GitRepository', 'Bucket'], spec.chart?.spec?.sourceRef, 'spec.chart.spec.sourceRef', 'source');
  ref(['OCIRepository', 'HelmChart', 'ExternalArtifact'], spec.chartRef, 'spec.chartRef', 'source');
  (Array.isArray(spec.dependsOn) ? spec.dependsOn : []).forEach((d: any, i: number) => ref(['HelmRelease'], { ...d, kind: 'HelmRelease' }, `spec.dependsOn[${i}]`, 'HelmRelease'));
  (Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []).forEach((vf: any, i: number) => {
    if (!vf || typeof vf.name !== 'string' || vf.optional === true) return;
    const field = `spec.valuesFrom[${i}]`;
    if (vf.kind === 'ConfigMap') {
      if (!index.find(['ConfigMap'], ns, vf.name) && !generated(tree, 'ConfigMap', ns, vf.name)) {
        add(finding(o, 'dangling-reference', `${field} reads ConfigMap '${vf.name}'${ns ? ` in namespace '${ns}'` : ''}, which is not in the repo`, 'define the ConfigMap in the HelmRelease\'s namespace, or set optional: true'));
      }
      return;
    }
    if (vf.kind !== 'Secret') return;
    const sealed = index.find(['SealedSecret'], ns, vf.name);
    const secret = sealed ?? index.find(['Secret'], ns, vf.name);
    if (!secret && !generated(tree, 'Secret', ns, vf.name)) {
      add(finding(o, 'dangling-reference', `${field} reads Secret '${vf.name}'${ns ? ` in namespace '${ns}'` : ''}, which is not in the repo (no SealedSecret or Secret of that name)`,
        'seal it into a SealedSecret in the HelmRelease\'s namespace, or set optional: true if something else creates it'));
      return;
    }
    if (sealed) {
      const key = typeof vf.valuesKey === 'string' ? vf.valuesKey : 'values.yaml';
      const s = sealed.doc.value.spec ?? {};
      const keys = new Set([...Object.keys(s.encryptedData ?? {}), ...Object.keys(s.template?.data ?? {})]);
      if (!keys.has(key)) {
        add(finding(o, 'values-key', `${field}.valuesKey '${key}' is not a key of SealedSecret '${vf.name}' (${[...keys].map((k) => `'${k}'`).join(', ') || 'no keys'})`,
          `seal the key '${key}' into ${sealed.doc.file}, or fix valuesKey`));
      }
    }
  });
}

function generated(tree: RepoTree, kind: string, ns: string | undefined, name: string): boolean {
  return tree.generated.has(`${kind}/${ns ?? '*'}/${name}`) || tree.generated.has(`${kind}/*/${name}`);
}

function checkUnit(u: Unit, add: Add): void {
  const seen = new Map<string, AppliedObject>();
  for (const o of u.objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const id = `${group}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
    const other = seen.get(id);
    if (other && !(other.doc.file === o.doc.file && other.doc.index === o.doc.index)) {
      add(finding(o, 'duplicate-object', `${describe(o)} is also defined in ${other.doc.file}:${other.doc.line}; the build of '${u.path || '.'}' fails with 'may not add resource with an already registered id'`,
        'keep one of them (or give them different names)'));
    } else if (!other) {
      seen.set(id, o);
    }
  }
  const installsCrd = u.objects.find((o) => o.kind === 'HelmRelease' && o.doc.value.spec?.chart?.spec?.chart === 'sealed-secrets'
    && o.doc.value.spec?.install?.crds !== 'Skip');
  if (installsCrd) {
    for (const s of u.objects.filter((o) => o.kind === 'SealedSecret')) {
      add(finding(s, 'sealedsecret-with-crd-release', `is applied by the same Flux Kustomization ('${u.path || '.'}') as ${describe(installsCrd)} (${installsCrd.doc.file}), which installs the SealedSecret CRD: on a fresh cluster the dry-run fails with 'no matches for kind "SealedSecret"' and blocks the whole Kustomization`,
        'apply the SealedSecrets from a Flux Kustomization of their own (cdk8s-flux-gitops writes helm/secrets-kustomization.yaml for this), or install the CRD beforehand'));
    }
  }
}

/** Plain scalars that a YAML 1.1 reader (Kubernetes) reads differently from a YAML 1.2 one. */
function checkAmbiguousScalars(tree: RepoTree, root: string, add: Add): void {
  let owned = new Set<string>();
  try {
    owned = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(root, RECORD_FILE), 'utf8')).files ?? {}));
  } catch {
    // no ownership record: every file is hand-written
  }
  const readings = new Map<string, [string, string] | undefined>();
  const differs = (source: string): [string, string] | undefined => {
    if (!isAmbiguousScalar(source)) return undefined;
    if (!readings.has(source)) {
      const read = (version: '1.1' | '1.2') => JSON.stringify(parseAllDocuments(`v: ${source}`, { version })[0]?.toJS()?.v);
      const r11 = read('1.1');
      const r12 = read('1.2');
      readings.set(source, r11 !== r12 ? [r11, r12] : undefined);
    }
    return readings.get(source);
  };
  for (const f of tree.readFiles) {
    if (owned.has(f.file) || f.errors.length > 0) continue;
    for (const d of f.docs) {
      const check = (node: unknown) => {
        if (!isScalar(node) || node.type !== Scalar.PLAIN || typeof node.source !== 'string') return;
        const r = differs(node.source);
        if (r) report(d, node, r, add);
      };
      visit(d.doc, {
        Pair: (_, pair) => {
          check(pair.key);
          check(pair.value);
        },
        Seq: (_, seq) => {
          for (const item of seq.items) check(item);
        },
      });
    }
  }
}

function report(d: YamlDoc, node: Scalar, [read11, read12]: [string, string], add: Add): void {
  const line = node.range ? d.lines.linePos(node.range[0]).line : d.line;
  const v = d.value;
  const object = isObject(v) ? (v.metadata.namespace ? `${v.kind}/${v.metadata.namespace}/${v.metadata.name}` : `${v.kind}/${v.metadata.name}`) : undefined;
  add({
    file: d.file,
    line,
    object,
    rule: 'yaml11-ambiguous',
    message: `the plain scalar ${node.source} reads as ${read11} in YAML 1.1 (Kubernetes, go-yaml) but as ${read12} in YAML 1.2`,
    fix: `quote it ("${node.source}") if you mean the string`,
    severity: Severity.WARNING,
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.file}|${f.line}|${f.rule}|${f.message}|${f.object}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
