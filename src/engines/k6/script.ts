// The k6 script generator: a scenario variant (and its k6 plan) in, one TypeScript file for
// k6 out. Deterministic (its one read is the fixed runtime, script-runtime.ts), so the tests
// compare it with golden files and type-check it against @types/k6. Request bodies are not
// in the script: they sit in a JSON file beside it (bodies.ts), built by the same code as
// the native engine's, so both engines send identical requests.
import type { Variant } from '../../scenario/load.js';
import type { K6Executor, K6Plan, K6Stage } from './plan.js';
import { scriptRuntime } from './script-runtime.js';
import type { K6Thresholds } from './thresholds.js';
import { runsyncWaitMs } from '../../scenario/job-policy.js';

export interface ScriptInput {
  scenarioName: string;
  variant: Variant;
  plan: K6Plan;
  /** Submission path under the endpoint, with its query (from buildSubmission). */
  submitPath: string;
  /** File name stem: the script is <stem>.ts, its bodies <stem>.bodies.json, its output k6/<stem>*.json. */
  stem: string;
  /** Default endpoint (PODBENCH_ENDPOINT_URL overrides it); empty when the scenario targets the emulator. */
  endpointUrl: string;
  /** Environment variable the script reads the API key from. */
  apiKeyEnv: string;
  thresholds: K6Thresholds;
  /**
   * An exported script fills the k6-side Trends and failure Rate (for k6's thresholds and
   * summary) and tags every sample with its variant (outputs of several variants merge).
   * podbench's own run skips both, as each costs k6 work on every request, and reads its
   * events from k6's log instead of a JSON output (eventLines; k6 runs without --out).
   */
  forExport: boolean;
}

function ms(value: number): string {
  return `${Math.round(value)}ms`;
}

function stages(list: K6Stage[]): Array<{ duration: string; target: number }> {
  return list.map((s) => ({ duration: ms(s.durationMs), target: s.target }));
}

/** k6's scenario object for an executor (durations as k6 strings). */
export function k6Scenario(executor: K6Executor, gracefulStopMs: number): Record<string, unknown> {
  const gracefulStop = ms(gracefulStopMs);
  switch (executor.executor) {
    case 'shared-iterations':
      return {
        executor: executor.executor,
        vus: executor.vus,
        iterations: executor.iterations,
        maxDuration: ms(executor.maxDurationMs),
        gracefulStop,
      };
    case 'constant-vus':
      return { executor: executor.executor, vus: executor.vus, duration: ms(executor.durationMs), gracefulStop };
    case 'ramping-vus':
      // Ramping down lets requests in flight finish, as podbench's closed loop does.
      return {
        executor: executor.executor,
        startVUs: executor.startVUs,
        stages: stages(executor.stages),
        gracefulRampDown: gracefulStop,
        gracefulStop,
      };
    case 'constant-arrival-rate':
      return {
        executor: executor.executor,
        rate: executor.rate,
        timeUnit: executor.timeUnit,
        duration: ms(executor.durationMs),
        preAllocatedVUs: executor.preAllocatedVUs,
        maxVUs: executor.maxVUs,
        gracefulStop,
      };
    case 'ramping-arrival-rate':
      return {
        executor: executor.executor,
        startRate: executor.startRate,
        timeUnit: executor.timeUnit,
        stages: stages(executor.stages),
        preAllocatedVUs: executor.preAllocatedVUs,
        maxVUs: executor.maxVUs,
        gracefulStop,
      };
    default: {
      const never: never = executor;
      return never;
    }
  }
}

function indentJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function renderK6Script(input: ScriptInput): string {
  const { scenario } = input.variant;
  const mode = scenario.mode;
  if (mode === 'openai-stream') throw new Error('renderK6Script: openai-stream cannot run on k6 (planK6 refuses it)');
  const bodiesFile = `./${input.stem}.bodies.json`;
  const config = {
    scenario: input.scenarioName,
    variant: input.variant.name,
    mode,
    openAiBodies: scenario.input.format === 'openai_chat' || scenario.input.format === 'openai_completions',
    endpointUrl: input.endpointUrl,
    apiKeyEnv: input.apiKeyEnv,
    bodiesFile,
    submitPath: input.submitPath,
    submitName: mode === 'sync' ? 'runsync' : mode === 'openai' ? 'openai' : 'run',
    submitWaitMs: mode === 'sync' ? runsyncWaitMs(scenario) : 0,
    polling: {
      intervalMs: scenario.polling.interval,
      backoff: scenario.polling.backoff,
      maxIntervalMs: scenario.polling.maxInterval,
      waitMs: Math.round(scenario.polling.wait),
    },
    timeouts: { requestMs: scenario.timeouts.request, httpMs: scenario.timeouts.http },
    maxBodyBytes: scenario.limits.maxBodyBytes,
    retry: {
      maxRetries: scenario.retry.maxRetries,
      baseDelayMs: scenario.retry.baseDelay,
      maxDelayMs: scenario.retry.maxDelay,
    },
    warmupIterations: input.plan.warmupIterations,
    warmupMs: input.plan.warmupMs,
    iterationCap: input.plan.iterationCap ?? null,
    k6Metrics: input.forExport,
    eventLines: !input.forExport,
  };
  const options = {
    scenarios: { podbench: k6Scenario(input.plan.executor, input.plan.gracefulStopMs) },
    thresholds: input.thresholds.mapped,
    // Every sample says which variant it belongs to, so outputs of several runs can be merged.
    ...(input.forExport ? { tags: { podbench_variant: input.variant.name } } : {}),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    discardResponseBodies: false,
  };
  const unmapped = input.thresholds.unmapped.map((u) => `//   ${JSON.stringify(u.text)}: ${u.reason}\n`).join('');
  const { configType, runtime, ownRun } = scriptRuntime();
  return `// k6 script for podbench scenario ${JSON.stringify(input.scenarioName)}, variant ${JSON.stringify(input.variant.name)}.
// Generated by \`podbench k6 export\` (or \`podbench run --engine k6\`): change the scenario, not this file.
//
// Run it with plain k6 (v1.0 or later runs TypeScript as it is):
//   K6_NO_USAGE_REPORT=true K6_AUTO_EXTENSION_RESOLUTION=false ${input.apiKeyEnv}=... \\
//     k6 run --no-usage-report --out json=k6/${input.stem}.json ${input.stem}.ts
// The API key comes only from the environment variable ${input.apiKeyEnv}; the endpoint from
// PODBENCH_ENDPOINT_URL when set. Request bodies are in ${bodiesFile}, iteration n
// sending body n (modulo their number). \`podbench report\` turns the JSON output into records.
${unmapped ? `//\n// Scenario thresholds that only podbench evaluates (not k6 thresholds here):\n${unmapped}` : ''}import http from 'k6/http';
import exec from 'k6/execution';
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';

${configType}
const CONFIG: Config = ${indentJson(config)};

export const options: Options = ${indentJson(options)};
${runtime}${input.forExport ? '' : ownRun}`;
}
