import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PathGuard, symlinkRule } from './safe-fs';
import { FileChange } from './transaction';
import { Problem } from '../checks/problems';
import { LOCAL_STATE_DIR } from '../sealing/state';

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
    if (fs.lstatSync(file).isSymbolicLink()) {
      throw new Error(`cannot read the ownership record '${file}': it is a symbolic link, and synth never reads or writes through one; replace it with the real file (restore it from Git)`);
    }
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { files: new Map(), sealedWith: new Map() };
    if (!(e as NodeJS.ErrnoException).code && /symbolic link/.test((e as Error).message)) throw e;
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
  /** The files of `write` that are there now (to be replaced). */
  readonly replace: ReadonlySet<string>;
  /** Every file synth owns after the plan (written, unchanged and its own, the record aside). */
  readonly owned: readonly string[];
  readonly remove: readonly string[];
  readonly problems: readonly Problem[];
  readonly record: string;
  /** Whether the record's text changes. */
  readonly recordChanged: boolean;
  /** Whether there is a record now. */
  readonly recordExists: boolean;
}

/**
 * Works out the writes and removals, refusing to overwrite or delete any file synth did not
 * write, and any path that runs through a symbolic link. Nothing touches the disk here.
 */
export function planWrite(
  outdir: string,
  planned: ReadonlyMap<string, { content: string; owner: string }>,
  previous: OwnershipRecord,
  sealedWith: ReadonlyMap<string, string>,
  guard: PathGuard = new PathGuard(outdir),
): WritePlan {
  const write = new Map<string, string>();
  const replace = new Set<string>();
  const foreign = new Set<string>();
  const problems: Problem[] = [];
  const links = new Set<string>(); // one problem per link, not per file below it
  for (const [rel, file] of [...planned.entries()].sort(([a], [b]) => compare(a, b))) {
    const abs = path.join(outdir, rel);
    if (rel === RECORD_FILE || !isInside(outdir, abs) || rel.split('/')[0] === LOCAL_STATE_DIR) {
      problems.push({ path: file.owner, field: 'path', rule: 'must stay inside the repo and not be the ownership record or the local state folder', value: rel });
      continue;
    }
    const link = guard.symlinkOn(rel);
    if (link !== undefined) {
      if (!links.has(link)) problems.push({ path: file.owner, field: 'path', rule: symlinkRule('write', rel, link), value: rel });
      links.add(link);
      continue;
    }
    let existing: string | undefined;
    const kind = guard.kind(rel);
    if (kind === 'dir' || kind === 'other') {
      problems.push({ path: file.owner, field: 'path', rule: `cannot write '${rel}': something that is not a file is in the way; move it`, value: rel });
      continue;
    }
    try {
      existing = kind === 'file' ? fs.readFileSync(abs, 'utf8') : undefined;
      if (kind === 'missing') {
        const blocker = blockingFile(guard, rel);
        if (blocker !== undefined) {
          // A file where a folder of the path must be: writing would fail half-way through.
          problems.push({ path: file.owner, field: 'path', rule: `cannot write '${rel}': '${blocker}' is a file where a folder must be; move it`, value: rel });
          continue;
        }
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ path: file.owner, field: 'path', rule: `cannot read '${rel}' (${code ?? (e as Error).message}); fix its permissions`, value: rel });
      continue;
    }
    if (existing === file.content) {
      // A file with these very bytes that synth did not write (flux bootstrap's gotk-sync.yaml)
      // stays someone else's: synth will never delete it.
      if (!previous.files.has(rel)) foreign.add(rel);
    } else if (existing === undefined || previous.files.has(rel)) {
      write.set(rel, file.content);
      if (existing !== undefined) replace.add(rel);
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
  const remove: string[] = [];
  for (const rel of [...previous.files.keys()].sort(compare)) {
    if (planned.has(rel) || rel === RECORD_FILE || !isInside(outdir, path.join(outdir, rel)) || rel.split('/')[0] === LOCAL_STATE_DIR) continue;
    const link = guard.symlinkOn(rel);
    if (link !== undefined) {
      if (links.has(link)) continue;
      links.add(link);
      problems.push({ path: RECORD_FILE, field: 'files', rule: symlinkRule('delete', rel, link) + `, or remove the entry from ${RECORD_FILE}`, value: rel });
      continue;
    }
    if (guard.kind(rel) === 'file') remove.push(rel);
  }
  for (const rel of [RECORD_FILE, LOCAL_STATE_DIR, `${LOCAL_STATE_DIR}/sealing-state.json`]) {
    if (guard.kind(rel) === 'symlink') problems.push({ path: rel, field: 'path', rule: symlinkRule('write', rel, rel), value: rel });
  }
  const record: any = { '//': 'Files written by cdk8s-flux-gitops synth: it updates and removes only these. Commit this file.', 'files': {} };
  const owned = [...planned.keys()].filter((rel) => !foreign.has(rel)).sort(compare);
  for (const rel of owned) {
    const entry: any = { sha256: sha256(planned.get(rel)!.content) };
    if (sealedWith.has(rel)) entry.sealedWith = sealedWith.get(rel);
    record.files[rel] = entry;
  }
  const recordText = JSON.stringify(record, undefined, 2) + '\n';
  let old: string | undefined;
  try {
    old = guard.kind(RECORD_FILE) === 'file' ? fs.readFileSync(path.join(outdir, RECORD_FILE), 'utf8') : undefined;
  } catch {
    old = undefined;
  }
  return { write, replace, owned, remove, problems, record: recordText, recordChanged: old !== recordText, recordExists: guard.kind(RECORD_FILE) !== 'missing' };
}

/**
 * The changes of a plan, in the order they are made: the files written, the files removed, then
 * the record.
 */
export function planChanges(plan: WritePlan): FileChange[] {
  return [
    ...[...plan.write].map(([rel, content]) => ({ rel, content, exists: plan.replace.has(rel) })),
    ...plan.remove.map((rel) => ({ rel, exists: true })),
    ...(plan.recordChanged ? [{ rel: RECORD_FILE, content: plan.record, exists: plan.recordExists }] : []),
  ];
}

/** Writes one file whole: a temporary file next to it, renamed into place; never through a link. */
export function writeFileAtomic(abs: string, content: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  try {
    if (fs.lstatSync(abs).isSymbolicLink()) {
      throw new Error(`cannot write '${abs}': it is a symbolic link, and synth never writes through one; replace it with a real file`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** The first path component of `rel` (relative to the repo root) that exists and is not a folder. */
function blockingFile(guard: PathGuard, rel: string): string | undefined {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const k = guard.kind(prefix);
    if (k === 'missing') return undefined;
    if (k !== 'dir') return prefix;
  }
  return undefined;
}

function isInside(outdir: string, abs: string): boolean {
  const rel = path.relative(path.resolve(outdir), path.resolve(abs));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Deletes the temporary files (`<name>.<pid>.tmp`) that a synth of an older version left next to
 * the files it owns when it was killed.
 */
export function removeStrayTemporaries(outdir: string, owned: readonly string[]): void {
  const byDir = new Map<string, Set<string>>();
  for (const rel of owned) {
    const dir = path.posix.dirname(rel);
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(path.posix.basename(rel));
    byDir.set(dir, names);
  }
  const guard = new PathGuard(outdir);
  for (const [dir, names] of byDir) {
    if (dir !== '.' && (guard.symlinkOn(dir) !== undefined || guard.kind(dir) !== 'dir')) continue;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(outdir, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const m = /^(.+)\.\d+\.tmp$/.exec(e.name);
      if (m && names.has(m[1]) && e.isFile()) fs.rmSync(path.join(outdir, dir, e.name), { force: true });
    }
  }
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
