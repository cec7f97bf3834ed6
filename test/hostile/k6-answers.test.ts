// Answers the k6 engine must read as the native engine does. Its script passes a valid
// answer to podbench on one log line, after turning the answer's tabs and line breaks into
// spaces (runtime/k6-runtime.ts): a pretty-printed answer with tabs and CRLF must still be
// the same JSON, and an answer that is not a JSON object must still be a protocol error.
// Both engines run the same requests one at a time against the same server; their records
// must agree request by request.
import { describe, expect, it } from 'vitest';
import { requireK6, skipWithoutK6 } from '../engines/support.js';
import { readRecords } from '../support/run-files.js';
import { tempDir } from '../support/cli.js';
import { hostileScenario, json, KEY, runPodbench, startHostileServer, useHostileSuite } from './support.js';
import { join } from 'node:path';

useHostileSuite();

const completed = (n: number) => ({
  id: `sync-${n}`,
  status: 'COMPLETED',
  delayTime: 12,
  executionTime: 34,
  output: [{ choices: [{ tokens: ['a\tb', ' c\r\n'] }], usage: { input: 4, output: 2 } }],
});

/** The answers, in turn: pretty-printed with tabs and CRLF, compact, not JSON, JSON but not an object. */
const ANSWERS: Array<(n: number) => string> = [
  (n) => JSON.stringify(completed(n), null, '\t').replace(/\n/g, '\r\n'),
  (n) => JSON.stringify(completed(n)),
  () => '{"status": "COMPLETED", "output": [',
  () => '["COMPLETED"]',
];

describe.skipIf(skipWithoutK6)('the k6 engine reads answers as the native engine does', () => {
  it('pretty-printed answers with tabs and CRLF, compact ones, and answers that are not JSON objects', async () => {
    const k6 = requireK6();
    let n = 0;
    const server = await startHostileServer((req, res) => {
      if (!req.url?.startsWith('/runsync')) return json(res, 404, { error: 'no such route' });
      const answer = ANSWERS[n % ANSWERS.length] as (n: number) => string;
      json(res, 200, answer(n++));
    });
    const scenario = hostileScenario(
      server.endpointUrl,
      'mode: sync\nsampling_params: { max_tokens: 2 }\npolling: { health: 0 }\nretry: { maxRetries: 0 }\nload: { concurrency: 1, requests: 8 }',
    );
    const byEngine: Record<string, Array<Record<string, unknown>>> = {};
    for (const engine of ['native', 'k6']) {
      n = 0;
      const out = join(tempDir(), engine);
      const run = await runPodbench(['run', scenario, '--out', out, '--quiet', '--engine', engine], {
        env: { RUNPOD_API_KEY: KEY, K6_BINARY: k6 },
      });
      expect(run.code, run.stderr).toBe(0);
      byEngine[engine] = readRecords(out)
        .sort((a, b) => a.seq - b.seq)
        .map((r) => ({
          outcome: r.outcome,
          jobId: r.jobId,
          outputTokens: r.outputTokens,
          delayMs: r.delayMs,
          executionMs: r.executionMs,
        }));
    }
    const outcomes = (byEngine.native ?? []).map((r) => r.outcome);
    expect(outcomes).toEqual(Array(2).fill(['ok', 'ok', 'protocol_error', 'protocol_error']).flat());
    expect(byEngine.native?.[0]).toMatchObject({ jobId: 'sync-0', outputTokens: 2, delayMs: 12, executionMs: 34 });
    expect(byEngine.k6).toEqual(byEngine.native);
  });
});
