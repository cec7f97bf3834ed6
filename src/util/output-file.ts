// A file a flag names for podbench to write at the end (--junit, --save-baseline...): checked
// before anything is sent, so a mistyped folder does not cost a whole run.
import { closeSync, openSync, type Stats, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { fsReason } from './fs-error.js';

/** Throws unless `path` can be created or replaced: its folder exists and is a folder, and it is not a folder itself. */
export function checkOutputFile(flag: string, path: string): void {
  const at = `${flag} ${path}`;
  if (path === '') throw new UsageError(`${flag}: expected a file name, got ""`);
  const existing = stat(path);
  if (existing !== 'under a file' && existing?.isDirectory())
    throw new UsageError(`${at}: is a folder; name a file in it`);
  const folder = dirname(resolve(path));
  const parent = stat(folder);
  if (parent === undefined) throw new UsageError(`${at}: the folder ${folder} does not exist; create it first`);
  if (parent === 'under a file') throw new UsageError(`${at}: a part of ${folder} is a file, not a folder`);
  if (!parent.isDirectory()) throw new UsageError(`${at}: ${folder} is a file, not a folder`);
  probeWrite(at, path, existing === 'under a file' ? undefined : existing);
}

/**
 * Opens the file for writing as the end of the run will (without changing it: an existing
 * file is opened in place, a new one created and removed again), so a folder podbench may not
 * write (permissions, a read-only file system, /sys) is found before a paid run, not after.
 * A device or a pipe (--junit /dev/stdout) is left alone: opening one can block or consume.
 */
function probeWrite(at: string, path: string, existing: Stats | undefined): void {
  if (existing !== undefined && !existing.isFile()) return;
  try {
    if (existing !== undefined) closeSync(openSync(path, 'r+'));
    else {
      closeSync(openSync(path, 'wx'));
      unlinkSync(path);
    }
  } catch (err) {
    throw new UsageError(`${at}: cannot write it: ${fsReason(err) ?? (err as Error).message}`);
  }
}

/**
 * Every file of `files` ([flag, path], path undefined when not asked for) checked as above;
 * one in `madeFolder` (the run's --out, made before anything is written there) is not.
 */
export function checkOutputFiles(
  files: ReadonlyArray<readonly [string, string | undefined]>,
  madeFolder?: string,
): void {
  const made = madeFolder !== undefined ? resolve(madeFolder) : undefined;
  for (const [flag, path] of files)
    if (path !== undefined && dirname(resolve(path)) !== made) checkOutputFile(flag, path);
}

/** A folder a flag names for podbench to create: an empty name would be the current folder (path.resolve('')). */
export function checkFolderName(flag: string, path: string | undefined): void {
  if (path !== undefined && path.trim() === '')
    throw new UsageError(`${flag} is empty: give the folder to write a name`);
}

/** What is at a path: nothing, something, or nothing because a part of the path is a file. */
function stat(path: string): Stats | undefined | 'under a file' {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return 'under a file';
    throw err;
  }
}
