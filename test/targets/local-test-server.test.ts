// podbench against Runpod's own local test server (runpod 1.12.0: python handler.py
// --rp_serve_api) serving test/fixtures/runpod-local/handler.py, a generator that answers in
// worker-vllm's legacy shape. Each mode makes that server's calls (POST /runsync; /run then
// POST /status; /run then POST /stream) and every request ends ok with the handler's token
// counts; stream mode keeps no token times (the server gives every partial at once), and the
// summary says so instead of reporting a TTFT.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readMeta, readRecords, readSummary } from '../support/run-files.js';
import { describePython, freePort, pythonMissing, startPythonServer, type PythonServer } from '../support/python.js';

const MAX_TOKENS = 40;
// Prompts of 7 and 4 words: the handler counts words as prompt tokens.
const PROMPTS = ['Write a story about a small robot.', 'Name four rivers.'];
const WORDS = PROMPTS.map((p) => p.split(' ').length);
const SCENARIO = `name: local
input: { format: prompt, file: prompts.jsonl }
sampling_params: { max_tokens: ${MAX_TOKENS} }
load: { concurrency: 2, requests: 4 }
`;

function scenarioFile(): string {
  const file = writeScenario(SCENARIO);
  writeFileSync(join(dirname(file), 'prompts.jsonl'), PROMPTS.map((prompt) => JSON.stringify({ prompt })).join('\n'));
  return file;
}

describePython("Runpod's local test server (runpod 1.12.0)", pythonMissing('runpod'), () => {
  let server: PythonServer;
  beforeAll(async () => {
    const port = await freePort();
    server = await startPythonServer(
      [
        'test/fixtures/runpod-local/handler.py',
        '--rp_serve_api',
        '--rp_api_host',
        '127.0.0.1',
        '--rp_api_port',
        String(port),
      ],
      `http://127.0.0.1:${port}`,
      '/openapi.json',
    );
  }, 150_000);
  afterAll(() => server?.stop());

  async function run(mode: string, extra: string[] = []) {
    const out = join(tempDir(), 'run');
    const result = await runCli(
      ['run', scenarioFile(), '--endpoint', server.url, '--mode', mode, '--out', out, '--quiet', ...extra],
      { timeoutMs: 120_000, env: { RUNPOD_API_KEY: '' } },
    );
    expect(result.code, `${result.stderr}\n${server.output().slice(-2000)}`).toBe(0);
    return { out, result, records: readRecords(out), summary: readSummary(out), meta: readMeta(out) };
  }

  function expectCounted(records: ReturnType<typeof readRecords>) {
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.outcome).toBe('ok');
      expect(r.jobId).toMatch(/^test-/);
      expect(r.outputTokens).toBe(MAX_TOKENS);
      expect(WORDS).toContain(r.promptTokens);
      expect(r.tokenSource).toBe('usage');
      expect(r.workerFormat).toBe('legacy');
      // No queue there: no server times, and none made up.
      expect(r.delayMs).toBeUndefined();
      expect(r.executionMs).toBeUndefined();
    }
  }

  it('sync: one POST /runsync per request, told from the URL alone', async () => {
    const { records, meta, result, summary } = await run('sync');
    expectCounted(records);
    for (const r of records) expect(r.polls).toBe(0);
    expect(meta.target.api).toBe('runpod-local');
    expect(meta.variants[0]?.target).toEqual({ api: 'runpod-local', host: new URL(server.url).host });
    expect(result.stderr).toMatch(/is Runpod's local test server/);
    expect(summary.variants[0]?.notMeasured).toMatchObject({ delayMs: 'no-server-timing' });
  }, 150_000);

  it('async: POST /run stores, one POST /status runs the job and answers', async () => {
    const { records } = await run('async', ['--target', 'runpod-local']);
    expectCounted(records);
    for (const r of records) {
      expect(r.polls).toBe(1);
      // /run said IN_PROGRESS of a job it only stored: not taken as a pickup.
      expect(r.inProgressSeenMs).toBeUndefined();
    }
  }, 150_000);

  it('stream: POST /stream gives every partial at once, so no TTFT is reported', async () => {
    const { records, summary, result } = await run('stream', ['--target', 'runpod-local']);
    expectCounted(records);
    for (const r of records) {
      expect(r.polls).toBe(1);
      expect(r.streamedWhole).toBe(true);
      expect(r.firstTokenMs).toBeUndefined();
      expect(r.chunks).toBeUndefined();
    }
    const v = summary.variants[0]!;
    expect(v.metrics.ttftMs.count).toBe(0);
    expect(v.notMeasured).toMatchObject({ ttftMs: 'whole-answer', tpotMs: 'whole-answer' });
    expect(result.stdout).toMatch(/not measured: ttftMs.*one piece/);
  }, 150_000);

  it('a /v2/<id> URL on it: points to the root, where its routes are', async () => {
    const result = await runCli(
      ['run', scenarioFile(), '--endpoint', `${server.url}/v2/my-endpoint`, '--mode', 'sync'],
      {
        timeoutMs: 60_000,
        env: { RUNPOD_API_KEY: '' },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`is Runpod's local test server, which serves its routes at the root`);
    expect(result.stderr).toContain(`use --endpoint ${server.url}`);
  }, 90_000);

  it('refuses the OpenAI modes, which the local test server does not have', async () => {
    const result = await runCli(
      ['run', scenarioFile(), '--endpoint', server.url, '--target', 'runpod-local', '--mode', 'openai'],
      { timeoutMs: 60_000 },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/local test server has no \/openai routes/);
  }, 90_000);
});
