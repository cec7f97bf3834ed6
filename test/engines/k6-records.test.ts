// k6 JSON output → records, without k6: hand-written sample lines in the exact shape k6
// writes them, checked against hand-computed records.
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record.js';
import { epochMsOf, isTornJsonLine, parsePointLine, type K6Point } from '../../src/engines/k6/points.js';
import { createRecordBuilder } from '../../src/engines/k6/records.js';

const ORIGIN = Date.parse('2026-11-26T06:00:00Z');

/** A podbench_events sample `ms` after ORIGIN (with microseconds), as k6 writes it. */
function line(
  ms: number,
  event: string,
  metadata: Record<string, string | number>,
  metric = 'podbench_events',
): string {
  const iso = new Date(ORIGIN + Math.floor(ms)).toISOString().replace('Z', '');
  const micro = String(Math.round((ms - Math.floor(ms)) * 1000)).padStart(3, '0');
  const time = `${iso}${micro}000Z`;
  const tags =
    metric === 'podbench_events'
      ? { event, group: '', scenario: 'podbench', podbench_variant: 'v' }
      : { scenario: 'podbench' };
  return JSON.stringify({ metric, type: 'Point', data: { time, value: 1, tags, metadata } });
}

function build(mode: RequestRecord['mode'], lines: string[], notSent: Array<[string, number]> = []): RequestRecord[] {
  const records: RequestRecord[] = [];
  let seq = 100;
  const builder = createRecordBuilder('v', mode, ORIGIN, {
    nextSeq: () => seq++,
    record: (r) => records.push(r),
    notSent: (phase, count) => notSent.push([phase, count]),
  });
  for (const text of lines) {
    const point = parsePointLine(text);
    if (point) builder.push(point);
  }
  builder.finish(9999, 'k6 stopped');
  return records;
}

describe('epochMsOf', () => {
  it('keeps sub-milliseconds (to a quarter of a microsecond: a double near 1.8e12) and honours zones', () => {
    expect(epochMsOf('2026-11-26T06:28:46.581291231Z') - Date.parse('2026-11-26T06:28:46Z')).toBeCloseTo(581.291231, 3);
    expect(epochMsOf('2026-11-26T07:28:46.5+01:00')).toBe(Date.parse('2026-11-26T06:28:46.500Z'));
    expect(epochMsOf('2026-11-26T06:28:46Z')).toBe(Date.parse('2026-11-26T06:28:46Z'));
    expect(epochMsOf('yesterday')).toBeNaN();
  });
});

describe('parsePointLine', () => {
  it('keeps podbench events and dropped iterations, skips the rest and non-JSON lines', () => {
    expect(parsePointLine(line(1, 'sent', { podbench_req: '0' }))).toMatchObject<Partial<K6Point>>({
      metric: 'podbench_events',
      tags: expect.objectContaining({ event: 'sent' }),
    });
    expect(parsePointLine(line(1, '', {}, 'dropped_iterations'))?.metric).toBe('dropped_iterations');
    expect(
      parsePointLine(
        '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-26T06:00:00Z","value":3,"tags":{}}}',
      ),
    ).toBeUndefined();
    expect(
      parsePointLine('{"type":"Metric","data":{"name":"podbench_events","type":"counter"},"metric":"podbench_events"}'),
    ).toBeUndefined();
    expect(parsePointLine('time="2026-11-26T06:00:00Z" level=info msg="podbench_events"')).toBeUndefined();
  });
});

describe('isTornJsonLine', () => {
  it('is true for a line that starts as JSON and does not parse, false for whole JSON and log lines', () => {
    expect(isTornJsonLine('{"broken')).toBe(true);
    expect(isTornJsonLine('{"metric":"podbench_events","type":"Point","data":{"time":"2026')).toBe(true);
    expect(isTornJsonLine('{"metric":"http_reqs","type":"Point","data":{}}')).toBe(false);
    expect(isTornJsonLine('time="2026-11-26T06:28:46Z" level=info msg="done"')).toBe(false);
    expect(isTornJsonLine('')).toBe(false);
  });
});

describe('createRecordBuilder', () => {
  it('sync: times from the sample clock, counts and server fields from the final answer', () => {
    const body = JSON.stringify({
      id: 'j1',
      status: 'COMPLETED',
      delayTime: 3,
      executionTime: 40,
      workerId: 'w',
      output: [{ choices: [{ tokens: ['a b'] }], usage: { input: 7, output: 2 } }],
    });
    const [r] = build('sync', [
      line(10.25, 'sent', { podbench_req: '0', phase: 'warmup' }),
      line(11, 'submitted', { podbench_req: '0', jobId: 'j1' }),
      line(55.5, 'end', { podbench_req: '0', outcome: 'ok', polls: 0, retries: 1, jobId: 'j1', body }),
    ]);
    expect(r).toEqual({
      seq: 100,
      variant: 'v',
      phase: 'warmup',
      mode: 'sync',
      outcome: 'ok',
      scheduledMs: 10.25,
      sentMs: 10.25,
      endMs: 55.5,
      jobId: 'j1',
      delayMs: 3,
      executionMs: 40,
      workerId: 'w',
      promptTokens: 7,
      outputTokens: 2,
      tokenSource: 'usage',
      workerFormat: 'legacy',
      polls: 0,
      retries: 1,
    });
  });

  it('stream: chunks per poll, first token, uncertainty from the last empty poll, end at the terminal poll', () => {
    const batch = (tokens: string[], output: number) =>
      JSON.stringify([{ output: { choices: [{ tokens }], usage: { input: 5, output } } }]);
    const final = JSON.stringify({
      id: 'j',
      status: 'COMPLETED',
      delayTime: 1,
      executionTime: 30,
      workerId: 'w',
      output: [],
    });
    const [r] = build('stream', [
      line(0, 'sent', { podbench_req: '7', phase: 'measure' }),
      line(2, 'submitted', { podbench_req: '7', jobId: 'j' }),
      line(3, 'poll', { podbench_req: '7' }),
      line(4, 'polled', { podbench_req: '7', status: 'IN_QUEUE' }),
      line(8, 'poll', { podbench_req: '7' }),
      line(9, 'polled', { podbench_req: '7', status: 'IN_PROGRESS' }),
      line(9.1, 'inprogress', { podbench_req: '7' }),
      line(13, 'poll', { podbench_req: '7' }),
      line(15, 'polled', { podbench_req: '7', status: 'IN_PROGRESS', items: batch(['a'], 1) }),
      line(20, 'poll', { podbench_req: '7' }),
      line(21, 'polled', { podbench_req: '7', status: 'COMPLETED', items: batch(['b', 'c', 'd'], 4) }),
      line(21.5, 'done', { podbench_req: '7' }),
      line(24, 'end', { podbench_req: '7', outcome: 'ok', polls: 5, retries: 0, jobId: 'j', body: final }),
    ]);
    expect(r).toMatchObject({
      outcome: 'ok',
      sentMs: 0,
      firstTokenMs: 15,
      lastTokenMs: 21,
      // The first token appeared after the poll at 8 ms (the last one without tokens) was sent.
      ttftUncertaintyMs: 7,
      endMs: 21.5,
      chunks: [
        [15, 1],
        [21, 3],
      ],
      outputTokens: 4,
      promptTokens: 5,
      tokenSource: 'usage',
      inProgressSeenMs: 9.1,
      delayMs: 1,
      executionMs: 30,
      polls: 5,
    });
  });

  it('openai: counts from the completion, an error object fails the request', () => {
    const completion = JSON.stringify({
      object: 'chat.completion',
      choices: [{ message: { content: 'hi' } }],
      usage: { prompt_tokens: 9, completion_tokens: 4 },
    });
    const records = build('openai', [
      line(0, 'sent', { podbench_req: '0', phase: 'measure' }),
      line(5, 'end', { podbench_req: '0', outcome: 'ok', polls: 0, retries: 0, body: completion, openAiBodies: 1 }),
      line(1, 'sent', { podbench_req: '1', phase: 'measure' }),
      line(6, 'end', {
        podbench_req: '1',
        outcome: 'http_error',
        httpStatus: 429,
        error: 'HTTP 429: slow down',
        polls: 0,
        retries: 3,
      }),
    ]);
    expect(records[0]).toMatchObject({
      outcome: 'ok',
      workerFormat: 'openai',
      promptTokens: 9,
      outputTokens: 4,
      tokenSource: 'usage',
    });
    expect(records[1]).toMatchObject({
      outcome: 'http_error',
      httpStatus: 429,
      error: 'HTTP 429: slow down',
      retries: 3,
    });
  });

  it('a FAILED job keeps the server error; one without text still says what happened', () => {
    const failed = (error?: string) => JSON.stringify({ id: 'j', status: 'FAILED', ...(error ? { error } : {}) });
    const records = build('async', [
      line(0, 'sent', { podbench_req: '0', phase: 'measure' }),
      line(5, 'end', {
        podbench_req: '0',
        outcome: 'job_failed',
        polls: 2,
        retries: 0,
        jobId: 'j',
        body: failed('boom'),
      }),
      line(0, 'sent', { podbench_req: '1', phase: 'measure' }),
      line(5, 'end', { podbench_req: '1', outcome: 'job_failed', polls: 2, retries: 0, jobId: 'j', body: failed() }),
    ]);
    expect(records.map((r) => r.error)).toEqual(['boom', 'the job ended FAILED (no error text)']);
  });

  it('sync, the lean events of podbench runs: no submitted event, phase and zero counts left out', () => {
    const body = JSON.stringify({
      id: 'j2',
      status: 'COMPLETED',
      output: [{ choices: [{ tokens: ['a b'] }], usage: { input: 3, output: 2 } }],
    });
    const jobs: string[] = [];
    const records: RequestRecord[] = [];
    const builder = createRecordBuilder('v', 'sync', ORIGIN, {
      nextSeq: () => 7,
      record: (r) => records.push(r),
      submitted: (id) => jobs.push(`submitted ${id}`),
      settled: (id) => jobs.push(`settled ${id}`),
      notSent: () => {},
    });
    for (const text of [
      line(1.5, 'sent', { podbench_req: '3' }),
      line(2.75, 'end', { podbench_req: '3', outcome: 'ok', jobId: 'j2', body }),
    ]) {
      const point = parsePointLine(text);
      if (point) builder.push(point);
    }
    expect(records).toEqual([
      expect.objectContaining({
        phase: 'measure',
        outcome: 'ok',
        sentMs: 1.5,
        endMs: 2.75,
        jobId: 'j2',
        polls: 0,
        retries: 0,
      }),
    ]);
    expect(records[0]?.outputTokens).toBe(2);
    // The job tracker still hears of the job, before it settles.
    expect(jobs).toEqual(['submitted j2', 'settled j2']);
  });

  it('dropped iterations are counted, never recorded; requests without an end event end as aborted', () => {
    const notSent: Array<[string, number]> = [];
    const records = build(
      'sync',
      [
        line(0, 'sent', { podbench_req: '0', phase: 'measure' }),
        line(40, '', {}, 'dropped_iterations'),
        line(45, '', {}, 'dropped_iterations'),
        line(50, 'sent', { podbench_req: '1', phase: 'measure' }),
      ],
      notSent,
    );
    expect(notSent).toEqual([
      ['measure', 1],
      ['measure', 1],
    ]);
    expect(records.map((r) => [r.seq, r.outcome, r.scheduledMs])).toEqual([
      [100, 'aborted', 0],
      [101, 'aborted', 50],
    ]);
    expect(records[0]?.error).toBe('k6 stopped');
    expect(records[0]?.sentMs).toBe(0);
  });

  it("a request k6 cancelled itself (it was stopped) ends as aborted with the hook's reason, not as a network error", () => {
    const records: RequestRecord[] = [];
    const hooks = {
      nextSeq: () => records.length,
      record: (r: RequestRecord) => records.push(r),
      notSent: () => {},
    };
    const lines = [
      line(0, 'sent', { podbench_req: '0' }),
      line(10, 'end', { podbench_req: '0', outcome: 'network_error', error: 'context canceled' }),
      line(0, 'sent', { podbench_req: '1' }),
      line(10, 'end', { podbench_req: '1', outcome: 'network_error', error: 'dial tcp: connection refused' }),
    ];
    const stopped = createRecordBuilder('v', 'sync', ORIGIN, { ...hooks, cancelledWhy: () => 'the run stopped' });
    for (const text of lines) stopped.push(parsePointLine(text) as K6Point);
    expect(records.map((r) => [r.outcome, r.error, r.endMs])).toEqual([
      ['aborted', 'the run stopped', 10],
      ['network_error', 'dial tcp: connection refused', 10],
    ]);
    // Without the hook, k6's words stay as they are.
    records.length = 0;
    const plain = createRecordBuilder('v', 'sync', ORIGIN, hooks);
    for (const text of lines) plain.push(parsePointLine(text) as K6Point);
    expect(records.map((r) => r.outcome)).toEqual(['network_error', 'network_error']);
  });
});
