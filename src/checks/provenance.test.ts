import { describe, expect, it } from 'vitest';
import { changeText, diffMeasured, measuredFields } from './provenance.js';

const effective = {
  name: 'ci',
  seed: 7,
  mode: 'stream',
  target: { endpointId: 'abc', apiKeyEnv: 'RUNPOD_API_KEY' },
  input: { format: 'messages', synthetic: { promptTokens: 512, spread: 0.2 } },
  sampling_params: { max_tokens: 128, stop: ['</s>'] },
  stream: {},
  polling: { interval: 250, health: 1000 },
  load: { concurrency: 8, requests: 80, warmup: { requests: 8 } },
  coldStart: {},
  thresholds: ['errorRate < 1%'],
  budget: { maxRequests: 1000 },
  timeouts: { request: 600_000 },
  emulator: { seed: 1, generation: { stepMs: 22 } },
};

describe('what a variant measured', () => {
  it('keeps the fields that change what is measured, flattened, and leaves the rest out', () => {
    expect(measuredFields(effective, 'emulator')).toEqual({
      'emulator.generation.stepMs': 22,
      'input.format': 'messages',
      'input.synthetic.promptTokens': 512,
      'input.synthetic.spread': 0.2,
      'load.concurrency': 8,
      'load.requests': 80,
      'load.warmup.requests': 8,
      mode: 'stream',
      'polling.interval': 250,
      'sampling_params.max_tokens': 128,
      'sampling_params.stop': ['</s>'],
      'target.kind': 'emulator',
    });
    // Against an endpoint the emulator's settings measure nothing.
    expect(Object.keys(measuredFields(effective, 'endpoint')).some((k) => k.startsWith('emulator.'))).toBe(false);
  });

  it('names every field that differs, set, changed or removed', () => {
    const b = measuredFields(effective, 'emulator');
    const c = measuredFields(
      {
        ...effective,
        seed: 8, // another sample of the same workload: not a difference
        sampling_params: { max_tokens: 32, stop: ['</s>'], temperature: 0 },
        load: { concurrency: 8, requests: 80 },
      },
      'endpoint',
    );
    expect(diffMeasured(b, c).map(changeText)).toEqual([
      'emulator.generation.stepMs 22 → (not set)',
      'load.warmup.requests 8 → (not set)',
      'sampling_params.max_tokens 128 → 32',
      'sampling_params.temperature (not set) → 0',
      'target.kind "emulator" → "endpoint"',
    ]);
    expect(diffMeasured(b, measuredFields(structuredClone(effective), 'emulator'))).toEqual([]);
    // An empty block written by an older podbench ({} for unset stream knobs) is no difference.
    expect(diffMeasured({ ...b, stream: {} }, b)).toEqual([]);
  });
});
