// Golden files: the text must equal the committed file. Only UPDATE_GOLDEN=1 rewrites a
// file (any other value, "0" included, compares); a missing file fails with the command
// that creates it, so a deleted golden file is never silently recreated from today's output.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export function updatingGolden(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.UPDATE_GOLDEN === '1';
}

/**
 * Compares `actual` with `dir/name`. `folder` is what to pass to vitest to regenerate
 * (e.g. "test/checks"), named in the messages.
 */
export function expectGolden(
  dir: string,
  name: string,
  actual: string,
  folder: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const path = join(dir, name);
  if (updatingGolden(env)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path))
    throw new Error(
      `golden file ${path} is missing; create it with UPDATE_GOLDEN=1 npx vitest run ${folder}, review it and commit it`,
    );
  expect(
    actual,
    `${name} differs from its golden file; if the change is intended, UPDATE_GOLDEN=1 npx vitest run ${folder} rewrites it`,
  ).toBe(readFileSync(path, 'utf8'));
}
