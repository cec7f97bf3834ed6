// Answers that are wrong in a way that must not be counted as anything else: a Retry-After
// past the request's deadline, a status for another job, a status Runpod does not have,
// server timings that cannot be, an OpenAI answer without choices, and (valid, if rare)
// SSE with bare-CR line ends. Each ends as the outcome it is, with the reason, quickly.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCsv, readSummary } from '../support/run-files.js';
import { PROCESS_SLACK_MS, SLACK_MS, json, runAgainstServer, useHostileSuite, type HostileServer } from './support.js';

useHostileSuite();

let server: HostileServer | undefined;

async function runAgainst(extra: string, handler: Parameters<typeof runAgainstServer>[1]) {
  const ran = await runAgainstServer(extra, handler);
  server = ran.server;
  return ran;
}

describe('honest classification', () => {
  it('a 429 whose Retry-After passes the deadline stays a 429, with its Retry-After', async () => {
    const { run, records, durationMs } = await runAgainst(
      'mode: sync\nload: { concurrency: 1, requests: 1 }\ntimeouts: { request: 5s }',
      (_req, res) => json(res, 429, { error: 'slow down' }, { 'retry-after': '3600' }),
    );
    expect(durationMs).toBeLessThan(5000 + SLACK_MS);
    expect(run.wallMs).toBeLessThan(5000 + PROCESS_SLACK_MS);
    expect(run.code).toBe(3);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'http_error', httpStatus: 429, retries: 0 });
    expect(records[0]?.error).toMatch(/Retry-After 3600 s is past the request's deadline/);
  });

  it("a status answer for another job is a protocol error, and podbench's job is cancelled", async () => {
    const { records } = await runAgainst('mode: async\nload: { concurrency: 1, requests: 1 }', (req, res) => {
      if (req.url === '/run') return json(res, 200, { id: 'mine', status: 'IN_QUEUE' });
      if (req.url?.startsWith('/status/'))
        return json(res, 200, { id: 'someone-else', status: 'COMPLETED', output: [] });
      return json(res, 200, {});
    });
    expect(records[0]).toMatchObject({ outcome: 'protocol_error', jobId: 'mine' });
    expect(records[0]?.error).toMatch(/a status answer for job "someone-else", not for "mine"/);
    expect(server?.callsTo('/cancel/mine')).toHaveLength(1);
  });

  it('an unknown status is a protocol error, not a poll until the timeout', async () => {
    const { run, records, durationMs } = await runAgainst(
      'mode: async\nload: { concurrency: 1, requests: 1 }\ntimeouts: { request: 60s }',
      (req, res) => {
        if (req.url === '/run') return json(res, 200, { id: 'j1', status: 'IN_QUEUE' });
        return json(res, 200, { id: 'j1', status: 'MAYBE_LATER' });
      },
    );
    expect(durationMs).toBeLessThan(SLACK_MS);
    expect(run.wallMs).toBeLessThan(PROCESS_SLACK_MS);
    expect(records[0]).toMatchObject({ outcome: 'protocol_error', polls: 1 });
    expect(records[0]?.error).toMatch(/unknown job status "MAYBE_LATER"/);
  });

  it('negative or infinite server timings are protocol errors, kept out of every statistic', async () => {
    let n = 0;
    const { out, records } = await runAgainst('mode: sync\nload: { concurrency: 1, requests: 3 }', (req, res) => {
      if (!req.url?.startsWith('/runsync')) return json(res, 200, {});
      n += 1;
      const timing = n === 1 ? '"delayTime":-5' : n === 2 ? '"delayTime":1e999' : '"delayTime":3';
      // Raw JSON: 1e999 parses as Infinity.
      return json(
        res,
        200,
        `{"id":"j${n}","status":"COMPLETED",${timing},"executionTime":7,"output":[{"choices":[{"tokens":["a"]}],"usage":{"input":1,"output":1}}]}`,
      );
    });
    expect(records.map((r) => r.outcome)).toEqual(['protocol_error', 'protocol_error', 'ok']);
    expect(records[0]?.error).toMatch(/delayTime -5: not a number of milliseconds/);
    expect(records[1]?.error).toMatch(/delayTime Infinity/);
    expect(records[0]?.delayMs).toBeUndefined();
    expect(records[1]?.delayMs).toBeUndefined();
    const summary = readSummary(out);
    expect(summary.variants[0]?.metrics.delayMs).toMatchObject({ count: 1, max: 3 });
    expect(summary.variants[0]?.counts.byOutcome).toEqual({ ok: 1, protocol_error: 2 });
    expect(readFileSync(join(out, 'requests.csv'), 'utf8')).not.toMatch(/(^|,)-?Infinity(,|$)/m);
    expect(readCsv(out, 'requests.csv').rows.map((r) => r.delayMs)).toEqual(['', '', '3']);
  });

  it('an OpenAI answer without choices is a protocol error', async () => {
    const { records } = await runAgainst(
      'mode: openai\ninput: { model: m }\nload: { concurrency: 1, requests: 1 }',
      (_req, res) => json(res, 200, { id: 'cmpl-1', object: 'chat.completion', usage: { completion_tokens: 5 } }),
    );
    expect(records[0]).toMatchObject({ outcome: 'protocol_error', error: 'an OpenAI answer without choices' });
  });

  it('reads SSE with bare-CR line ends, as the format allows', async () => {
    const { run, out, records } = await runAgainst(
      'mode: openai-stream\ninput: { model: m }\nload: { concurrency: 1, requests: 1 }',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (text: string) => `data: {"id":"c1","choices":[{"delta":{"content":"${text}"}}]}\r\r`;
        res.write(chunk('a'));
        res.write(chunk('b'));
        res.write(
          'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\r\rdata: [DONE]\r\r',
        );
        res.end();
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(records[0]).toMatchObject({ outcome: 'ok', outputTokens: 2, tokenSource: 'usage' });
    expect(readCsv(out, 'requests.csv').rows[0]?.outcome).toBe('ok');
  });
});
