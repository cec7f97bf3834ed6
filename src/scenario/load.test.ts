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
      'scenarios/t.yaml: polling.interval: expected a duration such as 250ms, 30s, 2m or a number of milliseconds, got "soon"',
    );
    expect(errorOf(`${BASE}sampling_param: {}\n`)).toBe(
      'scenarios/t.yaml: (top level): unknown field "sampling_param"',
    );
    expect(errorOf(BASE.replace('stream', 'streaming'))).toBe(
      'scenarios/t.yaml: mode: expected one of "sync", "async", "stream", "openai", "openai-stream"',
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

  it('names the flag, not the file, when a flag set the bad field', () => {
    expect(errorOf(BASE, [parseSetFlag('load.concurency=4')])).toBe(
      '--set load.concurency: load: unknown field "concurency"',
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
});
