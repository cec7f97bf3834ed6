// vitest globalSetup. The CLI tests run bin/podbench.js, which loads dist/, not src/: a
// dist/ older than its sources tests yesterday's code (a seeded bug in src/ passed every
// CLI test until someone rebuilt). `npm test` builds first (pretest); `npx vitest run`
// alone gets the same guarantee here: a stale dist/ is rebuilt once, and a build that
// fails stops the run instead of testing what is left in dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/**
 * Folders the build leaves out (tsconfig.build.json's excludes that are not globs): the k6
 * runtime is read as text from src/ at export time, so it has no output to be stale.
 */
function notBuilt(root: string): string[] {
  const { exclude = [] } = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
    exclude?: string[];
  };
  return exclude.filter((pattern) => !pattern.includes('*')).map((folder) => join(root, folder));
}

/** Sources under src/ whose compiled .js in dist/ is missing or older than they are. */
export function staleOutputs(root = ROOT): string[] {
  const skipped = notBuilt(root);
  return sourcesUnder(join(root, 'src')).filter((source) => {
    if (skipped.some((folder) => source.startsWith(`${folder}/`))) return false;
    const output = join(root, 'dist', relative(root, source)).replace(/\.ts$/, '.js');
    return !existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs;
  });
}

export default function setup(): void {
  const stale = staleOutputs();
  if (stale.length === 0) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  const first = relative(ROOT, stale[0] as string);
  if (build.status !== 0) {
    throw new Error(
      `dist/ is older than ${first} (and ${stale.length - 1} more), and rebuilding it failed (tsc -p tsconfig.build.json):\n${build.stdout}${build.stderr}`,
    );
  }
  const still = staleOutputs();
  if (still.length > 0)
    throw new Error(
      `dist/ is still older than ${relative(ROOT, still[0] as string)} after a build; the CLI tests would run old code`,
    );
}
