// `podbench run <scenario...>`: the main job.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { MODES } from '../core/record.js';
import { TARGET_APIS } from '../core/target-api.js';
import { LOAD_PROFILES } from '../schedule/load-schema.js';
import { ENGINE_NAMES, MAX_CLIENT_THREADS, type EngineName } from '../engines/types.js';
import type { CheckFormat } from '../checks/render.js';
import { defineCommand } from './command.js';
import { didYouMean } from '../util/did-you-mean.js';
import { checkOutputFlags } from './output-flags.js';
import { duration, overridesFromFlags, type ScenarioFlagArgs } from './scenario-flags.js';

/** scenarios/ shipped with podbench (beside dist/ or src/). */

function bundledScenarioDir(): string {
  for (const relative of ['../../scenarios/', '../../../scenarios/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'quick.yaml'))) return dir;
  }
  return 'scenarios';
}

/** A path, or the name of a bundled scenario ("quick" → scenarios/quick.yaml). */
export function resolveScenarioPath(given: string): string {
  if (existsSync(given)) return given;
  for (const candidate of [`${given}.yaml`, join('scenarios', given), join('scenarios', `${given}.yaml`)]) {
    if (existsSync(candidate)) return candidate;
  }
  const bundled = join(
    bundledScenarioDir(),
    given.endsWith('.yaml') || given.endsWith('.json') ? given : `${given}.yaml`,
  );
  if (existsSync(bundled)) return bundled;
  // Not a file: a mistyped bundled name gets the names there are.
  if (!/[/\\]/.test(given)) {
    const names = bundledScenarioNames();
    throw new UsageError(
      `${given}: no such scenario file, and no bundled scenario of that name${didYouMean(given.replace(/\.(yaml|json)$/, ''), names)}; bundled: ${names.join(', ')}`,
    );
  }
  return given; // the loader says it does not exist
}

/** quick, capacity, ...: the scenarios shipped with podbench, by name. */
export function bundledScenarioNames(): string[] {
  try {
    return readdirSync(bundledScenarioDir())
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
  } catch {
    return [];
  }
}

interface RunArgs extends ScenarioFlagArgs {
  scenario: string[];
  apiKeyFile?: string;
  out?: string;
  engine: string;
  workers?: number;
  quiet: boolean;
  grace: string;
  dashboard: boolean;
  dashboardPort?: number;
  threshold?: string[];
  repeat: number;
  baseline?: string;
  allowScenarioChange: boolean;
  saveBaseline?: string;
  tolerance?: string[];
  tolerances?: string;
  format: CheckFormat;
  markdown?: string;
  junit?: string;
  json?: string;
}

export const runCommand = defineCommand<RunArgs>({
  command: 'run [scenario..]',
  describe: 'Run scenarios against an endpoint (default: the embedded emulator) and write reports',
  builder: (y) =>
    y
      .positional('scenario', {
        describe: 'Scenario files (YAML or JSON), or names of bundled ones (quick, input-formats, ...)',
        type: 'string',
        array: true,
        default: ['quick'],
      })
      .option('endpoint', {
        type: 'string',
        describe:
          'Endpoint URL: https://api.runpod.ai/v2/<id> (any base ending in the id), a local test server (http://127.0.0.1:8000) or a model server (http://host:8000/v1)',
        group: 'Target:',
      })
      .option('target', {
        type: 'string',
        choices: TARGET_APIS,
        describe:
          'What serves --endpoint: runpod (queue API), runpod-local (python handler.py --rp_serve_api), openai (a bare /v1 server); default: told from the URL or asked (docs/targets.md)',
        group: 'Target:',
      })
      .option('model-server', {
        type: 'string',
        describe:
          "The model server's own URL (http://host:8000/v1), for variants of kind openai (scenarios/platform-overhead.yaml)",
        group: 'Target:',
      })
      .option('endpoint-id', { type: 'string', describe: 'Endpoint id on api.runpod.ai', group: 'Target:' })
      .option('api-key-file', {
        type: 'string',
        describe: 'Read the API key from this file instead of the environment',
        group: 'Target:',
      })
      .option('api-key-env', {
        type: 'string',
        describe: 'Environment variable holding the API key (default RUNPOD_API_KEY)',
        group: 'Target:',
      })
      .option('mode', {
        type: 'string',
        choices: MODES,
        describe: 'sync (/runsync), async (/run + /status), stream (/run + /stream), openai, openai-stream',
        group: 'Load:',
      })
      .option('concurrency', { type: 'number', describe: 'Closed loop: requests in flight', group: 'Load:' })
      .option('rate', { type: 'number', describe: 'Open loop: requests per second', group: 'Load:' })
      .option('profile', {
        type: 'string',
        choices: LOAD_PROFILES,
        describe:
          "GuideLLM's profiles: synchronous (one at a time), throughput (all at once), sweep (both, then constant rates between them; --rate N: N benchmarks in all, default 10)",
        group: 'Load:',
      })
      .option('arrival', {
        type: 'string',
        choices: ['constant', 'poisson'],
        describe: 'Open-loop arrivals',
        group: 'Load:',
      })
      .option('requests', { type: 'number', describe: 'Stop after this many measured requests', group: 'Load:' })
      .option('duration', { type: 'string', describe: 'Stop scheduling after this long, e.g. 30s', group: 'Load:' })
      .option('warmup', {
        type: 'string',
        describe: 'Warmup left out of statistics: a request count or a duration (5s)',
        group: 'Load:',
      })
      .option('poll-interval', {
        type: 'string',
        describe: 'Pause between /status or /stream polls, e.g. 250ms',
        group: 'Load:',
      })
      .option('seed', { type: 'number', describe: 'Seed for prompts, arrivals and jitter', group: 'Load:' })
      .option('tokenizer', {
        type: 'string',
        describe:
          'A local tokenizer.json: exact synthetic prompt lengths, and tokens counted by it when the server reports none',
        group: 'Load:',
      })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'Set any scenario field: --set sampling_params.temperature=0 (repeatable)',
        group: 'Load:',
      })
      .option('max-requests', {
        type: 'number',
        describe: 'Budget: stop scheduling after this many requests sent (all variants, warmup included)',
        group: 'Budget:',
      })
      .option('max-duration', {
        type: 'string',
        describe: 'Budget: stop after this long (e.g. 10m); requests in flight get --grace',
        group: 'Budget:',
      })
      .option('max-output-tokens', {
        type: 'number',
        describe: 'Budget: stop scheduling once this many output tokens were generated',
        group: 'Budget:',
      })
      .option('target-rps', {
        type: 'number',
        describe: 'Plan workers and cost for this traffic (req/s), from the capacity found',
        group: 'Answers:',
      })
      .option('gpu-price-per-hour', {
        type: 'number',
        describe: 'GPU price of one worker per hour, for costs',
        group: 'Answers:',
      })
      .option('ttft-target', {
        type: 'string',
        describe: 'TTFT p95 a stream batch setting must meet, e.g. 500ms',
        group: 'Answers:',
      })
      .option('slo', {
        type: 'string',
        array: true,
        describe:
          "SLOs, replacing the scenario's slo: per request for goodput ('ttft<=500ms, e2e<=5s, itl<=50ms') or percentiles for a sweep ('e2eMs.p95 < 2s')",
        group: 'Answers:',
      })
      .option('engine', {
        type: 'string',
        choices: ENGINE_NAMES,
        default: 'native',
        describe: 'Load engine',
        group: 'Run:',
      })
      .option('workers', {
        type: 'number',
        describe:
          'Native engine: client threads that send and time-stamp (each its own event loop). Default: 1, or one per 256 requests in flight up to the cores',
        group: 'Run:',
      })
      .option('out', {
        type: 'string',
        describe: 'Run folder (default reports/<run-id>); must be new or empty',
        group: 'Run:',
      })
      .option('grace', {
        type: 'string',
        default: '10s',
        describe: 'After Ctrl-C, how long requests in flight may finish',
        group: 'Run:',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'No live progress display', group: 'Run:' })
      .option('dashboard', {
        type: 'boolean',
        default: false,
        describe: 'Serve the report page live on 127.0.0.1 while the run goes on (its URL is printed)',
        group: 'Run:',
      })
      .option('dashboard-port', {
        type: 'number',
        describe: 'Port of --dashboard (implies it); default: any free port',
        group: 'Run:',
      })
      .option('threshold', {
        type: 'string',
        array: true,
        describe: "Exit 1 unless this holds: 'ttftMs.p95 < 800ms' (repeatable; adds to the scenario's)",
        group: 'Checks:',
      })
      .option('repeat', {
        type: 'number',
        default: 1,
        describe: 'Run N times; report each metric as mean and 95% confidence interval',
        group: 'Checks:',
      })
      .option('baseline', {
        type: 'string',
        describe: 'Compare with this baseline (or summary.json, run folder); exit 1 on a regression',
        group: 'Checks:',
      })
      .option('allow-scenario-change', {
        type: 'boolean',
        default: false,
        describe:
          'With --baseline: compare even though this run measures another workload (the differing fields are listed)',
        group: 'Checks:',
      })
      .option('save-baseline', {
        type: 'string',
        describe: 'Write this run as a baseline file (only when every check passed)',
        group: 'Checks:',
      })
      .option('tolerance', {
        type: 'string',
        array: true,
        describe: 'Band of a compared metric: warm.ttftMs.p95=15%, errorRate=0.02 (repeatable)',
        group: 'Checks:',
      })
      .option('tolerances', {
        type: 'string',
        describe: 'YAML/JSON file: metrics to compare and their bands',
        group: 'Checks:',
      })
      .options(checkOutputFlags('Checks:'))
      .example('$0 run', 'Run scenarios/quick.yaml on the embedded emulator')
      .example('$0 run quick --endpoint http://127.0.0.1:8000 --mode stream', "A worker on Runpod's local test server")
      .example(
        '$0 run quick --endpoint http://127.0.0.1:8000/v1 --mode openai-stream',
        'A bare OpenAI-compatible server',
      )
      .example('$0 run scenarios/stream-batch-sizes.yaml', 'Compare streaming batch sizes')
      .example(
        'RUNPOD_API_KEY=... $0 run quick --endpoint-id abc123 --mode sync --concurrency 4 --requests 40',
        'A real endpoint',
      )
      .example(
        '$0 run quick --set sampling_params.max_tokens=256 --rate 2 --duration 1m --requests 1000',
        'Open loop at 2 req/s for a minute (quick.yaml stops at 48 requests otherwise)',
      )
      .example(
        '$0 run capacity --target-rps 20 --gpu-price-per-hour 1.19',
        'Find the capacity within the SLOs, plan workers and cost',
      )
      .example(
        "$0 run bench/ci.yaml --threshold 'warm.ttftMs.p95 < 800ms' --baseline baseline.json --junit checks.xml",
        'A CI check: thresholds, a comparison with a baseline, JUnit for the CI',
      ),
  run: async (args) => {
    // Loaded when the command runs, not when the CLI starts: --help and the other commands stay quick.
    const { loadCheckedScenario, runChecked } = await import('../runner/checked-run.js');
    const files = args.scenario.length > 0 ? args.scenario : ['quick'];
    if (args.out !== undefined && files.length > 1)
      throw new UsageError('--out names one run folder; run one scenario at a time with it');
    const graceMs = duration('grace', args.grace) ?? 10_000;
    const port = args.dashboardPort;
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new UsageError(`--dashboard-port: expected a port number (0 to 65535; 0 for any free one), got ${port}`);
    if (args.workers !== undefined) {
      if (!Number.isInteger(args.workers) || args.workers < 1 || args.workers > MAX_CLIENT_THREADS)
        throw new UsageError(
          `--workers: expected a whole number of client threads (1 to ${MAX_CLIENT_THREADS}), got ${args.workers}`,
        );
      if (args.engine !== 'native')
        throw new UsageError(
          `--workers: client threads belong to the native engine; the ${args.engine} engine runs its own (drop --workers or use --engine native)`,
        );
    }
    if (!Number.isInteger(args.repeat) || args.repeat < 1)
      throw new UsageError(`--repeat: expected a whole number of runs (1 or more), got ${args.repeat}`);
    if ((args.baseline !== undefined || args.saveBaseline !== undefined) && files.length > 1) {
      throw new UsageError(
        '--baseline and --save-baseline belong to one scenario; run one scenario at a time with them',
      );
    }
    const outputs = [
      args.format !== 'console' ? `--format ${args.format}` : '',
      args.markdown !== undefined ? '--markdown' : '',
      args.junit !== undefined ? '--junit' : '',
      args.json !== undefined ? '--json' : '',
    ].filter(Boolean);
    if (outputs.length > 0 && files.length > 1)
      throw new UsageError(`${outputs.join(', ')}: the checks of one scenario; run one scenario at a time with them`);
    const overrides = overridesFromFlags(args);
    // Every scenario loads (and its thresholds parse) before the first one sends a request;
    // one scenario is checked by runChecked itself, so it is read once.
    const scenarioFiles = files.map((file) => resolveScenarioPath(file));
    if (scenarioFiles.length > 1)
      for (const scenarioFile of scenarioFiles)
        loadCheckedScenario({ scenarioFile, overrides, thresholds: args.threshold ?? [] });
    let exitCode = 0;
    for (const scenarioFile of scenarioFiles) {
      const outcome = await runChecked({
        scenarioFile,
        overrides,
        engine: args.engine as EngineName,
        ...(args.workers !== undefined ? { workers: args.workers } : {}),
        ...(args.out !== undefined ? { out: args.out } : {}),
        reportsRoot: 'reports',
        env: process.env,
        stdout: process.stdout,
        stderr: process.stderr,
        quiet: args.quiet,
        graceMs,
        ...(args.dashboard || port !== undefined ? { dashboard: { port: port ?? 0 } } : {}),
        ...(args.apiKeyFile !== undefined ? { apiKeyFile: args.apiKeyFile } : {}),
        thresholds: args.threshold ?? [],
        repeat: args.repeat,
        ...(args.baseline !== undefined
          ? { baseline: args.baseline, allowScenarioChange: args.allowScenarioChange }
          : {}),
        ...(args.saveBaseline !== undefined ? { saveBaseline: args.saveBaseline } : {}),
        toleranceFlags: args.tolerance ?? [],
        ...(args.tolerances !== undefined ? { tolerancesFile: args.tolerances } : {}),
        commandLine: process.argv.slice(2),
        format: args.format,
        ...(args.markdown !== undefined ? { markdownFile: args.markdown } : {}),
        ...(args.junit !== undefined ? { junitFile: args.junit } : {}),
        ...(args.json !== undefined ? { jsonFile: args.json } : {}),
      });
      exitCode = Math.max(exitCode, outcome.exitCode);
      if (outcome.exitCode === 3) break;
    }
    return exitCode;
  },
});
