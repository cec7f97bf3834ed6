// `podbench emulate` as a user runs it: the built CLI (npm test builds first).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/podbench.js', import.meta.url));

describe('podbench emulate', () => {
  it('prints one line with its URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'emulate', '--port', '0', '--workers-min', '1', '--time-scale', '100'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('\n')) {
          clearTimeout(timer);
          resolve(stdout.split('\n')[0] as string);
        }
      });
    });
    expect(line).toMatch(/^podbench emulator listening on http:\/\/127\.0\.0\.1:\d+\/v2\/local$/);
    const url = line.slice('podbench emulator listening on '.length);
    const health = (await (await fetch(`${url}/health`)).json()) as { workers: { ready: number } };
    expect(health.workers.ready).toBe(1);
    const run = (await (
      await fetch(`${url}/runsync`, {
        method: 'POST',
        body: '{"input":{"prompt":"hi","sampling_params":{"max_tokens":3}}}',
      })
    ).json()) as { status: string };
    expect(run.status).toBe('COMPLETED');
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--workers-min', '5'], /--workers-min: workers\.min: 5 is above workers\.max \(3\)/],
    [
      ['--workers-min', '10', '--workers-max', '10', '--set', 'batching.minBatchSize=99'],
      /--set batching\.minBatchSize: batching\.minBatchSize: 99 is above/,
    ],
    [['--cold-start', 'median:soon'], /--cold-start: workers\.coldStart\.median: expected a duration/],
    [['--faults', 'http429=2'], /--faults: faults\.http429/],
    [['--scaler', 'FAST:1'], /--scaler: workers\.scaler/],
    [['--set', 'workers.bogus=1'], /--set workers\.bogus: workers: unknown field "bogus"/],
    [['--config', 'does-not-exist.yaml'], /--config does-not-exist\.yaml: cannot read it/],
    [['--port', '70000'], /--port: expected 0-65535/],
  ])('rejects %j with exit 2, the flag and field named, no stack trace', (args, message) => {
    const result = spawnSync(process.execPath, [bin, 'emulate', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('a port already taken: one line naming it, exit 2 (a setting to change)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const result = spawnSync(process.execPath, [bin, 'emulate', '--port', String(port)], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(
        `podbench: --port ${port}: cannot listen on 127.0.0.1:${port} (EADDRINUSE); pick another port, or 0 for any free one`,
      );
    } finally {
      taken.close();
    }
  });

  it('teaches: --help describes the flags and gives examples', () => {
    const result = spawnSync(process.execPath, [bin, 'emulate', '--help'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(0);
    for (const flag of [
      '--host',
      '--port',
      '--config',
      '--api-key',
      '--seed',
      '--time-scale',
      '--worker',
      '--cold-start',
      '--scaler',
      '--faults',
      '--rate-limits',
      '--set',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('Examples:');
  });
});
