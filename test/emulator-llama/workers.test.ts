// The llama backend inside the emulated platform: the model loads during a worker's cold
// start (its time in delayTime), scale-down frees it and the next boot loads it again, the
// sequences of a worker decode together, tokenDelayMs lengthens every step, and injected
// faults and the worker thread work as with the synthetic model.
import { describe, expect, it } from 'vitest';
import { startClient, until } from '../emulator/helpers.js';
import { startEmulatorInWorker } from '../../src/emulator/index.js';
import { describeLlama, WARM_LLAMA } from './support.js';

const PROMPT = 'Once upon a time';
const job = (params: Record<string, unknown>, stream = false) => ({
  prompt: PROMPT,
  stream,
  sampling_params: { temperature: 0, ignore_eos: true, ...params },
});

describeLlama('llama backend: workers', () => {
  it('loads the model during the cold start (delayTime), frees it at scale-down and loads it again for the next job', async () => {
    const client = await startClient({
      backend: 'llama',
      workers: { min: 0, max: 1, coldStart: 300, idleTimeout: 200 },
      rateLimits: { enabled: false },
    });
    try {
      const first = (await client.post('/runsync', { input: job({ max_tokens: 8 }) })).json;
      expect(first.status).toBe('COMPLETED');
      expect(first.delayTime).toBeGreaterThanOrEqual(300);
      expect((await client.emulator.jobTruth(first.id))?.coldStart).toBe(true);
      await until(
        async () => (await client.get('/health')).json.workers.idle === 1 || undefined,
        'the worker to scale down',
      );
      const second = (await client.post('/runsync', { input: job({ max_tokens: 8 }) })).json;
      expect(second.status).toBe('COMPLETED');
      expect(second.delayTime).toBeGreaterThanOrEqual(300);
      expect(second.output).toEqual(first.output);
    } finally {
      await client.close();
    }
    // With no drawn cold start at all, the job still waits for the real load.
    const instant = await startClient({
      backend: 'llama',
      workers: { min: 0, max: 1, coldStart: 0 },
      rateLimits: { enabled: false },
    });
    try {
      const r = (await instant.post('/runsync', { input: job({ max_tokens: 4 }) })).json;
      expect(r.status).toBe('COMPLETED');
      expect(r.delayTime).toBeGreaterThan(0);
    } finally {
      await instant.close();
    }
  });

  it('decodes the jobs of one worker together (continuous batching), not one after another', async () => {
    const client = await startClient(WARM_LLAMA);
    try {
      const ids = await Promise.all(
        [0, 1, 2, 3].map((seed) => client.run(job({ max_tokens: 150, temperature: 1, seed }, true))),
      );
      for (const id of ids) expect((await client.settle(id)).status).toBe('COMPLETED');
      const truths = await Promise.all(ids.map((id) => client.emulator.jobTruth(id)));
      const starts = truths.map((t) => t!.firstTokenAt!);
      const ends = truths.map((t) => t!.completedAt!);
      // Every job had its first token before any job finished: they ran side by side.
      expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
      for (const t of truths) expect(t!.outputTokens).toBe(150);
    } finally {
      await client.close();
    }
  });

  it('adds tokenDelayMs to every decode step, the tokens staying real', async () => {
    const client = await startClient({ ...WARM_LLAMA, llama: { tokenDelayMs: 40 } });
    try {
      const r = (await client.post('/runsync', { input: job({ max_tokens: 6 }) })).json;
      expect(r.status).toBe('COMPLETED');
      expect(r.output[0].choices[0].tokens[0]).toMatch(/^, there was a little/);
      expect(r.executionTime).toBeGreaterThanOrEqual(6 * 40 - 5);
    } finally {
      await client.close();
    }
  });

  it('injects job faults as with the synthetic model', async () => {
    const client = await startClient({ ...WARM_LLAMA, faults: { failed: 1 } });
    try {
      const r = (await client.post('/runsync', { input: job({ max_tokens: 20 }) })).json;
      expect(r.status).toBe('FAILED');
      expect(r.error).toMatch(/injected failure/);
    } finally {
      await client.close();
    }
  });
});

describeLlama('llama backend: on a worker thread', () => {
  it('serves real tokens from the emulator thread the runner uses', async () => {
    const emulator = await startEmulatorInWorker(WARM_LLAMA);
    try {
      const r = (await (
        await fetch(`${emulator.endpointUrl}/runsync`, {
          method: 'POST',
          body: JSON.stringify({ input: job({ max_tokens: 10 }) }),
        })
      ).json()) as any;
      expect(r.status).toBe('COMPLETED');
      expect(r.output[0].choices[0].tokens[0]).toMatch(/^, there was a little/);
    } finally {
      await emulator.close();
    }
  });
});

describe('llama backend settings', () => {
  it('leave the synthetic backend the default', async () => {
    const { resolveEmulatorSettings } = await import('../../src/emulator/index.js');
    const settings = resolveEmulatorSettings({});
    expect(settings.backend).toBe('synthetic');
    expect(settings.llama).toEqual({ threads: 1, tokenDelayMs: 0 });
  });
});
