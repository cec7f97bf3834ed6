import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Read from package.json so the version in reports always matches the package. This file
// runs from src/util/ under vitest and from dist/src/util/ when built, hence the two candidates.
function readVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'podbench' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0-unknown';
}

export const PODBENCH_VERSION: string = readVersion();
