// Answers that once broke the k6 engine, each against a small local server:
// - an error field nested 200,000 deep (k6 spun for minutes turning it into JS values, and
//   podbench's reading of a 10,000-deep one overflowed its stack): the record is job_failed
//   with the field's JSON text, cut short;
// - a 200 answer to a submission that cannot be read (cut-off JSON, a corrupt gzip body):
//   the server may have started a job, so it is not sent again (each one a paid job on
//   Runpod); status polls are still retried;
// - an iteration k6 ends itself (its graceful stop ran out) while the run was not stopped: a
//   failure that counts in the error rate, not `aborted` (left out as the run's doing);
// - /stream answers of several MB: k6 passes their text on instead of building their items
//   as JS values (it reached gigabytes).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requireK6, skipWithoutK6 } from '../engines/support.js';
import { tempDir } from '../support/cli.js';
import { readRecords, readSummary } from '../support/run-files.js';
import { hostileScenario, json, KEY, runPodbench, startHostileServer, useHostileSuite } from './support.js';

useHostileSuite();

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

async function runK6(scenario: string, k6: string, env: Record<string, string> = {}) {
  const out = join(tempDir(), 'k6');
  const run = await runPodbench(['run', scenario, '--out', out, '--quiet', '--engine', 'k6', '--grace', '1s'], {
    env: { RUNPOD_API_KEY: KEY, K6_BINARY: k6, ...env },
    killAfterMs: 60_000,
  });
  expect(run.stderr).not.toMatch(/internal error/);
  const records = existsSync(join(out, 'results.ndjson')) ? readRecords(out).sort((a, b) => a.seq - b.seq) : [];
  return { run, out, records };
}

describe.skipIf(skipWithoutK6)('the k6 engine against hostile answers', () => {
  it('reads an error nested 200,000 deep as bounded text, and a nested status as a protocol error', async () => {
    const k6 = requireK6();
    const DEEP = deep(200_000);
    let n = 0;
    const server = await startHostileServer((req, res) => {
      if (!req.url?.startsWith('/runsync')) return json(res, 404, { error: 'no such route' });
      n += 1;
      if (n === 1) return json(res, 200, `{"id":"j1","status":"FAILED","delayTime":5,"error":${DEEP}}`);
      if (n === 2) return json(res, 200, `{"id":"j2","status":${DEEP}}`);
      json(res, 200, `{"id":"j3","status":"FAILED","error":${deep(10_000)}}`);
    });
    const scenario = hostileScenario(
      server.endpointUrl,
      'mode: sync\npolling: { health: 0 }\nretry: { maxRetries: 0 }\ntimeouts: { request: 20s }\nload: { concurrency: 1, requests: 3 }',
    );
    const { run, records } = await runK6(scenario, k6);
    expect(
      records.map((r) => r.outcome),
      run.stderr,
    ).toEqual(['job_failed', 'protocol_error', 'job_failed']);
    for (const r of [records[0], records[2]]) {
      expect(r?.error).toMatch(/^\[\[\[\[/);
      expect(r?.error?.length).toBeLessThanOrEqual(301);
    }
    expect(records[0]).toMatchObject({ jobId: 'j1', delayMs: 5 });
    expect(records[1]?.error).toMatch(/^the submission answer has no job id and status: \{"id":"j2","status":\[\[\[/);
    expect(records[1]?.error?.length).toBeLessThan(200);
  });

  it('reads deeply nested /status and /stream answers without overflowing', async () => {
    const k6 = requireK6();
    const DEEP = deep(20_000);
    for (const mode of ['async', 'stream']) {
      let jobs = 0;
      const server = await startHostileServer((req, res) => {
        const url = req.url ?? '';
        if (url.startsWith('/run')) return json(res, 200, { id: `j${++jobs}`, status: 'IN_QUEUE' });
        const id = url.split('/')[2]?.split('?')[0];
        if (url.startsWith('/status')) return json(res, 200, `{"id":"${id}","status":"FAILED","error":${DEEP}}`);
        if (url.startsWith('/stream')) return json(res, 200, `{"status":"FAILED","stream":[{"output":${DEEP}}]}`);
        json(res, 200, {});
      });
      const scenario = hostileScenario(
        server.endpointUrl,
        `mode: ${mode}\npolling: { health: 0, interval: 50ms }\nretry: { maxRetries: 0 }\nload: { concurrency: 1, requests: 1 }`,
      );
      const { run, records } = await runK6(scenario, k6);
      expect(records, run.stderr).toHaveLength(1);
      const [record] = records;
      if (mode === 'async') {
        expect(record).toMatchObject({ outcome: 'job_failed', jobId: 'j1' });
        expect(record?.error).toMatch(/^\[\[\[\[/);
        expect(record?.error?.length).toBeLessThanOrEqual(301);
      } else {
        // The stream's items are too deep to count: podbench says so rather than count nothing.
        expect(record).toMatchObject({ outcome: 'protocol_error', jobId: 'j1' });
        expect(record?.error).toMatch(/nesting arrays or objects more than/);
      }
      await server.close();
    }
  });

  it('does not send a submission again when its 200 answer cannot be read', async () => {
    const k6 = requireK6();
    let runs = 0;
    let statusCalls = 0;
    const server = await startHostileServer((req, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/run')) {
        runs += 1;
        if (runs === 1) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"id":"j1","status":"IN_QU');
        }
        if (runs === 2) {
          const corrupt = Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]);
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': String(corrupt.length),
          });
          return res.end(corrupt);
        }
        const body = gzipSync(JSON.stringify({ id: `j${runs}`, status: 'IN_QUEUE' }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(body);
      }
      if (url.startsWith('/status')) {
        // The first poll's answer is cut off: a GET is asked again.
        statusCalls += 1;
        if (statusCalls === 1) return (res as ServerResponse).end('{"id":"j3","sta');
        return json(res, 200, { id: 'j3', status: 'COMPLETED', output: [{ choices: [{ tokens: ['a'] }] }] });
      }
      json(res, 200, {});
    });
    const scenario = hostileScenario(
      server.endpointUrl,
      'mode: async\npolling: { health: 0, interval: 50ms }\nretry: { maxRetries: 3, baseDelay: 10ms, maxDelay: 20ms }\nload: { concurrency: 1, requests: 3 }',
    );
    const { run, records } = await runK6(scenario, k6);
    expect(
      records.map((r) => r.outcome),
      run.stderr,
    ).toEqual(['protocol_error', 'protocol_error', 'ok']);
    expect(records[0]?.error).toMatch(/could not be read.*not sent again/);
    expect(records[1]?.error).toMatch(/could not be read.*not sent again/);
    expect(records[2]?.retries).toBe(1);
    expect(server.callsTo('/run').filter((c) => c.method === 'POST')).toHaveLength(3);
    expect(server.callsTo('/cancel')).toHaveLength(0);
  });

  it('records an iteration k6 ended itself, the run not stopped, as a failure', async () => {
    const k6 = requireK6();
    // The job never ends and the script's cancel hangs: the iteration outlives k6's graceful
    // stop. (podbench's own cancel of the job left behind, once k6 has ended, is answered.)
    let cancels = 0;
    const server = await startHostileServer((req, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/cancel') && ++cancels === 1) return;
      if (url.startsWith('/run')) return json(res, 200, { id: 'j1', status: 'IN_QUEUE' });
      if (url.startsWith('/status')) return json(res, 200, { id: 'j1', status: 'IN_PROGRESS' });
      json(res, 200, {});
    });
    const scenario = hostileScenario(
      server.endpointUrl,
      'mode: async\npolling: { health: 0, interval: 50ms }\ntimeouts: { request: 1s }\nload: { concurrency: 1, requests: 1 }',
    );
    const { run, out, records } = await runK6(scenario, k6);
    expect(records, run.stderr).toHaveLength(1);
    expect(records[0]?.outcome).not.toBe('aborted');
    expect(records[0]?.outcome).toBe('client_timeout');
    const counts = readSummary(out).variants[0]?.counts;
    expect(counts?.failed).toBe(1);
    expect(counts?.errorRate).toBe(1);
  });
});

/**
 * A k6 in front of the real one that writes the peak resident memory it saw (VmHWM, in KB)
 * of the k6 process to `file`. Linux only (/proc).
 */
function k6MeasuringMemory(k6: string, file: string): string {
  const path = join(tempDir(), 'k6-hwm.cjs');
  writeFileSync(
    path,
    `#!${process.execPath}
const { spawn } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const child = spawn(${JSON.stringify(k6)}, process.argv.slice(2), { stdio: 'inherit' });
let peak = 0;
const read = () => {
  try {
    const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/' + child.pid + '/status', 'utf8'));
    if (m) peak = Math.max(peak, Number(m[1]));
  } catch {}
};
const timer = setInterval(read, 20);
process.on('SIGINT', () => child.kill('SIGINT'));
child.on('exit', (code, signal) => {
  clearInterval(timer);
  writeFileSync(${JSON.stringify(file)}, String(peak));
  process.exit(code ?? 1);
});
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(skipWithoutK6 || process.platform !== 'linux')('the k6 engine with large /stream answers', () => {
  it('passes their text on without building their items in k6', async () => {
    const k6 = requireK6();
    const ITEMS = 40_000;
    const TOKENS = 28;
    const stream = JSON.stringify(
      Array.from({ length: ITEMS }, () => ({ output: { choices: [{ tokens: Array(TOKENS).fill('tok') }] } })),
    );
    const polls = new Map<string, number>();
    const server = await startHostileServer((req, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/run')) return json(res, 200, { id: 'j1', status: 'IN_QUEUE' });
      if (url.startsWith('/stream')) {
        const n = (polls.get(url) ?? 0) + 1;
        polls.set(url, n);
        return json(res, 200, `{"status":"${n < 3 ? 'IN_PROGRESS' : 'COMPLETED'}","stream":${stream}}`);
      }
      if (url.startsWith('/status')) return json(res, 200, { id: 'j1', status: 'COMPLETED', delayTime: 1 });
      json(res, 200, {});
    });
    const scenario = hostileScenario(
      server.endpointUrl,
      'mode: stream\npolling: { health: 0, interval: 10ms }\nload: { concurrency: 1, requests: 1 }',
    );
    const hwmFile = join(tempDir(), 'k6-hwm');
    const { run, records } = await runK6(scenario, k6MeasuringMemory(k6, hwmFile));
    expect(run.code, run.stderr).toBe(0);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'ok', jobId: 'j1', outputTokens: 3 * ITEMS * TOKENS });
    // Three answers of 8 MB: k6 peaked near 700 MB building their items as JS values and
    // writing them out again, under 300 MB passing their text on.
    const peakMb = Number(readFileSync(hwmFile, 'utf8')) / 1024;
    expect(peakMb).toBeGreaterThan(0);
    expect(peakMb).toBeLessThan(450);
  });
});
