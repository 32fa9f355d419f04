import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A new empty folder under the OS temp dir. */
export function mkdtemp(prefix: string = 'flux-gitops-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file below a folder (relative POSIX path → text), sorted. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), rel);
      else out[rel] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** A golden file's text. */
export function golden(name: string): string {
  return fs.readFileSync(path.join(__dirname, 'golden', name), 'utf8');
}

/** Runs fn with console.warn silenced; returns what was warned. */
export function quietly<T>(fn: () => T): T {
  const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}
