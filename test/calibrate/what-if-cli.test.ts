// podbench what-if through the CLI on plain (uncalibrated) emulator settings: the answer
// says the model's error is unknown; bad input is one clear line and exit 2.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runCli, tempDir, writeScenario } from '../support/cli.js';

const settings = `generation: { stepMs: 20, stepMsPerSequence: 1, prefillMsPerToken: 0.1, jitter: 0, eosProbability: 0 }
workers: { concurrency: 4, coldStart: 3s, idleTimeout: 5s }
`;
const traffic = `name: t
mode: stream
input: { synthetic: { promptTokens: 100, spread: 0 } }
sampling_params: { max_tokens: 50 }
load: { rate: 4, duration: 60s }
`;

function files(): { model: string; scenario: string; out: string } {
  const dir = tempDir();
  const model = join(dir, 'emulator.yaml');
  writeFileSync(model, settings);
  return { model, scenario: writeScenario(traffic), out: join(dir, 'what-if') };
}

describe('podbench what-if', () => {
  it('answers on plain settings, and says the error is unknown', async () => {
    const f = files();
    const result = await runCli(
      [
        'what-if',
        '--calibration',
        f.model,
        '--scenario',
        f.scenario,
        '--slo',
        'ttftMs.p95 < 1s',
        '--search',
        'workers.min=0..2',
        '--search',
        'workers.max=1..2',
        '--seeds',
        '1',
        '--out',
        f.out,
      ],
      { timeoutMs: 120_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/not calibrated/);
    expect(result.stdout).toMatch(/error is unknown/);
    const json = JSON.parse(readFileSync(join(f.out, 'what-if.json'), 'utf8'));
    // min 0..2 × max 1..2, less min 2 with max 1.
    expect(json.candidates).toHaveLength(5);
    expect(json.finding.recommended.meets).toBe(true);
    for (const c of json.candidates) expect(c.slo[0].errorShare).toBeNull();
  });

  it('exit 1 when no setting meets the SLOs', async () => {
    const f = files();
    const result = await runCli(
      [
        'what-if',
        '--calibration',
        f.model,
        '--scenario',
        f.scenario,
        '--slo',
        'ttftMs.p95 < 1ms',
        '--search',
        'workers.max=1',
        '--seeds',
        '1',
        '--out',
        f.out,
      ],
      { timeoutMs: 120_000 },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/none of the 1 settings tried meets the SLOs/);
  });

  it.each([
    [
      ['--slo', 'ttftMs.p95 < 1s', '--search', 'generation.stepMs=1,2'],
      /--search generation.stepMs=1,2: what-if searches the endpoint's settings/,
    ],
    [['--slo', 'ttftMs.p77 < 1s'], /--slo/],
    [['--search', 'workers.max=2'], /what-if needs SLOs/],
    [
      ['--slo', 'ttftMs.p95 < 1s', '--search', 'workers.max=0'],
      /--search workers.max=0: workers.max: expected a number at least 1/,
    ],
    [['--slo', 'ttftMs.p95 < 1s', '--seeds', '0'], /--seeds/],
  ])('bad input %#: one line, exit 2', async (extra, message) => {
    const f = files();
    const result = await runCli([
      'what-if',
      '--calibration',
      f.model,
      '--scenario',
      f.scenario,
      '--out',
      f.out,
      ...extra,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it.each([
    ['- { at: 0, rate: 1 }\n- { at: 24h, rate: 50 }\n', [], /the rate curve: more than 1,000,000 requests/],
    [
      '- { at: 0, rate: 1 }\n- { at: 1h, rate: 1e9 }\n',
      [],
      /\[1\]: rate 1000000000: at most 100,000 requests per second/,
    ],
    [
      '- { at: 0, rate: 1 }\n- { at: 1h, rate: 2 }\n',
      ['--prompt-tokens', '99999999'],
      /--prompt-tokens: expected a whole number of tokens from 1 to 1,000,000/,
    ],
    ['- { at: 0, rate: 1 }\n- { at: 1h, rate: 2 }\n', ['--max-tokens', '2.5'], /--max-tokens: expected a whole number/],
  ])(
    'a rate curve or token count past the limits %#: one line, exit 2, nothing simulated',
    async (curve, extra, message) => {
      const f = files();
      const path = join(tempDir(), 'curve.yaml');
      writeFileSync(path, curve);
      const args = ['what-if', '--calibration', f.model, '--rate-curve', path, '--slo', 'ttftMs.p95 < 1s'];
      const result = await runCli([...args, '--out', f.out, ...extra]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(hasStackTrace(result.stderr)).toBe(false);
    },
  );

  it('a calibration.json edited past use: exit 2, named', async () => {
    const dir = tempDir();
    const path = join(dir, 'calibration.json');
    writeFileSync(path, JSON.stringify({ format: 'podbench-calibration', version: 1, settings: {} }));
    const result = await runCli(['what-if', '--calibration', dir, '--slo', 'e2eMs.p95 < 1s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/calibration.json: no source .*the file was edited or damaged/);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('a calibration that is not there: exit 2', async () => {
    const result = await runCli(['what-if', '--calibration', join(tempDir(), 'nope'), '--slo', 'e2eMs.p95 < 1s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no such file or folder/);
  });
});

describe('podbench calibrate, bad input', () => {
  it('not a run folder: exit 2', async () => {
    const result = await runCli(['calibrate', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a podbench run folder/);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
