// The disk fills while results are written. The run stops sending, cancels every job it
// knows, keeps what was written, ends with one line naming the file and the error and
// exit 3 (not 1, "a check failed"), and leaves no empty or torn report behind.
//
// The full disk is a file-size limit (RLIMIT_FSIZE through the shell's `ulimit -f`): Node
// ignores SIGXFSZ, so a write past the limit fails with EFBIG, as a write to a full disk
// fails with ENOSPC. Both reach the same code: any write error of results.ndjson.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import {
  KEY,
  PROCESS_SLACK_MS,
  expectKeyNowhere,
  filesUnder,
  hostileScenario,
  runDurationMs,
  json,
  runPodbench,
  startHostileServer,
  useHostileSuite,
  type HostileServer,
} from './support.js';

useHostileSuite();

let server: HostileServer | undefined;

describe('a full disk mid-run', () => {
  it('stops, cancels the submitted jobs, exits 3 with one line, leaves nothing torn', async () => {
    let next = 0;
    server = await startHostileServer((req, res) => {
      if (req.url === '/run') {
        const id = `job-${next++}`;
        return json(res, 200, { id, status: 'IN_QUEUE' });
      }
      const id = req.url?.split('/')[2] ?? '';
      if (req.url?.startsWith('/status/')) {
        // Even jobs end at once with a long error (records that fill the file); odd ones run on.
        if (Number(id.slice(4)) % 2 === 0)
          return json(res, 200, { id, status: 'FAILED', error: `${'x'.repeat(280)} ${id}`, delayTime: 1 });
        return json(res, 200, { id, status: 'IN_PROGRESS' });
      }
      if (req.url?.startsWith('/cancel/')) return json(res, 200, { id, status: 'CANCELLED' });
      return json(res, 404, {});
    });
    const out = join(tempDir(), 'run');
    const durationMs = 30_000;
    const scenario = hostileScenario(
      server.endpointUrl,
      `mode: async\nload: { rate: 200, duration: ${durationMs}ms }\npolling: { interval: 50ms, health: 0 }\ntimeouts: { request: 10m }`,
    );
    // 400 blocks of 512 bytes: results.ndjson fills after a few hundred records.
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet', '--grace', '1s'], {
      env: { RUNPOD_API_KEY: KEY },
      shell: 'ulimit -f 400;',
    });
    // Stopped well before the load's own end (the process: started, stopped, reported).
    expect(run.wallMs).toBeLessThan(durationMs + PROCESS_SLACK_MS);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/results\.ndjson: cannot write: file too large \(EFBIG\); the run stopped there/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/internal error/);
    // Every job podbench knew (it polled it) and left running was cancelled; a job whose /run
    // answer was cut by the stop was never known, and ends at its ttl, which every job carries.
    const submitted = server.callsTo('/run');
    expect(submitted.length).toBeGreaterThan(10);
    for (const call of submitted) expect(JSON.parse(call.body).policy).toEqual({ ttl: 610_000 });
    const polled = new Set(server.callsTo('/status/').map((c) => c.route.slice('/status/'.length)));
    const running = [...polled].filter((id) => Number(id.slice(4)) % 2 === 1);
    expect(running.length).toBeGreaterThan(5);
    const cancelled = new Set(server.callsTo('/cancel/').map((c) => c.route.slice('/cancel/'.length)));
    for (const id of running) expect(cancelled.has(id), `${id} cancelled`).toBe(true);
    // What was written is kept; every file that exists is whole; nothing half-written remains.
    expect(readFileSync(join(out, 'results.ndjson'), 'utf8').length).toBeGreaterThan(100_000);
    for (const file of filesUnder(out)) expect(file).not.toMatch(/\.partial-/);
    for (const name of ['run.json', 'summary.json'])
      if (existsSync(join(out, name))) expect(() => JSON.parse(readFileSync(join(out, name), 'utf8'))).not.toThrow();
    if (existsSync(join(out, 'report.html')))
      expect(readFileSync(join(out, 'report.html'), 'utf8').trimEnd()).toMatch(/<\/html>$/);
    expectKeyNowhere(run, out);
    if (existsSync(join(out, 'run.json'))) expect(runDurationMs(out)).toBeLessThan(durationMs / 2);
  });
});
