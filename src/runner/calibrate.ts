// `podbench calibrate <run-dir>`: reads a run folder, fits the emulator's model to it
// (src/answers/calibrate), replays the run's traffic on the fitted emulator (simulated
// clock) as a check, and writes calibration.json and emulator.yaml. I/O and orchestration
// only; the numbers are answers/calibrate's, the words report/calibration-*.ts's.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareReplay, replayTraffic, scaleRecord } from '../answers/calibrate/replay.js';
import { fitRun } from '../answers/calibrate/fit.js';
import { recordsFromSim } from '../answers/sim-records.js';
import { CALIBRATION_FORMAT, CALIBRATION_VERSION, type Calibration, type ReplayCheck } from '../core/calibration.js';
import { UsageError } from '../core/errors.js';
import { checkFolderName } from '../util/output-file.js';
import type { HealthSample } from '../core/health.js';
import type { Mode, RequestRecord } from '../core/record.js';
import { RUN_FILES } from '../core/run-folder.js';
import type { RunMeta } from '../core/summary.js';
import { simulateEndpoint, type EmulatorSettings } from '../emulator/index.js';
import { calibrationYaml } from '../report/calibration-yaml.js';
import { parseScenario, type Variant } from '../scenario/load.js';
import type { Override } from '../util/override.js';
import { describeReadWarnings, type LineCheck, readNdjson, type ReadWarnings } from '../util/read-ndjson.js';
import { checkHealth, readRunMeta } from './build-reports.js';
import { recordLine } from '../core/record-check.js';
import { applyGiven, clientOverheads, emulatorDefaults, settingPathOf, settingsFor } from './calibration-settings.js';
import { makeDirs } from '../util/make-dirs.js';

export const CALIBRATION_FILES = { json: 'calibration.json', settings: 'emulator.yaml' } as const;
/** Where calibrate writes, inside the run folder, unless --out says otherwise. */
export const CALIBRATION_DIR = 'calibration';

export interface CalibrateOptions {
  runDir: string;
  out?: string;
  /** The run's time scale, when run.json cannot tell it (a --set emulator.timeScale at run time). */
  timeScale?: number;
  /** Only these variants (all when absent). */
  variants?: string[];
  /** --set on the fitted emulator settings: the endpoint's own settings, or values known better. */
  overrides: Override[];
  seed: number;
  /** Run the replay check (default true). */
  replay?: boolean;
}

export interface CalibrateOutcome {
  calibration: Calibration;
  dir: string;
  files: string[];
  /** Lines of the run folder skipped or repaired on reading. */
  warnings: string[];
}

export interface RunFacts {
  timeScale: number;
  mode: Mode;
  worker: 'legacy' | 'proxy';
  sampling: { maxTokens: number | null; minTokens: number; ignoreEos: boolean };
}

/** worker-vllm (legacy) fills in max_tokens 100 when a job gives none. */
const LEGACY_DEFAULT_MAX_TOKENS = 100;

function same<T>(values: readonly T[], what: string, hint: string): T {
  const first = values[0] as T;
  if (values.some((v) => JSON.stringify(v) !== JSON.stringify(first)))
    throw new UsageError(`${what} differs between the variants: ${hint}`);
  return first;
}

/** What calibrate (and what-if's --trace) needs to know of how the run was made: from run.json and its scenario text. */
export function runFacts(
  meta: RunMeta,
  variantNames: readonly string[],
  options: Pick<CalibrateOptions, 'timeScale'>,
): RunFacts {
  let variants: Variant[] = [];
  try {
    variants = parseScenario(meta.scenario.text, meta.scenario.file).variants.filter((v) =>
      variantNames.includes(v.name),
    );
  } catch {
    // The scenario may have needed the run's flags to be valid: fall back on run.json alone.
  }
  const embedded = meta.target.kind === 'emulator';
  const timeScale =
    options.timeScale ??
    (embedded && variants.length > 0
      ? same(
          variants.map((v) => v.scenario.emulator.timeScale),
          'emulator.timeScale',
          'calibrate one variant at a time (--variant NAME)',
        )
      : 1);
  const worker: 'legacy' | 'proxy' =
    meta.target.workerFormat ?? (embedded && variants[0] ? variants[0].scenario.emulator.worker : 'legacy');
  const mode = (meta.variants.find((v) => variantNames.includes(v.name))?.mode ?? 'stream') as Mode;
  let sampling: RunFacts['sampling'] = { maxTokens: null, minTokens: 0, ignoreEos: false };
  if (variants.length > 0) {
    const each = variants.map((v) => {
      const sp = v.scenario.sampling_params;
      const openai = v.scenario.input.format.startsWith('openai');
      return {
        maxTokens:
          typeof sp.max_tokens === 'number'
            ? sp.max_tokens
            : worker === 'legacy' && !openai
              ? LEGACY_DEFAULT_MAX_TOKENS
              : null,
        minTokens: typeof sp.min_tokens === 'number' ? sp.min_tokens : 0,
        ignoreEos: sp.ignore_eos === true,
      };
    });
    const first = each[0] as RunFacts['sampling'];
    sampling = each.every((e) => JSON.stringify(e) === JSON.stringify(first)) ? first : { ...first, maxTokens: null };
  }
  return { timeScale, mode, worker, sampling };
}

/** Every line of an ndjson file that passes `check`; what it skips or repairs is said in `notes`, as reports say it. */
async function readAll<T>(path: string, file: string, check: LineCheck<T>, notes: string[]): Promise<T[]> {
  const out: T[] = [];
  if (!existsSync(path)) return out;
  const warnings: ReadWarnings = { skipped: [] };
  for await (const item of readNdjson<T>(path, warnings, check)) out.push(item);
  notes.push(...describeReadWarnings(file, warnings));
  return out;
}

export interface RunRead {
  meta: RunMeta;
  records: RequestRecord[];
  health: HealthSample[];
  /** Lines skipped and values left out, in the words `podbench report` uses (none for a clean run). */
  warnings: string[];
}

/** A run folder's records and /health samples, each line checked as `podbench report` checks it. */
export async function readRun(runDir: string, what = 'the run recorded nothing'): Promise<RunRead> {
  const meta = readRunMeta(runDir);
  const resultsPath = join(runDir, RUN_FILES.results);
  if (!existsSync(resultsPath)) throw new UsageError(`${runDir}: no ${RUN_FILES.results}: ${what}`);
  const warnings: string[] = [];
  return {
    meta,
    records: await readAll(resultsPath, RUN_FILES.results, recordLine, warnings),
    health: await readAll(join(runDir, RUN_FILES.health), RUN_FILES.health, checkHealth, warnings),
    warnings,
  };
}

export async function calibrateRun(options: CalibrateOptions): Promise<CalibrateOutcome> {
  checkFolderName('--out', options.out);
  const run = await readRun(options.runDir, 'the run recorded nothing to calibrate from');
  const meta = run.meta;
  let records = run.records;
  let health = run.health;
  const known = [...new Set(records.map((r) => r.variant))];
  const wanted = options.variants && options.variants.length > 0 ? options.variants : known;
  for (const name of wanted)
    if (!known.includes(name))
      throw new UsageError(`--variant ${name}: the run has no such variant (it has ${known.join(', ')})`);
  records = records.filter((r) => wanted.includes(r.variant));
  health = health.filter((h) => wanted.includes(h.variant));
  if (!records.some((r) => r.outcome === 'ok'))
    throw new UsageError(`${options.runDir}: no request succeeded in the run: there is nothing to calibrate from`);

  const facts = runFacts(meta, wanted, options);
  const fit = fitRun({
    records,
    health,
    timeScale: facts.timeScale,
    mode: facts.mode,
    sampling: facts.sampling,
    defaults: emulatorDefaults(),
    seed: options.seed,
  });
  for (const p of fit.parameters) {
    const setting = settingPathOf(p.parameter);
    if (setting !== undefined) p.setting = setting;
  }
  const fitted = settingsFor(fit.parameters, {
    min: fit.minWorkersSeen ?? 0,
    max: Math.max(1, fit.maxWorkersSeen),
    worker: facts.worker,
  });
  const { settings, resolved } = applyGiven(fitted, fit.parameters, options.overrides);

  const calibration: Calibration = {
    format: CALIBRATION_FORMAT,
    version: CALIBRATION_VERSION,
    source: {
      runDir: options.runDir,
      runId: meta.runId,
      target: meta.target.kind,
      timeScale: facts.timeScale,
      variants: wanted,
    },
    parameters: fit.parameters,
    gaps: fit.gaps,
    endpoint: {
      maxWorkersSeen: fit.maxWorkersSeen,
      given: Object.fromEntries(options.overrides.map((o) => [o.path, o.value])),
    },
    traffic: fit.traffic,
    downweighted: fit.downweighted,
    ...(run.warnings.length > 0 ? { readWarnings: run.warnings } : {}),
    settings,
  };
  if (options.replay !== false) calibration.replay = replay(records, facts, resolved, calibration);

  const dir = options.out ?? join(options.runDir, CALIBRATION_DIR);
  makeDirs(dir);
  writeFileSync(join(dir, CALIBRATION_FILES.json), `${JSON.stringify(calibration, null, 2)}\n`);
  writeFileSync(join(dir, CALIBRATION_FILES.settings), calibrationYaml(calibration));
  return { calibration, dir, files: [CALIBRATION_FILES.json, CALIBRATION_FILES.settings], warnings: run.warnings };
}

/**
 * Replays with this many seeds: one replay draws its own cold starts and lengths of noise,
 * and a run of 20 boots has a median that moves by several percent with the draw.
 */
const REPLAY_SEEDS = 8;

/** The run's traffic on the fitted emulator, each variant on a fresh endpoint as the run had; figures averaged over seeds. */
function replay(
  records: readonly RequestRecord[],
  facts: RunFacts,
  settings: EmulatorSettings,
  calibration: Calibration,
): ReplayCheck {
  const checks: ReplayCheck[] = [];
  for (let k = 0; k < REPLAY_SEEDS; k++)
    checks.push(replayOnce(records, facts, { ...settings, seed: settings.seed + k }, calibration));
  const first = checks[0] as ReplayCheck;
  return {
    requests: first.requests,
    rows: first.rows.map((row, i) => {
      const values = checks.map((c) => c.rows[i]?.replayed).filter((v): v is number => typeof v === 'number');
      const replayed = values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
      return {
        ...row,
        replayed,
        relativeError:
          row.measured !== null && replayed !== null && row.measured !== 0 ? replayed / row.measured - 1 : null,
      };
    }),
  };
}

function replayOnce(
  records: readonly RequestRecord[],
  facts: RunFacts,
  settings: EmulatorSettings,
  calibration: Calibration,
): ReplayCheck {
  const overheads = clientOverheads(calibration);
  const replayed: RequestRecord[] = [];
  const measured: RequestRecord[] = [];
  for (const part of replayTraffic(records, facts.timeScale)) {
    const result = simulateEndpoint(settings, { kind: 'open', requests: part.requests });
    const simulated = recordsFromSim(result, {
      variant: part.variant,
      mode: facts.mode,
      overheads,
      offsetMs: part.offsetMs,
    });
    simulated.forEach((r) => {
      const source = part.sources[r.seq] as RequestRecord;
      r.seq = source.seq;
      r.phase = source.phase;
      r.scheduledMs = source.scheduledMs * facts.timeScale;
    });
    replayed.push(...simulated);
    measured.push(...part.sources.map((r) => scaleRecord(r, facts.timeScale)));
  }
  return compareReplay(measured, replayed);
}
