// --engine and `podbench k6 export` through the CLI: refusals before anything is sent, the
// missing-binary error, and what k6 is handed (a stand-in binary records its arguments,
// environment and files: the API key must be in the environment only).
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, ROOT, runCli, tempDir, writeScenario } from '../support/cli.js';

const QUICK = `name: q
mode: sync
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { concurrency: 2, requests: 4 }
emulator: { timeScale: 50, workers: { min: 1, max: 1 } }
`;

describe('podbench run --engine', () => {
  it('lists every engine', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.stdout).toMatch(/--engine[\s\S]*"native", "autocannon", "k6"/);
  });

  it.each([
    ['k6', 'openai-stream', /k6 reads a response body only whole/],
    ['autocannon', 'stream', /autocannon sends one kind of request per connection/],
    ['autocannon', 'async', /it runs modes sync and openai/],
  ])('%s refuses mode %s with exit 2, before a run folder exists', async (engine, mode, message) => {
    const out = join(tempDir(), 'run');
    const result = await runCli(
      ['run', writeScenario(QUICK), '--engine', engine, '--mode', mode, '--out', out, '--quiet'],
      { env: { K6_BINARY: process.execPath } },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('without a k6 binary: exit 3, how to install it, nothing sent', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(['run', writeScenario(QUICK), '--engine', 'k6', '--out', out, '--quiet'], {
      env: { K6_BINARY: join(tempDir(), 'no-k6-here') },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /is not an executable file; install k6 \(v2\.2\.0\): `go install go\.k6\.io\/k6\/v2@v2\.2\.0`/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('hands k6 the API key in its environment only, never in arguments or files, and no usage report', async () => {
    const capture = tempDir('podbench-fake-k6-');
    const fake = join(capture, 'k6');
    // A stand-in for k6: records what it was given, writes no output (on its stdout) and exits 0.
    writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require('node:fs');
const files = {};
const fifos = [];
for (const name of fs.readdirSync('.')) {
  if (fs.statSync(name).isFIFO()) fifos.push(name);
  else files[name] = fs.readFileSync(name, 'utf8');
}
fs.writeFileSync(${JSON.stringify(join(capture, 'seen.json'))}, JSON.stringify({ argv: process.argv.slice(2), env: process.env, files, fifos }));
`,
    );
    chmodSync(fake, 0o755);
    // MY_SECRET stands for anything else in podbench's environment.
    const result = await runCli(
      ['run', writeScenario(QUICK), '--engine', 'k6', '--out', join(tempDir(), 'run'), '--quiet'],
      {
        env: { K6_BINARY: fake, MY_SECRET: 'sk-fake-0123456789abcdef' },
      },
    );
    expect(result.stderr).not.toMatch(/internal error/);
    const seen = JSON.parse(readFileSync(join(capture, 'seen.json'), 'utf8')) as {
      argv: string[];
      env: Record<string, string>;
      files: Record<string, string>;
      fifos: string[];
    };
    // The embedded emulator gets a fresh random key per run; it must reach k6 through RUNPOD_API_KEY only.
    const runKey = seen.env.RUNPOD_API_KEY as string;
    expect(runKey).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.argv).toEqual(
      expect.arrayContaining(['run', '--no-usage-report', '--no-thresholds', '--log-format', 'raw']),
    );
    // No output of k6's own: the script's events come on its log.
    expect(seen.argv).not.toContain('--out');
    expect(seen.env).toMatchObject({ K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' });
    expect(seen.env.PODBENCH_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/local$/);
    // Nothing else of podbench's environment leaks in.
    expect(seen.env.MY_SECRET).toBeUndefined();
    expect(Object.keys(seen.env).sort()).toEqual([
      'GOGC',
      'GOMEMLIMIT',
      'HOME',
      'K6_AUTO_EXTENSION_RESOLUTION',
      'K6_NO_USAGE_REPORT',
      'PATH',
      'PODBENCH_ENDPOINT_URL',
      'RUNPOD_API_KEY',
      'XDG_CONFIG_HOME',
    ]);
    expect(seen.argv.join(' ')).not.toContain(runKey);
    expect(Object.keys(seen.files).sort()).toEqual(['variant.bodies.json', 'variant.ts']);
    // k6's log comes through a FIFO beside them (not on Windows), named in its arguments.
    if (process.platform !== 'win32') {
      expect(seen.fifos).toEqual(['k6-log.fifo']);
      expect(seen.argv).toContain(`file=${join(seen.env.HOME as string, 'k6-log.fifo')}`);
    }
    for (const text of Object.values(seen.files)) expect(text).not.toContain(runKey);
    // The script's temp folder is gone.
    expect(existsSync(seen.env.HOME as string)).toBe(false);
  });
});

describe('podbench k6 export', () => {
  it('writes the scripts, bodies, README and run.json for one machine', async () => {
    const out = join(tempDir(), 'bundle');
    const result = await runCli(['k6', 'export', writeScenario(QUICK), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['README.md', 'default.bodies.json', 'default.ts', 'k6', 'run.json']);
    // Reported before k6 ran: what to do next, not "the run recorded nothing".
    const early = await runCli(['report', out]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/no k6 outputs under k6\/ yet: run the exported scripts as .*README\.md says/);
  });

  it('runs every example its --help gives', async () => {
    // From the command's definition: --help wraps them to the terminal's width.
    const source = readFileSync(join(ROOT, 'src', 'cli', 'k6.ts'), 'utf8');
    const examples = [...source.matchAll(/'\$0 (k6 export [^']+)'/g)].map((m) => m[1] as string);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const args = example.split(/\s+/);
      args[args.indexOf('--out') + 1] = join(tempDir(), 'bundle');
      const result = await runCli(args);
      expect(result.code, `${example}: ${result.stderr}`).toBe(0);
    }
  });

  it('one script per matrix variant, and a TestRun each for several instances', async () => {
    const out = join(tempDir(), 'bundle');
    const result = await runCli([
      'k6',
      'export',
      writeScenario(`${QUICK}matrix:\n  load.concurrency: [1, 2]\n`),
      '--out',
      out,
      '--instances',
      '3',
    ]);
    expect(result.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.endsWith('.ts'))).toHaveLength(2);
    expect(files.filter((f) => f.startsWith('testrun-'))).toHaveLength(2);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('--execution-segment 2/3:1 --execution-segment-sequence 0,1/3,2/3,1');
    expect(readFileSync(join(out, files.find((f) => f.startsWith('testrun-')) as string), 'utf8')).toContain(
      'parallelism: 3',
    );
  });

  it.each([
    [QUICK, ['--instances', '0'], /--instances: expected a whole number/],
    [QUICK, ['--set', 'mode=openai-stream'], /k6 reads a response body only whole/],
    [QUICK.replace('concurrency: 2', 'rate: 2, arrival: poisson'), [], /no Poisson executor/],
  ])('refuses %#', async (text, flags, message) => {
    const result = await runCli(['k6', 'export', writeScenario(text), '--out', join(tempDir(), 'bundle'), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses a folder that is not empty', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const result = await runCli(['k6', 'export', writeScenario(QUICK), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not empty/);
  });
});
