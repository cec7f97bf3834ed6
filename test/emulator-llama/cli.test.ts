// `podbench emulate --backend llama` and `podbench run` with `emulator: { backend: llama }`,
// as a user runs them (the built CLI; npm test builds first), and the one clear message when
// the model file or the node-llama-cpp package is missing.
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, hasStackTrace, runCli, tempDir, writeScenario } from '../support/cli.js';
import { readRecords } from '../support/run-files.js';
import { describeLlama } from './support.js';

describeLlama('podbench with the llama backend', () => {
  it('emulate --backend llama: one line with the URL on stdout, the model on stderr, real tokens, exit 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'emulate', '--backend', 'llama', '--workers-min', '1', '--token-delay-ms', '1'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('\n')) {
          clearTimeout(timer);
          resolve((stdout.split('\n')[0] as string).replace('podbench emulator listening on ', ''));
        }
      });
    });
    const r = (await (
      await fetch(`${url}/runsync`, {
        method: 'POST',
        body: '{"input":{"prompt":"Once upon a time","sampling_params":{"max_tokens":8,"temperature":0}}}',
      })
    ).json()) as any;
    expect(r.output[0].choices[0].tokens[0]).toMatch(/^, there was a little/);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /llama backend: .*stories260K\.gguf \(chat template: General; per worker 30 parallel sequences of 2048 tokens, 1 thread, \+1 ms per decode step\)/,
    );
  });

  it('emulate --backend llama --model with a missing file: exit 2, one line naming it', async () => {
    const result = await runCli(['emulate', '--backend', 'llama', '--model', 'no/such/model.gguf'], {
      timeoutMs: 20_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^podbench: llama\.model: .*no\/such\/model\.gguf does not exist/);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('run: a stream scenario on the llama backend measures real tokens end to end', async () => {
    const scenario = writeScenario(`name: llama-stream
mode: stream
input: { format: prompt, synthetic: { promptTokens: 24 } }
sampling_params: { max_tokens: 20, temperature: 0.8, ignore_eos: true }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 3, requests: 6 }
emulator:
  backend: llama
  workers: { min: 1, max: 1 }
  rateLimits: { enabled: false }
seed: 1
`);
    const out = join(tempDir(), 'run');
    const result = await runCli(['run', scenario, '--out', out, '--quiet'], { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const records = readRecords(out);
    expect(records).toHaveLength(6);
    for (const r of records) {
      expect(r.outcome, r.error).toBe('ok');
      expect(r.outputTokens).toBe(20);
      expect(r.tokenSource).toBe('usage');
      // Each /stream poll returns the batches made since the last one: the running totals
      // are always ends of the worker's 1, 3, 9, ... batches.
      let total = 0;
      for (const [, tokens] of r.chunks!) {
        total += tokens;
        expect([1, 4, 13, 20]).toContain(total);
      }
      expect(total).toBe(20);
      expect(r.promptTokens).toBeGreaterThan(24); // the real tokenizer: a 512-token vocabulary spells more
      expect(r.firstTokenMs!).toBeGreaterThan(r.sentMs!);
    }
  });
});

describe('the llama backend without node-llama-cpp', () => {
  it('fails with exit 2 and the command that installs it', async () => {
    // A copy of podbench whose node_modules has everything but node-llama-cpp.
    const root = tempDir('podbench-nollama-');
    cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'podbench', type: 'module' }));
    mkdirSync(join(root, 'node_modules'));
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry === '.podbench-llama' || entry === 'node-llama-cpp') continue;
      symlinkSync(join(ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
    }
    writeFileSync(join(root, 'model.gguf'), 'GGUF'); // only looked up (stat), never loaded here
    const result = spawnSync(
      process.execPath,
      [join(root, 'bin', 'podbench.js'), 'emulate', '--backend', 'llama', '--model', 'model.gguf'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /the llama backend needs node-llama-cpp 3\.21\.1, which a plain npm install leaves out\. Install it once with `npm run install:llama`/,
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
