// startEmulatorInWorker: the same interface, from a worker thread, both when the code runs
// from sources (vitest: the worker transpiles the .ts sources) and from dist/ (built).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startEmulator, startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';

async function exercise(emulator: RunningEmulator): Promise<void> {
  expect(emulator.endpointUrl).toBe(`http://127.0.0.1:${emulator.port}/v2/local`);
  const beforeMs = performance.timeOrigin + performance.now();
  const response = await fetch(`${emulator.endpointUrl}/runsync`, {
    method: 'POST',
    headers: { authorization: 'Bearer k' },
    body: JSON.stringify({ input: { prompt: 'hi', sampling_params: { max_tokens: 4 } } }),
  });
  const body = (await response.json()) as { id: string; status: string };
  const afterMs = performance.timeOrigin + performance.now();
  expect(body.status).toBe('COMPLETED');
  const truth = await emulator.jobTruth(body.id);
  expect(truth).toMatchObject({ id: body.id, status: 'COMPLETED', outputTokens: 4, coldStart: false });
  expect(truth?.partials).toHaveLength(1);
  expect(truth?.firstTokenAt).toBeGreaterThanOrEqual(truth?.startedAt as number);
  // Epoch milliseconds on the same clock as this thread's: between sending and the answer
  // (1 ms for the alignment of two threads' timeOrigin).
  expect(truth?.submittedAt).toBeGreaterThanOrEqual(beforeMs - 1);
  expect(truth?.submittedAt).toBeLessThanOrEqual(afterMs + 1);
  expect(await emulator.jobTruth('nope')).toBeUndefined();
  const unauthorized = await fetch(`${emulator.endpointUrl}/health`);
  expect(unauthorized.status).toBe(401);
}

const settings = { timeScale: 1000, workers: { min: 1 } };

describe('startEmulatorInWorker', () => {
  it('serves from a worker thread when running from sources', async () => {
    const emulator = await startEmulatorInWorker(settings, { apiKey: 'k' });
    try {
      await exercise(emulator);
      expect(emulator.settings.workers.min).toBe(1);
    } finally {
      await emulator.close();
    }
    expect(await emulator.jobTruth('anything')).toBeUndefined();
  });

  const built = fileURLToPath(new URL('../../dist/src/emulator/index.js', import.meta.url));
  it.runIf(existsSync(built))('serves from a worker thread when running from dist/', async () => {
    const { startEmulatorInWorker: fromDist } = (await import(built)) as typeof import('../../src/emulator/index.js');
    const emulator = await fromDist(settings, { apiKey: 'k' });
    try {
      await exercise(emulator);
    } finally {
      await emulator.close();
    }
  });

  it('reports a port already in use', async () => {
    const first = await startEmulator(settings);
    try {
      await expect(startEmulatorInWorker(settings, { port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
