// The k6 script generator: golden files (any change fails; UPDATE_GOLDEN=1 rewrites them
// after a deliberate change), a type-check of every generated script against @types/k6,
// and bodies identical to the native engine's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { k6ExportFiles, type ExportFile } from '../../src/engines/k6/export.js';
import { k6RunArgs } from '../../src/engines/k6/index.js';
import { dropsIterations, planK6 } from '../../src/engines/k6/plan.js';
import { renderK6Script } from '../../src/engines/k6/script.js';
import { k6Thresholds } from '../../src/engines/k6/thresholds.js';
import { buildSubmission } from '../../src/scenario/payload.js';
import { createPromptSource } from '../../src/scenario/prompts.js';
import { parseScenario } from '../../src/scenario/load.js';
import { ROOT, tempDir } from '../support/cli.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: Record<string, string> = {
  'sync-closed': `name: sync-closed
mode: sync
input: { synthetic: { promptTokens: 64 } }
sampling_params: { max_tokens: 32, temperature: 0 }
load: { concurrency: 4, requests: 40, warmup: 4 }
thresholds: ["ttftMs.p95 < 800ms", "e2eMs.p50 <= 2s", "errorRate < 1%", "warm.e2eMs.p95 < 3s", "outputTokensPerSec > 100"]
`,
  'async-open': `name: async-open
mode: async
input: { format: prompt, synthetic: { promptTokens: 32 } }
polling: { interval: 250ms, backoff: 1.5, maxInterval: 2s }
load: { rate: 2.5, duration: 1m, warmup: 10s }
retry: { maxRetries: 5 }
timeouts: { request: 5m }
`,
  'stream-stages': `name: stream-stages
mode: stream
stream: { max_batch_size: 10 }
polling: { wait: 10s }
load: { concurrency: 1, warmup: 5s, stages: [{ duration: 30s, concurrency: 16 }, { duration: 30s, concurrency: 16 }] }
`,
  'openai-endpoint': `name: openai-endpoint
target: { endpointId: abc123, apiKeyEnv: MY_RUNPOD_KEY }
mode: openai
input: { format: openai_chat, model: my-model }
load: { rate: 10, duration: 2m, stages: [{ duration: 1m, rate: 50 }] }
`,
};

function exportCase(name: string, instances = 1): Promise<ExportFile[]> {
  const loaded = parseScenario(CASES[name] as string, `scenarios/${name}.yaml`);
  return k6ExportFiles(loaded, { instances });
}

/** The script `podbench run --engine k6` writes for a case: its events as log lines, with setup() and handleSummary(). */
function ownRunScript(name: string): string {
  const variant = parseScenario(CASES[name] as string, `scenarios/${name}.yaml`).variants[0]!;
  const planned = planK6(variant);
  if (!planned.ok) throw new Error(planned.problems.join('\n'));
  return renderK6Script({
    scenarioName: name,
    variant,
    plan: planned.plan,
    submitPath: '/run',
    stem: 'variant',
    endpointUrl: '',
    apiKeyEnv: 'RUNPOD_API_KEY',
    thresholds: k6Thresholds(variant.scenario.thresholds, variant.name),
    forExport: false,
  });
}

function file(files: ExportFile[], path: string): string {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return found.text;
}

function golden(name: string, text: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) throw new Error(`${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/engines to create it`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, text);
  }
  expect(text, `${name} changed; if that is intended, UPDATE_GOLDEN=1 rewrites it`).toBe(readFileSync(path, 'utf8'));
}

describe('renderK6Script', () => {
  it.each(Object.keys(CASES))('%s matches its golden script', async (name) => {
    golden(`${name}.ts.golden`, file(await exportCase(name), 'default.ts'));
  });

  it('a two-instance export matches its golden README and k6-operator TestRun', async () => {
    const files = await exportCase('sync-closed', 2);
    golden('sync-closed-x2.README.md.golden', file(files, 'README.md'));
    golden('sync-closed-x2.testrun.yaml.golden', file(files, 'testrun-default.yaml'));
  });

  it("podbench's own runs write events as log lines and add setup() and handleSummary(); exports do not", async () => {
    const own = ownRunScript('sync-closed');
    const exported = file(await exportCase('sync-closed'), 'default.ts');
    expect(own).toContain('"eventLines": true');
    expect(own).toContain('"k6Metrics": false');
    expect(own).toMatch(/^export function setup\(\)/m);
    expect(own).toMatch(/^export function handleSummary\(/m);
    expect(exported).toContain('"eventLines": false');
    expect(exported).not.toMatch(/^export function (setup|handleSummary)\(/m);
  });

  it('every generated script type-checks against @types/k6 (strict)', async () => {
    const dir = tempDir('podbench-k6-tsc-');
    const names = Object.keys(CASES);
    for (const name of names) writeFileSync(join(dir, `${name}.ts`), file(await exportCase(name), 'default.ts'));
    // podbench's own runs, of every case that k6 can run.
    const own = names.filter((name) => planK6(parseScenario(CASES[name] as string, 'x.yaml').variants[0]!).ok);
    expect(own.length).toBeGreaterThanOrEqual(3);
    for (const name of own) writeFileSync(join(dir, `${name}.own.ts`), ownRunScript(name));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2020',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2020'],
          types: ['k6'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          noUnusedLocals: true,
          noUnusedParameters: true,
          noImplicitReturns: true,
          noUncheckedIndexedAccess: true,
        },
        files: [...names.map((n) => `${n}.ts`), ...own.map((n) => `${n}.own.ts`)],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')],
      { encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  it("k6 keeps its end-of-test summary only where podbench reads it: the executor's dropped iterations", () => {
    const summaryOff = (yaml: string) => {
      const planned = planK6(parseScenario(yaml, 'x.yaml').variants[0]!);
      if (!planned.ok) throw new Error(planned.problems.join('\n'));
      const args = k6RunArgs('variant.ts', { summary: dropsIterations(planned.plan.executor) });
      return args.includes('--summary-mode=disabled');
    };
    // Closed loops by time (constant-vus, ramping-vus) drop nothing.
    expect(summaryOff('name: c\nload: { concurrency: 4, duration: 10s }')).toBe(true);
    expect(summaryOff(CASES['stream-stages'] as string)).toBe(true);
    // A count of requests (shared-iterations: its maxDuration drops the rest) and an open loop
    // (constant-arrival-rate): the summary's dropped_iterations become not-sent counts.
    expect(summaryOff(CASES['sync-closed'] as string)).toBe(false);
    expect(summaryOff(CASES['async-open'] as string)).toBe(false);
  });

  it('holds no API key, only the name of the variable that has it', async () => {
    const script = file(await exportCase('openai-endpoint'), 'default.ts');
    expect(script).toContain('__ENV[CONFIG.apiKeyEnv]');
    expect(script).toContain('"apiKeyEnv": "MY_RUNPOD_KEY"');
    expect(script).toContain('"endpointUrl": "https://api.runpod.ai/v2/abc123"');
  });
});

describe('k6 request bodies', () => {
  it('body n is exactly the native engine request n', async () => {
    const loaded = parseScenario(CASES['sync-closed'] as string, 'scenarios/sync-closed.yaml');
    const variant = loaded.variants[0]!;
    const bodies = JSON.parse(file(await k6ExportFiles(loaded, { instances: 1 }), 'default.bodies.json')) as string[];
    expect(bodies).toHaveLength(44);
    const prompts = await createPromptSource(variant.scenario, loaded.file);
    for (const [n, body] of bodies.entries()) {
      expect(JSON.parse(body)).toEqual(buildSubmission(variant.scenario, prompts.at(n), undefined).body);
    }
  });

  it('OpenAI bodies need a model: from the scenario or --model', async () => {
    const loaded = parseScenario('name: m\nmode: openai\nload: { concurrency: 1, requests: 2 }', 'm.yaml');
    await expect(k6ExportFiles(loaded, { instances: 1 })).rejects.toThrow(
      /set input.model in the scenario or pass --model/,
    );
    const bodies = JSON.parse(
      file(await k6ExportFiles(loaded, { instances: 1, model: 'x' }), 'default.bodies.json'),
    ) as string[];
    expect(JSON.parse(bodies[0]!)).toMatchObject({ model: 'x' });
  });
});
