// The Python servers the target tests run against: Runpod's local test server (the `runpod`
// package) and, where it built, llama-cpp-python's OpenAI-compatible server. They live in
// the venv .ci/run makes (.venv-ci, or $PODBENCH_PYTHON names the interpreter). Missing
// locally, the tests are skipped with the reason in their name; in CI (CI=true) a missing
// piece is a failing test instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from './cli.js';

export const PYTHON = process.env.PODBENCH_PYTHON ?? join(ROOT, '.venv-ci', 'bin', 'python');

/** Why `module` cannot be imported by PYTHON, or undefined when it can. */
export function pythonMissing(module: string): string | undefined {
  if (!existsSync(PYTHON)) return `no Python venv at ${PYTHON} (.ci/run makes it; or set PODBENCH_PYTHON)`;
  const probe = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 60_000 });
  return probe.status === 0 ? undefined : `${PYTHON} cannot import ${module}`;
}

const warned = new Set<string>();

/** describe() for tests that need a Python module: skipped (reason shown) or, in CI, failing. */
export function describePython(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its Python server (CI installs it in .ci/run)', () => {
        throw new Error(missing);
      });
    });
  } else {
    // The default reporter does not print the names of skipped tests: say why, once.
    if (!warned.has(missing)) console.warn(`[python] tests skipped: ${missing}`);
    warned.add(missing);
    describe.skip(`${name} [skipped: ${missing}]`, body);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PythonServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `python args...` and waits (bounded) until GET url+readyPath answers 200. */
export async function startPythonServer(
  args: string[],
  url: string,
  readyPath: string,
  timeoutMs = 120_000,
): Promise<PythonServer> {
  const child: ChildProcess = spawn(PYTHON, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const server: PythonServer = {
    url,
    output: () => output,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`python ${args.join(' ')} exited before it served:\n${output}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`python ${args.join(' ')} did not serve ${url}${readyPath} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
