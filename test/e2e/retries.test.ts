// The native engine's retry policy, seen from the endpoint: 429 and 5xx answers are sent
// again, other errors are not, the pause before retry k is at least half its backoff
// ceiling min(maxDelay, baseDelay x 2^k) (jitter scales it by 0.5-1), and a Retry-After
// header replaces the backoff. The scripted endpoint stamps each call when it arrives,
// before answering, and podbench waits for the answer before it pauses: so the gap between
// two calls is never shorter than the pause, however busy the machine. Only lower bounds
// are asserted; a slow machine makes gaps longer, never shorter.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { startFakeEndpoint, type Arrival, type FakeEndpoint, type Reply } from '../support/fake-endpoint.js';
import { readRecords, readSummary } from '../support/run-files.js';

/** setTimeout may fire up to a millisecond early against performance.now(); sub-ms pauses are truncated. */
const TIMER_SLACK_MS = 2;

const COMPLETED: Reply = {
  status: 200,
  json: {
    id: 'job-1',
    status: 'COMPLETED',
    delayTime: 5,
    executionTime: 20,
    workerId: 'w1',
    output: [{ choices: [{ tokens: ['hi'] }], usage: { input: 3, output: 1 } }],
  },
};

const SSE: Reply = {
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  text: 'data: {"id":"c1","choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"id":"c1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}\n\ndata: [DONE]\n\n',
};

const error = (status: number, headers?: Record<string, string>): Reply => ({
  status,
  json: { error: `scripted ${status}` },
  ...(headers ? { headers } : {}),
});

let endpoint: FakeEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function run(url: string, settings: string) {
  const out = join(tempDir(), 'run');
  const scenario = writeScenario(`name: retries
target: { endpoint: ${url} }
sampling_params: { max_tokens: 1 }
polling: { health: 0 }
timeouts: { request: 60s, http: 10s }
${settings}`);
  const result = await runCli(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: 'test-key' } });
  return { result, records: readRecords(out), summary: readSummary(out) };
}

/** Milliseconds between consecutive calls. */
function gaps(calls: readonly Arrival[]): number[] {
  return calls.slice(1).map((c, i) => c.atMs - (calls[i] as Arrival).atMs);
}

describe('native engine retries', () => {
  it('retries 429, 500, 502, 503 and 504, with a backoff that doubles', async () => {
    const statuses = [429, 500, 502, 503, 504];
    let n = 0;
    endpoint = await startFakeEndpoint((call) =>
      call.route.startsWith('/runsync')
        ? n < statuses.length
          ? error(statuses[n++] as number)
          : COMPLETED
        : undefined,
    );
    const { result, records, summary } = await run(
      endpoint.endpointUrl,
      'mode: sync\nretry: { maxRetries: 5, baseDelay: 40ms, maxDelay: 10s }\nload: { concurrency: 1, requests: 1 }\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'ok', retries: 5, outputTokens: 1 });
    expect(summary.variants[0]?.counts).toMatchObject({ ok: 1, retries: 5, requestsRetried: 1 });
    const calls = endpoint.callsTo('/runsync');
    expect(calls).toHaveLength(6);
    // Retry k waits at least 0.5 x 40 x 2^k ms: 20, 40, 80, 160, 320.
    for (const [k, gap] of gaps(calls).entries()) {
      expect(gap, `pause before retry ${k + 1}`).toBeGreaterThanOrEqual(20 * 2 ** k - TIMER_SLACK_MS);
    }
  });

  it('does not retry other errors, and stops after maxRetries', async () => {
    let n = 0;
    // The first request gets a 400; the second only 503s.
    endpoint = await startFakeEndpoint((call) =>
      call.route.startsWith('/runsync') ? error(n++ === 0 ? 400 : 503) : undefined,
    );
    const { result, records } = await run(
      endpoint.endpointUrl,
      'mode: sync\nretry: { maxRetries: 2, baseDelay: 5ms, maxDelay: 10ms }\nload: { concurrency: 1, requests: 2 }\n',
    );
    expect(result.code, result.stderr).toBe(3); // no request succeeded
    const bySeq = [...records].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((r) => [r.outcome, r.httpStatus, r.retries])).toEqual([
      ['http_error', 400, 0],
      ['http_error', 503, 2],
    ]);
    expect(endpoint.callsTo('/runsync')).toHaveLength(1 + 3);
  });

  it('waits what Retry-After asks instead of its own backoff', async () => {
    const script = [error(429, { 'retry-after': '0.4' }), error(503, { 'retry-after': '0.25' })];
    let n = 0;
    endpoint = await startFakeEndpoint((call) =>
      call.route.startsWith('/runsync') ? (script[n++] ?? COMPLETED) : undefined,
    );
    // Without Retry-After the pauses would be at most 2 ms.
    const { result, records } = await run(
      endpoint.endpointUrl,
      'mode: sync\nretry: { maxRetries: 3, baseDelay: 1ms, maxDelay: 2ms }\nload: { concurrency: 1, requests: 1 }\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(records[0]).toMatchObject({ outcome: 'ok', retries: 2 });
    const [first, second] = gaps(endpoint.callsTo('/runsync'));
    expect(first).toBeGreaterThanOrEqual(400 - TIMER_SLACK_MS);
    expect(second).toBeGreaterThanOrEqual(250 - TIMER_SLACK_MS);
  });

  it('retries a streamed OpenAI request refused before its first byte, honouring Retry-After', async () => {
    const script = [error(429, { 'retry-after': '0.3' }), error(502)];
    let n = 0;
    endpoint = await startFakeEndpoint((call) =>
      call.route.startsWith('/openai/v1/chat/completions') ? (script[n++] ?? SSE) : undefined,
    );
    const { result, records } = await run(
      endpoint.endpointUrl,
      'mode: openai-stream\ninput: { model: m }\nretry: { maxRetries: 3, baseDelay: 100ms, maxDelay: 10s }\nload: { concurrency: 1, requests: 1 }\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(records[0]).toMatchObject({ outcome: 'ok', retries: 2, outputTokens: 1 });
    const [first, second] = gaps(endpoint.callsTo('/openai/v1/chat/completions'));
    expect(first).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS); // Retry-After
    expect(second).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS); // retry 2: 0.5 x 100 x 2^1
  });
});
