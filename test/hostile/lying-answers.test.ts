// Servers that lie in ways a tester found podbench believed, or choked on: an error nested
// thousands deep (it overflowed JSON.stringify and lost the run), a stream that ends
// COMPLETED for a job /status calls FAILED, a 900 KB error copied into every record, a 200
// to a submission that cannot be read (sent again, it starts another paid job), timings and
// token counts of 1e308, a /cancel that never answers, an endless chunked answer through
// autocannon. Each ends as the record it is, bounded, with the run's reports written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runAgainstServer, useHostileSuite } from './support.js';

useHostileSuite();

const DEEP = '['.repeat(10_000) + ']'.repeat(10_000);
const ERROR_TEXT_MAX = 301; // 300 characters and the ellipsis

describe('answers podbench must not believe, nor choke on', () => {
  it('an error nested 10,000 deep: the job failed, its text bounded, every record kept', async () => {
    const { run, records } = await runAgainstServer('mode: sync\nload: { concurrency: 1, requests: 2 }', (req, res) => {
      if (req.url?.startsWith('/runsync')) return json(res, 200, `{"id":"j1","status":"FAILED","error":${DEEP}}`);
      return json(res, 200, {});
    });
    expect(run.stderr).not.toMatch(/internal error|Maximum call stack/);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.outcome).toBe('job_failed');
      expect(record.error?.startsWith('[[[[')).toBe(true);
      expect(record.error?.length).toBeLessThanOrEqual(ERROR_TEXT_MAX);
    }
  });

  it('the same inside an OpenAI stream event: the request fails, the run goes on', async () => {
    const { run, records } = await runAgainstServer(
      'mode: openai-stream\ninput: { model: m }\nload: { concurrency: 1, requests: 2 }',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"id":"c1","choices":[{"delta":{"content":"a"}}]}\n\n');
        res.end(`data: {"id":"c1","choices":[],"error":${DEEP}}\n\ndata: [DONE]\n\n`);
      },
    );
    expect(run.stderr).not.toMatch(/internal error|Maximum call stack/);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.outcome).toBe('job_failed');
      expect(record.error?.length).toBeLessThanOrEqual(ERROR_TEXT_MAX);
    }
  });

  it('an OpenAI error of 900 KB: cut to 300 characters in the record and on the console', async () => {
    const message = 'x'.repeat(900_000);
    const { run, out, records } = await runAgainstServer(
      'mode: openai\ninput: { model: m }\nload: { concurrency: 2, requests: 6 }',
      (_req, res) =>
        json(res, 200, `{"id":"c","choices":[{"message":{"content":"x"}}],"error":{"message":"${message}"}}`),
    );
    expect(records).toHaveLength(6);
    for (const record of records) {
      expect(record.outcome).toBe('job_failed');
      expect(record.error?.length).toBeLessThanOrEqual(ERROR_TEXT_MAX);
    }
    expect(run.stderr.length + run.stdout.length).toBeLessThan(20_000);
    expect(readFileSync(join(out, 'results.ndjson'), 'utf8').length).toBeLessThan(20_000);
  });

  it('a stream that ends COMPLETED for a job /status calls FAILED: the job failed', async () => {
    let n = 0;
    const { run, records } = await runAgainstServer(
      'mode: stream\nload: { concurrency: 1, requests: 2 }',
      (req, res) => {
        if (req.url === '/run') return json(res, 200, { id: `j${++n}`, status: 'IN_QUEUE' });
        if (req.url?.startsWith('/stream/')) return json(res, 200, { status: 'COMPLETED' });
        if (req.url?.startsWith('/status/'))
          return json(res, 200, { id: req.url.slice('/status/'.length), status: 'FAILED', error: 'boom' });
        return json(res, 200, {});
      },
    );
    expect(records.map((r) => [r.outcome, r.error])).toEqual([
      ['job_failed', 'boom'],
      ['job_failed', 'boom'],
    ]);
    expect(run.code).not.toBe(0);
  });

  it('a /stream answer whose stream is an object, not a list: a protocol error, not an ok without tokens', async () => {
    const { records } = await runAgainstServer('mode: stream\nload: { concurrency: 1, requests: 1 }', (req, res) => {
      if (req.url === '/run') return json(res, 200, { id: 'j1', status: 'IN_QUEUE' });
      if (req.url?.startsWith('/stream/')) return json(res, 200, { status: 'COMPLETED', stream: { output: 'a' } });
      return json(res, 200, { id: 'j1', status: 'COMPLETED' });
    });
    expect(records[0]).toMatchObject({ outcome: 'protocol_error' });
    expect(records[0]?.error).toMatch(/a \/stream answer whose stream is not a list: \{"output":"a"\}/);
  });

  it('a 200 to /run that cannot be read is not sent again (it may be a paid job)', async () => {
    let n = 0;
    const { server, records } = await runAgainstServer(
      'mode: async\nload: { concurrency: 1, requests: 3 }\nretry: { baseDelay: 10ms }',
      (req, res) => {
        if (req.url === '/run') return json(res, 200, `{"id":"job-${++n}","status":"IN_QU`);
        return json(res, 200, {});
      },
    );
    expect(records).toHaveLength(3);
    expect(server.callsTo('/run')).toHaveLength(3);
    for (const record of records) {
      expect(record).toMatchObject({ outcome: 'protocol_error', retries: 0 });
      expect(record.error).toMatch(/not sent again: the endpoint accepted it with HTTP 200/);
    }
  });

  it('timings and token counts of 1e308 are not taken: no Infinity or NaN reaches a report', async () => {
    const { out, records } = await runAgainstServer('mode: sync\nload: { concurrency: 1, requests: 2 }', (req, res) => {
      if (!req.url?.startsWith('/runsync')) return json(res, 200, {});
      return json(
        res,
        200,
        '{"id":"j","status":"COMPLETED","delayTime":1e308,"executionTime":5,"output":[{"choices":[{"tokens":["a"]}],"usage":{"input":3,"output":1e308}}]}',
      );
    });
    for (const record of records) {
      expect(record.outcome).toBe('protocol_error');
      expect(record.error).toMatch(
        /delayTime 1e\+308: not a number of milliseconds \(finite, at least 0, at most 30 days\)/,
      );
    }
    for (const file of ['requests.csv', 'summary.csv', 'summary.json'])
      expect(readFileSync(join(out, file), 'utf8')).not.toMatch(/Infinity|NaN/);
  });

  it('a usage count of 1e308 on an OpenAI answer counts as no count, not as Infinity tokens a second', async () => {
    const { out, records } = await runAgainstServer(
      'mode: openai\ninput: { model: m }\nload: { concurrency: 1, requests: 2 }',
      (_req, res) =>
        json(
          res,
          200,
          '{"id":"c","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1e308}}',
        ),
    );
    for (const record of records) {
      expect(record.outcome).toBe('ok');
      expect(record.outputTokens).toBeUndefined();
    }
    for (const file of ['requests.csv', 'summary.csv', 'summary.json'])
      expect(readFileSync(join(out, file), 'utf8')).not.toMatch(/Infinity|NaN/);
  });

  it('a /cancel that never answers: the run ends, warns, and run.json names the jobs left running', async () => {
    let n = 0;
    const { run, out, records } = await runAgainstServer(
      'mode: async\nload: { concurrency: 2, requests: 2 }\ntimeouts: { request: 1s }',
      (req, res) => {
        if (req.url === '/run') return json(res, 200, { id: `left-${++n}`, status: 'IN_QUEUE' });
        if (req.url?.startsWith('/status/'))
          return json(res, 200, { id: req.url.slice('/status/'.length), status: 'IN_PROGRESS' });
        // /cancel: held open until the server closes.
      },
      ['--grace', '1s'],
    );
    expect(records.map((r) => r.outcome)).toEqual(['client_timeout', 'client_timeout']);
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { jobsLeftRunning?: string[] };
    expect(meta.jobsLeftRunning?.sort()).toEqual(['left-1', 'left-2']);
    expect(run.stderr).toMatch(
      /warning: 2 jobs podbench submitted were not confirmed cancelled and may run on the endpoint \(and cost\)/,
    );
  });

  it('autocannon and an answer that never ends: a timeout, not "HTTP undefined"', async () => {
    const { records } = await runAgainstServer(
      'mode: sync\nload: { concurrency: 1, requests: 1 }\ntimeouts: { request: 3s, http: 1s }',
      (req, res) => {
        if (!req.url?.startsWith('/runsync')) return json(res, 200, {});
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"j","status":');
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      },
      ['--engine', 'autocannon', '--set', 'polling.runsyncWait=1s'],
    );
    // A timeout (autocannon's own, whole seconds), not "HTTP undefined", nor "aborted" at the end.
    expect(records.map((r) => [r.outcome, r.error])).toEqual([
      ['client_timeout', 'no answer within 2 s (timeouts.http plus the /runsync wait)'],
    ]);
  });
});
