import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { parseSetFlag } from '../util/override.js';
import { parseScenario } from './load.js';

const BASE = `name: t
mode: stream
load: { concurrency: 2, requests: 4 }
`;

function errorOf(text: string, overrides: Parameters<typeof parseScenario>[2] = []): string {
  try {
    parseScenario(text, 'scenarios/t.yaml', overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseScenario', () => {
  it('fills defaults and plans the load', () => {
    const loaded = parseScenario(BASE, 'scenarios/t.yaml');
    expect(loaded.variants).toHaveLength(1);
    const [v] = loaded.variants;
    expect(v!.name).toBe('default');
    expect(v!.scenario.polling.interval).toBe(250);
    expect(v!.scenario.emulator.workers.concurrency).toBe(30);
    expect(v!.plan).toMatchObject({ model: 'closed', requests: 4 });
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('expands the matrix into named variants, first key slowest', () => {
    const loaded = parseScenario(
      `${BASE}matrix:\n  load.concurrency: [1, 8]\n  stream.max_batch_size: [10, 50]\n`,
      'scenarios/t.yaml',
    );
    expect(loaded.variants.map((v) => v.name)).toEqual([
      'concurrency=1 max_batch_size=10',
      'concurrency=1 max_batch_size=50',
      'concurrency=8 max_batch_size=10',
      'concurrency=8 max_batch_size=50',
    ]);
    expect(loaded.variants[3]!.scenario.stream.max_batch_size).toBe(50);
    expect(loaded.variants[3]!.params).toEqual({ 'load.concurrency': 8, 'stream.max_batch_size': 50 });
  });

  it('takes a map of label to value as a matrix dimension, for values that make poor names', () => {
    const loaded = parseScenario(
      `name: t\nmatrix:\n  load:\n    probes: { probes: 3, gap: 1s }\n    burst: { rate: 5, duration: 2s }\n`,
      'scenarios/t.yaml',
    );
    expect(loaded.variants.map((v) => [v.name, v.plan.model])).toEqual([
      ['load=probes', 'probe'],
      ['load=burst', 'open'],
    ]);
  });

  it('names the file, the field path and what was expected', () => {
    expect(errorOf(`${BASE}polling: { interval: soon }\n`)).toBe(
      'scenarios/t.yaml: polling.interval: expected a duration such as 250ms, 30s or 2m, got "soon"',
    );
    expect(errorOf(`${BASE}sampling_param: {}\n`)).toBe(
      'scenarios/t.yaml: (top level): unknown field "sampling_param" (did you mean "sampling_params"?)',
    );
    expect(errorOf(BASE.replace('stream', 'streaming'))).toBe(
      'scenarios/t.yaml: mode: expected one of "sync", "async", "stream", "openai", "openai-stream" (did you mean "stream"?)',
    );
    expect(errorOf(`${BASE}emulator: { workers: { max: -1 } }\n`)).toMatch(
      /^scenarios\/t\.yaml: emulator\.workers\.max: expected a number at least 1/,
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('name: t\nload: [1,\n  x: 2\n')).toMatch(/^scenarios\/t\.yaml: line \d+, column \d+: /);
    expect(errorOf('name: a\nname: b\n')).toMatch(/^scenarios\/t\.yaml: line 2, column 1: Map keys must be unique/);
    expect(errorOf('')).toBe(
      'scenarios/t.yaml: expected a map of scenario fields (name, mode, load...), got an empty file',
    );
  });

  it('rejects an empty matrix list and names the variant of a bad combination', () => {
    expect(errorOf(`${BASE}matrix:\n  load.concurrency: []\n`)).toBe(
      'scenarios/t.yaml: matrix.load.concurrency: expected a non-empty list of values (or a map of label to value)',
    );
    expect(errorOf(`${BASE}matrix:\n  load.concurrency: [1, -2]\n`)).toMatch(
      /^scenarios\/t\.yaml \(variant concurrency=-2\): load\.concurrency: expected a number above 0/,
    );
  });

  it('checks rules across fields', () => {
    expect(errorOf(`${BASE}input: { format: prompt_chat_template }\n`.replace('mode: stream', 'mode: openai'))).toMatch(
      /prompt_chat_template needs a native mode/,
    );
    expect(errorOf(`${BASE}sampling_params: { stream: true }\n`)).toMatch(/streaming is chosen by mode/);
    expect(errorOf(BASE.replace('requests: 4', 'rate: 3')).split('\n')).toEqual([
      'scenarios/t.yaml: load: give concurrency (closed loop) or rate (open loop), not both',
      'scenarios/t.yaml: load: set requests, duration or stages, or the run would never stop',
    ]);
  });

  it('says a TTFT target has nothing to pick from when no variant differs in stream batching or polling', () => {
    const target = [{ path: 'tuning.ttftTarget', value: '400ms', origin: '--ttft-target' }];
    const alone = parseScenario(BASE, 'scenarios/t.yaml', target);
    expect(alone.notes).toEqual([expect.stringMatching(/^tuning\.ttftTarget picks among .*nothing to pick from/)]);
    const tuned = parseScenario(`${BASE}matrix:\n  stream.max_batch_size: [10, 50]\n`, 'scenarios/t.yaml', target);
    expect(tuned.notes).toEqual([]);
    expect(parseScenario(BASE, 'scenarios/t.yaml').notes).toEqual([]);
  });

  it('applies overrides, clearing conflicting fields, and lets a flag replace a matrix key', () => {
    const loaded = parseScenario(`${BASE}matrix:\n  load.concurrency: [1, 8]\n`, 'scenarios/t.yaml', [
      { path: 'load.rate', value: 5, clears: ['load.concurrency'], origin: '--rate' },
      parseSetFlag('sampling_params.stop=["\\n", END]'),
    ]);
    expect(loaded.variants).toHaveLength(1);
    expect(loaded.variants[0]!.plan.model).toBe('open');
    expect(loaded.variants[0]!.scenario.sampling_params.stop).toEqual(['\n', 'END']);
    expect(loaded.notes).toEqual(['--rate replaces matrix.load.concurrency (2 values)']);
  });

  it('applies flags after the matrix, so a flag inside a varied block shortens every variant', () => {
    const text = `name: t\nmatrix:\n  load:\n    probes: { probes: 12, untilIdle: true }\n    burst: { rate: 30, duration: 4s }\n`;
    const loaded = parseScenario(text, 'scenarios/t.yaml', [{ path: 'load.requests', value: 2, origin: '--requests' }]);
    expect(loaded.variants.map((v) => [v.name, v.plan.model, v.plan.requests])).toEqual([
      ['load=probes', 'probe', 2],
      ['load=burst', 'open', 2],
    ]);
    expect(loaded.notes).toEqual([
      '--requests applies to every value of matrix.load: its variants keep their names, but all use load.requests = 2',
    ]);
    // A flag setting the whole varied block replaces the dimension, and says so.
    const replaced = parseScenario(text, 'scenarios/t.yaml', [parseSetFlag('load={ probes: 1, gap: 1s }')]);
    expect(replaced.variants.map((v) => v.name)).toEqual(['default']);
    expect(replaced.notes).toEqual(['--set load replaces matrix.load (2 values)']);
  });

  it('a flag inside a varied block renames the values it changed, and runs the ones it made equal once', () => {
    const text = `name: t\nmode: stream\nload: { concurrency: 1, requests: 2 }\nmatrix:\n  polling:\n    every 100ms: { interval: 100ms }\n    every 400ms: { interval: 400ms }\n    long-poll: { wait: 10s }\n    slow and long: { interval: 900ms, wait: 5s }\n`;
    const loaded = parseScenario(text, 'scenarios/t.yaml', [
      { path: 'polling.interval', value: '200ms', origin: '--poll-interval' },
    ]);
    expect(loaded.variants.map((v) => [v.name, v.scenario.polling.interval, v.scenario.polling.wait])).toEqual([
      ['polling=interval=200ms', 200, 0],
      ['polling=long-poll', 200, 10_000],
      ['polling=interval=200ms (was slow and long)', 200, 5000],
    ]);
    expect(loaded.notes).toEqual([
      '--poll-interval sets polling.interval = "200ms" in every value of matrix.polling: "every 100ms", "every 400ms", "slow and long" run as "interval=200ms"',
    ]);
  });

  it('names the flag, not the file, when a flag set the bad field', () => {
    expect(errorOf(BASE, [parseSetFlag('load.concurency=4')])).toBe(
      '--set load.concurency: load: unknown field "concurency" (did you mean "concurrency"?)',
    );
    expect(errorOf(BASE, [parseSetFlag('nosuch.field=3')])).toBe(
      '--set nosuch.field: (top level): unknown field "nosuch"',
    );
    expect(errorOf(BASE, [{ path: 'polling.interval', value: 'soon', origin: '--poll-interval' }])).toMatch(
      /^--poll-interval: polling\.interval: expected a duration/,
    );
  });

  it('reads --set values as YAML scalars', () => {
    expect(parseSetFlag('load.concurrency=8').value).toBe(8);
    expect(parseSetFlag('mode=sync').value).toBe('sync');
    expect(parseSetFlag('sampling_params.ignore_eos=true').value).toBe(true);
    expect(() => parseSetFlag('novalue')).toThrow('--set novalue: expected path=value');
  });

  it('refuses a duration without a unit, and says how to write it', () => {
    expect(errorOf(`${BASE.replace('requests: 4', 'duration: 30')}`)).toBe(
      'scenarios/t.yaml: load.duration: 30 has no unit: write 30s for seconds or 30ms for milliseconds',
    );
    expect(errorOf(BASE, [parseSetFlag('emulator.workers.idleTimeout=5000')])).toBe(
      '--set emulator.workers.idleTimeout: 5000 has no unit: write 5000s for seconds or 5000ms for milliseconds',
    );
    expect(errorOf(`${BASE}polling: { interval: "250" }\n`)).toBe(
      'scenarios/t.yaml: polling.interval: 250 has no unit: write 250s for seconds or 250ms for milliseconds',
    );
    // 0 needs no unit; a field whose name carries the unit takes a number; warmup: 2 is a count.
    const loaded = parseScenario(
      `${BASE}polling: { wait: 0 }\ncoldStart: { thresholdMs: 1500 }\nload: { concurrency: 1, requests: 2, warmup: 2 }\n`.replace(
        'load: { concurrency: 2, requests: 4 }\n',
        '',
      ),
      'scenarios/t.yaml',
    );
    expect(loaded.variants[0]!.scenario.polling.wait).toBe(0);
    expect(loaded.variants[0]!.plan.warmup.requests).toBe(2);
  });

  it('suggests the field, the value and the mode meant', () => {
    expect(errorOf(`${BASE}polling: { intervall: 1s }\n`)).toBe(
      'scenarios/t.yaml: polling: unknown field "intervall" (did you mean "interval"?)',
    );
    expect(errorOf(BASE.replace('mode: stream', 'mode: strem'))).toBe(
      'scenarios/t.yaml: mode: expected one of "sync", "async", "stream", "openai", "openai-stream" (did you mean "stream"?)',
    );
    expect(errorOf(`${BASE}emulator: { workers: { maxx: 3 } }\n`)).toMatch(
      /unknown field "maxx" \(did you mean "max"\?\)/,
    );
  });

  it('unsets a field with --set path=null, so a sweep can switch to rate from flags', () => {
    const sweep = `name: t\nload: { concurrency: 2, requests: 4 }\nsweep: { field: load.concurrency, start: 1, max: 8 }\n`;
    const loaded = parseScenario(sweep, 'scenarios/t.yaml', [
      parseSetFlag('sweep.field=load.rate'),
      parseSetFlag('load.concurrency=null'),
    ]);
    expect(loaded.variants[0]!.scenario.sweep?.field).toBe('load.rate');
    expect(loaded.variants[0]!.scenario.load).toMatchObject({ rate: 1 });
    expect(loaded.variants[0]!.scenario.load.concurrency).toBeUndefined();
    // Unsetting a field brings its default back.
    const unset = parseScenario(`${BASE}polling: { interval: 1s }\n`, 'scenarios/t.yaml', [
      parseSetFlag('polling.interval=null'),
    ]);
    expect(unset.variants[0]!.scenario.polling.interval).toBe(250);
    expect(parseSetFlag('polling.interval=~')).toMatchObject({ unset: true, origin: '--set polling.interval=null' });
  });

  it("says once that an endpoint leaves the scenario's emulator block unused", () => {
    const text = `${BASE}emulator: { workers: { max: 1 } }\nmatrix: { load.concurrency: [1, 2] }\n`;
    const loaded = parseScenario(text, 'scenarios/t.yaml', [
      { path: 'target.endpoint', value: 'http://127.0.0.1:9/v2/x', origin: '--endpoint' },
    ]);
    expect(loaded.notes).toEqual([
      "the scenario's emulator: block is ignored: requests go to http://127.0.0.1:9/v2/x (--endpoint)",
    ]);
    expect(parseScenario(text, 'scenarios/t.yaml').notes).toEqual([]);
  });

  it('warns about sampling parameters vLLM does not know, once per name', () => {
    const loaded = parseScenario(
      `${BASE}sampling_params: { max_token: 5, temperature: 0 }\nmatrix: { load.concurrency: [1, 2] }\n`,
      'scenarios/t.yaml',
    );
    expect(loaded.warnings).toEqual([
      `sampling_params.max_token is not one of vLLM's sampling parameters (did you mean "max_tokens"?); it is sent as given (a worker may accept more)`,
    ]);
    // The OpenAI routes read more fields than SamplingParams.
    const openai = parseScenario(
      `${BASE.replace('stream', 'openai')}sampling_params: { max_completion_tokens: 5 }\n`,
      's.yaml',
    );
    expect(openai.warnings).toEqual([]);
  });
});
