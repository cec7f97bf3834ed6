// `podbench what-if`: with calibrated emulator settings, a traffic description and SLOs, try
// endpoint settings on the emulator (its endpoint on a simulated clock, several at once: a
// pool of threads) and answer with the cheapest that meets the SLOs with the model's error to
// spare, the costs, the trade-off curves (what-if.html) and the one real run that would
// confirm it (confirm.yaml). I/O and orchestration; the judging is answers/what-if's.
import type { LengthSpec } from '../scenario/workload/lengths.js';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Choice, choose, replayErrorFor } from '../answers/what-if/choose.js';
import { confirmLoadText, confirmScenario } from '../answers/what-if/confirm.js';
import { type SeedFigures, candidateOf, type EvaluationContext } from '../answers/what-if/evaluate.js';
import { type Candidate, candidatesOf, defaultSearch, type SearchDimension } from '../answers/what-if/search.js';
import {
  rateCurveTraffic,
  type RequestShape,
  scenarioTraffic,
  traceTraffic,
  type WhatIfTraffic,
} from '../answers/what-if/traffic.js';
import { parseThresholds } from '../checks/thresholds.js';
import type { MetricInfo } from '../checks/metrics.js';
import { CALIBRATION_FORMAT, type Calibration, type ClientOverheads } from '../core/calibration.js';
import { UsageError, messageOf } from '../core/errors.js';
import { checkFolderName } from '../util/output-file.js';
import { INPUT_LIMITS } from '../core/input-limits.js';
import type { Finding } from '../core/findings.js';
import type { WhatIfCandidate, WhatIfPrice } from '../core/what-if.js';
import { resolveEmulatorSettings, simulateEndpoint } from '../emulator/index.js';
import { candidateSettingsText, findingText } from '../report/finding-text.js';
import { calibrationCaveats } from '../report/calibration-text.js';
import { renderWhatIfHtml } from '../report/what-if-html.js';
import { loadScenarioFile, type Variant } from '../scenario/load.js';
import type { LevelPoint } from '../schedule/load-plan.js';
import { parseDurationMs } from '../util/duration.js';
import { formatBytes } from '../util/size.js';
import { applyOverrides } from '../util/override.js';
import { CALIBRATION_DIR, CALIBRATION_FILES, readRun, runFacts } from './calibrate.js';
import { clientOverheads, pessimisticSettings } from './calibration-settings.js';
import { createSimPool, defaultPoolSize, type SimPool } from './sim-pool.js';
import { makeDirs } from '../util/make-dirs.js';

export const WHAT_IF_FILES = { json: 'what-if.json', html: 'what-if.html', confirm: 'confirm.yaml' } as const;

export interface WhatIfOptions {
  /** A calibration folder, its calibration.json, or a plain emulator settings file (uncalibrated). */
  calibration: string;
  scenario?: string;
  variant?: string;
  rateCurve?: string;
  trace?: string;
  slo: string[];
  search: SearchDimension[];
  pricePerHour?: number;
  activePricePerHour?: number;
  /** Simulations per candidate, each with its own seed. */
  seeds: number;
  seed: number;
  jobs?: number;
  out: string;
  promptTokens?: number;
  maxTokens?: number;
}

export interface WhatIfOutcome {
  finding: Finding;
  candidates: WhatIfCandidate[];
  choice: Choice;
  dir: string;
  files: string[];
  /** Lines of a --trace run folder skipped or repaired on reading. */
  warnings: string[];
}

interface Model {
  calibration: Calibration | undefined;
  settings: Record<string, unknown>;
  label: string | null;
}

/** Most candidates × seeds one what-if runs: beyond it, narrow the search. */
const MAX_SIMULATIONS = 4000;
/** Pessimistic re-checks of the cheapest candidates before the answer settles. */
const MAX_PESSIMISTIC_ROUNDS = 6;

/** A calibration.json, settings file or rate curve is a page of text: its size is checked before it is read. */
const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

function readSmall(file: string, flag: string): string {
  try {
    const size = statSync(file).size;
    if (size > MAX_INPUT_FILE_BYTES)
      throw new UsageError(`${flag} ${file}: ${size} bytes; at most ${formatBytes(MAX_INPUT_FILE_BYTES)}`);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${flag} ${file}: cannot read it: ${messageOf(err).split('\n')[0]}`);
  }
}

/** What a calibration.json must hold for what-if to use it; undefined when it does. */
function calibrationProblem(c: Calibration): string | undefined {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(c.source) || typeof c.source.runDir !== 'string' || !(c.source.timeScale > 0))
    return 'no source (its run folder and time scale)';
  if (!Array.isArray(c.parameters) || c.parameters.some((p) => !isObject(p) || typeof p.value !== 'number'))
    return 'no list of fitted values';
  if (!Array.isArray(c.gaps)) return 'no list of gaps';
  if (!isObject(c.traffic)) return 'no traffic';
  if (!isObject(c.settings)) return 'no emulator settings';
  if (c.replay !== undefined && (!isObject(c.replay) || !Array.isArray(c.replay.rows))) return 'a replay without rows';
  return undefined;
}

function readModel(path: string): Model {
  if (!existsSync(path)) throw new UsageError(`--calibration ${path}: no such file or folder`);
  let file = path;
  if (statSync(path).isDirectory()) {
    const inside = [join(path, CALIBRATION_FILES.json), join(path, CALIBRATION_DIR, CALIBRATION_FILES.json)];
    const found = inside.find((p) => existsSync(p));
    if (found === undefined)
      throw new UsageError(`--calibration ${path}: no ${CALIBRATION_FILES.json} in it (run podbench calibrate first)`);
    file = found;
  }
  let value: unknown;
  const text = readSmall(file, '--calibration');
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new UsageError(`--calibration ${file}: not valid JSON or YAML: ${messageOf(err).split('\n')[0]}`);
  }
  if (value !== null && typeof value === 'object' && (value as { format?: unknown }).format === CALIBRATION_FORMAT) {
    const calibration = value as Calibration;
    const problem = calibrationProblem(calibration);
    if (problem !== undefined)
      throw new UsageError(
        `--calibration ${file}: ${problem}; the file was edited or damaged (run podbench calibrate again)`,
      );
    resolveEmulatorSettings(calibration.settings, `${file}: settings`);
    return { calibration, settings: calibration.settings, label: calibration.source.runDir };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`--calibration ${file}: expected calibration.json or emulator settings`);
  resolveEmulatorSettings(value, file);
  return { calibration: undefined, settings: value as Record<string, unknown>, label: null };
}

/** A scenario's prompt length as one number: a distribution's mean (the model takes one length and a spread). */
function meanLength(spec: LengthSpec): number {
  if (typeof spec === 'number') return spec;
  if (spec.distribution === 'fixed') return spec.value;
  if (spec.distribution === 'uniform') return (spec.min + spec.max) / 2;
  return spec.mean;
}

function shapeOf(model: Model, options: WhatIfOptions, variant?: Variant): RequestShape {
  const facts = model.calibration?.traffic;
  const synthetic = variant?.scenario.input.synthetic;
  const sp = variant?.scenario.sampling_params ?? {};
  return {
    promptTokens:
      options.promptTokens ??
      (synthetic?.promptTokens === undefined ? undefined : meanLength(synthetic.promptTokens)) ??
      facts?.promptTokensP50 ??
      128,
    promptSpread: synthetic?.spread ?? (options.promptTokens === undefined && facts ? 0.5 : 0),
    maxTokens: options.maxTokens ?? (typeof sp.max_tokens === 'number' ? sp.max_tokens : (facts?.maxTokens ?? 100)),
    minTokens: typeof sp.min_tokens === 'number' ? sp.min_tokens : (facts?.minTokens ?? 0),
    ignoreEos: variant ? sp.ignore_eos === true : (facts?.ignoreEos ?? false),
  };
}

function readRateCurve(file: string): LevelPoint[] {
  let value: unknown;
  const text = readSmall(file, '--rate-curve');
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new UsageError(`--rate-curve ${file}: cannot read it: ${messageOf(err).split('\n')[0]}`);
  }
  if (!Array.isArray(value) || value.length < 2)
    throw new UsageError(
      `--rate-curve ${file}: expected a list of at least two points, e.g. - { at: 0, rate: 2 } - { at: 6h, rate: 10 }`,
    );
  const points = value.map((p, i): LevelPoint => {
    const at = typeof p === 'object' && p !== null ? parseDurationMs((p as { at?: unknown }).at as string) : undefined;
    const rate = typeof p === 'object' && p !== null ? (p as { rate?: unknown }).rate : undefined;
    if (at === undefined || typeof rate !== 'number' || !(rate >= 0))
      throw new UsageError(`--rate-curve ${file}: [${i}]: expected { at: <duration>, rate: <requests per second> }`);
    if (rate > INPUT_LIMITS.ratePerSec)
      throw new UsageError(
        `--rate-curve ${file}: [${i}]: rate ${rate}: at most ${INPUT_LIMITS.ratePerSec.toLocaleString('en-US')} requests per second`,
      );
    return { atMs: at, level: rate };
  });
  for (let i = 1; i < points.length; i++)
    if ((points[i] as LevelPoint).atMs <= (points[i - 1] as LevelPoint).atMs)
      throw new UsageError(`--rate-curve ${file}: [${i}]: times must increase`);
  return points;
}

async function trafficOf(
  model: Model,
  options: WhatIfOptions,
): Promise<{ traffic: WhatIfTraffic; variant?: Variant; warnings?: string[] }> {
  const given = [options.scenario, options.rateCurve, options.trace].filter((x) => x !== undefined).length;
  if (given > 1) throw new UsageError('give one traffic: --scenario, --rate-curve or --trace');
  if (options.scenario !== undefined) {
    const loaded = loadScenarioFile(options.scenario);
    const variant =
      options.variant === undefined ? loaded.variants[0] : loaded.variants.find((v) => v.name === options.variant);
    if (variant === undefined)
      throw new UsageError(
        `--variant ${options.variant}: ${options.scenario} has ${loaded.variants.map((v) => v.name).join(', ')}`,
      );
    // A scenario for the embedded emulator is written in its (time-scaled) real time.
    const embedded = !variant.scenario.target?.endpoint && !variant.scenario.target?.endpointId;
    const timeScale = embedded ? variant.scenario.emulator.timeScale : 1;
    return { traffic: scenarioTraffic(variant, shapeOf(model, options, variant), timeScale, options.seed), variant };
  }
  if (options.rateCurve !== undefined) {
    const mode = (model.calibration?.traffic.mode ?? 'stream') as WhatIfTraffic['mode'];
    return { traffic: rateCurveTraffic(readRateCurve(options.rateCurve), shapeOf(model, options), mode, options.seed) };
  }
  const traceDir = options.trace ?? model.calibration?.source.runDir;
  if (traceDir === undefined || !existsSync(traceDir))
    throw new UsageError(
      'name the traffic: --scenario FILE, --rate-curve FILE or --trace RUN-DIR (the calibrated run is not at hand)',
    );
  const run = await readRun(traceDir);
  const variants = [...new Set(run.records.map((r) => r.variant))];
  const facts = runFacts(run.meta, variants, {});
  const records = run.records.filter((r) => r.variant === (options.variant ?? variants[variants.length - 1]));
  if (records.length === 0)
    throw new UsageError(`--variant ${options.variant}: ${traceDir} has ${variants.join(', ')}`);
  return { traffic: traceTraffic(records, facts.timeScale, shapeOf(model, options)), warnings: run.warnings };
}

function settingsFor(model: Model, candidate: Candidate, seed: number): Record<string, unknown> {
  const overrides = Object.entries(candidate).map(([path, value]) => ({ path, value, origin: `--search ${path}` }));
  return applyOverrides({ ...model.settings, seed }, overrides);
}

async function evaluateAll(
  pool: SimPool,
  settingsOf: (candidate: Candidate, seed: number) => Record<string, unknown>,
  candidates: readonly Candidate[],
  seeds: number,
  seed: number,
  overheads?: ClientOverheads,
): Promise<SeedFigures[][]> {
  return Promise.all(
    candidates.map((c) =>
      Promise.all(Array.from({ length: seeds }, (_, k) => pool.run(settingsOf(c, seed + k), overheads))),
    ),
  );
}

export async function runWhatIf(options: WhatIfOptions): Promise<WhatIfOutcome> {
  checkFolderName('--out', options.out);
  const model = readModel(options.calibration);
  if (!Number.isInteger(options.seeds) || options.seeds < 1)
    throw new UsageError(`--seeds: expected a whole number above 0`);
  const { traffic, variant, warnings = [] } = await trafficOf(model, options);
  // A calibration that does not replay its run, or only bounds a setting, says so first.
  if (model.calibration) warnings.push(...calibrationCaveats(model.calibration));
  const sloTexts = options.slo.length > 0 ? options.slo : (variant?.scenario.slo ?? []);
  if (sloTexts.length === 0)
    throw new UsageError('what-if needs SLOs to meet: --slo "ttftMs.p95 < 2s" (repeatable), or a scenario with slo:');
  const slo = parseThresholds(sloTexts.map((text) => ({ text, origin: '--slo' })));
  const price: WhatIfPrice = {
    flexPerHour: options.pricePerHour ?? 1,
    activePerHour: options.activePricePerHour ?? options.pricePerHour ?? 1,
    given: options.pricePerHour !== undefined,
  };
  const overheads = model.calibration
    ? clientOverheads(model.calibration)
    : { dispatchMs: 0, executionMs: 0, ttftMs: 0, e2eMs: 0 };

  // The grid: the one given, else sized by a pilot run with room to grow.
  let dimensions = options.search;
  if (dimensions.length === 0) {
    const pilot = simulateEndpoint(
      resolveEmulatorSettings(applyOverrides(model.settings, [{ path: 'workers.max', value: 16, origin: 'pilot' }])),
      traffic.traffic,
    );
    const idle = resolveEmulatorSettings(model.settings).workers.idleTimeout;
    dimensions = defaultSearch(pilot.maxLiveWorkers, idle);
  }
  const candidates = candidatesOf(dimensions);
  if (candidates.length === 0)
    throw new UsageError('--search: no candidate left (every workers.min is above workers.max)');
  if (candidates.length * options.seeds > MAX_SIMULATIONS)
    throw new UsageError(
      `--search: ${candidates.length} candidates × ${options.seeds} seeds is more than ${MAX_SIMULATIONS} simulations: narrow the search`,
    );
  for (const c of candidates)
    resolveEmulatorSettings(settingsFor(model, c, options.seed), `--search ${candidateSettingsText(c)}`);

  const ctx: EvaluationContext = {
    mode: traffic.mode,
    overheads,
    slo,
    price,
    coldRule: { thresholdMs: 0, idleGapMs: 0 },
  };
  const replay = model.calibration?.replay;
  const replayError = (metric: MetricInfo): number | null => replayErrorFor(replay, metric);
  const pool = createSimPool(
    { traffic: traffic.traffic, mode: traffic.mode, overheads, slo: sloTexts, price },
    Math.max(1, Math.min(options.jobs ?? defaultPoolSize(), candidates.length * options.seeds)),
  );
  let results: WhatIfCandidate[];
  let choice: Choice;
  try {
    const figures = await evaluateAll(
      pool,
      (c, s) => settingsFor(model, c, s),
      candidates,
      options.seeds,
      options.seed,
    );
    results = candidates.map((c, i) => candidateOf(c, figures[i] as SeedFigures[], ctx, replayError));
    choice = choose(results);
    // The model's error also lives in its fitted values: the answer must hold with each at
    // the pessimistic end of its interval. Checked for the cheapest candidates, in turn.
    if (model.calibration) {
      const pessimistic = pessimisticSettings(model.calibration);
      const checked = new Set<number>();
      for (let round = 0; round < MAX_PESSIMISTIC_ROUNDS; round++) {
        const open = [choice.recommended, choice.safer]
          .filter((c): c is WhatIfCandidate => c !== null)
          .map((c) => results.indexOf(c))
          .filter((i) => i >= 0 && !checked.has(i));
        if (open.length === 0) break;
        const worse = await evaluateAll(
          pool,
          (c, s) => settingsFor({ ...model, settings: pessimistic.settings }, c, s),
          open.map((i) => candidates[i] as Candidate),
          options.seeds,
          options.seed,
          pessimistic.overheads,
        );
        open.forEach((i, k) => {
          checked.add(i);
          const base = results[i] as WhatIfCandidate;
          const worstFigures = worse[k] as SeedFigures[];
          const worstOf = candidateOf(candidates[i] as Candidate, worstFigures, ctx, () => 0);
          const errorFor = (metric: MetricInfo): number | null => {
            const at = slo.findIndex((t) => t.metric.name === metric.name);
            const nominal = base.slo[at]?.predicted ?? null;
            const pess = worstOf.slo[at]?.predicted ?? null;
            const fromFit = nominal !== null && pess !== null && nominal !== 0 ? Math.abs(pess / nominal - 1) : 0;
            const fromReplay = replayError(metric);
            return fromReplay === null ? fromFit : Math.max(fromReplay, fromFit);
          };
          results[i] = candidateOf(candidates[i] as Candidate, figures[i] as SeedFigures[], ctx, errorFor);
        });
        choice = choose(results);
      }
    }
  } finally {
    await pool.close();
  }

  const confirmFile = join(options.out, WHAT_IF_FILES.confirm);
  const finding: Finding = choice.recommended
    ? {
        kind: 'what-if-answer',
        calibratedFrom: model.label,
        recommended: choice.recommended,
        safer: choice.safer,
        candidatesTried: results.length,
        candidatesMeeting: choice.meeting,
        price,
        confirm: {
          scenarioFile: confirmFile,
          load: confirmLoadText({ load: variant?.scenario.load, peakRps: traffic.peakRps }),
        },
      }
    : {
        kind: 'what-if-none',
        calibratedFrom: model.label,
        closest: choice.closest,
        candidatesTried: results.length,
        price,
      };

  makeDirs(options.out);
  const files: string[] = [WHAT_IF_FILES.json, WHAT_IF_FILES.html];
  if (choice.recommended) {
    writeFileSync(
      confirmFile,
      confirmScenario({
        recommended: choice.recommended,
        slo: sloTexts,
        mode: traffic.mode,
        shape: traffic.shape,
        ...(variant ? { load: variant.scenario.load as Record<string, unknown> } : {}),
        peakRps: traffic.peakRps,
        settingsText: candidateSettingsText(choice.recommended.settings),
      }),
    );
    files.push(WHAT_IF_FILES.confirm);
  }
  writeFileSync(
    join(options.out, WHAT_IF_FILES.json),
    `${JSON.stringify(
      {
        model: model.label === null ? 'uncalibrated emulator settings' : `emulator calibrated from ${model.label}`,
        traffic: traffic.describe,
        slo: sloTexts,
        price,
        seeds: options.seeds,
        search: dimensions,
        finding,
        text: findingText(finding),
        candidates: results,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(options.out, WHAT_IF_FILES.html),
    renderWhatIfHtml({
      finding,
      candidates: results,
      recommended: choice.recommended,
      safer: choice.safer,
      traffic: traffic.describe,
      slo: sloTexts,
      price,
      calibratedFrom: model.label,
      replay: model.calibration?.replay?.rows ?? null,
      seeds: options.seeds,
    }),
  );
  return { finding, candidates: results, choice, dir: options.out, files, warnings };
}
