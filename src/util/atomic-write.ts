// Files that must be whole or absent (run.json, summary.json, the reports): written under a
// temporary name beside the target and renamed over it once complete. A full disk or an I/O
// error leaves the previous file (or none), never an empty or torn one.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** The temporary name a file is written under before its rename. */
export function partialPath(path: string): string {
  return `${path}.partial-${process.pid}`;
}

export function writeFileAtomic(path: string, text: string): void {
  const partial = partialPath(path);
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
