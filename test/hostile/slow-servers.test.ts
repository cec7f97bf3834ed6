// Servers that answer too slowly to ever finish: a body trickled a byte every 500 ms, a
// /health that trickles, a /health that never answers while the user presses Ctrl-C. Every
// run ends within its configured deadlines (plus slack for a busy machine), with the
// documented exit code and outcome, and the key nowhere.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../support/run-files.js';
import { tempDir } from '../support/cli.js';
import {
  KEY,
  PROCESS_SLACK_MS,
  SLACK_MS,
  expectKeyNowhere,
  expectOneLine,
  hostileScenario,
  runDurationMs,
  json,
  runPodbench,
  startHostileServer,
  useHostileSuite,
  trickle,
  type HostileServer,
} from './support.js';

useHostileSuite();

let server: HostileServer | undefined;

const REQUEST_MS = 3000;
const GRACE_MS = 500;

describe('a body trickled one byte every 500 ms', () => {
  it('ends the request at timeouts.request, as a client timeout, and the run after it', async () => {
    server = await startHostileServer((req, res) => {
      if (req.url?.startsWith('/runsync')) {
        // Headers at once, then a body that never ends: undici's idle timers restart with every byte.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"job-1","status":"COMPL');
        trickle(res, 500);
        return;
      }
      json(res, 200, {});
    });
    const out = join(tempDir(), 'run');
    const scenario = hostileScenario(
      server.endpointUrl,
      `mode: sync\nload: { concurrency: 2, requests: 2 }\ntimeouts: { request: ${REQUEST_MS}ms, http: 60s }\nretry: { maxRetries: 0 }\npolling: { health: 0 }`,
    );
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet', '--grace', `${GRACE_MS}ms`], {
      env: { RUNPOD_API_KEY: KEY },
    });
    // The run on its own clock, and the whole process (node's start and the reports added).
    expect(runDurationMs(out)).toBeLessThan(REQUEST_MS + GRACE_MS + SLACK_MS);
    expect(run.wallMs).toBeLessThan(REQUEST_MS + GRACE_MS + PROCESS_SLACK_MS);
    // Nothing succeeded: the run could not measure the endpoint.
    expect(run.code, run.stderr).toBe(3);
    const records = readRecords(out);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.outcome).toBe('client_timeout');
      expect(record.endMs - (record.sentMs as number)).toBeLessThan(REQUEST_MS + SLACK_MS);
    }
    expectKeyNowhere(run, out);
  });

  it('on an OpenAI stream, ends the stream at timeouts.request however the bytes keep coming', async () => {
    server = await startHostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"id":"x","choices":[{"delta":{"content":"a"}}]}\n\n');
      trickle(res, 500, ':');
    });
    const out = join(tempDir(), 'run');
    const scenario = hostileScenario(
      server.endpointUrl,
      `mode: openai-stream\ninput: { model: m }\nload: { concurrency: 1, requests: 1 }\ntimeouts: { request: ${REQUEST_MS}ms, http: 60s }\npolling: { health: 0 }`,
    );
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: KEY } });
    expect(runDurationMs(out)).toBeLessThan(REQUEST_MS + SLACK_MS);
    expect(run.wallMs).toBeLessThan(REQUEST_MS + PROCESS_SLACK_MS);
    expect(run.code, run.stderr).toBe(3);
    expect(readRecords(out).map((r) => r.outcome)).toEqual(['client_timeout']);
    expectKeyNowhere(run, out);
  });
});

describe('a /health that trickles or never answers', () => {
  it('bounds the preflight by timeouts.http: exit 3, one line, no folder left', async () => {
    server = await startHostileServer(
      (req, res) => {
        if (req.url === '/health') {
          res.writeHead(200, { 'content-type': 'application/json' });
          trickle(res, 500);
          return;
        }
        json(res, 404, {});
      },
      { health: false },
    );
    const out = join(tempDir(), 'run');
    const httpMs = 1500;
    const scenario = hostileScenario(
      server.endpointUrl,
      `mode: sync\nload: { concurrency: 1, requests: 1 }\ntimeouts: { http: ${httpMs}ms }`,
    );
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: KEY } });
    // Two attempts of timeouts.http each, at most, and the pauses between them.
    expect(run.wallMs).toBeLessThan(2 * httpMs + 1750 + PROCESS_SLACK_MS);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+: no complete answer within/);
    expectOneLine(run.stderr);
    expect(existsSync(join(out, 'run.json'))).toBe(false);
    expectKeyNowhere(run, out);
  });

  it('stops the preflight on the first Ctrl-C, within a second and the grace', async () => {
    let asked: () => void = () => undefined;
    const healthAsked = new Promise<void>((resolve) => (asked = resolve));
    server = await startHostileServer(
      (req, res) => {
        if (req.url === '/health') {
          asked();
          return; // never answered
        }
        json(res, 404, {});
      },
      { health: false },
    );
    const out = join(tempDir(), 'run');
    const scenario = hostileScenario(server.endpointUrl, 'mode: sync\nload: { concurrency: 1, requests: 1 }');
    let signalledAt = 0;
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet', '--grace', `${GRACE_MS}ms`], {
      env: { RUNPOD_API_KEY: KEY },
      onSpawn: (child) => {
        void healthAsked.then(() => {
          signalledAt = performance.now();
          child.kill('SIGINT');
        });
      },
    });
    expect(signalledAt).toBeGreaterThan(0);
    // The run's own clock is not ours: what is measured here is from the signal to the exit, on this process's clock.
    expect(performance.now() - signalledAt).toBeLessThan(1000 + GRACE_MS + SLACK_MS);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/interrupted before the run started/);
    expect(existsSync(join(out, 'run.json'))).toBe(false);
  });
});
