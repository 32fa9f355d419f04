import * as fs from 'fs';
import * as path from 'path';

/**
 * File-system helpers that never follow a symbolic link out of the repo root, and that read only
 * regular files of a bounded size.
 */

/** The largest file a `SecretValue` or a certificate is read from (1 MiB, the API server's limit on a Secret). */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** What is at one path, without following a final symbolic link. */
type Kind = 'file' | 'dir' | 'symlink' | 'other' | 'missing';

/**
 * Answers, for paths relative to a repo root, whether a symbolic link is on the way. Results of the
 * folders are cached: one synth asks about thousands of files in a few dozen folders.
 */
export class PathGuard {
  private readonly kinds = new Map<string, Kind>();

  constructor(public readonly root: string) {}

  /** What is at `rel` (POSIX, relative to the root), not following a final link. */
  public kind(rel: string): Kind {
    const known = this.kinds.get(rel);
    if (known !== undefined) return known;
    let kind: Kind;
    try {
      const st = fs.lstatSync(path.join(this.root, rel));
      kind = st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      kind = 'missing';
    }
    this.kinds.set(rel, kind);
    return kind;
  }

  /**
   * The first component of `rel` (itself included) that is a symbolic link, as a repo-relative
   * path; undefined when there is none. Components that do not exist are fine.
   */
  public symlinkOn(rel: string): string | undefined {
    const parts = rel.split('/');
    let prefix = '';
    for (const part of parts) {
      prefix = prefix ? `${prefix}/${part}` : part;
      const k = this.kind(prefix);
      if (k === 'symlink') return prefix;
      if (k === 'missing') return undefined;
    }
    return undefined;
  }

  /** Forgets what it knows (after the tree changed). */
  public forget(): void {
    this.kinds.clear();
  }
}

/** The message part for a path that runs through a symbolic link. */
export function symlinkRule(action: string, rel: string, link: string): string {
  return `cannot ${action} '${rel}': '${link}' is a symbolic link, and synth never reads, writes or deletes through one (it could reach outside the repo); replace the link with a real ${link === rel ? 'file' : 'folder'}`;
}

/**
 * Reads a regular file of at most `limit` bytes. A device, FIFO, socket or folder is refused
 * without blocking on it, and so is a larger file. Throws ENOENT as `fs` does.
 */
export function readBoundedFile(abs: string, limit: number = MAX_INPUT_FILE_BYTES): Buffer {
  // O_NONBLOCK: opening a FIFO must not wait for a writer
  // eslint-disable-next-line no-bitwise
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      throw new Error(`it is not a regular file (${st.isDirectory() ? 'a folder' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isFIFO() ? 'a named pipe' : 'a socket or other special file'}); point it at a file`);
    }
    if (st.size > limit) {
      throw new Error(`it is larger than the limit of ${limit} bytes (it has ${st.size}); a Secret holds at most 1 MiB`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw new Error(`it is larger than the limit of ${limit} bytes (it grew while being read)`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** A short explanation and fix of a file-system error code, for messages. */
export function explainIoError(e: unknown, dir: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): make '${dir}' writable (chmod u+w) or run synth as the user who owns it`;
    case 'EROFS':
      return 'the file system is read-only (EROFS): synth into a writable folder';
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk is full (${code}): free some space`;
    case 'ENOTDIR':
    case 'EISDIR':
    case 'EEXIST':
      return `something else is in the way (${code}): move it`;
    default:
      return `${code ?? 'error'}: ${(e as Error)?.message ?? String(e)}`;
  }
}
