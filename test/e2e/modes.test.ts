// Every mode and every input format, through the CLI, against the embedded emulator in both
// worker formats: each request completes, with the token counts, times and server fields
// its mode can give.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { csvRows, readRecords, readSummary } from '../support/run-files.js';

// 5 ms polls pass Runpod's /stream limit, which the emulator enforces: off here.
const EMULATOR = `emulator:
  timeScale: 40
  workers: { min: 1, max: 1 }
  generation: { eosProbability: 0 }
  rateLimits: { enabled: false }
`;

function scenario(modes: string[], formats: string[]): string {
  return `name: modes
sampling_params: { max_tokens: 12, temperature: 0.5 }
input: { synthetic: { promptTokens: 40 } }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 2, requests: 3 }
${EMULATOR}matrix:
  emulator.worker: [legacy, proxy]
  mode: [${modes.join(', ')}]
  input.format: [${formats.join(', ')}]
`;
}

async function runAndRead(text: string) {
  const out = join(tempDir(), 'run');
  const result = await runCli(['run', writeScenario(text), '--out', out, '--quiet'], { timeoutMs: 120_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { out, records: readRecords(out), summary: readSummary(out), stdout: result.stdout };
}

describe('podbench run, every mode and input format', () => {
  it('native modes (sync, async, stream) with all five input formats', async () => {
    const formats = ['messages', 'prompt', 'prompt_chat_template', 'openai_chat', 'openai_completions'];
    const { out, records, summary } = await runAndRead(scenario(['sync', 'async', 'stream'], formats));
    expect(summary.variants).toHaveLength(2 * 3 * 5);
    expect(records).toHaveLength(2 * 3 * 5 * 3);
    for (const r of records) {
      const where = `${r.variant} #${r.seq}`;
      expect(r.outcome, `${where}: ${r.error}`).toBe('ok');
      expect(r.jobId, where).toBeTypeOf('string');
      expect(r.delayMs, where).toBeTypeOf('number');
      expect(r.executionMs, where).toBeTypeOf('number');
      expect(r.workerId, where).toBeTypeOf('string');
      expect(r.outputTokens, where).toBeGreaterThan(0);
      expect(r.sentMs!).toBeGreaterThanOrEqual(r.scheduledMs);
      expect(r.endMs).toBeGreaterThan(r.sentMs!);
      const proxy = r.variant.includes('worker=proxy');
      const openAiBody = r.variant.includes('openai_');
      if (r.mode === 'stream') {
        expect(r.firstTokenMs, where).toBeGreaterThan(r.sentMs!);
        expect(r.lastTokenMs!).toBeGreaterThanOrEqual(r.firstTokenMs!);
        expect(r.chunks!.length, where).toBeGreaterThan(0);
        expect(r.ttftUncertaintyMs, where).toBeGreaterThanOrEqual(0);
        // The legacy worker counts every batch (usage); a proxy stream of a native body carries no usage.
        if (!proxy && !openAiBody) expect(r.tokenSource, where).toBe('usage');
        const chunkTokens = r.chunks!.reduce((n, [, t]) => n + t, 0);
        if (r.tokenSource === 'usage' && !openAiBody) expect(chunkTokens, where).toBe(r.outputTokens);
      } else {
        expect(r.firstTokenMs, where).toBeUndefined();
        expect(r.tokenSource, where).toBe('usage');
      }
      if (r.mode === 'async') expect(r.polls, where).toBeGreaterThan(0);
      if (!openAiBody) expect(r.workerFormat, where).toBe(proxy ? 'proxy' : 'legacy');
    }
    // The chat template adds tokens to the same prompt.
    const prompt = summary.variants.find((v) => v.name === 'worker=legacy mode=sync format=prompt')!;
    const templated = summary.variants.find((v) => v.name === 'worker=legacy mode=sync format=prompt_chat_template')!;
    expect(templated.metrics.promptTokens.mean!).toBeGreaterThan(prompt.metrics.promptTokens.mean!);
    // One CSV row per record, one summary row per variant.
    expect(csvRows(out, 'requests.csv')).toHaveLength(records.length + 1);
    expect(csvRows(out, 'summary.csv')).toHaveLength(summary.variants.length + 1);
  }, 120_000); // as long as runCli waits: 30 variants on a busy 2-core machine take more than the default 30 s

  it('OpenAI routes, plain and streamed, chat and completions', async () => {
    const { records, summary } = await runAndRead(
      scenario(['openai', 'openai-stream'], ['messages', 'prompt', 'openai_chat', 'openai_completions']),
    );
    expect(summary.variants).toHaveLength(2 * 2 * 4);
    for (const r of records) {
      const where = `${r.variant} #${r.seq}`;
      expect(r.outcome, `${where}: ${r.error}`).toBe('ok');
      expect(r.workerFormat).toBe('openai');
      expect(r.tokenSource, where).toBe('usage'); // include_usage is always asked for
      expect(r.outputTokens, where).toBeGreaterThan(0);
      expect(r.promptTokens, where).toBeGreaterThan(0);
      if (r.mode === 'openai-stream') {
        expect(r.firstTokenMs, where).toBeGreaterThan(r.sentMs!);
        expect(r.chunks!.length, where).toBeGreaterThan(0);
      }
    }
    for (const v of summary.variants) {
      expect(v.counts).toMatchObject({ scheduled: 3, sent: 3, ok: 3, errorRate: 0 });
      expect(v.throughput.outputTokensPerSec).toBeGreaterThan(0);
    }
  }, 120_000);
});
