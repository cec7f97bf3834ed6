// Counting tokens with a local tokenizer.json through the CLI, against the embedded
// emulator: synthetic prompts exactly N tokens by it, prompt and output tokens counted by
// it when the server reports no usage (tokenSource tokenizer), usage winning when present,
// and a bad file refused in one line (exit 2) before anything is sent.
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, hasStackTrace, runCli, tempDir, writeScenario } from '../support/cli.js';
import { readCsv, readRecords, readSummary } from '../support/run-files.js';

const SAMPLE = join(ROOT, 'scenarios/data/tokenizer.json');

const SCENARIO = `name: tok
sampling_params: { max_tokens: 12 }
input: { format: prompt, synthetic: { promptTokens: 40, spread: 0 } }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 2, requests: 3 }
emulator:
  timeScale: 40
  network: { roundTrip: 0 }
  workers: { min: 1, max: 1 }
  generation: { eosProbability: 0 }
  rateLimits: { enabled: false }
matrix:
  emulator.worker: [proxy]
  mode: [stream, sync]
`;

describe('podbench run with a tokenizer', () => {
  // --workers 2: the native engine's client threads read the tokenizer themselves.
  it.each([[[]], [['--workers', '2']]])(
    'counts prompts and output by the tokenizer without usage; usage still wins %j',
    async (flags: string[]) => {
      const file = writeScenario(SCENARIO.replace('spread: 0 }', 'spread: 0 }, tokenizer: tok.json'));
      copyFileSync(SAMPLE, join(dirname(file), 'tok.json'));
      const out = join(tempDir(), 'run');
      const result = await runCli(['run', file, '--out', out, '--quiet', ...flags], { timeoutMs: 60_000 });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const records = readRecords(out);
      expect(records).toHaveLength(6);
      for (const r of records) {
        const where = `${r.variant} #${r.seq}`;
        expect(r.outcome, `${where}: ${r.error}`).toBe('ok');
        if (r.mode === 'stream') {
          // The proxy worker streams a native body's text without usage: both counts are the tokenizer's.
          expect(r.tokenSource, where).toBe('tokenizer');
          expect(r.promptTokens, where).toBe(40);
          expect(r.outputTokens, where).toBeGreaterThan(0);
        } else {
          // The whole answer carries usage: the server's counts (the emulator's estimate) win.
          expect(r.tokenSource, where).toBe('usage');
          expect(r.outputTokens, where).toBe(12);
        }
      }
      const summary = readSummary(out);
      const stream = summary.variants.find((v) => v.name.includes('stream'))!;
      expect(stream.tokenSources).toEqual({ tokenizer: 3 });
      expect(stream.metrics.promptTokens.mean).toBe(40);
      const csv = readCsv(out, 'requests.csv');
      expect(csv.rows.filter((row) => row.tokenSource === 'tokenizer')).toHaveLength(3);
    },
  );

  it('takes --tokenizer relative to where podbench runs', async () => {
    const out = join(tempDir(), 'run');
    const file = writeScenario(SCENARIO.replace('mode: [stream, sync]', 'mode: [stream]'));
    const result = await runCli(
      ['run', file, '--tokenizer', 'scenarios/data/tokenizer.json', '--out', out, '--quiet'],
      {
        cwd: ROOT,
      },
    );
    // The flag's path, made absolute, is what the run uses (and says).
    expect(result.stderr).toBe(`podbench: effective: input.tokenizer = ${JSON.stringify(SAMPLE)} (--tokenizer)\n`);
    expect(result.code).toBe(0);
    expect(readRecords(out).map((r) => [r.promptTokens, r.tokenSource])).toEqual([
      [40, 'tokenizer'],
      [40, 'tokenizer'],
      [40, 'tokenizer'],
    ]);
  });

  it('refuses a missing or invalid tokenizer file in one line, exit 2, before sending anything', async () => {
    const bad = writeScenario('{"model": {"type": "BPE"', 'bad.json');
    const cases: Array<[string[], RegExp]> = [
      [
        ['--tokenizer', '/nonexistent/tokenizer.json'],
        /input\.tokenizer: \/nonexistent\/tokenizer\.json: no such file/,
      ],
      [['--tokenizer', bad], /input\.tokenizer: .*bad\.json: not a usable tokenizer\.json: /],
    ];
    for (const [flags, message] of cases) {
      const out = join(tempDir(), 'run');
      const result = await runCli(['run', writeScenario(SCENARIO), ...flags, '--out', out, '--quiet']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(hasStackTrace(result.stderr)).toBe(false);
      expect(existsSync(join(out, 'results.ndjson'))).toBe(false);
    }
    const inFile = await runCli([
      'run',
      writeScenario(SCENARIO.replace('spread: 0 }', 'spread: 0 }, tokenizer: gone.json')),
    ]);
    expect(inFile.code).toBe(2);
    expect(inFile.stderr).toMatch(/scenario\.yaml: input\.tokenizer: .*gone\.json: no such file\n$/);
  });
});
