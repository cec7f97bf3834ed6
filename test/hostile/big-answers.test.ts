// Answers too large to hold: a 200 MB body, an event stream whose one line never ends. The
// request fails as a protocol error that says why, at once, and podbench's peak memory stays
// within a margin of the same run against a normal server (measured here, in this file).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../support/run-files.js';
import { tempDir } from '../support/cli.js';
import {
  KEY,
  PROCESS_SLACK_MS,
  expectKeyNowhere,
  hostileScenario,
  json,
  runPodbench,
  startHostileServer,
  useHostileSuite,
  type HostileServer,
} from './support.js';
import type { ServerResponse } from 'node:http';

useHostileSuite();

let server: HostileServer | undefined;

/** Above a normal run's peak: generous for a busy machine, far below what holding 200 MB takes (over 1 GB before). */
const MEMORY_MARGIN_MB = 150;

const MB = 1024 * 1024;

/** Writes `total` bytes of `fill` as fast as the client reads them (backpressure honoured). */
function pour(res: ServerResponse, total: number, fill: Buffer): void {
  let sent = 0;
  const more = () => {
    while (sent < total && !res.destroyed) {
      sent += fill.length;
      if (!res.write(fill)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

const COMPLETED = (text: string) => ({
  id: 'j',
  status: 'COMPLETED',
  delayTime: 1,
  executionTime: 1,
  output: [{ choices: [{ tokens: [text] }], usage: { input: 1, output: 1 } }],
});

async function run(extra: string, handler: Parameters<typeof startHostileServer>[0]) {
  server = await startHostileServer(handler);
  const out = join(tempDir(), 'run');
  const scenario = hostileScenario(server.endpointUrl, `${extra}\npolling: { health: 0 }\nretry: { maxRetries: 0 }`);
  const result = await runPodbench(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: KEY } });
  expectKeyNowhere(result, out);
  const calls = server.calls;
  await server.close();
  server = undefined;
  return { result, records: readRecords(out), calls };
}

describe('answers too large to hold', () => {
  let baselineMb: number;
  beforeAll(async () => {
    const normal = await run('mode: sync\nload: { concurrency: 1, requests: 1 }', (_req, res) =>
      json(res, 200, COMPLETED('hello')),
    );
    expect(normal.records[0]?.outcome).toBe('ok');
    baselineMb = normal.result.maxRssMb as number;
    expect(baselineMb).toBeGreaterThan(0);
  }, 60_000);

  it('a 200 MB body: a protocol error naming limits.maxBodyBytes, memory near a normal run', async () => {
    const { result, records } = await run('mode: sync\nload: { concurrency: 1, requests: 1 }', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"j","status":"COMPLETED","output":"');
      pour(res, 200 * MB, Buffer.alloc(MB, 'a'));
    });
    expect(records[0]).toMatchObject({ outcome: 'protocol_error' });
    expect(records[0]?.error).toMatch(/passed 16 MB \(limits\.maxBodyBytes\)/);
    expect(result.maxRssMb).toBeLessThan(baselineMb + MEMORY_MARGIN_MB);
    expect(result.wallMs).toBeLessThan(PROCESS_SLACK_MS);
  });

  it('a 200 MB body announced in Content-Length is not read at all', async () => {
    const { records } = await run('mode: sync\nload: { concurrency: 1, requests: 1 }', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(200 * MB) });
      pour(res, 200 * MB, Buffer.alloc(MB, 'a'));
    });
    expect(records[0]?.error).toMatch(/passed 16 MB/);
  });

  it('an event-stream line that never ends: a protocol error, memory near a normal run', async () => {
    const { result, records } = await run(
      'mode: openai-stream\ninput: { model: m }\nload: { concurrency: 1, requests: 1 }',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"choices":[{"delta":{"content":"');
        pour(res, 200 * MB, Buffer.alloc(64 * 1024, 'x'));
      },
    );
    expect(records[0]).toMatchObject({ outcome: 'protocol_error' });
    expect(records[0]?.error).toMatch(/line passed 1048576 characters/);
    expect(result.maxRssMb).toBeLessThan(baselineMb + MEMORY_MARGIN_MB);
  });

  it('a smaller cap from the scenario applies to /stream slices too', async () => {
    const { records, calls } = await run(
      'mode: stream\nload: { concurrency: 1, requests: 1 }\nlimits: { maxSseEventBytes: 4KB }',
      (req, res) => {
        if (req.url === '/run') return json(res, 200, { id: 'j', status: 'IN_QUEUE' });
        if (req.url?.startsWith('/stream/'))
          return json(res, 200, { status: 'IN_PROGRESS', stream: [{ output: `data: ${'y'.repeat(10_000)}` }] });
        return json(res, 200, { id: 'j', status: 'IN_PROGRESS' });
      },
    );
    expect(records[0]).toMatchObject({ outcome: 'protocol_error', jobId: 'j' });
    expect(records[0]?.error).toMatch(/passed 4096 characters/);
    // Given up: the job is cancelled.
    expect(calls.filter((c) => c.route === '/cancel/j')).toHaveLength(1);
  });
});
