// Trace files and their replay: offsets read from both layouts, scaled by speedup, and the
// native driver scheduling each request at its offset (scheduled times from the plan, on a
// fake clock: no wall-clock assertion).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drive } from '../../engines/native/driver.js';
import { describeLoad } from '../../schedule/describe.js';
import { plannedRequests, replayArrivals } from '../../schedule/load-plan.js';
import { createRng } from '../../util/rng.js';
import { parseScenario } from '../load.js';
import { parseTimestamp, readTrace } from './trace.js';

const dir = mkdtempSync(join(tmpdir(), 'podbench-trace-'));
const AZURE = [
  'TIMESTAMP,ContextTokens,GeneratedTokens',
  '2023-11-16 18:15:46.6805900,374,44',
  '2023-11-16 18:15:50.9951690,396,109',
  '2023-11-16 18:15:51.0000000,879,55',
  '2023-11-16 18:16:01.2500000,91,16',
].join('\n');
writeFileSync(join(dir, 'azure.csv'), `${AZURE}\n`);
const MOONCAKE = [
  { timestamp: 0, input_length: 6955, output_length: 52, hash_ids: [46, 47] },
  { timestamp: 27482, input_length: 6472, output_length: 26, hash_ids: [46, 48] },
  { timestamp: 30535, input_length: 6478, output_length: 192, hash_ids: [49] },
];
writeFileSync(join(dir, 'mooncake.jsonl'), MOONCAKE.map((l) => JSON.stringify(l)).join('\n'));

/** Offsets of the test traces in ms, computed by hand from their timestamps. */
const AZURE_OFFSETS = [0, 4314.579, 4319.41, 14569.41];
const MOONCAKE_OFFSETS = [0, 27482, 30535];

describe('reading traces', () => {
  it('Azure CSV: offsets from the first TIMESTAMP (7 fractional digits), context and generated tokens', () => {
    const entries = readTrace(join(dir, 'azure.csv'), undefined);
    for (const [i, e] of entries.entries()) expect(e.offsetMs).toBeCloseTo(AZURE_OFFSETS[i] as number, 3);
    expect(entries.map((e) => [e.inputTokens, e.outputTokens])).toEqual([
      [374, 44],
      [396, 109],
      [879, 55],
      [91, 16],
    ]);
  });

  it('Mooncake JSONL: ms timestamps, lengths and hash ids', () => {
    const entries = readTrace(join(dir, 'mooncake.jsonl'), undefined);
    expect(entries.map((e) => e.offsetMs)).toEqual(MOONCAKE_OFFSETS);
    expect(entries[1]).toEqual({ offsetMs: 27482, inputTokens: 6472, outputTokens: 26, hashIds: [46, 48] });
  });

  it('parses timestamps with a space or a T, with or without a fraction', () => {
    expect(parseTimestamp('2023-11-16 18:15:46')).toBe(Date.UTC(2023, 10, 16, 18, 15, 46));
    expect(parseTimestamp('2023-11-16T18:15:46.5Z')).toBe(Date.UTC(2023, 10, 16, 18, 15, 46) + 500);
    expect(parseTimestamp('16/11/2023')).toBeUndefined();
  });

  it.each([
    [
      'bad-time.csv',
      'TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,1,2\n',
      /bad-time\.csv: row 2: TIMESTAMP: expected a date-time/,
    ],
    [
      'bad-len.csv',
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,0,2\n',
      /bad-len\.csv: row 2: ContextTokens: expected a whole number/,
    ],
    [
      'bad.jsonl',
      '{"timestamp": "soon", "input_length": 1, "output_length": 1}\n',
      /bad\.jsonl: line 1: timestamp: expected milliseconds/,
    ],
    ['empty.jsonl', '\n', /empty\.jsonl: the trace has no requests/],
  ])('%s gets one clear message', (name, text, expected) => {
    writeFileSync(join(dir, name), text);
    expect(() => readTrace(join(dir, name), undefined)).toThrow(expected);
  });
});

function replayScenario(load: string, trace = 'azure.csv') {
  return parseScenario(`name: r\ninput: { trace: { file: ${trace} } }\nload: ${load}\n`, join(dir, 'scenario.yaml'))
    .variants[0]!.plan;
}

describe('replay plans', () => {
  it('at its own pace: arrivals are the trace offsets', () => {
    const plan = replayScenario('{ replay: true }');
    for (const [i, ms] of replayArrivals(plan).entries()) expect(ms).toBeCloseTo(AZURE_OFFSETS[i] as number, 3);
    expect(plannedRequests(plan)).toBe(4);
    expect(describeLoad(plan)).toMatch(/^trace replay at the trace's pace: 4 arrivals over 14\.6s/);
  });

  it('time-scaled, and cut by requests and duration', () => {
    const fast = replayScenario('{ replay: { speedup: 4 } }', 'mooncake.jsonl');
    expect(replayArrivals(fast)).toEqual(MOONCAKE_OFFSETS.map((ms) => ms / 4));
    expect(replayArrivals(replayScenario('{ replay: { speedup: 0.5 }, requests: 2 }'))).toHaveLength(2);
    const cut = replayScenario('{ replay: true, duration: 10s }');
    expect(replayArrivals(cut)).toHaveLength(3);
  });

  it('refuses what does not apply to a replay, and a replay without a trace', () => {
    expect(() => replayScenario('{ replay: true, rate: 3 }')).toThrow(/load\.rate: does not apply to a trace replay/);
    expect(() => replayScenario('{ replay: true, warmup: 2 }')).toThrow(/load\.warmup: does not apply/);
    expect(() => parseScenario('name: r\nload: { replay: true }\n', join(dir, 'scenario.yaml'))).toThrow(
      /load\.replay: needs input\.trace/,
    );
  });

  it('the native driver schedules each request at its scaled offset from the start', async () => {
    const plan = replayScenario('{ replay: { speedup: 2 } }');
    // A clock that jumps far ahead on every reading: every arrival is due at once, so nothing
    // waits and the schedule alone decides the scheduled times.
    let now = 0;
    const scheduled: number[] = [];
    let seq = 0;
    await drive(plan, {
      clock: () => (now += 1_000_000),
      stopSignal: new AbortController().signal,
      rng: createRng(1),
      prepare: () => ({ seq: seq++ }),
      release: () => {},
      send: async (_prepared, phase, scheduledMs) => {
        expect(phase).toBe('measure');
        scheduled.push(scheduledMs);
      },
      notSent: () => {},
    });
    expect(scheduled).toHaveLength(4);
    const start = 1_000_000; // the clock's first reading
    // Tolerance: 1 µs (the offsets are computed, not measured).
    for (const [i, ms] of scheduled.entries())
      expect(Math.abs(ms - start - (AZURE_OFFSETS[i] as number) / 2)).toBeLessThan(0.001);
  });
});
