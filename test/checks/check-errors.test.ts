// Bad check input: malformed thresholds and baselines that do not match the run end with a
// clear message and exit 2, before any request is sent, never with a stack trace.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/core/summary.js';
import { hasStackTrace, runCli, tempDir, writeScenario } from '../support/cli.js';

const SCENARIO = `name: mismatch
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { requests: 2 }
emulator: { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1, max: 1 } }
matrix:
  load.concurrency: [1, 2]
`;

const dir = tempDir('podbench-check-errors-');
const scenario = writeScenario(SCENARIO);
const base = join(dir, 'base');

async function expectUsage(args: string[], message: RegExp) {
  const result = await runCli(args, { timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(hasStackTrace(result.stderr)).toBe(false);
  return result;
}

/** base/summary.json with one change, written as a new file. */
function edited(name: string, change: (s: RunSummary & Record<string, unknown>) => void): string {
  const summary = JSON.parse(readFileSync(join(base, 'summary.json'), 'utf8')) as RunSummary & Record<string, unknown>;
  change(summary);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(summary));
  return path;
}

describe('malformed thresholds (exit 2, nothing sent)', () => {
  it('a bad --threshold points at the token', async () => {
    const out = join(dir, 'never');
    const result = await expectUsage(
      ['run', scenario, '--out', out, '--threshold', 'ttftMs.p96 < 800'],
      /^podbench: --threshold "ttftMs\.p96 < 800": unknown statistic "p96" of ttftMs/,
    );
    expect(result.stderr).toContain('\n  ttftMs.p96 < 800\n         ^^^\n');
    expect(existsSync(out)).toBe(false);
  });

  it('a bad threshold in the scenario names the file and entry', async () => {
    const file = writeScenario(`${SCENARIO}thresholds: ["errorRate < 2s"]\n`);
    await expectUsage(
      ['run', file],
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: thresholds\\[0\\] "errorRate < 2s": errorRate is a share`,
      ),
    );
  });

  it('more malformed expressions', async () => {
    await expectUsage(
      ['run', scenario, '--threshold', 'ttftMs.p95 800'],
      /expected a comparison \(<, <=, >, >= or ==\) after ttftMs\.p95, got "800"/,
    );
    await expectUsage(['run', scenario, '--threshold', 'latency.p95 < 800'], /unknown metric "latency\.p95"/);
    await expectUsage(
      ['run', scenario, '--threshold', '[concurrency=8] e2eMs.p95 < 1s'],
      /\[concurrency=8\] matches no variant; the variants are: "concurrency=1", "concurrency=2"/,
    );
    await expectUsage(['run', scenario, '--repeat', '0'], /--repeat: expected a whole number of runs/);
  });
});

describe('malformed SLOs (exit 2, no run folder)', () => {
  it('--slo without a unit names the flag and the missing unit', async () => {
    const out = join(dir, 'never-slo');
    const result = await expectUsage(
      ['run', scenario, '--out', out, '--slo', 'ttft<=500'],
      /^podbench: --slo "ttft<=500": the limit 500 has no unit: write 500ms or 500s\n$/,
    );
    expect(result.stderr).not.toContain('run.json');
    expect(existsSync(out)).toBe(false);
  });

  it("a scenario's slo[i] names the file and entry", async () => {
    const file = writeScenario(`${SCENARIO}slo: ["e2e<=5s", "ttft<=500"]\n`);
    const out = join(dir, 'never-slo-file');
    await expectUsage(['run', file, '--out', out], /: slo\[1\] "ttft<=500": the limit 500 has no unit/);
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown name gets a "did you mean", and points to docs/ci.md, not the README', async () => {
    await expectUsage(
      ['run', scenario, '--slo', 'tft<=500ms'],
      /unknown per-request SLO metric "tft" \(did you mean "ttft"\?\)/,
    );
    const tolerance = await expectUsage(
      ['compare', base, base, '--tolerance', 'ttfMs.p95=10%'],
      /did you mean ttftMs\.p95\?/,
    );
    expect(tolerance.stderr).not.toContain('README');
    await expectUsage(
      ['compare', base, base, '--metric', 'bogus'],
      /unknown metric "bogus" \(docs\/ci\.md lists every name\)/,
    );
  });
});

describe('baselines that do not match (exit 2)', () => {
  beforeAll(async () => {
    const result = await runCli(['run', scenario, '--out', base, '--quiet'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
  }, 90_000);

  it('another scenario', async () => {
    const other = edited('other.json', (s) => (s.run.scenario.name = 'something-else'));
    await expectUsage(
      ['compare', other, base],
      /is scenario "something-else", .* is scenario "mismatch": compare runs of the same scenario/,
    );
  });

  it('missing variants', async () => {
    const fewer = edited('fewer.json', (s) => (s.variants = s.variants.slice(0, 1)));
    await expectUsage(
      ['compare', fewer, base],
      /variants differ: .*base has variant "concurrency=2" the baseline lacks/,
    );
    await expectUsage(
      ['compare', base, fewer],
      /variants differ: .*fewer\.json lacks variant "concurrency=2" of the baseline/,
    );
  });

  it('another schema version', async () => {
    const old = edited('old.json', (s) => (s.schemaVersion = 0));
    await expectUsage(['compare', old, base], /old\.json: schemaVersion 0, this podbench reads 1/);
  });

  it('another workload, naming every field that differs, unless allowed', async () => {
    const changed = edited('changed.json', (s) => {
      for (const v of s.run.variants) {
        const effective = v.effective as { sampling_params: Record<string, unknown>; emulator: { timeScale: number } };
        effective.sampling_params.max_tokens = 32;
        effective.emulator.timeScale = 10;
      }
    });
    const refused = await expectUsage(['compare', changed, base], /measured something else than .*changed\.json/);
    expect(refused.stderr).toContain('variant "concurrency=1": emulator.timeScale 10 → 50');
    expect(refused.stderr).toContain('variant "concurrency=1": sampling_params.max_tokens 32 → 4');
    expect(refused.stderr).toContain('variant "concurrency=2": sampling_params.max_tokens 32 → 4');
    expect(refused.stderr).toContain('--allow-scenario-change');
    const allowed = await runCli(['compare', changed, base, '--allow-scenario-change']);
    expect(allowed.code, allowed.stderr).toBe(0);
    // Allowed, the comparison still says what differs.
    expect(allowed.stdout).toContain('sampling_params.max_tokens 32 → 4');
  });

  it('an edited scenario file that measures the same passes (the effective values decide)', async () => {
    const comment = edited('comment.json', (s) => (s.run.scenario.sha256 = '0'.repeat(64)));
    const result = await runCli(['compare', comment, base]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('files from before run.json kept the effective scenario: the file hash and the load in words', async () => {
    const old = (name: string, change: (s: RunSummary) => void) =>
      edited(name, (s) => {
        for (const v of s.run.variants) delete v.effective;
        change(s);
      });
    const changed = old('old-changed.json', (s) => (s.run.scenario.sha256 = '0'.repeat(64)));
    await expectUsage(['compare', changed, base], /the scenario file "mismatch" changed .*--allow-scenario-change/);
    const allowed = await runCli(['compare', changed, base, '--allow-scenario-change']);
    expect(allowed.code, allowed.stderr).toBe(0);
    const other = old(
      'old-other-load.json',
      (s) => (s.run.variants[0]!.load = 'closed loop, concurrency 64, 9 requests'),
    );
    await expectUsage(
      ['compare', other, base],
      /variant "concurrency=1" ran under another load: .*"closed loop, concurrency 64, 9 requests"/,
    );
    expect((await runCli(['compare', other, base, '--allow-scenario-change'])).code).toBe(0);
  });

  it('run --baseline refuses a mismatched baseline before sending anything', async () => {
    const fewer = edited('fewer-run.json', (s) => (s.variants = s.variants.slice(0, 1)));
    const out = join(dir, 'never-run');
    await expectUsage(
      ['run', scenario, '--out', out, '--baseline', fewer],
      /variants differ: this run has variant "concurrency=2" the baseline lacks/,
    );
    expect(existsSync(out)).toBe(false);
    await expectUsage(
      ['run', scenario, '--out', out, '--concurrency', '3', '--baseline', join(base, 'summary.json')],
      /variants differ/,
    );
    expect(existsSync(out)).toBe(false);
    const load = await expectUsage(
      ['run', scenario, '--out', out, '--requests', '3', '--baseline', join(base, 'summary.json')],
      /this run measured something else/,
    );
    expect(load.stderr).toContain('variant "concurrency=1": load.requests 2 → 3');
    expect(existsSync(out)).toBe(false);
    const set = await expectUsage(
      [
        'run',
        scenario,
        '--out',
        out,
        '--set',
        'sampling_params.max_tokens=8',
        '--set',
        'emulator.generation.stepMs=30',
        '--baseline',
        join(base, 'summary.json'),
      ],
      /this run measured something else/,
    );
    expect(set.stderr).toContain('emulator.generation.stepMs 22 → 30');
    expect(set.stderr).toContain('sampling_params.max_tokens 4 → 8');
    expect(existsSync(out)).toBe(false);
  });

  it('files that are not podbench results, and bad bands', async () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    await expectUsage(
      ['compare', junk, base],
      /junk\.json: not a podbench summary\.json, aggregate\.json or baseline file/,
    );
    await expectUsage(['compare', join(dir, 'nope.json'), base], /nope\.json: no such file or folder/);
    await expectUsage(['compare', dir, base], /no summary\.json or aggregate\.json in this folder/);
    await expectUsage(['compare', base, base, '--tolerance', 'warm.e2eMs.p95=lots'], /"lots" is not a tolerance/);
  });
});
