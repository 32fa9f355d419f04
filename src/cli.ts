#!/usr/bin/env node
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { RepositoryCheck } from './checks/repo-check';
import { RECORD_FILE } from './output/writer';

const USAGE = `usage: cdk8s-flux-gitops check [DIR] [--json] [--no-color|--color]
       cdk8s-flux-gitops drift [GITOPS_PATH...]
       cdk8s-flux-gitops require-tool TOOL
       cdk8s-flux-gitops kube-context CLUSTER [CONTEXT]

check         checks a Flux GitOps repository offline (default DIR: the current folder) against
              the official Flux and SealedSecret CRD schemas and the mistakes Flux reports only in
              the cluster; exit code 0 without errors, 1 with errors
drift         fails (exit 1) when Git shows changes anywhere in the work tree (tracked files, and
              untracked files that are not ignored), naming each file: those under a GITOPS_PATH
              or owned by synth (listed in .cdk8s-flux-gitops.json) as GitOps manifests, the
              others as project files
require-tool  fails (exit 1) with where to get TOOL (flux, kubeseal) when it is not on PATH
kube-context  prints the kube context the flux and kubeseal tasks of CLUSTER use: CONTEXT (the
              project's clusterContexts), or else the current context of the kubeconfig
Exit code 2 is a usage error.
`;

/** Where to get the tools the flux-gitops tasks drive. */
const TOOLS: Record<string, string> = {
  flux: 'https://fluxcd.io/flux/installation/',
  kubeseal: 'https://github.com/bitnami-labs/sealed-secrets#kubeseal',
};

/**
 * Where `tool` is on PATH, or undefined. On Windows, as cmd.exe finds it: with each extension of
 * PATHEXT (`flux.exe`), and the name as it is when it already ends with one.
 */
export function findOnPath(tool: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const windows = platform === 'win32';
  // Windows spells it Path; the environment is case-insensitive there.
  const pathValue = windows ? Object.entries(env).find(([k]) => k.toUpperCase() === 'PATH')?.[1] : env.PATH;
  const pathext = windows ? (Object.entries(env).find(([k]) => k.toUpperCase() === 'PATHEXT')?.[1] || '.COM;.EXE;.BAT;.CMD') : '';
  const extensions = pathext.split(';').filter(Boolean);
  const names = windows
    ? [
      ...(extensions.some((e) => tool.toLowerCase().endsWith(e.toLowerCase())) ? [tool] : []),
      // Windows file names are case-insensitive: PATHEXT says .EXE, the file is flux.exe
      ...extensions.flatMap((e) => [...new Set([tool + e, tool + e.toLowerCase()])]),
    ]
    : [tool];
  // cmd.exe also takes a quoted folder ("C:\\Program Files\\flux")
  const dirs = (pathValue ?? '').split(windows ? ';' : ':').map((d) => (windows ? d.replace(/^"(.*)"$/, '$1') : d)).filter(Boolean);
  for (const dir of dirs) {
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        // Windows has no execute bit: an existing file with a PATHEXT extension is a program.
        fs.accessSync(file, windows ? fs.constants.F_OK : fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The current context of the kubeconfig, as kubectl, flux and kubeseal find it: the first file of
 * KUBECONFIG (a list, path.delimiter between files) that sets `current-context`, else
 * `~/.kube/config`. Also the files looked at, for a message when there is none.
 */
export function currentKubeContext(env: NodeJS.ProcessEnv = process.env): { context?: string; files: string[] } {
  const files = env.KUBECONFIG
    ? env.KUBECONFIG.split(path.delimiter).filter(Boolean)
    : [path.join(env.HOME || os.homedir(), '.kube', 'config')];
  for (const file of files) {
    try {
      const config = parse(fs.readFileSync(file, 'utf8'));
      const context = config?.['current-context'];
      if (typeof context === 'string' && context !== '') return { context, files };
    } catch {
      // missing or unreadable: the next file (kubectl skips missing files of KUBECONFIG too)
    }
  }
  return { files };
}

/** One change `git status --porcelain -z` reports: its two status letters and its path(s). */
function gitChanges(stdout: string): { status: string; path: string; from?: string }[] {
  const fields = stdout.split('\0');
  const out: { status: string; path: string; from?: string }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.length < 4) continue;
    const status = f.slice(0, 2);
    // a rename or copy is followed by the path it came from
    out.push({ status, path: f.slice(3), from: /[RC]/.test(status) ? fields[++i] : undefined });
  }
  return out;
}

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
  if (command === 'require-tool') {
    if (rest.length !== 1) {
      err(`require-tool takes one tool name, got ${rest.length}\n\n${USAGE}`);
      return 2;
    }
    const tool = rest[0];
    if (findOnPath(tool) !== undefined) return 0;
    err(`${tool} not found on PATH: install it${TOOLS[tool] ? ` (${TOOLS[tool]})` : ''} and run this task again\n`);
    return 1;
  }
  if (command === 'kube-context') {
    if (rest.length < 1 || rest.length > 2) {
      err(`kube-context takes a cluster name and, optionally, its kube context; got ${rest.length} arguments\n\n${USAGE}`);
      return 2;
    }
    const [cluster, pinned] = rest;
    if (pinned !== undefined) {
      out(`${cluster}: kube context '${pinned}' (clusterContexts in .projenrc.ts)\n`);
      return 0;
    }
    // Only a line to read: flux and kubeseal report a missing or broken kubeconfig themselves.
    const current = currentKubeContext();
    out(current.context !== undefined
      ? `${cluster}: kube context '${current.context}', the current one (no clusterContexts entry for ${cluster} in .projenrc.ts)\n`
      : `${cluster}: no current kube context in ${current.files.join(path.delimiter)} (and no clusterContexts entry for ${cluster} in .projenrc.ts)\n`);
    return 0;
  }
  if (command === 'drift') {
    // The whole work tree, as projen's own build workflow checks it: a .projenrc.ts change
    // committed without `npx projen`, or a file the build's eslint --fix rewrote, is drift too.
    const git = spawnSync('git', ['status', '--porcelain', '-z', '--untracked-files=all', '--', '.'], { encoding: 'utf8' });
    const prefix = spawnSync('git', ['rev-parse', '--show-prefix'], { encoding: 'utf8' });
    if (git.status !== 0 || prefix.status !== 0) {
      err(`cdk8s-flux-gitops drift: git status failed: ${(git.stderr || prefix.stderr || git.error?.message || '').trim()}\n`);
      return 2;
    }
    // porcelain paths are relative to the top of the repository; the GitOps paths to this folder
    const gitops = rest.map((p) => path.posix.join(prefix.stdout.trim(), p.replace(/\\/g, '/')).replace(/\/$/, ''));
    // Every file synth owns is a GitOps manifest too, wherever it is (a Kustomization's folder such
    // as apps/<cluster>/): the ownership record lists them, as committed and as the build left it.
    const owned = new Set<string>();
    const addRecord = (text: string) => {
      try {
        for (const f of Object.keys(JSON.parse(text)?.files ?? {})) owned.add(path.posix.join(prefix.stdout.trim(), f));
      } catch {
        // a damaged record is drift of its own, reported below
      }
    };
    if (fs.existsSync(RECORD_FILE)) addRecord(fs.readFileSync(RECORD_FILE, 'utf8'));
    const committed = spawnSync('git', ['show', `HEAD:./${RECORD_FILE}`], { encoding: 'utf8' });
    if (committed.status === 0) addRecord(committed.stdout);
    const isGitops = (p: string) => owned.has(p) || gitops.some((g) => g === '.' || p === g || p.startsWith(`${g}/`));
    const line = (c: { status: string; path: string; from?: string }) => `  ${c.status} ${c.from !== undefined ? `${c.from} -> ` : ''}${c.path}\n`;
    const changes = gitChanges(git.stdout);
    const manifests = changes.filter((c) => isGitops(c.path) || (c.from !== undefined && isGitops(c.from)));
    const others = changes.filter((c) => !manifests.includes(c));
    if (manifests.length > 0) {
      err('drift: the committed GitOps tree differs from what the code produces in these files:\n'
        + manifests.map(line).join('')
        + 'run \'npx projen synth\' and commit the result (never edit generated manifests by hand)\n');
    }
    if (others.length > 0) {
      err('drift: these other files differ from the commit after the build (project files projen writes from .projenrc.ts, or files the build rewrote, as eslint --fix does):\n'
        + others.map(line).join('')
        + 'run \'npx projen\' (after changing .projenrc.ts) or \'npx projen build\', and commit the result (never edit projen\'s generated files by hand)\n');
    }
    if (changes.length > 0) return 1;
    out('no drift: the committed tree, GitOps manifests and project files, is what the code produces\n');
    return 0;
  }
  if (command !== 'check') {
    err(command === undefined ? USAGE : `unknown command '${command}': the commands are check, drift, require-tool and kube-context\n\n${USAGE}`);
    return 2;
  }
  let json = false;
  // https://no-color.org: NO_COLOR set and not empty turns colour off; FORCE_COLOR turns it on.
  const force = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '' && process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false';
  let color = (Boolean(process.stdout.isTTY) || force) && !process.env.NO_COLOR;
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
