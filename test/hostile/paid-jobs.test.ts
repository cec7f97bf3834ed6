// No paid job left behind. In sync mode podbench learns a job's id only when /runsync
// answers; it keeps /runsync's wait below the request's time so the answer (at the latest
// IN_PROGRESS with the id) comes before it gives up, cancels every job it gives up on, and
// after a Ctrl-C cancels the jobs whose ids arrive during the grace. Checked against the
// emulator: after a client timeout, and after a Ctrl-C, its /health shows no job queued or
// running once podbench has exited (it waits for its cancels), within the grace.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { requireK6, skipWithoutK6 } from '../engines/support.js';
import { readRecords } from '../support/run-files.js';
import { tempDir } from '../support/cli.js';
import {
  KEY,
  PROCESS_SLACK_MS,
  SLACK_MS,
  expectKeyNowhere,
  hostileScenario,
  runDurationMs,
  runPodbench,
} from './support.js';

// Each test starts podbench (and some an emulator) as a process: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let emulator: RunningEmulator;
beforeEach(async () => {
  // Real time (timeScale 1): a job of 4000 tokens runs for about 90 s, far past any test.
  emulator = await startEmulatorInWorker(
    { timeScale: 1, workers: { min: 1, max: 1, concurrency: 30 }, rateLimits: { enabled: false } },
    { apiKey: KEY },
  );
});
afterEach(() => emulator.close());

async function jobsOnEndpoint(): Promise<{ inQueue: number; inProgress: number }> {
  const res = await fetch(`${emulator.endpointUrl}/health`, { headers: { authorization: `Bearer ${KEY}` } });
  const body = (await res.json()) as { jobs: { inQueue: number; inProgress: number } };
  return { inQueue: body.jobs.inQueue, inProgress: body.jobs.inProgress };
}

const LONG_JOBS =
  'mode: sync\nsampling_params: { max_tokens: 4000, ignore_eos: true }\npolling: { runsyncWait: 90s, interval: 100ms, health: 0 }';

describe('sync mode against the emulator', () => {
  it('after a client timeout, no job is left queued or running', async () => {
    const requestMs = 3000;
    const out = join(tempDir(), 'run');
    const scenario = hostileScenario(
      emulator.endpointUrl,
      `${LONG_JOBS}\nload: { concurrency: 4, requests: 4 }\ntimeouts: { request: ${requestMs}ms }`,
    );
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: KEY } });
    expect(runDurationMs(out)).toBeLessThan(requestMs + SLACK_MS);
    expect(run.wallMs).toBeLessThan(requestMs + PROCESS_SLACK_MS);
    expect(run.code, run.stderr).toBe(3);
    const records = readRecords(out);
    expect(records.map((r) => r.outcome)).toEqual(Array(4).fill('client_timeout'));
    // Every job's id came back (the wait stayed below the request's time) and was cancelled.
    for (const record of records) expect(record.jobId).toMatch(/^sync-|^[0-9a-f-]+/);
    expect(await jobsOnEndpoint()).toEqual({ inQueue: 0, inProgress: 0 });
    expectKeyNowhere(run, out);
  });

  /** Ctrl-C once every /runsync is held: every request ends aborted, and no job is left. */
  async function ctrlCWhileHeld(
    engineArgs: string[],
    env: Record<string, string> = {},
  ): Promise<{ records: ReturnType<typeof readRecords>; left: { inQueue: number; inProgress: number } }> {
    const graceMs = 3000;
    const out = join(tempDir(), 'run');
    // The wait (1 s) is shorter than the grace: each held /runsync answers with its id in time.
    const scenario = hostileScenario(
      emulator.endpointUrl,
      `${LONG_JOBS}\nload: { concurrency: 4, requests: 100 }\ntimeouts: { request: 60s }`.replace(
        'runsyncWait: 90s',
        'runsyncWait: 1s',
      ),
    );
    let signalledAt = 0;
    const run = await runPodbench(
      ['run', scenario, '--out', out, '--quiet', '--grace', `${graceMs}ms`, ...engineArgs],
      {
        env: { RUNPOD_API_KEY: KEY, ...env },
        onSpawn: (child) => {
          const poll = setInterval(() => {
            void jobsOnEndpoint().then(({ inProgress }) => {
              if (inProgress >= 4 && signalledAt === 0) {
                clearInterval(poll);
                signalledAt = performance.now();
                child.kill('SIGINT');
              }
            });
          }, 50);
          child.on('close', () => clearInterval(poll));
        },
      },
    );
    expect(signalledAt).toBeGreaterThan(0);
    // From the signal to the exit, reports written: a second, the grace, and the busy machine's slack.
    expect(performance.now() - signalledAt).toBeLessThan(1000 + graceMs + PROCESS_SLACK_MS);
    expect(run.code, run.stderr).toBe(3);
    const records = readRecords(out);
    expect(records.length).toBeGreaterThanOrEqual(4);
    // Stopped by the run, not failed: k6's "context canceled" included.
    for (const record of records) {
      expect(record.outcome).toBe('aborted');
      expect(record.error).not.toMatch(/context canceled/);
    }
    expectKeyNowhere(run, out);
    return { records, left: await jobsOnEndpoint() };
  }

  // --workers 2: the requests go out from the native engine's client threads; the job tracker
  // stays on the runner's thread and must still learn every id.
  it.each([1, 2])(
    'after a Ctrl-C while every /runsync is held, no job is left queued or running (--workers %i)',
    async (workers) => {
      const { left } = await ctrlCWhileHeld(['--workers', String(workers)]);
      expect(left).toEqual({ inQueue: 0, inProgress: 0 });
    },
  );

  // A stopped k6 ends its requests in flight at once (it cannot let them finish), so a held
  // /runsync never names its job: podbench cannot cancel it, and says so on each such request.
  // The jobs left running are exactly the requests that say so.
  it.skipIf(skipWithoutK6)(
    'with the k6 engine: each job it could not cancel is named as such, and only those',
    async () => {
      const { records, left } = await ctrlCWhileHeld(['--engine', 'k6'], { K6_BINARY: requireK6() });
      const unknown = records.filter((r) => r.jobId === undefined);
      for (const record of unknown) expect(record.error).toMatch(/may still run on the endpoint/);
      for (const record of records.filter((r) => r.jobId !== undefined))
        expect(record.error).not.toMatch(/may still run/);
      expect(left).toEqual({ inQueue: 0, inProgress: unknown.length });
    },
  );
});
