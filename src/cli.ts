#!/usr/bin/env node
import { RepositoryCheck } from './checks/repo-check';

const USAGE = `usage: cdk8s-flux-gitops check [DIR] [--json] [--no-color]

Checks a Flux GitOps repository offline (default DIR: the current folder) against the official
Flux and SealedSecret CRD schemas and the mistakes Flux reports only in the cluster.
Exit code: 0 when there is no error, 1 when there are errors, 2 for a usage error.
`;

/** Runs the command line; returns the exit code. */
export function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  if (command !== 'check') {
    err(command === undefined ? USAGE : `unknown command '${command}': the only command is 'check'\n\n${USAGE}`);
    return 2;
  }
  let json = false;
  let color = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
  const dirs: string[] = [];
  for (const a of rest) {
    if (a === '--json') {json = true;} else if (a === '--no-color') {color = false;} else if (a === '--color') {color = true;} else if (a === '--help' || a === '-h') {
      out(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      err(`unknown option '${a}'\n\n${USAGE}`);
      return 2;
    } else {dirs.push(a);}
  }
  if (dirs.length > 1) {
    err(`give one folder to check, got ${dirs.length}: ${dirs.join(' ')}\n`);
    return 2;
  }
  let report;
  try {
    report = RepositoryCheck.run(dirs[0] ?? '.');
  } catch (e) {
    err(`cdk8s-flux-gitops check: ${(e as Error).message}\n`);
    return 2;
  }
  out(RepositoryCheck.format(report, { json, color: json ? false : color }));
  return report.errors > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
