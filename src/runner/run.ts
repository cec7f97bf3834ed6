// `podbench run`: one scenario, start to reports. Orchestration and I/O only; what to send
// comes from src/scenario, how from src/engines, the numbers from src/metrics.
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExitCode, RunError, UsageError } from '../core/errors.js';
import type { HealthSample } from '../core/health.js';
import { INPUT_LIMITS } from '../core/input-limits.js';
import type { Phase, RequestRecord } from '../core/record.js';
import { RUN_FILES } from '../core/run-folder.js';
import type {
  AnalysisSettings,
  NotSentReason,
  RunMeta,
  RunProvenance,
  LoopDelay,
  RunSummary,
  RunVariantMeta,
  StreamingSettings,
  VariantSummary,
} from '../core/summary.js';
import type { CheckReport } from '../checks/report.js';
import type { RequestTable } from '../metrics/request-table.js';
import { createSummarizer } from '../metrics/summarize.js';
import { variantSource } from './variant-source.js';
import { DEFAULT_SWEEP_SIZE } from '../schedule/load-schema.js';
import { engines } from '../engines/index.js';
import { runMetaHead } from '../engines/run-meta.js';
import { isLoopback, resolveTarget, type Target } from '../runpod/target.js';
import type { EngineName, VariantRunContext } from '../engines/types.js';
import { thresholdsForRun } from '../checks/thresholds.js';
import { buildReports, type BuildOptions } from './build-reports.js';
import { consoleReport, thresholdsFailed } from '../report/console-report.js';
import { coldStartRuleFor } from '../scenario/cold-rule.js';
import { loadScenarioFile, type LoadedScenario, type Variant } from '../scenario/load.js';
import type { Override } from '../util/override.js';
import { createPromptSource } from '../scenario/prompts.js';
import { tokenizerOf } from '../scenario/tokenizer.js';
import { describeLoad } from '../schedule/describe.js';
import { leftRunningText, type RunJobTracker } from '../runpod/job-tracker.js';
import { unreadSlosNote } from './slo-note.js';
import { formatDurationMs } from '../util/duration.js';
import { openNdjsonSink, type NdjsonSink } from '../util/ndjson-sink.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { describeFsError } from '../util/fs-error.js';
import { cleanText, cleanValue, registerSecret } from '../util/redact.js';
import { plannedRequests } from '../schedule/load-plan.js';
import { cleanRecord } from '../util/clean-record.js';
import { installInterrupt } from './interrupt.js';
import { createBudgetGuard } from './budget.js';
import {
  cancelWaitMs,
  keyEnvFor,
  keyRequired,
  prepareTarget,
  targetProblems,
  type PreparedTarget,
  type TargetSetupArgs,
} from './target-setup.js';
import { startLoopDelay, type LoopDelayMonitor } from '../util/loop-delay.js';
import { startHealthSampler } from './health-sampler.js';
import { startDashboard, type Dashboard } from './dashboard.js';
import { livePage } from './live-page.js';
import { startProgress } from './progress.js';
import { createRunDir, runIdFor } from './run-dir.js';
import { rateLimitWarnings } from '../answers/rate-limits.js';

export interface RunOptions {
  scenarioFile: string;
  overrides: Override[];
  engine: EngineName;
  /** The native engine's client threads (--workers); undefined: from the cores and the load. */
  workers?: number;
  /** Exact run folder; default reports/<run-id>. */
  out?: string;
  reportsRoot: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  quiet: boolean;
  /** How long in-flight requests may finish after an interrupt before they are aborted. */
  graceMs: number;
  /** Read the API key from this file instead of the environment (--api-key-file). */
  apiKeyFile?: string;
  /** --threshold expressions, checked after the scenario's own. */
  thresholds?: string[];
  /** podbench's arguments as typed, for run.json (secrets are removed before it is written). */
  commandLine?: readonly string[];
  /** The run's checks (a baseline comparison), computed once its summary exists, for the page to lead with. */
  compare?: BuildOptions['compare'];
  /** --dashboard: serve the report page live on 127.0.0.1 at this port (0: any free one). */
  dashboard?: { port: number };
}

export interface RunOutcome {
  exitCode: number;
  runDir: string;
  summary: RunSummary;
  /** Each variant's request table (what a comparison resamples). */
  tables: Record<string, RequestTable>;
  /** What `compare` returned. */
  checks?: CheckReport;
}

export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const loaded = loadScenarioFile(options.scenarioFile, options.overrides);
  const engine = engines[options.engine];
  const problems = loaded.variants.flatMap((v) =>
    engine.check(v).map((p) => `${loaded.file} (variant ${v.name}): ${p}`),
  );
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const thresholds = thresholdsForRun(
    loaded.file,
    loaded.variants.map((v) => ({ name: v.name, thresholds: v.scenario.thresholds })),
    options.thresholds ?? [],
  );
  const targets = loaded.variants.map((v) => resolveTarget(v.scenario, loaded.file));
  // A missing key, or a mode the target cannot take, is found before anything is created or sent.
  // (Reading a key registers it with src/util/redact.ts, so provenance below is cleaned of it.)
  loaded.variants.forEach((variant, i) => {
    const t = targets[i] as Target;
    if (t.api === 'detect') return;
    const problems = targetProblems(t.api, variant, engine.name);
    if (problems.length > 0)
      throw new UsageError(problems.map((p) => `${loaded.file} (variant ${variant.name}): ${p}`).join('\n'));
    if (t.kind === 'endpoint' && t.api === 'runpod')
      keyFor(options, keyEnvFor(t.api, t.apiKeyEnv) as string, keyRequired(t.api, t.host));
  });
  for (const note of loaded.notes) options.stderr.write(`podbench: note: ${note}\n`);
  const unread = unreadSlosNote(loaded.variants[0] as Variant);
  if (unread) options.stderr.write(`podbench: note: ${unread}\n`);
  for (const warning of loaded.warnings) options.stderr.write(`podbench: warning: ${warning}\n`);
  const provenance = runProvenance(options);
  // What the flags changed, with the values in force: the console says it, run.json keeps it.
  if (provenance.overrides.length > 0) {
    const list = provenance.overrides.map(
      (o) => `${o.path} = ${o.value === null ? 'null (unset)' : JSON.stringify(o.value)} (${o.origin})`,
    );
    options.stderr.write(cleanText(`podbench: effective: ${list.join(', ')}\n`));
  }

  const startedAt = new Date();
  const runStart = performance.now();
  const clock = () => Math.round((performance.now() - runStart) * 1000) / 1000;
  const source = variantSource(loaded, options.overrides);
  const { dir: runDir, runId } = createRunDir(options.reportsRoot, runIdFor(startedAt, loaded.name), options.out);
  const first = targets[0] as Target;
  const meta: RunMeta = {
    ...runMetaHead(loaded, first, runId, engine.name),
    startedAt: startedAt.toISOString(),
    startedEpochMs: performance.timeOrigin + runStart,
    prompts: '',
    // A sweep's variants are decided as it goes; they are added as they run.
    variants: source.adaptive ? [] : loaded.variants.map((v) => variantMeta(v, loaded.file)),
    ...(thresholds.length > 0 ? { thresholds } : {}),
    analysis: analysisSettings(loaded.variants[0] as Variant),
    provenance,
  };
  // run.json whole or not at all, and with nothing secret in it (the scenario's text included).
  const writeMetaNow = () =>
    writeFileAtomic(join(runDir, RUN_FILES.meta), `${JSON.stringify(cleanValue(meta), null, 2)}\n`);
  writeMetaNow();
  // --dashboard: the report page, served live from what the run has written (docs/dashboard.md).
  let dashboard: Dashboard | undefined;
  if (options.dashboard) {
    try {
      dashboard = await startDashboard({
        port: options.dashboard.port,
        title: loaded.name,
        snapshot: () => livePage(runDir, cleanValue({ ...meta, durationMs: clock() })),
        warn: (line) => progress.log(`podbench: warning: ${line}`),
      });
    } catch (err) {
      removeRunFiles(runDir);
      throw err;
    }
    options.stderr.write(`podbench: dashboard: ${dashboard.url} (live while the run goes on)\n`);
  }
  const hardAbort = new AbortController();
  let cancelAllNow: (() => Promise<number>) | undefined;
  /** Every variant's tracker of jobs on a real endpoint: what may still run, for a second Ctrl-C and the run's end. */
  const trackers: RunJobTracker[] = [];
  const unconfirmedJobs = () => trackers.flatMap((t) => t.unconfirmed());
  // A write that fails mid-run (a full disk, an I/O error): stop sending, cancel what was
  // submitted, abort what is in flight (its record could not be kept), keep what was written.
  const writeFailed = new AbortController();
  let writeError: { file: string; err: NodeJS.ErrnoException } | undefined;
  const onWriteError = (file: string) => (err: NodeJS.ErrnoException) => {
    if (writeError) return;
    writeError = { file, err };
    writeFailed.abort();
    void cancelAllNow?.();
    hardAbort.abort();
  };
  const writeMeta = () => {
    try {
      writeMetaNow();
    } catch (err) {
      onWriteError(join(runDir, RUN_FILES.meta))(err as NodeJS.ErrnoException);
    }
  };
  const results = openNdjsonSink(join(runDir, RUN_FILES.results), onWriteError(join(runDir, RUN_FILES.results)));
  const health = openNdjsonSink(join(runDir, RUN_FILES.health), onWriteError(join(runDir, RUN_FILES.health)));
  const progress = startProgress(options.stderr, clock, options.quiet);
  const interrupt = installInterrupt(
    (signal) => {
      // k6 cannot stop starting iterations and let the running ones end: a stopped k6 ends them all at once.
      const inFlight =
        options.engine === 'k6'
          ? 'k6 ends the requests in flight at once (a /runsync call ended before its answer leaves a job podbench cannot cancel)'
          : `other requests in flight may finish for up to ${formatDurationMs(options.graceMs)}`;
      progress.log(
        `podbench: ${signal}: stopping. No new requests; cancelling the jobs podbench submitted (their requests end as aborted; up to ${formatDurationMs(cancelWaitMs(options.graceMs))} for the endpoint to confirm); ${inFlight}. Press Ctrl-C again to exit at once.`,
      );
      void cancelAllNow?.();
      setTimeout(() => hardAbort.abort(), options.graceMs).unref();
    },
    () => {
      const left = leftRunningText(unconfirmedJobs());
      options.stderr.write(
        `podbench: exiting at once, without reports; ${RUN_FILES.results} in ${cleanText(runDir)} holds every finished request (podbench report ${cleanText(runDir)} writes the reports from it).\n${left ? `podbench: ${left}.\n` : ''}`,
      );
      results.close();
      process.exit(ExitCode.runFailed);
    },
  );

  const first0 = loaded.variants[0] as Variant;
  const budget = createBudgetGuard(
    {
      maxRequests: first0.scenario.budget.maxRequests,
      maxDurationMs: first0.scenario.budget.maxDuration,
      maxOutputTokens: first0.scenario.budget.maxOutputTokens,
    },
    (reason) => {
      progress.log(`podbench: ${reason}: no new requests; those in flight finish.`);
      // A time budget is a hard limit: what is still running gets the interrupt's grace period.
      if (reason.startsWith('budget.maxDuration')) setTimeout(() => hardAbort.abort(), options.graceMs).unref();
    },
  );
  const stop = AbortSignal.any([interrupt.stop, budget.stop, writeFailed.signal]);
  /** Why requests the plan scheduled were never sent: whatever stopped the run. */
  const stopReason = (): NotSentReason =>
    writeError
      ? 'write_failed'
      : interrupt.stop.aborted
        ? 'interrupted'
        : budget.reason !== undefined
          ? 'budget'
          : 'stopped';
  let seq = 0;
  let fatal: unknown;
  const said = new Set<string>();
  try {
    let previous: VariantSummary | undefined;
    for (let i = 0; ; i++) {
      if (stop.aborted) break;
      const variant = source.next(previous);
      if (variant === undefined) break;
      const target = resolveTarget(variant.scenario, loaded.file);
      let vMeta = meta.variants.find((v) => v.name === variant.name);
      if (!vMeta) {
        vMeta = variantMeta(variant, loaded.file);
        meta.variants.push(vMeta);
        writeMeta();
      }
      // Say up front what a paid endpoint is about to receive, and what would pass its rate limits.
      if (
        target.kind === 'endpoint' &&
        (target.api === 'runpod' || target.api === 'detect') &&
        !isLoopback(target.host)
      ) {
        progress.log(
          `podbench: ${variant.name}: ${describeLoad(variant.plan)} against ${target.host}${target.endpointId ? ` (${target.endpointId})` : ''}`,
        );
      }
      // A step of a search runs on an emulator started afresh: from zero workers, each step's
      // first requests wait for a boot, and its throughput holds that wait.
      if (source.adaptive && target.kind === 'emulator' && variant.scenario.emulator.workers.min === 0) {
        const text = `each step starts the emulator afresh with emulator.workers.min 0, so its first requests wait for a cold start and its throughput includes that wait; set emulator.workers.min (--set emulator.workers.min=1) to measure warm workers`;
        if (!said.has(text)) {
          said.add(text);
          progress.log(`podbench: note: ${text}`);
        }
      }
      // Runpod's limits: a real endpoint has them, and so does the emulator unless they are switched off.
      // Said before the variant's first request, once per text.
      if (
        (target.kind === 'endpoint' && target.api !== 'openai' && target.api !== 'runpod-local') ||
        (target.kind === 'emulator' && target.api === 'runpod' && variant.scenario.emulator.rateLimits.enabled)
      ) {
        for (const warning of rateLimitWarnings(variant)) {
          const text = `${variant.name}: ${warning}`;
          if (said.has(text)) continue;
          said.add(text);
          progress.log(`podbench: warning: ${text}`);
        }
      }
      const total = source.total;
      const label = total === 1 ? `[${loaded.name}]` : `[${i + 1}${total ? `/${total}` : ''} ${variant.name}]`;
      progress.startVariant(label, { requests: variant.plan.requests, durationMs: variant.plan.durationMs });
      // A sweep decides its next step from the variant's own numbers, gathered as it runs
      // (numbers per request, so only for sweeps: other runs keep memory flat).
      const live = source.adaptive ? createSummarizer([vMeta]) : undefined;
      // From the first send: the start of a variant (an emulator booting, the preflight) is not load.
      let loopDelay: LoopDelayMonitor | undefined;
      let threadsDelay: LoopDelay | undefined;
      const runningMeta = vMeta;
      const next = await runVariant({
        loaded,
        variant,
        variantMeta: vMeta,
        target,
        readKey: (name, required) => keyFor(options, name, required),
        note: (line) => progress.log(`podbench: note: ${line}`),
        engineName: options.engine,
        clock,
        clockStartPerfMs: runStart,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        clientThreads: (loopDelayMs) => {
          // The threads time-stamped the answers: the variant's client delay is the worst of theirs.
          const seen = loopDelayMs.filter((d): d is LoopDelay => d !== undefined);
          runningMeta.clientThreads = { count: loopDelayMs.length, loopDelayMs: seen };
          threadsDelay = seen.reduce<LoopDelay | undefined>(
            (worst, d) => (!worst || d.p99 > worst.p99 ? d : worst),
            undefined,
          );
        },
        seqStart: seq,
        stop,
        hardAbort: hardAbort.signal,
        graceMs: options.graceMs,
        emit: (raw) => {
          // The one way into results.ndjson: server text leaves here without a secret or a control sequence.
          const record = cleanRecord(raw);
          results.write(record);
          progress.record(record);
          live?.add(record);
          budget.record(record);
          dashboard?.changed();
        },
        notSent: (phase, reason, count) => {
          const why = reason === 'stopped' ? stopReason() : reason;
          runningMeta.notSent ??= [];
          const list = runningMeta.notSent;
          const entry = list.find((n) => n.phase === phase && n.reason === why);
          if (entry) entry.count += count;
          else list.push({ phase, reason: why, count });
        },
        sent: () => {
          if (engine.capabilities.timesOnPodbenchLoop) loopDelay ??= startLoopDelay();
          progress.sent();
          budget.sent();
        },
        requestsLeft: () => budget.requestsLeft(),
        health,
        healthSeen: (sample) => progress.health(sample),
        meta,
        setJobs: (jobs, embedded) => {
          cancelAllNow = () => jobs.cancelAll();
          // The embedded emulator's jobs end with this process: nothing is left to run.
          if (!embedded) trackers.push(jobs);
        },
      }).finally(() => {
        if (loopDelay) {
          const own = loopDelay.stop();
          runningMeta.clientLoopDelayMs = threadsDelay ?? own;
          if (runningMeta.clientThreads) runningMeta.clientThreads.schedulerLoopDelayMs = own;
        }
        if (loopDelay || runningMeta.notSent) writeMeta();
      });
      // Stopped during its preflight (a Ctrl-C, a budget): the run ends with what earlier variants measured.
      if (next === undefined) {
        if (results.count === 0) throw new RunError('interrupted before the run started');
        break;
      }
      seq = next;
      previous = live?.finish().variants[0];
    }
    if (source.conclusion !== undefined && meta.analysis) meta.analysis.sweepConclusion = source.conclusion;
  } catch (err) {
    fatal = err;
  } finally {
    progress.stop();
    interrupt.dispose();
    budget.dispose();
    results.close();
    health.close();
  }
  meta.durationMs = clock();
  const leftRunning = unconfirmedJobs();
  if (leftRunning.length > 0) {
    meta.jobsLeftRunning = leftRunning;
    options.stderr.write(
      `podbench: warning: ${leftRunningText(leftRunning)}; run.json lists them (jobsLeftRunning).\n`,
    );
  }
  if (interrupt.stop.aborted) meta.interrupted = true;
  if (budget.reason !== undefined) meta.stoppedBy = budget.reason;
  else if (writeError) meta.stoppedBy = `a failed write (${writeError.err.code ?? 'error'})`;
  writeMeta();
  if (fatal !== undefined && results.count === 0) {
    // Nothing was measured (a configuration problem, an unreachable target, a Ctrl-C during
    // the preflight): no half-empty run folder stays behind.
    dashboard?.close();
    removeRunFiles(runDir);
    throw fatal;
  }
  const failedWrite = (): string | undefined =>
    writeError
      ? `${describeFsError(writeError.err, writeError.file)?.message ?? `${writeError.file}: cannot write: ${writeError.err.message}`}; the run stopped there: no new requests, the jobs it submitted were cancelled, and ${RUN_FILES.results} keeps the requests recorded before it`
      : undefined;
  // Whatever happened, what was measured is reported.
  let built: Awaited<ReturnType<typeof buildReports>>;
  try {
    // The reports read run.json as it was written: cleaned (a key pasted into the scenario's text stays out of them too).
    built = await buildReports(runDir, cleanValue(meta), options.compare ? { compare: options.compare } : {});
  } catch (err) {
    dashboard?.close();
    const described = describeFsError(err);
    if (!writeError && !described) throw err;
    // The disk that stopped the run stops its reports too: each is whole or absent (written aside, then renamed).
    const lines = [failedWrite(), described ? `reports not written: ${described.message}` : undefined];
    throw new RunError(cleanText(lines.filter((l) => l !== undefined).join('\npodbench: ')));
  }
  const ran = meta.variants.length;
  options.stdout.write(
    `\n${loaded.name}: ${ran} variant${ran === 1 ? '' : 's'}, ${formatDurationMs(meta.durationMs)}\n`,
  );
  // Every warning once, at the end, under the numbers it is about (built.warnings: cleaned by consoleReport).
  options.stdout.write(`${consoleReport(built.summary, built.warnings)}\n`);
  // The run's own files first (what ran, the records, the /health samples), then what was derived.
  const own = [RUN_FILES.meta, ...(existsSync(join(runDir, RUN_FILES.health)) ? [RUN_FILES.health] : [])];
  options.stdout.write(`reports: ${cleanText(runDir)}/ (${[...own, ...built.files].join(', ')})\n`);
  // The page the dashboard ends on is report.html as written: the same page, frozen.
  await dashboard?.finish(readFileSync(join(runDir, RUN_FILES.html), 'utf8'), results.count);
  if (fatal !== undefined) throw fatal;
  const writeProblem = failedWrite();
  if (writeProblem !== undefined) throw new RunError(cleanText(writeProblem));
  if (meta.stoppedBy !== undefined && !meta.interrupted)
    options.stdout.write(`note: the run stopped early: ${meta.stoppedBy}\n`);
  if (meta.interrupted) {
    options.stderr.write('podbench: the run was interrupted; the reports hold what was measured.\n');
    return { exitCode: ExitCode.runFailed, runDir, summary: built.summary, tables: built.tables };
  }
  const sent = built.summary.variants.reduce((n, v) => n + v.counts.sent, 0);
  const ok = built.summary.variants.reduce((n, v) => n + v.counts.ok, 0);
  if (sent > 0 && ok === 0) {
    const top = built.summary.variants.flatMap((v) => v.errors).sort((a, b) => b.count - a.count)[0];
    const why = top ? ` Most often ${top.outcome} (${top.count}): ${top.example}.` : '';
    options.stderr.write(
      cleanText(
        `podbench: no request succeeded; the run could not measure the endpoint.${why} Every error is in summary.json and requests.csv.\n`,
      ),
    );
    return { exitCode: ExitCode.runFailed, runDir, summary: built.summary, tables: built.tables };
  }
  return {
    exitCode: thresholdsFailed(built.summary) ? ExitCode.checkFailed : ExitCode.ok,
    runDir,
    summary: built.summary,
    tables: built.tables,
    ...(built.checks ? { checks: built.checks } : {}),
  };
}

/** Removes what the run wrote, and the folder once empty (an --out folder that existed empty stays). */
function removeRunFiles(runDir: string): void {
  for (const name of [RUN_FILES.meta, RUN_FILES.results, RUN_FILES.health]) rmSync(join(runDir, name), { force: true });
  try {
    if (readdirSync(runDir).length === 0) rmdirSync(runDir);
  } catch {
    // already gone, or not ours to remove
  }
}

function variantMeta(variant: Variant, file: string): RunVariantMeta {
  const planned = plannedRequests(variant.plan);
  return {
    name: variant.name,
    params: variant.params,
    mode: variant.scenario.mode,
    coldStartRule: coldStartRuleFor(variant.scenario, resolveTarget(variant.scenario, file).kind === 'emulator'),
    load: describeLoad(variant.plan),
    effective: effectiveScenario(variant),
    ...(variant.scenario.mode === 'stream' ? { streaming: streamingOf(variant) } : {}),
    ...(planned !== undefined ? { plannedRequests: planned } : {}),
  };
}

/** The variant's scenario as it ran: after its matrix values, every flag and --set, defaults filled in. */
export function effectiveScenario(variant: Variant): Record<string, unknown> {
  const { matrix: _matrix, ...rest } = variant.scenario;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** A shell word as typed: quoted when it holds anything a shell would split or expand. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Where and how the run ran; its strings cleaned of every registered secret and URL credential. */
function runProvenance(options: Pick<RunOptions, 'commandLine' | 'overrides'>): RunProvenance {
  const cpuList = cpus();
  return {
    ...(options.commandLine
      ? { commandLine: cleanText(['podbench', ...options.commandLine].map(shellWord).join(' ')) }
      : {}),
    // `--set path=null` unsets the field: kept as null, since JSON has no undefined.
    overrides: options.overrides.map((o) => ({ origin: o.origin, path: o.path, value: cleanValue(o.value ?? null) })),
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    cpu: {
      model: cpuList[0]?.model.trim() ?? 'unknown',
      cores: cpuList.length,
      // Before podbench's own work starts: other processes' share of the machine.
      ...(platform() === 'win32' ? {} : { loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 }),
    },
  };
}

function streamingOf(variant: Variant): StreamingSettings {
  const { stream, polling } = variant.scenario;
  return { ...stream, pollIntervalMs: polling.interval, pollWaitMs: polling.wait };
}

/** The scenario's analysis settings, recorded in run.json for the report builder. */
function analysisSettings(variant: Variant): AnalysisSettings {
  const { scenario } = variant;
  const embedded = !scenario.target?.endpoint && !scenario.target?.endpointId;
  const plan = scenario.plan;
  const pricePerSecond =
    plan?.gpuPricePerSecond ?? (plan?.gpuPricePerHour !== undefined ? plan.gpuPricePerHour / 3600 : undefined);
  return {
    slo: scenario.slo,
    ...(scenario.sweep ? { sweep: scenario.sweep } : {}),
    ...(scenario.load.profile === 'sweep'
      ? { profileSweep: { sweepSize: scenario.load.sweepSize ?? DEFAULT_SWEEP_SIZE } }
      : {}),
    ...(plan
      ? {
          plan: {
            headroom: plan.headroom,
            ...(plan.targetRps !== undefined ? { targetRps: plan.targetRps } : {}),
            ...(pricePerSecond !== undefined ? { pricePerSecond } : {}),
          },
        }
      : {}),
    ...(scenario.tuning?.ttftTarget !== undefined ? { ttftTargetMs: scenario.tuning.ttftTarget } : {}),
    // Billing runs on real seconds: the emulator's idle timeout, time-scaled, else the scenario's or Runpod's default.
    idleTimeoutMs:
      plan?.idleTimeout ?? (embedded ? scenario.emulator.workers.idleTimeout / scenario.emulator.timeScale : 5000),
  };
}

/**
 * The key from variable `name`: required (Runpod's API elsewhere than this machine or network),
 * or only when given (a local server may need none, until it answers 401).
 */
function keyFor(options: Pick<RunOptions, 'env' | 'apiKeyFile'>, name: string, required: boolean): string | undefined {
  if (!required && options.apiKeyFile === undefined && !options.env[name]) return undefined;
  return readApiKey(options, name);
}

/**
 * The key comes from the environment, or from a file the user names; it is only ever held
 * in memory, and registered with the redaction boundary (src/util/redact.ts) so that no text
 * podbench writes or prints can hold it, whatever a server echoes.
 */
function readApiKey(options: Pick<RunOptions, 'env' | 'apiKeyFile'>, name: string): string {
  let key: string | undefined;
  let source: string;
  if (options.apiKeyFile !== undefined) {
    source = `--api-key-file ${options.apiKeyFile}`;
    let text: string;
    try {
      // Checked before reading: a key is one short line, not a file to load whole.
      const size = statSync(options.apiKeyFile).size;
      if (size > INPUT_LIMITS.apiKeyFileBytes)
        throw new UsageError(`${source}: ${size} bytes; a key file holds the key alone on one line (at most 64 KB)`);
      text = readFileSync(options.apiKeyFile, 'utf8');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${source}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    key = text.trim();
    if (!key || /\s/.test(key)) throw new UsageError(`${source}: expected the key alone on one line`);
  } else {
    source = `$${name}`;
    key = options.env[name];
    if (!key)
      throw new UsageError(
        `the target endpoint needs an API key: set the environment variable ${name} (or name another with --api-key-env, or give --api-key-file)`,
      );
  }
  // An HTTP header carries printable ASCII only; the message never shows the key.
  if (!/^[\x21-\x7e]+$/.test(key))
    throw new UsageError(
      `${source}: the API key holds characters an HTTP header cannot carry (spaces, control characters or non-ASCII); check how it was set`,
    );
  registerSecret(key);
  return key;
}

interface VariantRunArgs {
  /** --grace: also how long the variant's end waits for its cancels to be answered (at least 5 s). */
  graceMs: number;
  loaded: LoadedScenario;
  variant: Variant;
  variantMeta: RunVariantMeta;
  target: Target;
  readKey: TargetSetupArgs['readKey'];
  note: (line: string) => void;
  engineName: EngineName;
  clock: () => number;
  clockStartPerfMs: number;
  workers?: number;
  clientThreads: NonNullable<VariantRunContext['clientThreads']>;
  seqStart: number;
  stop: AbortSignal;
  hardAbort: AbortSignal;
  emit: (record: RequestRecord) => void;
  notSent: (phase: Phase, reason: 'stopped' | 'k6_dropped', count: number) => void;
  sent: () => void;
  requestsLeft: () => number | undefined;
  health: NdjsonSink;
  healthSeen: (sample: HealthSample) => void;
  meta: RunMeta;
  /** The variant's job tracker; `embedded`: its target is the emulator inside this process. */
  setJobs: (jobs: RunJobTracker, embedded: boolean) => void;
}

/** Runs one variant; the next free sequence number, or undefined when the run stopped during its preflight. */
async function runVariant(args: VariantRunArgs): Promise<number | undefined> {
  const { variant } = args;
  let prepared: PreparedTarget;
  try {
    prepared = await prepareTarget({
      variant,
      target: args.target,
      engineName: args.engineName,
      readKey: args.readKey,
      note: args.note,
      stop: args.stop,
      graceMs: args.graceMs,
    });
  } catch (err) {
    // The first Ctrl-C (or a budget) ends the preflight at once: the variant never ran.
    if (args.stop.aborted && err instanceof RunError) return undefined;
    throw err;
  }
  const { api, baseUrl: endpointUrl, control, jobs } = prepared;
  args.setJobs(jobs, args.target.kind === 'emulator');
  // What answered, once known (a URL that did not say is asked first): run.json keeps it.
  args.variantMeta.target = { api, host: args.target.kind === 'emulator' ? '127.0.0.1' : args.target.host };
  args.meta.target.api ??= api;
  try {
    const prompts = await createPromptSource(variant.scenario, args.loaded.file);
    args.meta.prompts = prompts.describe;
    const tokenizer = tokenizerOf(variant.scenario, args.loaded.file);
    // Only Runpod's API has /health to sample.
    const sampler = startHealthSampler({
      endpointUrl,
      http: control,
      intervalMs: api === 'runpod' ? variant.scenario.polling.health : 0,
      clock: args.clock,
      variant: variant.name,
      sink: args.health,
      onSample: args.healthSeen,
    });
    try {
      const requestsLeft = args.requestsLeft();
      return await engines[args.engineName].run({
        variant,
        endpointUrl,
        api,
        apiKey: prepared.apiKey,
        model: prepared.model,
        prompts,
        ...(tokenizer ? { tokenizer } : {}),
        clock: args.clock,
        clockStartPerfMs: args.clockStartPerfMs,
        ...(args.workers === undefined ? {} : { workers: args.workers }),
        clientThreads: args.clientThreads,
        seqStart: args.seqStart,
        stopSignal: args.stop,
        abortSignal: args.hardAbort,
        jobs,
        sent: args.sent,
        ...(requestsLeft === undefined ? {} : { requestsLeft }),
        emit: args.emit,
        notSent: args.notSent,
      });
    } finally {
      await sampler.stop();
    }
  } finally {
    // Any early end (a Ctrl-C, a failed write, an engine's error) leaves no job running.
    if (jobs.open > 0) await jobs.cancelAll();
    await prepared.close();
  }
}
