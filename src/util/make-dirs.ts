// `mkdir -p` one level at a time. Node 20's mkdirSync(path, { recursive: true }) never
// returns for a path under /proc (mkdir there says ENOENT, its parent exists, and it tries
// again forever: `--out /proc/x` hung at 100% CPU); made one level at a time, the failing
// level's error (ENOENT) reaches the user in words (fs-error.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Creates path and the folders above it that are missing. */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); !existsSync(dir); ) {
    missing.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // Made meanwhile by someone else: fine, as with mkdir -p.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
