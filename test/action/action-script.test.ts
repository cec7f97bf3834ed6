// The GitHub Action's steps (action/podbench-check.sh, run by action.yml) against the
// embedded emulator, as the action runs them: set up, check without a baseline (saving one),
// check a slower endpoint against it (a regression: exit code 1 in the step's outputs, the
// Markdown verdict in the job summary, JUnit written), and the verdict step failing the job.
// GitHub's files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STEP_SUMMARY) are temp files here; `gh`
// is a stand-in on PATH, so nothing leaves the machine.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeScenario } from '../support/cli.js';
import { CHECK_SCENARIO } from '../checks/scenario.js';

const SCRIPT = join(ROOT, 'action', 'podbench-check.sh');

interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  env: string;
}

function step(command: string, env: Record<string, string>, cwd: string, timeoutMs = 120_000): Promise<StepResult> {
  const output = join(cwd, `output-${command}-${Math.random().toString(36).slice(2)}`);
  const githubEnv = join(cwd, `env-${command}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(githubEnv, '');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, command], {
      cwd,
      env: { ...process.env, GITHUB_OUTPUT: output, GITHUB_ENV: githubEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`podbench-check.sh ${command} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const outputs = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      resolve({ code, stdout, stderr, outputs, env: readFileSync(githubEnv, 'utf8') });
    });
  });
}

const work = tempDir('podbench-action-');
const scenario = writeScenario(CHECK_SCENARIO, 'ci.yaml');
const summaryFile = join(work, 'step-summary.md');
const saved = join(work, '.podbench', 'baseline.json');
const downloaded = join(work, 'artifact');
let first: StepResult;
let slower: StepResult;

describe('the GitHub Action script against the emulator', () => {
  beforeAll(async () => {
    writeFileSync(summaryFile, '');
    first = await step(
      'check',
      {
        PODBENCH_SCENARIO: scenario,
        PODBENCH_OUT: join(work, 'first'),
        PODBENCH_SAVE_BASELINE: saved,
        PODBENCH_BASELINE: join(work, 'not-in-the-repo.json'),
        PODBENCH_BASELINE_DIR: join(work, 'no-artifact-yet'),
        GITHUB_STEP_SUMMARY: summaryFile,
      },
      work,
    );
    // The next workflow run downloads the artifact the first one uploaded.
    mkdirSync(downloaded, { recursive: true });
    writeFileSync(join(downloaded, 'baseline.json'), readFileSync(saved));
    slower = await step(
      'check',
      {
        PODBENCH_SCENARIO: scenario,
        PODBENCH_OUT: join(work, 'slower'),
        PODBENCH_BASELINE_DIR: downloaded,
        PODBENCH_ARGS: '--set emulator.generation.stepMs=200 --allow-scenario-change',
        GITHUB_STEP_SUMMARY: summaryFile,
      },
      work,
    );
  }, 300_000);

  it('setup finds podbench built and exports where it is', async () => {
    const result = await step('setup', {}, work);
    expect(result.code, result.stderr).toBe(0);
    expect(result.env).toBe(`PODBENCH_BIN=${join(ROOT, 'bin', 'podbench.js')}\n`);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('check without a baseline runs the thresholds, saves the baseline and passes', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.outputs).toMatchObject({ 'exit-code': '0', 'report-dir': join(work, 'first'), baseline: '' });
    expect(existsSync(saved)).toBe(true);
    expect(first.stdout).toContain('no baseline yet');
    expect(readFileSync(first.outputs.junit!, 'utf8')).toContain('<testsuites name="podbench ci-check"');
  });

  it('check against the downloaded baseline finds the slower endpoint worse, without failing the step', () => {
    expect(slower.code, slower.stderr).toBe(0); // the verdict step fails the job, after the uploads
    expect(slower.outputs['exit-code']).toBe('1');
    expect(slower.outputs.baseline).toBe(join(downloaded, 'baseline.json'));
    const junit = readFileSync(slower.outputs.junit!, 'utf8');
    expect(junit).toMatch(
      /<testcase classname="podbench\.ci-check\.compare\.default" name="warm\.tpotMs\.p50">\s*<failure type="regression"/,
    );
    expect(existsSync(join(work, 'slower', 'report.html'))).toBe(true);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('podbench: no baseline to compare with yet (thresholds only).');
    expect(summary).toMatch(/### ❌ podbench checks: ci-check[\s\S]*#### Compared with the baseline[\s\S]*🔴 worse/);
  });

  it('verdict fails the job on a regression and passes it otherwise', async () => {
    const failed = await step('verdict', { PODBENCH_EXIT_CODE: slower.outputs['exit-code']! }, work);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('::error title=podbench::a threshold failed or a metric regressed');
    const passed = await step('verdict', { PODBENCH_EXIT_CODE: '0' }, work);
    expect(passed.code).toBe(0);
    const bad = await step('verdict', { PODBENCH_EXIT_CODE: '2' }, work);
    expect(bad.code).toBe(2);
  });

  it('find-baseline gives the run holding the newest artifact, or none', async () => {
    const bin = join(work, 'fake-gh');
    mkdirSync(bin, { recursive: true });
    const gh = join(bin, 'gh');
    // A stand-in for the GitHub CLI: prints what `gh api ... --jq` would, and records its arguments.
    writeFileSync(gh, `#!/usr/bin/env bash\necho "$*" > "${join(work, 'gh-args')}"\nprintf '%s' "$FAKE_GH_IDS"\n`);
    chmodSync(gh, 0o755);
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_REPOSITORY: 'acme/models',
      PODBENCH_ARTIFACT: 'podbench-baseline',
    };
    const found = await step(
      'find-baseline',
      { ...env, FAKE_GH_IDS: '4242\n4100\n', PODBENCH_BASELINE_BRANCH: 'main' },
      work,
    );
    expect(found.code, found.stderr).toBe(0);
    expect(found.outputs['run-id']).toBe('4242');
    const args = readFileSync(join(work, 'gh-args'), 'utf8');
    expect(args).toContain('repos/acme/models/actions/artifacts?name=podbench-baseline');
    expect(args).toContain('.workflow_run.head_branch == "main"');
    const none = await step('find-baseline', { ...env, FAKE_GH_IDS: '' }, work);
    expect(none.code).toBe(0);
    expect(none.outputs['run-id']).toBe('');
    expect(none.stdout).toContain('this check runs without a baseline');
  });

  it('action.yml runs every step of the script with the inputs it declares', () => {
    const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; steps: Array<{ run?: string; env?: Record<string, string>; uses?: string }> };
    };
    expect(action.runs.using).toBe('composite');
    const runs = action.runs.steps.flatMap((s) => (s.run ? [s.run] : []));
    for (const command of ['setup', 'find-baseline', 'check', 'verdict'])
      expect(runs, command).toContain(`bash "$GITHUB_ACTION_PATH/action/podbench-check.sh" ${command}`);
    // Every input an env entry reads is declared, and the key reaches podbench through the environment only.
    const used = action.runs.steps
      .flatMap((s) => Object.values(s.env ?? {}))
      .flatMap((v) => [...v.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]));
    for (const input of used) expect(Object.keys(action.inputs), input).toContain(input);
    const check = action.runs.steps.find((s) => s.run?.endsWith(' check'))!;
    expect(check.env?.RUNPOD_API_KEY).toMatch(/^\$\{\{ inputs\.api-key \}\}$/);
    expect(runs.join('\n')).not.toContain('api-key');
  });
});
