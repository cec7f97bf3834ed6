// The run folder: reports/<UTC start>-<scenario name>, or exactly --out.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { checkFolderName } from '../util/output-file.js';
import { makeDirs } from '../util/make-dirs.js';

export function runIdFor(startedAt: Date, scenarioName: string): string {
  const iso = startedAt.toISOString(); // 2026-11-26T10:15:00.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${stamp}-${scenarioName}`;
}

/** Creates the run folder; an existing --out folder must be empty, so runs never mix. */
export function createRunDir(
  reportsRoot: string,
  runId: string,
  out: string | undefined,
): { dir: string; runId: string } {
  if (out !== undefined) {
    checkFolderName('--out', out);
    if (existsSync(out) && readdirSync(out).length > 0) {
      throw new UsageError(`--out ${out}: the folder exists and is not empty; give a new or empty folder`);
    }
    makeDirs(out);
    return { dir: out, runId };
  }
  let id = runId;
  for (let n = 2; existsSync(join(reportsRoot, id)); n++) id = `${runId}-${n}`;
  const dir = join(reportsRoot, id);
  makeDirs(dir);
  return { dir, runId: id };
}
