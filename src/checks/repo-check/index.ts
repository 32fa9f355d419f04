import { checkRepository } from './check';
import { CheckReport, Finding, Severity } from './model';

export * from './model';

/** Options of `RepositoryCheck.format()`. */
export interface FormatOptions {
  /**
   * Print the report as JSON (for machines) instead of text.
   * @default false
   */
  readonly json?: boolean;

  /**
   * Colour the text with ANSI escapes.
   * @default false
   */
  readonly color?: boolean;
}

/**
 * Checks a Flux GitOps repository offline, ours or hand-written: YAML syntax, non-Kubernetes YAML
 * under a reconciled path, the official Flux and SealedSecret CRD schemas, removed API versions,
 * duplicate objects, plain Secrets, references that resolve to nothing, and the other mistakes
 * Flux only reports inside the cluster. Also `npx cdk8s-flux-gitops check [DIR]`.
 */
export class RepositoryCheck {
  /**
   * Checks the repository in `dir`.
   * @param dir the repo root (the folder that holds `clusters/`)
   */
  public static run(dir: string): CheckReport {
    return checkRepository(dir);
  }

  /** Renders a report for a person (grouped by file, with the fix) or, with `json`, for a machine. */
  public static format(report: CheckReport, options: FormatOptions = {}): string {
    if (options.json) {
      return JSON.stringify(report, undefined, 2) + '\n';
    }
    const c = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const lines: string[] = [];
    let file: string | undefined;
    for (const f of report.findings) {
      if (f.file !== file) {
        if (file !== undefined) lines.push('');
        file = f.file;
        lines.push(c('1', f.file));
      }
      lines.push(`  ${f.line !== undefined ? `${f.line}`.padStart(4) : '    '}  ${severityLabel(f, c)}  ${f.object ? `${f.object}: ` : ''}${f.message}  ${c('2', f.rule)}`);
      if (f.fix) lines.push(`        ${c('36', 'fix:')} ${f.fix}`);
      if (f.clusters) lines.push(`        ${c('2', `in ${f.clusters.length} clusters: ${f.clusters.join(', ')}`)}`);
    }
    if (lines.length > 0) lines.push('');
    const summary = `${report.files} file${report.files === 1 ? '' : 's'}, ${report.objects} object${report.objects === 1 ? '' : 's'}: `
      + `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
    lines.push(report.errors > 0 ? c('31', `✖ ${summary}`) : c('32', `✔ ${summary}`));
    return lines.join('\n') + '\n';
  }
}

function severityLabel(f: Finding, c: (code: string, s: string) => string): string {
  return f.severity === Severity.ERROR ? c('31', 'error  ') : c('33', 'warning');
}
