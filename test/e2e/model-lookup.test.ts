// OpenAI modes need a model name; without input.model podbench asks the endpoint's
// /openai/v1/models before the run. On an endpoint with no worker up, that call waits out the
// cold start, and the run's first requests then find a worker warm: podbench says so. With
// input.model there is no lookup, and the run's first request carries the cold start.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readRecords } from '../support/run-files.js';

const COLD_START_MS = 2000;

const SCENARIO = `name: lookup
mode: openai
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { concurrency: 1, requests: 2 }
emulator:
  network: { roundTrip: 0 }
  workers: { min: 0, max: 1, coldStart: { median: ${COLD_START_MS}ms, sigma: 0 } }
`;

describe('the model lookup before an OpenAI run', () => {
  it('says when it took a cold start the run then did not see; with input.model the run sees it', async () => {
    const looked = await runCli(['run', writeScenario(SCENARIO), '--out', join(tempDir(), 'run'), '--quiet']);
    expect(looked.code, looked.stderr).toBe(0);
    expect(looked.stderr).toMatch(
      /note: default: asking \S+\/openai\/v1\/models for the model name took \d+\.\d s before the run, likely a worker's cold start.*input\.model/,
    );

    const out = join(tempDir(), 'run');
    const given = await runCli([
      'run',
      writeScenario(SCENARIO),
      '--out',
      out,
      '--quiet',
      '--set',
      'input.model=meta-llama/Llama-3.1-8B-Instruct',
    ]);
    expect(given.code, given.stderr).toBe(0);
    expect(given.stderr).not.toMatch(/openai\/v1\/models/);
    // The first request waited for the worker's boot (a lower bound: a busy machine only adds).
    const first = readRecords(out).sort((a, b) => a.seq - b.seq)[0];
    expect(first?.outcome).toBe('ok');
    expect((first?.endMs ?? 0) - (first?.sentMs ?? 0)).toBeGreaterThanOrEqual(COLD_START_MS);
  }, 120_000);
});
