import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Problem } from '../checks/problems';

/** The committed record of the files synth owns, at the repo root. */
export const RECORD_FILE = '.cdk8s-flux-gitops.json';

/** What the previous synth wrote. */
export interface OwnershipRecord {
  /** Every file synth owns, relative to the repo root. */
  readonly files: ReadonlyMap<string, string>;
  /** Per sealed file, the fingerprint of the certificate its values were sealed with. */
  readonly sealedWith: ReadonlyMap<string, string>;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads the ownership record; a missing one means synth owns nothing yet. */
export function readRecord(outdir: string): OwnershipRecord {
  const file = path.join(outdir, RECORD_FILE);
  let raw: any;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { files: new Map(), sealedWith: new Map() };
    throw new Error(`cannot read the ownership record '${file}': ${(e as Error).message}; restore it from Git (it lists the files synth owns)`);
  }
  const files = new Map<string, string>();
  const sealedWith = new Map<string, string>();
  for (const [p, entry] of Object.entries<any>(raw?.files ?? {})) {
    files.set(p, typeof entry?.sha256 === 'string' ? entry.sha256 : '');
    if (typeof entry?.sealedWith === 'string') sealedWith.set(p, entry.sealedWith);
  }
  return { files, sealedWith };
}

/** What a synth will do to the output folder. */
export interface WritePlan {
  readonly write: ReadonlyMap<string, string>;
  /** Every file synth owns after the plan (written, unchanged and its own, the record aside). */
  readonly owned: readonly string[];
  readonly remove: readonly string[];
  readonly problems: readonly Problem[];
  readonly record: string;
}

/**
 * Works out the writes and removals, refusing to overwrite or delete any file synth did not
 * write. Nothing touches the disk here.
 */
export function planWrite(
  outdir: string,
  planned: ReadonlyMap<string, { content: string; owner: string }>,
  previous: OwnershipRecord,
  sealedWith: ReadonlyMap<string, string>,
): WritePlan {
  const write = new Map<string, string>();
  const foreign = new Set<string>();
  const problems: Problem[] = [];
  for (const [rel, file] of [...planned.entries()].sort(([a], [b]) => compare(a, b))) {
    const abs = path.join(outdir, rel);
    if (rel === RECORD_FILE || !isInside(outdir, abs)) {
      problems.push({ path: file.owner, field: 'path', rule: 'must stay inside the repo and not be the ownership record', value: rel });
      continue;
    }
    let existing: string | undefined;
    try {
      const stat = fs.statSync(abs);
      if (!stat.isFile()) {
        problems.push({ path: file.owner, field: 'path', rule: `cannot write '${rel}': something that is not a file is in the way; move it`, value: rel });
        continue;
      }
      existing = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        // A file where a folder of the path must be: writing would fail half-way through.
        const blocker = blockingFile(outdir, rel);
        problems.push({ path: file.owner, field: 'path', rule: `cannot write '${rel}': '${blocker}' is a file where a folder must be; move it`, value: rel });
        continue;
      }
      if (code !== 'ENOENT') {
        problems.push({ path: file.owner, field: 'path', rule: `cannot read '${rel}' (${code ?? (e as Error).message}); fix its permissions`, value: rel });
        continue;
      }
      existing = undefined;
    }
    if (existing === file.content) {
      // A file with these very bytes that synth did not write (flux bootstrap's gotk-sync.yaml)
      // stays someone else's: synth will never delete it.
      if (!previous.files.has(rel)) foreign.add(rel);
    } else if (existing === undefined || previous.files.has(rel)) {
      write.set(rel, file.content);
    } else {
      problems.push({
        path: file.owner,
        field: 'path',
        rule: `would overwrite '${rel}', a file synth did not write (a hand-written manifest or one from flux bootstrap); rename the object or move that file (if synth did write it, restore ${RECORD_FILE} from Git)`,
        value: rel,
      });
    }
  }
  // Only files are removed: a folder (or anything else) now at an owned path is not ours.
  const remove = [...previous.files.keys()]
    .filter((rel) => !planned.has(rel) && rel !== RECORD_FILE && isInside(outdir, path.join(outdir, rel)) && isFileOrAbsent(path.join(outdir, rel)))
    .sort(compare);
  const record: any = { '//': 'Files written by cdk8s-flux-gitops synth: it updates and removes only these. Commit this file.', 'files': {} };
  const owned = [...planned.keys()].filter((rel) => !foreign.has(rel)).sort(compare);
  for (const rel of owned) {
    const entry: any = { sha256: sha256(planned.get(rel)!.content) };
    if (sealedWith.has(rel)) entry.sealedWith = sealedWith.get(rel);
    record.files[rel] = entry;
  }
  return { write, owned, remove, problems, record: JSON.stringify(record, undefined, 2) + '\n' };
}

/**
 * Carries out a plan: each file is written to a temporary name and renamed into place.
 * Returns the files it wrote (the record included when it changed) and the files it removed.
 */
export function applyWrite(outdir: string, plan: WritePlan): { written: string[]; removed: string[] } {
  const removed: string[] = [];
  for (const [rel, content] of plan.write) {
    writeFileAtomic(path.join(outdir, rel), content);
  }
  for (const rel of plan.remove) {
    const abs = path.join(outdir, rel);
    if (fs.existsSync(abs) && fs.lstatSync(abs).isFile()) {
      fs.rmSync(abs);
      removed.push(rel);
      removeEmptyParents(outdir, path.dirname(abs));
    }
  }
  const recordPath = path.join(outdir, RECORD_FILE);
  const old = fs.existsSync(recordPath) ? fs.readFileSync(recordPath, 'utf8') : undefined;
  const written = [...plan.write.keys()];
  if (old !== plan.record) {
    writeFileAtomic(recordPath, plan.record);
    written.push(RECORD_FILE);
  }
  return { written, removed };
}

export function writeFileAtomic(abs: string, content: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, abs);
}

/** The first path component of `rel` (relative to the repo root) that exists and is not a folder. */
function blockingFile(outdir: string, rel: string): string {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    try {
      if (!fs.statSync(path.join(outdir, prefix)).isDirectory()) return prefix;
    } catch {
      return prefix;
    }
  }
  return rel;
}

function isFileOrAbsent(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isFile();
  } catch {
    return true;
  }
}

function removeEmptyParents(outdir: string, dir: string): void {
  const root = path.resolve(outdir);
  let d = path.resolve(dir);
  while (d !== root && d.startsWith(root + path.sep)) {
    try {
      if (fs.readdirSync(d).length > 0) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}

function isInside(outdir: string, abs: string): boolean {
  const rel = path.relative(path.resolve(outdir), path.resolve(abs));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Byte order, for deterministic output. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every file below a folder, relative to it (POSIX separators), skipping dot-folders. */
export function listFiles(dir: string, prefix: string = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...listFiles(path.join(dir, e.name), rel));
    } else if (e.isFile()) {
      out.push(rel);
    }
  }
  return out;
}
