/** How serious a finding is. */
export enum Severity {
  /** Flux would fail on it: the check exits with 1. */
  ERROR = 'error',
  /** Probably a mistake, but Flux would apply it. */
  WARNING = 'warning',
}

/** One problem the repository check found. */
export interface Finding {
  /** The file, relative to the checked folder (POSIX separators). */
  readonly file: string;
  /**
   * The line in the file (1-based).
   * @default - the whole file
   */
  readonly line?: number;
  /**
   * The object, as `Kind/namespace/name` (or `Kind/name` without a namespace).
   * @default - the file as a whole
   */
  readonly object?: string;
  /** The rule's id, such as `crd-schema` or `dangling-reference`. */
  readonly rule: string;
  /** What is wrong. */
  readonly message: string;
  /**
   * What to do instead.
   * @default - no hint
   */
  readonly fix?: string;
  /** Error or warning. */
  readonly severity: Severity;
  /**
   * The clusters (their root folders) it holds in, when it is in a file that more than one
   * cluster applies (a shared base): the finding is reported once for all of them.
   * @default - one cluster, or the repo does not tell its clusters apart
   */
  readonly clusters?: string[];
}

/** What the repository check found. */
export interface CheckReport {
  /** The folder that was checked (absolute). */
  readonly dir: string;
  /** How many YAML files were read. */
  readonly files: number;
  /** How many Kubernetes objects were read. */
  readonly objects: number;
  /** How many findings are errors. */
  readonly errors: number;
  /** How many findings are warnings. */
  readonly warnings: number;
  /** Every finding, ordered by file, line and rule. */
  readonly findings: Finding[];
}
