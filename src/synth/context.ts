import * as fs from 'fs';
import * as path from 'path';
import { Problem } from '../checks/problems';
import { listFiles } from '../output/writer';
import { YamlValue } from '../output/yaml';
import { SealingState } from '../sealing/state';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One file that synth will own and write, relative to the repo root (POSIX separators). */
export interface PlannedFile {
  readonly path: string;
  readonly content: string;
  /** The object the content was written from, if any: the plain-text guard reads its strings. */
  readonly value?: YamlValue;
  /** The construct path that produced it. */
  readonly owner: string;
}

/** An object that will be written, for duplicate detection (`group/Kind/namespace/name`). */
export interface PlannedObject {
  /** The cluster path: identities are unique per cluster. */
  readonly cluster: string;
  readonly id: string;
  readonly owner: string;
  readonly file: string;
}

/**
 * What a synth run gathers before it writes anything: every problem, every warning, and every
 * file. The constructs add to it; `GitOpsRepo.synth()` writes only when no problem was found.
 */
export class SynthContext {
  public readonly problems: Problem[] = [];
  public readonly warnings: string[] = [];
  public readonly files = new Map<string, PlannedFile>();
  /** The other owners of a file that constructs of several clusters write with the same bytes. */
  public readonly sharedWith = new Map<string, string[]>();
  private readonly objects = new Map<string, PlannedObject>();
  private readonly listed = new Map<string, string[]>();
  /** The plain text of every secret resolved in this synth, to prove none of it is written. */
  public readonly plaintexts: { readonly owner: string; readonly bytes: Buffer }[] = [];
  /** The values inside sealed values documents (`secretValues`), each at its key path. */
  public readonly valueLeaves: { readonly owner: string; readonly source: string; readonly path: string; readonly text: string }[] = [];
  /** The plain-text files SecretValues read inside the repo (repo-relative): they have their own checks. */
  public readonly secretSourceFiles = new Set<string>();
  /** Every cluster path of the repo. */
  public clusterPaths: string[] = [];
  /** Per sealed file, the fingerprint of the certificate its values are sealed with (for the record). */
  public readonly sealedWith = new Map<string, string>();

  /**
   * @param outdir the repo root synth writes to
   * @param owned the files the previous synth wrote (from the ownership record)
   */
  constructor(
    public readonly outdir: string,
    public readonly owned: ReadonlySet<string> = new Set(),
    public readonly sealing: SealingState = SealingState.load(outdir),
    /** Per sealed file, the certificate fingerprint recorded by the previous synth. */
    public readonly previouslySealedWith: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** Whether the previous synth wrote this file. */
  public isOwned(relativePath: string): boolean {
    return this.owned.has(relativePath);
  }

  public addProblems(problems: Problem[]): void {
    this.problems.push(...problems);
  }

  public warn(message: string): void {
    this.warnings.push(message);
  }

  /** Plans a file; two constructs that want the same file is a problem. */
  public addFile(file: PlannedFile): void {
    if (file.path.startsWith('../') || path.posix.isAbsolute(file.path)) {
      return; // the cluster's path is outside the repo: reported as the cluster's problem
    }
    if (file.value !== undefined) this.checkUnicode(file.owner, file.value, '');
    const other = this.files.get(file.path);
    // Kustomizations of two clusters may share a folder (the same code for staging and production):
    // then they write the same bytes, and the file is written once.
    if (other && other.content === file.content && other.owner !== file.owner) {
      this.sharedWith.set(file.path, [...(this.sharedWith.get(file.path) ?? []), file.owner]);
      return;
    }
    if (other) {
      this.problems.push({
        path: file.owner,
        field: 'name',
        rule: `must give a file name of its own: '${file.path}' is already written by ${other.owner}${other.owner === file.owner ? '' : ' with other content'}; set 'name' on one of them (Kustomizations of several clusters may share a folder only when they write the same files)`,
        value: path.posix.basename(file.path),
      });
      return;
    }
    this.files.set(file.path, file);
  }

  /**
   * Every string must be well-formed Unicode: a lone UTF-16 surrogate (half of a character such
   * as an emoji, left by slicing a string) can only be written as an escape that Go's YAML
   * readers refuse, and kustomize-controller would then fail the whole Kustomization.
   */
  private checkUnicode(owner: string, v: YamlValue, at: string): void {
    const check = (s: string, field: string) => {
      if (LONE_SURROGATE.test(s)) {
        this.problems.push({
          path: owner,
          field: field || '(object)',
          rule: 'must be well-formed Unicode text: it holds half of a UTF-16 surrogate pair (as slicing a string through an emoji leaves), which Go\'s YAML readers refuse; fix the string',
          value: s,
        });
      }
    };
    if (typeof v === 'string') {
      check(v, at);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => this.checkUnicode(owner, item, `${at}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const name = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k) ? k : JSON.stringify(k);
        const field = at ? (name === k ? `${at}.${k}` : `${at}[${name}]`) : name;
        check(k, field);
        this.checkUnicode(owner, item, field);
      }
    }
  }

  /** Registers an object by its identity; the same object twice in one cluster is a problem. */
  public addObject(object: PlannedObject): void {
    const key = `${object.cluster}|${object.id}`;
    const other = this.objects.get(key);
    if (other) {
      this.problems.push({
        path: object.owner,
        field: 'name',
        rule: `must be unique in its cluster: ${object.id} is also defined by ${other.owner} (${other.file}); Flux fails with 'may not add resource with an already registered id'`,
        value: object.id.split('/').pop(),
      });
      return;
    }
    this.objects.set(key, object);
  }

  /** The object registered under this identity in a cluster, if any. */
  public findObject(cluster: string, id: string): PlannedObject | undefined {
    return this.objects.get(`${cluster}|${id}`);
  }

  /**
   * Every file below a cluster path on disk, relative to it (dot-folders skipped), listed once per
   * synth: the cluster's kustomization and the checks of hand-written files both walk it.
   */
  public filesUnder(clusterPath: string): readonly string[] {
    let files = this.listed.get(clusterPath);
    if (files === undefined) {
      files = listFiles(path.join(this.outdir, clusterPath));
      this.listed.set(clusterPath, files);
    }
    return files;
  }

  /** The current text of a file in the output folder, or undefined when there is none. */
  public readExisting(relativePath: string): string | undefined {
    try {
      return fs.readFileSync(path.join(this.outdir, relativePath), 'utf8');
    } catch {
      return undefined;
    }
  }
}
