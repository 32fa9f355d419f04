import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { explainIoError, PathGuard } from './safe-fs';

/**
 * How synth changes the repo so that a crash at any moment leaves nothing to clean up by hand:
 *
 * 1. every new file is written to a staging folder (`.cdk8s-flux-gitops/txn/`);
 * 2. the journal, the list of every change, is written there and renamed into place: from this
 *    moment the synth is committed;
 * 3. each file it replaces or deletes is moved into the staging folder, each new file is moved
 *    into place (renames only, so each file is whole at every moment);
 * 4. the journal is deleted, then the staging folder.
 *
 * The next synth (under the same lock) finishes a committed synth from the journal, or, when there
 * is no journal, deletes the staging folder of one that died before it committed. An I/O error
 * while moving files puts every file back as it was.
 */

/** The folder, below the repo root, that holds the lock and the staging folder. */
const TXN_DIR = 'txn';
const JOURNAL = 'journal.json';
const LOCK = 'synth.lock';

/** One change: a file written (`content`) or deleted (no content). Paths relative to the root. */
export interface FileChange {
  readonly rel: string;
  readonly content?: string;
  /** The mode of a new file (the sealing state is private). */
  readonly mode?: number;
  /** Whether a file is there now, when the caller knows (else it is looked up). */
  readonly exists?: boolean;
}

interface JournalOp {
  readonly rel: string;
  /** Whether a file is written (else deleted). */
  readonly write: boolean;
  /** Whether a file was there before (moved to `old-<i>` first). */
  readonly hadOld: boolean;
}

/** An error of synth's writing, naming the file and the fix; the tree is as it was. */
export class WriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteError';
  }
}

// ---------------------------------------------------------------------------------------------
// Fault injection, for the tests: CDK8S_FLUX_GITOPS_TEST_FAULT=crash:N kills the process (SIGKILL)
// at the N-th file operation of a synth's writing, fail:N makes it fail there with an I/O error.

let opCount = 0;

function faultPoint(): void {
  const spec = process.env.CDK8S_FLUX_GITOPS_TEST_FAULT;
  if (!spec) return;
  opCount++;
  const m = /^(crash|fail):(\d+)$/.exec(spec);
  if (!m || Number(m[2]) !== opCount) return;
  if (m[1] === 'crash') process.kill(process.pid, 'SIGKILL');
  const e = new Error(`injected I/O error at file operation ${opCount}`) as NodeJS.ErrnoException;
  e.code = 'EIO';
  throw e;
}

/** Resets the count of file operations (tests). @internal */
export function _resetFaultCount(): void {
  opCount = 0;
}

/** How many file operations were counted since the reset (tests). @internal */
export function _faultCount(): number {
  return opCount;
}

// ---------------------------------------------------------------------------------------------
// The lock

/** How long a synth waits for another one of the same folder, unless the environment says. */
const DEFAULT_LOCK_WAIT_MS = 60_000;

interface LockOwner { pid: number; host: string; since: string; token: string }

/**
 * An exclusive lock on a repo's output folder (`.cdk8s-flux-gitops/synth.lock`): a second synth
 * waits for the first (up to a minute, or `CDK8S_FLUX_GITOPS_LOCK_WAIT_MS`), then fails with a
 * message naming the holder. The lock of a process that died on this machine is taken over.
 */
export class OutputLock {
  /**
   * Takes the lock, creating the output folder if need be. Throws a message that names the
   * folder and the fix when it cannot (a read-only folder, another synth that does not finish).
   */
  public static acquire(outdir: string, stateDir: string): OutputLock {
    const created: string[] = [];
    const mkdir = (dir: string) => {
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(dir);
      } catch {
        st = undefined;
      }
      if (st === undefined) {
        const first = fs.mkdirSync(dir, { recursive: true });
        if (first !== undefined) created.push(dir);
      } else if (st.isSymbolicLink()) {
        throw new WriteError(`'${dir}' is a symbolic link: synth keeps its lock and local state there and never writes through a link (it could reach outside the repo); replace it with a real folder`);
      } else if (!st.isDirectory()) {
        throw new WriteError(`'${dir}' is not a folder: move it out of the way`);
      }
    };
    const dir = path.join(outdir, stateDir);
    const file = path.join(dir, LOCK);
    try {
      mkdir(outdir);
      mkdir(dir);
      fs.chmodSync(dir, 0o700); // the sealing state is for this user's eyes only
    } catch (e) {
      if (e instanceof WriteError) throw e;
      throw new WriteError(`cannot create '${dir}' for synth's lock: ${explainIoError(e, path.dirname(dir))}`);
    }
    const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: crypto.randomBytes(8).toString('hex') };
    const waitMs = Number(process.env.CDK8S_FLUX_GITOPS_LOCK_WAIT_MS ?? DEFAULT_LOCK_WAIT_MS);
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        const fd = fs.openSync(file, 'wx', 0o600);
        try {
          fs.writeSync(fd, JSON.stringify(me) + '\n');
        } finally {
          fs.closeSync(fd);
        }
        return new OutputLock(file, me.token, created);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          removeCreated(created);
          throw new WriteError(`cannot create the lock '${file}': ${explainIoError(e, dir)}`);
        }
      }
      const holder = readOwner(file);
      if (isStale(file, holder)) {
        takeOver(file, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        removeCreated(created);
        const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'a process that is starting';
        throw new WriteError(`another synth (${who}) is writing '${outdir}', and it did not finish within ${Math.round(waitMs / 1000)} s: run one synth of a folder at a time; if no synth is running, delete '${file}'`);
      }
      sleep(50);
    }
  }

  private constructor(private readonly file: string, private readonly token: string, private readonly created: string[]) {}

  /** Releases the lock (only if it is still ours); removes the folders it created if they are empty. */
  public release(): void {
    if (readOwner(this.file)?.token === this.token) {
      try {
        fs.unlinkSync(this.file);
      } catch {
        // gone already
      }
    }
    removeCreated(this.created);
  }
}

function removeCreated(created: string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      fs.rmdirSync(dir); // only when empty
    } catch {
      return;
    }
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof o?.pid === 'number' && typeof o?.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** A lock of a dead process of this machine, or one left half-written for over 10 s. */
function isStale(file: string, holder: LockOwner | undefined): boolean {
  if (holder === undefined) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > 10_000;
    } catch {
      return false; // gone: the next attempt creates it
    }
  }
  if (holder.host !== os.hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes a stale lock. Two synths may find it stale at once: each moves it to a name of its own
 * first, and puts back a lock that turns out to be another's fresh one.
 */
function takeOver(file: string, holder: LockOwner | undefined): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // another synth took it first
  }
  const moved = readOwner(aside);
  if (holder !== undefined && moved?.token !== holder.token) {
    // not the stale lock we looked at: give it back unless a new one is there already
    try {
      fs.linkSync(aside, file);
    } catch {
      // a lock is in place: ours to wait for
    }
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    // nothing to do
  }
}

/** Locks a synth moved aside to take them over, left by one that died doing so. */
function removeStaleAsides(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^synth\.lock\.stale-(\d+)$/.exec(name); // LOCK moved aside by takeOver()
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---------------------------------------------------------------------------------------------
// The journal

/**
 * Finishes a synth that died after it committed, or drops the staging of one that died before.
 * Returns what it did, for a warning (empty when there was nothing to do).
 */
export function recover(outdir: string, stateDir: string): string[] {
  removeStaleAsides(path.join(outdir, stateDir));
  const txn = path.join(outdir, stateDir, TXN_DIR);
  let journal: JournalOp[] | undefined;
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(txn, JOURNAL), 'utf8'));
    journal = Array.isArray(raw?.ops) ? raw.ops : undefined;
  } catch {
    journal = undefined;
  }
  if (journal === undefined) {
    if (!fs.existsSync(txn)) return [];
    fs.rmSync(txn, { recursive: true, force: true });
    return ['removed the staging files of a synth that was interrupted before it changed anything'];
  }
  const unsafe = journal.find((op) => typeof op?.rel !== 'string' || path.isAbsolute(op.rel) || op.rel.split(/[\\/]/).includes('..'));
  if (unsafe !== undefined) {
    throw new WriteError(`the journal '${path.join(txn, JOURNAL)}' names a path outside the repo (${JSON.stringify(unsafe.rel)}): synth did not write it; delete that folder and synth again`);
  }
  const guard = new PathGuard(outdir);
  for (const op of journal) {
    const link = guard.symlinkOn(op.rel);
    if (link !== undefined) {
      throw new WriteError(`cannot finish the synth that was interrupted: '${link}' is a symbolic link now, and synth never writes through one; replace it with a real ${link === op.rel ? 'file' : 'folder'} and synth again`);
    }
  }
  applyJournal(outdir, txn, journal);
  finish(txn);
  return [`finished the synth that was interrupted (${journal.length} file change${journal.length === 1 ? '' : 's'})`];
}

/**
 * Carries out the changes as one transaction. Returns the files changed and removed. On an I/O
 * error, every file is put back as it was and a `WriteError` names the file and the fix.
 */
export function commitChanges(outdir: string, stateDir: string, changes: readonly FileChange[]): void {
  if (changes.length === 0) return;
  const txn = path.join(outdir, stateDir, TXN_DIR);
  const ops: JournalOp[] = changes.map((c) => ({ rel: c.rel, write: c.content !== undefined, hadOld: c.exists ?? exists(path.join(outdir, c.rel)) }));
  // 1. stage the new files
  let current = path.posix.join(stateDir, TXN_DIR);
  try {
    fs.rmSync(txn, { recursive: true, force: true });
    faultPoint();
    fs.mkdirSync(txn, { recursive: true, mode: 0o700 });
    changes.forEach((c, i) => {
      if (c.content === undefined) return;
      current = c.rel;
      faultPoint();
      fs.writeFileSync(path.join(txn, `new-${i}`), c.content, { mode: c.mode ?? 0o666 });
    });
    // 2. the journal: written whole, then renamed into place
    current = path.posix.join(stateDir, TXN_DIR, JOURNAL);
    const tmp = path.join(txn, `${JOURNAL}.tmp`);
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify({ version: 1, ops }) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    faultPoint();
    fs.renameSync(tmp, path.join(txn, JOURNAL));
  } catch (e) {
    fs.rmSync(txn, { recursive: true, force: true });
    // the staging folder is where it failed: that is the folder to fix
    throw new WriteError(`synth could not write '${current}' (staged in '${path.posix.join(stateDir, TXN_DIR)}'): ${explainIoError(e, txn)}; nothing was changed, so synth again once it is fixed`);
  }
  // 3. move the files; 4. done
  applyJournal(outdir, txn, ops, true);
  try {
    finish(txn);
  } catch {
    // the files are in place; the next synth deletes the journal and the staging folder
  }
}

/** Moves every file of the journal into place (again, after a crash: each step is idempotent). */
function applyJournal(outdir: string, txn: string, ops: readonly JournalOp[], fresh: boolean = false): void {
  let i = 0;
  const dirs = new Set<string>();
  try {
    for (; i < ops.length; i++) forward(outdir, txn, ops[i], i, fresh, dirs);
  } catch (e) {
    const failed = ops[i]?.rel ?? '';
    const rolledBack = rollBack(outdir, txn, ops, i);
    const fix = explainIoError(e, path.dirname(path.join(outdir, failed)));
    if (!rolledBack) {
      throw new WriteError(`synth could not write '${failed}': ${fix}; it could not put every file back either, so it kept its journal in '${txn}': the next synth finishes or undoes the change`);
    }
    finish(txn);
    throw new WriteError(`synth could not ${ops[i]?.write === false ? 'delete' : 'write'} '${failed}': ${fix}; every file it had changed is back as it was, so synth again once it is fixed`);
  }
}

/**
 * One change. `fresh`: nothing of this journal was done yet (the synth that wrote it), so nothing
 * needs to be looked at first; after a crash, every step is checked so that it is done once.
 */
function forward(outdir: string, txn: string, op: JournalOp, i: number, fresh: boolean, dirs: Set<string>): void {
  const target = path.join(outdir, op.rel);
  const staged = path.join(txn, `new-${i}`);
  const old = path.join(txn, `old-${i}`);
  if (op.write) {
    if (!fresh && !exists(staged)) return; // moved into place before
    if (op.hadOld && (fresh || (!exists(old) && exists(target)))) {
      faultPoint();
      fs.renameSync(target, old);
    }
    const dir = path.dirname(target);
    if ((!fresh || !op.hadOld) && !dirs.has(dir)) {
      faultPoint();
      fs.mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    faultPoint();
    fs.renameSync(staged, target);
  } else if (fresh || (!exists(old) && exists(target))) {
    faultPoint();
    fs.renameSync(target, old);
    removeEmptyParents(outdir, path.dirname(target));
  }
}

/** Undoes ops [0, upTo] in reverse order; returns whether every file is back. */
function rollBack(outdir: string, txn: string, ops: readonly JournalOp[], upTo: number): boolean {
  let ok = true;
  for (let i = Math.min(upTo, ops.length - 1); i >= 0; i--) {
    const op = ops[i];
    const target = path.join(outdir, op.rel);
    const staged = path.join(txn, `new-${i}`);
    const old = path.join(txn, `old-${i}`);
    try {
      if (op.write && !exists(staged) && exists(target)) {
        // the new file is in place: move it back to staging (so a retry still has it)
        fs.renameSync(target, staged);
        if (!op.hadOld) removeEmptyParents(outdir, path.dirname(target));
      }
      if (exists(old)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(old, target);
      }
    } catch {
      ok = false;
    }
  }
  return ok;
}

/** Deletes the journal (the end of the transaction), then the staging folder. */
function finish(txn: string): void {
  faultPoint();
  fs.rmSync(path.join(txn, JOURNAL), { force: true });
  faultPoint();
  fs.rmSync(txn, { recursive: true, force: true });
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes the folders left empty below the root, from `dir` up. */
export function removeEmptyParents(outdir: string, dir: string): void {
  const root = path.resolve(outdir);
  let d = path.resolve(dir);
  while (d !== root && d.startsWith(root + path.sep)) {
    try {
      fs.rmdirSync(d); // fails unless empty
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}
