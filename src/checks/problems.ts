/**
 * One thing wrong with the user's input, in the user's terms: where (construct path or file),
 * which field, which rule, the value received and what to do instead.
 */
export interface Problem {
  /** The construct path (`repo/dev/cert-manager`) or the file, relative to the repo root. */
  readonly path: string;
  /** The field in the user's API (`props.version`, `spec.chart.spec.version`). */
  readonly field: string;
  /** The rule that was broken, phrased as what must hold. */
  readonly rule: string;
  /** The offending value, as received (shown with JSON.stringify). */
  readonly value?: unknown;
}

/** Renders one problem as a single line: `path: field: rule (got value)`. */
export function formatProblem(p: Problem): string {
  const got = p.value === undefined ? '' : ` (got ${showValue(p.value)})`;
  return `${p.path}: ${p.field}: ${p.rule}${got}`;
}

export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}

/**
 * Thrown by `GitOpsRepo.synth()` when the input is invalid: one error listing every problem.
 * Nothing has been written when it is thrown.
 */
export class SynthError extends Error {
  public readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`synth found ${problems.length} problem${problems.length === 1 ? '' : 's'} and wrote nothing:\n${lines.join('\n')}`);
    this.name = 'SynthError';
    this.problems = problems;
  }
}

/** Collects problems for one construct. */
export class Problems {
  public readonly list: Problem[] = [];

  constructor(private readonly path: string) {}

  public add(field: string, rule: string, value?: unknown): void {
    this.list.push({ path: this.path, field, rule, value });
  }
}
