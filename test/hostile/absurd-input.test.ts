// Input meant to exhaust the machine: a concurrency of a billion, a rate of a billion, a
// matrix of a million variants, a YAML alias bomb, files far too large to be what they claim.
// Each is refused before anything is allocated or sent: one line, exit 2, at once.
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir, writeScenario } from '../support/cli.js';
import { KEY, PROCESS_SLACK_MS, expectOneLine, runPodbench } from './support.js';

// Each test starts podbench (and some an emulator) as a process: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** A file of `bytes` that takes no disk space (sparse). */
function sparseFile(path: string, bytes: number, head = ''): string {
  writeFileSync(path, head);
  const fd = openSync(path, 'r+');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

async function refused(args: string[], message: RegExp, env: Record<string, string> = {}) {
  const run = await runPodbench([...args, '--quiet'], { env: { RUNPOD_API_KEY: KEY, ...env } });
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  expectOneLine(run.stderr);
  // Refused before anything started: a busy machine's node start-up is all the time it takes.
  expect(run.wallMs).toBeLessThan(PROCESS_SLACK_MS);
  // Nothing allocated: well under what building the load would take.
  expect(run.maxRssMb).toBeLessThan(300);
  return run;
}

describe('limits checked before anything is allocated', () => {
  it('--concurrency 1e9', async () => {
    await refused(
      ['run', 'quick', '--concurrency', '1e9', '--requests', '1'],
      /load\.concurrency: expected a number at most 100000/,
    );
  });

  it('--rate 1e9', async () => {
    await refused(
      ['run', 'quick', '--rate', '1e9', '--duration', '1s'],
      /load\.rate: expected a number at most 100000/,
    );
  });

  it('an open loop cap of a billion in flight', async () => {
    await refused(
      ['run', 'quick', '--rate', '5', '--duration', '1s', '--set', 'load.maxInFlight=1000000000'],
      /load\.maxInFlight: expected a number at most 100000/,
    );
  });

  it('a matrix of a million variants', async () => {
    const values = `[${Array.from({ length: 100 }, (_, i) => i + 1).join(', ')}]`;
    const scenario = writeScenario(
      `name: huge\nload: { concurrency: 1, requests: 1 }\nmatrix:\n  seed: ${values}\n  sampling_params.max_tokens: ${values}\n  sampling_params.temperature: ${values}\n`,
    );
    await refused(['run', scenario], /matrix: 1000000 combinations; a scenario runs at most 1000 variants/);
  });

  it('a sweep of a million steps', async () => {
    const scenario = writeScenario(
      'name: sweep\nload: { requests: 1 }\nsweep: { field: load.concurrency, start: 1, factor: 1.00001, max: 64 }\n',
    );
    await refused(['run', scenario], /sweep: up to \d+ steps/);
  });

  it('a synthetic prompt of a billion tokens', async () => {
    await refused(
      ['run', 'quick', '--set', 'input.synthetic.promptTokens=1000000000'],
      /input\.synthetic\.promptTokens: expected a number at most 1000000/,
    );
  });

  it('a YAML alias bomb', async () => {
    const lines = ['name: bomb', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
      ['i', 'h'],
    ])
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    await refused(['run', writeScenario(`${lines.join('\n')}\n`)], /cannot read the YAML: Excessive alias count/);
  });

  it('a YAML alias bomb in --set', async () => {
    const levels = ['&a [x,x,x,x,x,x,x,x,x,x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ])
      levels.push(`&${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    await refused(
      ['run', 'quick', '--set', `description=[${levels.join(', ')}]`],
      /--set description=.*: the value cannot be read: Excessive alias count/,
    );
  });

  it('a scenario file of 50 MB', async () => {
    const path = sparseFile(join(tempDir(), 'big.yaml'), 50 * 1024 * 1024, 'name: big\n');
    await refused(['run', path], /a scenario file is at most 1 MB/);
  });

  it('a key file of 50 MB', async () => {
    const path = sparseFile(join(tempDir(), 'key'), 50 * 1024 * 1024, KEY);
    const run = await refused(
      ['run', 'quick', '--endpoint', 'http://127.0.0.1:9/v2/x', '--api-key-file', path],
      /a key file holds the key alone on one line \(at most 64 KB\)/,
    );
    expect(run.stderr).not.toContain(KEY);
  });

  it('a prompts file of 1 GB', async () => {
    const dir = tempDir();
    sparseFile(join(dir, 'prompts.jsonl'), 1024 * 1024 * 1024, '{"prompt":"x"}\n');
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      'name: prompts\ninput: { format: prompt, file: prompts.jsonl }\nload: { concurrency: 1, requests: 1 }\n',
    );
    const run = await runPodbench(['run', scenario, '--quiet'], { env: { RUNPOD_API_KEY: KEY } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/a prompt file is read whole, at most 256 MB/);
    expectOneLine(run.stderr);
    expect(run.maxRssMb).toBeLessThan(400);
  });

  it('a duration past what a timer can wait', async () => {
    await refused(
      ['run', 'quick', '--max-duration', '100000h'],
      /budget\.maxDuration: expected a duration of at most 24 days/,
    );
  });
});
