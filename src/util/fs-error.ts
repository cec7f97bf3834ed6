// A file-system error in words: the path, what podbench tried, and why it failed, on one
// line (no stack trace). The CLI uses it for errors that escape a command, the runner for a
// write that fails mid-run.

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it exists already',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

const ACTIONS: Record<string, string> = {
  scandir: 'read the folder',
  mkdir: 'create the folder',
  open: 'open the file',
  write: 'write',
  close: 'write',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
};

/** The error's code and text when it is a file-system error podbench can word; undefined otherwise. */
export function describeFsError(err: unknown, path?: string): { code: string; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException;
  const code = e.code;
  const where = path ?? e.path;
  if (typeof code !== 'string' || typeof where !== 'string') return undefined;
  const reason = REASONS[code];
  if (reason === undefined) return undefined;
  const action = ACTIONS[e.syscall ?? ''] ?? e.syscall ?? 'use it';
  return { code, message: `${where}: cannot ${action}: ${reason} (${code})` };
}

/** Why a file-system call failed, in words with its code ("no such file or folder (ENOENT)"); undefined for other errors. */
export function fsReason(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  return reason === undefined ? undefined : `${reason} (${code})`;
}
