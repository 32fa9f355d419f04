import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * Whether the `.gitignore` rules GitOpsRepo keeps (`*-values-*.yaml`, then `!*-sealed.yaml`) keep
 * a file out of Git: the plain-text values files of the tutorial's workflow.
 */
export function matchesValuesRule(relativePath: string): boolean {
  const base = relativePath.split('/').pop() ?? '';
  return /-values-.*\.yaml$/.test(base) && !/-sealed\.yaml$/.test(base);
}

/**
 * Which of these files (relative to `outdir`) the `.gitignore` rules of the Git work tree that
 * holds `outdir` keep out of Git, whether tracked or not, with the rule that does (`file:line:
 * pattern`). Empty when Git is not installed, `outdir` is in no work tree, or `outdir` itself is
 * git-ignored (a folder of another repository that is not where this GitOps repo is kept, such as
 * the Quick start's `out/`).
 */
export function gitIgnoredPaths(outdir: string, relativePaths: string[]): Map<string, string> {
  const ignored = new Map<string, string>();
  if (relativePaths.length === 0) return ignored;
  let r;
  try {
    r = spawnSync('git', ['check-ignore', '--no-index', '--verbose', '--non-matching', '--stdin', '-z'], {
      cwd: outdir, input: ['.', ...relativePaths].join('\0') + '\0', encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return ignored;
  }
  // exit 0: some ignored, 1: none; anything else (128: no work tree) tells nothing
  if (r.status !== 0 || typeof r.stdout !== 'string') return ignored;
  // -z: source NUL line NUL pattern NUL path NUL, for every path
  const fields = r.stdout.split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source, line, pattern, file] = fields.slice(i, i + 4);
    if (pattern === '' || pattern.startsWith('!')) continue; // not matched, or re-included
    if (file === '.') return new Map(); // the whole folder is ignored: not kept in this work tree
    ignored.set(file.split(path.sep).join('/'), `${source}:${line}: ${pattern}`);
  }
  return ignored;
}

/**
 * Whether Git ignores the file (`git check-ignore`: a rule of the user's own .gitignore, and the
 * file not tracked). False when Git is not installed or the folder is no Git work tree.
 */
export function gitIgnores(abs: string): boolean {
  try {
    const r = spawnSync('git', ['check-ignore', '-q', '--', abs], { cwd: path.dirname(abs), stdio: 'ignore', timeout: 10_000 });
    return r.status === 0;
  } catch {
    return false;
  }
}
