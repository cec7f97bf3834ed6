// Where the k6 binary is: $K6_BINARY, else `k6` on PATH, else ~/go/bin/k6 (or $GOPATH/bin),
// where `go install go.k6.io/k6/v2@v2.2.0` puts it. No npm or Debian package ships k6.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { RunError } from '../../core/errors.js';

/** The version podbench is tested with (.ci/run installs it). */
export const K6_VERSION = 'v2.2.0';

export const K6_INSTALL_HINT = `install k6 (${K6_VERSION}): \`go install go.k6.io/k6/v2@${K6_VERSION}\`, a release binary from https://github.com/grafana/k6/releases, or your package manager (brew install k6, winget install k6, the k6 apt/rpm repositories); then put it on PATH or set K6_BINARY`;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The k6 binary's path, or undefined when there is none. */
export function findK6Binary(env: NodeJS.ProcessEnv): string | undefined {
  const given = env.K6_BINARY;
  if (given) return isExecutable(given) ? given : undefined;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const goBins = (env.GOPATH ? env.GOPATH.split(delimiter).map((p) => join(p, 'bin')) : []).concat(
    join(homedir(), 'go', 'bin'),
  );
  for (const dir of [...dirs, ...goBins]) {
    const candidate = join(dir, process.platform === 'win32' ? 'k6.exe' : 'k6');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The binary, or a RunError (exit 3: this machine cannot run the engine) that says how to get one. */
export function requireK6Binary(env: NodeJS.ProcessEnv): string {
  const found = findK6Binary(env);
  if (found) return found;
  const given = env.K6_BINARY;
  throw new RunError(
    given
      ? `K6_BINARY=${given} is not an executable file; ${K6_INSTALL_HINT}`
      : `the k6 engine needs the k6 binary, and there is none in $K6_BINARY, on PATH, in $GOPATH/bin or in ~/go/bin; ${K6_INSTALL_HINT}`,
  );
}
