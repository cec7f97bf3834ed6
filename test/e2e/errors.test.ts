// Bad input and unreachable targets: one clear message, the documented exit code, no stack
// trace, and what was measured before a failure is still written.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runCli, tempDir, writeScenario } from '../support/cli.js';
import { startFakeEndpoint } from '../support/fake-endpoint.js';

const OK = `name: t
load: { concurrency: 1, requests: 1 }
emulator: { timeScale: 50, workers: { min: 1 } }
`;

async function expectUsage(args: string[], message: RegExp, code = 2) {
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  return result;
}

describe('podbench run: bad input', () => {
  it('names the file, field and expectation of a bad scenario (exit 2)', async () => {
    const file = writeScenario(`${OK}sampling_params: 7\n`);
    await expectUsage(
      ['run', file],
      new RegExp(
        `^podbench: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: sampling_params: expected record, received number`,
      ),
    );
  });

  it('reports YAML syntax errors with a line number', async () => {
    await expectUsage(['run', writeScenario('name: t\nload: {concurrency: 1\n')], /line \d+, column \d+/);
  });

  it('says a missing scenario file does not exist', async () => {
    await expectUsage(['run', '/nonexistent/x.yaml'], /\/nonexistent\/x\.yaml: no such scenario file/);
  });

  it('rejects bad flags and bad flag values', async () => {
    await expectUsage(
      ['run', writeScenario(OK), '--bogus'],
      /Unknown argument: bogus\nRun 'podbench run --help' for usage/,
    );
    // yargs's two-line message comes out as one line, followed by the command's help hint.
    await expectUsage(
      ['run', writeScenario(OK), '--mode', 'fast'],
      /^podbench: --mode: "fast" is not one of sync, async, stream, openai, openai-stream\nRun 'podbench run --help' for usage\.\n$/,
    );
    await expectUsage(['frob'], /unknown command "frob"/);
    await expectUsage(['run', writeScenario(OK), '--duration', 'soon'], /--duration: expected a duration/);
    await expectUsage(['run', writeScenario(OK), '--concurrency', '-3'], /--concurrency: expected a positive number/);
    await expectUsage(
      ['run', writeScenario(OK), '--set', 'load.concurrency'],
      /--set load.concurrency: expected path=value/,
    );
    await expectUsage(['run', writeScenario(OK), '--set', 'load.nope=1'], /load: unknown field "nope"/);
  });

  it('rejects a bad endpoint URL before sending anything', async () => {
    await expectUsage(['run', writeScenario(OK), '--endpoint', 'ftp://x/v2/abc'], /expected an http\(s\) URL/);
    await expectUsage(['run', writeScenario(OK), '--endpoint', 'not a url'], /is not a URL/);
    await expectUsage(
      ['run', writeScenario(OK), '--endpoint', 'https://user:pw@api.runpod.ai/v2/abc'],
      /credentials do not belong in the URL/,
    );
  });

  it('asks for the API key of a real endpoint without naming any value', async () => {
    // Found before anything is sent (a local endpoint would be asked first: it may need no key).
    const result = await runCli([
      'run',
      writeScenario(OK),
      '--endpoint',
      'https://api.runpod.ai/v2/abc',
      '--api-key-env',
      'PODBENCH_TEST_NO_SUCH_KEY',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set the environment variable PODBENCH_TEST_NO_SUCH_KEY/);
  });

  it('exits 3 when the endpoint cannot be reached, leaving no empty run folder', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(
      ['run', writeScenario(OK), '--endpoint', 'http://127.0.0.1:9/v2/abc', '--out', out, '--quiet'],
      {
        env: { RUNPOD_API_KEY: 'k' },
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^podbench: cannot reach 127\.0\.0\.1:9: .*ECONNREFUSED/m);
    expect(hasStackTrace(result.stderr)).toBe(false);
    // Nothing was measured: nothing stays behind.
    expect(existsSync(out)).toBe(false);
  });

  it('says what is wrong with an output path, in one line and exit 2', async () => {
    const file = writeScenario(OK); // a file where a folder is expected
    await expectUsage(
      ['run', writeScenario(OK), '--out', join(file, 'sub')],
      /scenario\.yaml.*: cannot .*: a part of the path is a file, not a folder \(ENOTDIR\)/,
    );
    await expectUsage(['k6', 'export', writeScenario(OK), '--out', file], /: cannot .*\((ENOTDIR|EEXIST)\)/);
    // Node's recursive mkdir never returns under /proc (it hung at 100% CPU).
    if (process.platform === 'linux') {
      await expectUsage(
        ['run', writeScenario(OK), '--out', '/proc/podbench-no-such/run'],
        /\/proc\/podbench-no-such: cannot create the folder: no such file or folder \(ENOENT\)/,
      );
    }
  });

  it('k6 export refuses a scenario whose steps depend on what earlier steps measured', async () => {
    const out = join(tempDir(), 'export');
    await expectUsage(
      ['k6', 'export', writeScenario('name: t\nload: { profile: sweep, sweepSize: 4, requests: 8 }\n'), '--out', out],
      /load\.profile sweep picks each step's rate from what the steps before it measured.*podbench run/,
    );
    await expectUsage(
      [
        'k6',
        'export',
        writeScenario(
          'name: t\nload: { concurrency: 1, requests: 8 }\nslo: ["ttftMs.p95 < 500ms"]\nsweep: { field: load.concurrency, start: 1, max: 8 }\n',
        ),
        '--out',
        out,
      ],
      /sweep: picks each step from what the steps before it measured/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a non-empty --out folder', async () => {
    const dir = tempDir();
    await runCli(['run', writeScenario(OK), '--out', dir, '--quiet']);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    await expectUsage(['run', writeScenario(OK), '--out', dir], /the folder exists and is not empty/);
  });

  it('podbench report says what is wrong with a folder that is not a run', async () => {
    await expectUsage(['report', tempDir()], /not a podbench run folder \(no run\.json\)/);
    await expectUsage(['report', join(tempDir(), 'nope')], /nope: no such folder/);
    // A --repeat folder: name its runs, and how to rebuild one.
    const repeats = tempDir();
    for (const run of ['run-1', 'run-2']) mkdirSync(join(repeats, run));
    writeFileSync(join(repeats, 'aggregate.json'), '{}');
    await expectUsage(
      ['report', repeats],
      /holds 2 repeated runs \(run-1, run-2\) and their aggregate\.json; rebuild one at a time: podbench report .*run-1/,
    );
  });
});

describe('podbench run: nothing succeeded', () => {
  it('exits 3 when every request failed, naming the most common error, with the reports written', async () => {
    const endpoint = await startFakeEndpoint((call) =>
      call.route.startsWith('/runsync')
        ? {
            status: 200,
            json: { id: 'job-1', status: 'FAILED', error: 'CUDA out of memory', delayTime: 3, executionTime: 9 },
          }
        : undefined,
    );
    try {
      const out = join(tempDir(), 'run');
      const scenario = writeScenario(
        `name: all-fail\ntarget: { endpoint: ${endpoint.endpointUrl} }\nmode: sync\npolling: { health: 0 }\nload: { concurrency: 1, requests: 3 }\n`,
      );
      const result = await runCli(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: 'k' } });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(
        /^podbench: no request succeeded; the run could not measure the endpoint\. Most often job_failed \(3\): CUDA out of memory\./m,
      );
      expect(hasStackTrace(result.stderr)).toBe(false);
      expect(endpoint.callsTo('/runsync')).toHaveLength(3);
      for (const file of ['summary.json', 'requests.csv', 'report.html'])
        expect(existsSync(join(out, file)), file).toBe(true);
    } finally {
      await endpoint.close();
    }
  });
});
