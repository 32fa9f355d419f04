import * as path from 'path';
import { Construct } from 'constructs';
import { LineCounter, parse as parseYaml, parseAllDocuments } from 'yaml';
import { Problems } from './checks/problems';
import { checkBoolean, checkQualifiedKey, MAX_DATA_DEPTH, requireArgument, requireProps } from './checks/rules';
import { checkStringMap, FluxObject } from './flux-object';
import { ValuesReference, ValuesSourceKind } from './helm-release';
import { RECORD_FILE } from './output/writer';
import { YamlValue } from './output/yaml';
import { ciphertextFormProblem, sealingLabel, sealValue } from './sealing/hybrid';
import { SecretValue } from './secret-value';
import { SynthContext } from './synth/context';
import { firstDuplicateKey } from './synth/duplicate-keys';
import { gitIgnores, matchesValuesRule } from './synth/ignored';
import { MIN_NEEDLE_LENGTH } from './synth/leaks';

/** Which names a sealed value may be unsealed under (sealed-secrets' scopes). */
export enum SealingScope {
  /** Only as a Secret of this very name and namespace (the default, and the safest). */
  STRICT = 'strict',
  /** As a Secret of any name in this namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /** As a Secret of any name in any namespace. */
  CLUSTER_WIDE = 'cluster-wide',
}

/** Options of `SealedSecret.valuesReference()`. */
export interface SealedValuesReferenceOptions {
  /**
   * The key of the secret whose value is used.
   * @default 'values.yaml'
   */
  readonly valuesKey?: string;

  /**
   * Where in the chart values the key's value goes (`a.b.c`); without it, the key's content is
   * merged as a YAML document.
   * @default - merged at the root
   */
  readonly targetPath?: string;

  /**
   * Do not fail when the Secret or the key does not exist.
   * @default false
   */
  readonly optional?: boolean;
}

/** Properties of a `SealedSecret` (`bitnami.com/v1alpha1`). */
export interface SealedSecretProps {
  /** The Secret's keys and where their plain text comes from. */
  readonly data: { [key: string]: SecretValue };

  /**
   * The name of the SealedSecret and of the Secret it unseals to; also the file name
   * (`helm/secrets/<name>-sealed.yaml`).
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace of the SealedSecret and of its Secret. A HelmRelease's `valuesFrom` needs it in
   * the HelmRelease's namespace.
   * @default - the cluster's Flux namespace
   */
  readonly namespace?: string;

  /**
   * Under which names the values may be unsealed.
   * @default SealingScope.STRICT
   */
  readonly scope?: SealingScope;

  /**
   * The Secret's type (`spec.template.type`).
   * @default - none written: the API server makes the Secret `Opaque`, and `kubectl create secret
   * generic … | kubeseal` writes no type either
   */
  readonly type?: string;

  /**
   * Labels of the Secret (`spec.template.metadata.labels`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the Secret (`spec.template.metadata.annotations`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Make the Secret immutable.
   * @default false
   */
  readonly immutable?: boolean;

  /**
   * Labels of the SealedSecret object itself (`metadata.labels`); `labels` are the Secret's.
   * @default - none
   */
  readonly objectLabels?: { [key: string]: string };

  /**
   * Annotations of the SealedSecret object itself (`metadata.annotations`); `annotations` are the
   * Secret's. The scope annotations are written for you.
   * @default - none
   */
  readonly objectAnnotations?: { [key: string]: string };

  /**
   * Plain, non-secret entries of the Secret (`spec.template.data`), written to Git as they are.
   * The sealed-secrets controller renders them as Go templates with the unsealed values, so a
   * config file can name a secret key: `{ 'config.yaml': 'password: {{ .password }}' }`. Never
   * put a secret here: use `data`.
   * @default - none
   */
  readonly templateData?: { [key: string]: string };

  /**
   * Finalizers of the Secret (`spec.template.metadata.finalizers`).
   * @default - none
   */
  readonly finalizers?: string[];
}

const SEALED_SECRET_PROPS = ['data', 'name', 'namespace', 'scope', 'type', 'labels', 'annotations', 'immutable', 'objectLabels', 'objectAnnotations', 'templateData', 'finalizers'];

const references = new WeakMap<object, SealedSecret>();

/** The SealedSecret a values reference was made by, if it was made by one. */
export function sealedSecretOf(ref: ValuesReference): SealedSecret | undefined {
  return ref !== null && typeof ref === 'object' ? references.get(ref) : undefined;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** The API server's limit on the sum of a Secret's values (`MaxSecretSize`). */
const MAX_SECRET_SIZE = 1024 * 1024;
const SCOPE_ANNOTATIONS = ['sealedsecrets.bitnami.com/namespace-wide', 'sealedsecrets.bitnami.com/cluster-wide'];

/**
 * A Bitnami `SealedSecret`, sealed with the cluster's certificate exactly as `kubeseal` seals, and
 * written to `<cluster path>/helm/secrets/<name>-sealed.yaml` as `kubeseal -o yaml` prints it.
 *
 * A value whose plain text did not change since the last synth keeps its committed ciphertext,
 * so the Git history changes only when a secret does; a value whose source is absent (as in CI)
 * keeps its committed ciphertext too.
 */
export class SealedSecret extends FluxObject {
  /** The scope the values are sealed for. */
  public readonly scope: SealingScope;
  /** The Secret's sealed keys, sorted. */
  public readonly keys: string[];
  /** The Secret's type, if set. */
  public readonly type?: string;

  /**
   * The key whose value is a whole Helm values document (a HelmRelease's `secretValues`): it must
   * be a YAML map, and its leaves are searched for in the plain text too. @internal
   */
  public _valuesDocumentKey?: string;

  private readonly props: SealedSecretProps;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id, {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      name: props?.name ?? id,
      namespace: props?.namespace,
      labels: props?.objectLabels,
      annotations: props?.objectAnnotations,
      props,
      knownProps: SEALED_SECRET_PROPS,
    });
    requireProps(this, props, 'SealedSecretProps');
    this.props = props;
    this.scope = props?.scope ?? SealingScope.STRICT;
    this.keys = Object.keys(props?.data ?? {}).sort();
    this.type = props?.type;
  }

  /** Every key of the Secret it unseals to: the sealed keys and the `templateData` keys, sorted. */
  public get secretKeys(): string[] {
    const plain = plainObject(this.props?.templateData) ? Object.keys(this.props.templateData!) : [];
    return [...new Set([...this.keys, ...plain])].sort();
  }

  /** The sources of the values (to take their secrets out of messages). @internal */
  public get _sources(): SecretValue[] {
    const data = this.props?.data;
    return data !== null && typeof data === 'object' ? Object.values(data).filter((v): v is SecretValue => v instanceof SecretValue) : [];
  }

  /** The sealed file, relative to the repo root. */
  public get filePath(): string {
    return `${this.folder}/helm/secrets/${this.name}-sealed.yaml`;
  }

  /**
   * A `valuesFrom` entry for a HelmRelease that reads one key of this secret, as the tutorial's
   * prometheus, loki and velero releases do.
   */
  public valuesReference(options: SealedValuesReferenceOptions = {}): ValuesReference {
    requireArgument(`${this.node.path}.valuesReference()`, 'options', options, 'an object of SealedValuesReferenceOptions', (v) => v !== null && typeof v === 'object');
    const ref: ValuesReference = {
      kind: ValuesSourceKind.SECRET,
      name: this.name,
      valuesKey: options.valuesKey,
      targetPath: options.targetPath,
      optional: options.optional,
    };
    references.set(ref, this);
    return ref;
  }

  /** @internal */
  protected _render(ctx: SynthContext, p: Problems): { [key: string]: YamlValue } | undefined {
    const props = this.props;
    if (!Object.values(SealingScope).includes(this.scope)) {
      p.add('scope', 'must be SealingScope.STRICT, NAMESPACE_WIDE or CLUSTER_WIDE', this.scope);
    }
    if (this.keys.length === 0) {
      p.add('data', 'must have at least one key (kubeseal refuses empty data)', {});
    }
    for (const key of this.keys) {
      if (!SECRET_KEY.test(key) || key.length > 253) {
        p.add(`data.${key}`, 'must be a Secret key: at most 253 letters, digits, \'-\', \'_\' and \'.\'', key);
      } else if (key === '.' || key.startsWith('..')) {
        p.add(`data.${key}`, 'must be a Secret key: not \'.\' and not starting with \'..\' (the API server refuses it)', key);
      }
      if (!(props.data[key] instanceof SecretValue)) {
        p.add(`data.${key}`, 'must be a SecretValue such as SecretValue.fromEnv(\'NAME\') or SecretValue.fromFile(\'x-values-y.yaml\')', props.data[key]);
      }
    }
    if (props.type !== undefined && (typeof props.type !== 'string' || props.type.trim() === '')) {
      p.add('type', 'must be a non-empty string such as \'Opaque\' or \'kubernetes.io/tls\'', props.type);
    }
    checkBoolean(p, 'immutable', props.immutable);
    this.checkTemplateData(p);
    if (props.finalizers !== undefined) {
      if (!Array.isArray(props.finalizers)) {
        p.add('finalizers', 'must be a list of finalizer names such as [\'example.com/cleanup\']', props.finalizers);
      } else {
        props.finalizers.forEach((f, i) => {
          if (typeof f !== 'string') p.add(`finalizers[${i}]`, 'must be a string', f);
          else checkQualifiedKey(p, `finalizers[${i}]`, f);
        });
      }
    }
    this.checkTypeKeys(p);
    checkStringMap(p, 'labels', props.labels, true);
    checkStringMap(p, 'annotations', props.annotations, false);
    for (const k of Object.keys(props.annotations ?? {})) {
      if (SCOPE_ANNOTATIONS.includes(k)) p.add(`annotations.${k}`, 'must not be set by hand: use the scope property', k);
    }
    const cert = this.cluster.sealingCertificate;
    if (!cert) {
      p.add('sealingCertificate', `must be set on FluxCluster '${this.cluster.node.path}' to seal secrets: fetch it with 'kubeseal --controller-namespace=flux-system --fetch-cert > pub-sealed-secrets-${this.cluster.node.id}.pem' and pass SealingCertificate.fromFile() as sealingCertificate`);
    }
    if (!cert || p.list.length > 0) return undefined;

    const file = this.filePath;
    const label = sealingLabel(this.scope, this.namespace, this.name);
    const committed = readCommitted(ctx, file);
    const committedLabelMatches = committed !== undefined && committed.label !== undefined && committed.label.equals(label);
    const recordedCert = ctx.previouslySealedWith.get(file);
    const committedCertMatches = recordedCert === cert.fingerprint;
    const encryptedData: { [key: string]: string } = {};
    const absent: string[] = [];
    const present = new Map<string, Buffer>();
    const emptied: string[] = [];
    for (const key of this.keys) {
      const value = props.data[key];
      const entry = `${file}#${key}`;
      let resolved;
      try {
        resolved = value._resolve();
      } catch (e) {
        p.add(`data.${key}`, (e as Error).message, value.source);
        continue;
      }
      if (resolved.file) this.checkSourceFile(ctx, p, `data.${key}`, resolved.file);
      const committedValue = committed?.encryptedData[key];
      const badForm = committedValue === undefined ? undefined : ciphertextFormProblem(cert, committedValue);
      const old = badForm === undefined ? committedValue : undefined;
      if (resolved.bytes === undefined) {
        const why = `its source (${value.source}) is ${resolved.absence ?? 'absent'}`;
        if (committedValue === undefined) {
          p.add(`data.${key}`, `has no committed sealed value and ${why}: provide it (set the variable or create the file) and synth again`);
        } else if (!committedLabelMatches) {
          p.add(`data.${key}`, `cannot be re-sealed for the new name, namespace or scope: ${why}; provide it and synth again`);
        } else if (recordedCert !== undefined && !committedCertMatches) {
          p.add(`data.${key}`, `cannot be re-sealed with the new certificate: ${why}; provide it and synth again`);
        } else if (badForm !== undefined) {
          p.add(`data.${key}`, `cannot keep its committed sealed value (${badForm}) and ${why}: provide it and synth again`);
        } else if (recordedCert === undefined) {
          p.add(`data.${key}`, `cannot keep its committed sealed value: ${RECORD_FILE} does not record which certificate sealed '${file}' (commit it with the sealed files), and ${why}: provide it and synth again`);
        } else {
          encryptedData[key] = committedValue;
          ctx.sealing.carry(entry);
          absent.push(`${key} (${value.source}${resolved.absence ? `, ${resolved.absence}` : ''})`);
        }
        continue;
      }
      present.set(key, resolved.bytes);
      ctx.plaintexts.push({ owner: this.node.path, bytes: resolved.bytes });
      if (key === this._valuesDocumentKey) this.checkValuesDocument(ctx, p, `data.${key}`, value, resolved.bytes);
      const digest = ctx.sealing.digest(label, cert.fingerprint, resolved.bytes);
      if (old !== undefined && committedLabelMatches && committedCertMatches && ctx.sealing.matches(entry, digest, old)) {
        encryptedData[key] = old;
        ctx.sealing.record(entry, digest, old);
      } else {
        encryptedData[key] = sealValue(cert, this.scope, this.namespace, this.name, resolved.bytes);
        // an empty file where there was a value is often a mistake
        if (resolved.bytes.length === 0 && old !== undefined) emptied.push(`${key} (${value.source})`);
        // remembered, so that a file restored to this value later is re-sealed, not kept
        ctx.sealing.record(entry, digest, encryptedData[key], committedValue);
      }
    }
    this.checkSecretContent(p, present);
    if (p.list.length > 0) return undefined;
    if (absent.length > 0) {
      ctx.warn(`${file}: kept the committed sealed value of ${absent.join(', ')}: the source is absent`);
    }
    if (emptied.length > 0) {
      ctx.warn(`${file}: re-sealed ${emptied.join(', ')} as an empty value: check that the source is set`);
    }

    const scopeAnnotations: { [key: string]: string } = {};
    if (this.scope === SealingScope.NAMESPACE_WIDE) scopeAnnotations['sealedsecrets.bitnami.com/namespace-wide'] = 'true';
    if (this.scope === SealingScope.CLUSTER_WIDE) scopeAnnotations['sealedsecrets.bitnami.com/cluster-wide'] = 'true';
    const templateAnnotations = { ...(props.annotations ?? {}), ...scopeAnnotations };
    return {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        annotations: Object.keys(scopeAnnotations).length ? scopeAnnotations : undefined,
        creationTimestamp: null,
        name: this.name,
        namespace: this.namespace,
      },
      spec: {
        encryptedData,
        template: {
          data: props.templateData && Object.keys(props.templateData).length ? props.templateData : undefined,
          immutable: props.immutable || undefined,
          metadata: {
            annotations: Object.keys(templateAnnotations).length ? templateAnnotations : undefined,
            creationTimestamp: null,
            finalizers: props.finalizers?.length ? props.finalizers : undefined,
            labels: props.labels && Object.keys(props.labels).length ? props.labels : undefined,
            name: this.name,
            namespace: this.namespace,
          },
          type: props.type,
        },
      },
    };
  }

  /** @internal */
  protected _rendered(ctx: SynthContext): void {
    ctx.sealedWith.set(this.filePath, this.cluster.sealingCertificate!.fingerprint);
  }

  /** `templateData`: plain strings under Secret keys that are not sealed keys too. */
  private checkTemplateData(p: Problems): void {
    const data = this.props.templateData;
    if (data === undefined) return;
    if (!plainObject(data)) {
      p.add('templateData', 'must be an object of strings ({ \'config.yaml\': \'password: {{ .password }}\' })', data);
      return;
    }
    for (const [key, value] of Object.entries(data)) {
      if (!SECRET_KEY.test(key) || key.length > 253 || key === '.' || key.startsWith('..')) {
        p.add(`templateData.${key}`, 'must be a Secret key: at most 253 letters, digits, \'-\', \'_\' and \'.\', not \'.\' and not starting with \'..\'', key);
      }
      if (typeof value !== 'string') p.add(`templateData.${key}`, 'must be a string (a Secret\'s data maps keys to strings): quote it', value);
      if (this.keys.includes(key)) {
        p.add(`templateData.${key}`, 'must not also be a key of data: the controller would overwrite the sealed value with the template', key);
      }
    }
  }

  /**
   * The keys the API server requires of a Secret of a built-in type (`ValidateSecret`): without
   * them the controller cannot create the Secret, and only an event on the SealedSecret says so.
   */
  private checkTypeKeys(p: Problems): void {
    const type = this.props.type;
    const all = this.secretKeys;
    const has = (k: string) => all.includes(k);
    const need = (...keys: string[]) => {
      for (const k of keys) {
        if (!has(k)) p.add('data', `must have the key '${k}': the API server refuses a Secret of type ${type} without it`, all);
      }
    };
    switch (type) {
      case 'kubernetes.io/tls': need('tls.crt', 'tls.key'); break;
      case 'kubernetes.io/dockerconfigjson': need('.dockerconfigjson'); break;
      case 'kubernetes.io/dockercfg': need('.dockercfg'); break;
      case 'kubernetes.io/ssh-auth': need('ssh-privatekey'); break;
      case 'kubernetes.io/basic-auth':
        if (!has('username') && !has('password')) {
          p.add('data', `must have the key 'username' or 'password': the API server refuses a Secret of type ${type} without one`, all);
        }
        break;
      case 'kubernetes.io/service-account-token':
        if (!this.props.annotations?.['kubernetes.io/service-account.name']) {
          p.add('annotations', `must have 'kubernetes.io/service-account.name': the API server refuses a Secret of type ${type} without it`, this.props.annotations ?? {});
        }
        break;
      default:
    }
  }

  /** What the API server checks of the values themselves, for the values whose source is here. */
  private checkSecretContent(p: Problems, present: Map<string, Buffer>): void {
    const type = this.props.type;
    const jsonKey = type === 'kubernetes.io/dockerconfigjson' ? '.dockerconfigjson' : type === 'kubernetes.io/dockercfg' ? '.dockercfg' : undefined;
    const json = jsonKey === undefined ? undefined : present.get(jsonKey);
    if (jsonKey !== undefined && json !== undefined) {
      let ok = false;
      try {
        const parsed = JSON.parse(json.toString('utf8'));
        ok = parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed));
      } catch {
        ok = false;
      }
      // never the value in the message: it is secret
      if (!ok) p.add(`data.${jsonKey}`, `must be a JSON object (as 'kubectl create secret docker-registry' writes it): the API server refuses a Secret of type ${type} whose ${jsonKey} is not`);
    }
    const ssh = type === 'kubernetes.io/ssh-auth' ? present.get('ssh-privatekey') : undefined;
    if (ssh !== undefined && ssh.length === 0) {
      p.add('data.ssh-privatekey', `must not be empty: the API server refuses a Secret of type ${type} with an empty ssh-privatekey`);
    }
    const total = [...present.values()].reduce((n, b) => n + b.length, 0);
    if (total > MAX_SECRET_SIZE) {
      p.add('data', `must hold at most ${MAX_SECRET_SIZE} bytes (1 MiB) in all: the API server refuses a larger Secret`, `${total} bytes`);
    }
  }

  /**
   * A values document (a HelmRelease's `secretValues`) must be a YAML map of chart values, as
   * helm-controller reads it; each value in it is searched for in the plain text as well. Messages
   * never quote the content: it is secret.
   */
  private checkValuesDocument(ctx: SynthContext, p: Problems, field: string, value: SecretValue, bytes: Buffer): void {
    let docs;
    const lines = new LineCounter();
    try {
      docs = parseAllDocuments(bytes.toString('utf8'), { version: '1.1', uniqueKeys: false, lineCounter: lines });
    } catch {
      p.add(field, `must be a YAML map of chart values: ${value.source} cannot be read safely (it nests too deep)`);
      return;
    }
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) {
      const error = doc.errors[0];
      if (error) {
        const at = error.linePos?.[0];
        p.add(field, `must be a YAML map of chart values: ${value.source} does not parse as YAML (${error.code}${at ? ` at line ${at.line}, column ${at.col}` : ''}); helm-controller would fail to read it`);
        return;
      }
    }
    for (const doc of list) {
      // duplicate keys, in linear time (the library's own check is quadratic)
      const at = firstDuplicateKey(doc, lines);
      if (at) {
        p.add(field, `must be a YAML map of chart values: ${value.source} does not parse as YAML (DUPLICATE_KEY at line ${at.line}, column ${at.col}); helm-controller would fail to read it`);
        return;
      }
    }
    const content = list.filter((d) => d.contents !== null);
    if (content.length > 1) {
      p.add(field, `must be a YAML map of chart values: ${value.source} holds ${content.length} YAML documents; helm-controller reads one`);
      return;
    }
    let root: unknown;
    try {
      // aliases are expanded at most 100 times over (as the check does): an alias bomb is refused
      root = content.length === 1 ? content[0].toJS({ maxAliasCount: 100 }) : null;
    } catch (e) {
      const why = e instanceof RangeError ? 'it nests too deep to read' : 'its aliases (*name) expand too much (a YAML alias bomb?); write the values out';
      p.add(field, `must be a YAML map of chart values that can be read safely: ${value.source}: ${why}`);
      return;
    }
    if (root !== null && (typeof root !== 'object' || Array.isArray(root))) {
      p.add(field, `must be a YAML map of chart values: ${value.source} holds ${Array.isArray(root) ? 'a list' : `a ${typeof root}`}; helm-controller fails on anything but a map`);
      return;
    }
    const leaves: { path: string; text: string }[] = [];
    const walk = (v: unknown, at: string, depth: number = 0) => {
      if (depth > MAX_DATA_DEPTH) return;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
        const text = String(v);
        if (text.length >= MIN_NEEDLE_LENGTH) leaves.push({ path: at, text });
      } else if (Array.isArray(v)) {
        v.forEach((item, i) => walk(item, `${at}[${i}]`, depth + 1));
      } else if (v !== null && typeof v === 'object') {
        for (const [k, item] of Object.entries(v)) walk(item, at ? `${at}.${k}` : k, depth + 1);
      }
    };
    walk(root, '');
    for (const leaf of leaves) {
      ctx.valueLeaves.push({ owner: this.node.path, source: value.source, path: leaf.path, text: leaf.text });
    }
  }

  /** A plain-text source file must stay out of Git and out of every cluster path. */
  private checkSourceFile(ctx: SynthContext, p: Problems, field: string, abs: string): void {
    const rel = path.relative(path.resolve(ctx.outdir), abs).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    ctx.secretSourceFiles.add(rel);
    for (const clusterPath of ctx.clusterPaths) {
      if (rel === clusterPath || rel.startsWith(clusterPath + '/')) {
        p.add(field, `must not be inside the cluster path '${clusterPath}': Flux would try to apply it and fail ('missing Resource metadata'); keep it at the repo root`, rel);
        return;
      }
    }
    if (!matchesValuesRule(rel) && !gitIgnores(abs)) {
      p.add(field, 'must be git-ignored: inside the repo, name a plain-text file \'<name>-values-<anything>.yaml\' (the .gitignore rule \'*-values-*.yaml\'), list it in .gitignore, or keep it outside the repo', rel);
    }
  }
}


function plainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

interface CommittedSealedSecret {
  readonly encryptedData: { [key: string]: string };
  readonly label?: Buffer;
}

/** The encrypted values and sealing label of the committed sealed file, if there is one. */
function readCommitted(ctx: SynthContext, file: string): CommittedSealedSecret | undefined {
  const text = ctx.readExisting(file);
  if (text === undefined) return undefined;
  try {
    const doc = parseYaml(text, { uniqueKeys: false, maxAliasCount: 100 });
    const data = doc?.spec?.encryptedData;
    if (!data || typeof data !== 'object') return undefined;
    const ann = doc.metadata?.annotations ?? {};
    const scope = ann['sealedsecrets.bitnami.com/cluster-wide'] === 'true' ? SealingScope.CLUSTER_WIDE
      : ann['sealedsecrets.bitnami.com/namespace-wide'] === 'true' ? SealingScope.NAMESPACE_WIDE : SealingScope.STRICT;
    const name = doc.metadata?.name;
    const namespace = doc.metadata?.namespace;
    const label = typeof name === 'string' && typeof namespace === 'string' ? sealingLabel(scope, namespace, name) : undefined;
    const encryptedData: { [key: string]: string } = {};
    for (const [k, v] of Object.entries(data)) if (typeof v === 'string') encryptedData[k] = v;
    return { encryptedData, label };
  } catch {
    return undefined;
  }
}
