// The one place where a calibration's values meet the emulator's settings: which setting
// each fitted value becomes, the emulator's defaults for what a run cannot tell, and the
// client-side overheads the emulator does not model (added to simulated times instead, by
// answers/sim-records.ts). When the emulator gains a setting for one of those overheads, it
// moves from clientOverheads() to settingsFor() here: issue 17 proposes network.roundTrip
// (for overhead.e2eMs and overhead.ttftMs, which hold the round trip and the client's last
// poll) and queue.pickupDelay (for overhead.dispatchMs).
import type { Calibration, CalibrationParameter, ClientOverheads, FittedValue } from '../core/calibration.js';
import { UsageError } from '../core/errors.js';
import { emulatorSettingsSchema, resolveEmulatorSettings, type EmulatorSettings } from '../emulator/settings/index.js';
import { applyOverrides, type Override } from '../util/override.js';
import { formatIssues } from '../util/schema.js';

/** Settings path of each parameter the emulator has a setting for. */
const SETTING_OF: Partial<Record<CalibrationParameter, string>> = {
  'generation.stepMs': 'generation.stepMs',
  'generation.stepMsPerSequence': 'generation.stepMsPerSequence',
  'generation.prefillMsPerToken': 'generation.prefillMsPerToken',
  'generation.jitter': 'generation.jitter',
  'generation.eosProbability': 'generation.eosProbability',
  'workers.coldStart.medianMs': 'workers.coldStart.median',
  'workers.coldStart.sigma': 'workers.coldStart.sigma',
  'workers.flashboot.probability': 'workers.flashboot.probability',
  'workers.flashboot.medianMs': 'workers.flashboot.start.median',
  'workers.flashboot.sigma': 'workers.flashboot.start.sigma',
  'workers.idleTimeoutMs': 'workers.idleTimeout',
  'workers.concurrency': 'workers.concurrency',
};

export function settingPathOf(parameter: CalibrationParameter): string | undefined {
  return SETTING_OF[parameter];
}

function lognormal(dist: EmulatorSettings['workers']['coldStart']): { median: number; sigma: number } {
  switch (dist.kind) {
    case 'lognormal':
      return { median: dist.medianMs, sigma: dist.sigma };
    case 'fixed':
      return { median: dist.ms, sigma: 0 };
    case 'uniform':
      return { median: (dist.minMs + dist.maxMs) / 2, sigma: 0 };
  }
}

/** What each parameter is when a run cannot tell it: the emulator's defaults (no overheads). */
export function emulatorDefaults(): Record<CalibrationParameter, number> {
  const d = resolveEmulatorSettings({});
  const cold = lognormal(d.workers.coldStart);
  const flash = lognormal(d.workers.flashboot.start);
  return {
    'generation.stepMs': d.generation.stepMs,
    'generation.stepMsPerSequence': d.generation.stepMsPerSequence,
    'generation.prefillMsPerToken': d.generation.prefillMsPerToken,
    'generation.jitter': d.generation.jitter,
    'generation.eosProbability': d.generation.eosProbability,
    'workers.coldStart.medianMs': cold.median,
    'workers.coldStart.sigma': cold.sigma,
    'workers.flashboot.probability': d.workers.flashboot.probability,
    'workers.flashboot.medianMs': flash.median,
    'workers.flashboot.sigma': flash.sigma,
    'workers.idleTimeoutMs': d.workers.idleTimeout,
    'workers.concurrency': d.workers.concurrency,
    'overhead.executionMs': 0,
    'overhead.ttftMs': 0,
    'overhead.e2eMs': 0,
    'overhead.dispatchMs': 0,
  };
}

function fittedValueOf(parameters: readonly FittedValue[], p: CalibrationParameter): number | undefined {
  return parameters.find((v) => v.parameter === p)?.value;
}

export interface EndpointShape {
  min: number;
  max: number;
  /** Runpod's worker-vllm output generation, as the run saw it. */
  worker: 'legacy' | 'proxy';
}

/** The emulator settings (input form, emulated ms) the fitted values make, before --set. */
export function settingsFor(parameters: readonly FittedValue[], endpoint: EndpointShape): Record<string, unknown> {
  const v = (p: CalibrationParameter): number => {
    const value = fittedValueOf(parameters, p);
    if (value === undefined) throw new Error(`calibration without ${p}`);
    return value;
  };
  const round = (x: number, digits: number): number => Number(x.toPrecision(digits));
  // Durations with their unit: a settings file refuses a bare number for a duration.
  const duration = (ms: number): string => `${Math.max(0, Math.round(ms))}ms`;
  const flashFitted = parameters.some((p) => p.parameter === 'workers.flashboot.probability' && p.status !== 'assumed');
  return {
    seed: 1,
    worker: endpoint.worker,
    workers: {
      min: endpoint.min,
      max: Math.max(endpoint.max, endpoint.min, 1),
      concurrency: Math.max(1, Math.round(v('workers.concurrency'))),
      idleTimeout: duration(v('workers.idleTimeoutMs')),
      coldStart: {
        median: duration(v('workers.coldStart.medianMs')),
        sigma: round(Math.min(5, v('workers.coldStart.sigma')), 3),
      },
      flashboot: {
        enabled: flashFitted,
        probability: round(Math.min(1, v('workers.flashboot.probability')), 3),
        start: {
          median: duration(v('workers.flashboot.medianMs')),
          sigma: round(Math.min(5, v('workers.flashboot.sigma')), 3),
        },
      },
    },
    generation: {
      stepMs: round(Math.max(0, v('generation.stepMs')), 4),
      stepMsPerSequence: round(Math.max(0, v('generation.stepMsPerSequence')), 4),
      prefillMsPerToken: round(Math.max(0, v('generation.prefillMsPerToken')), 4),
      jitter: round(Math.min(1, Math.max(0, v('generation.jitter'))), 3),
      eosProbability: round(Math.min(1, Math.max(0, v('generation.eosProbability'))), 4),
    },
  };
}

/**
 * Applies calibrate's --set overrides to the fitted settings, validates the result and marks
 * the parameters they set as given (with the value given).
 */
export function applyGiven(
  settings: Record<string, unknown>,
  parameters: FittedValue[],
  overrides: readonly Override[],
): { settings: Record<string, unknown>; resolved: EmulatorSettings } {
  const merged = applyOverrides(settings, overrides);
  const result = emulatorSettingsSchema.safeParse(merged);
  if (!result.success) throw new UsageError(formatIssues('calibrate --set', result.error));
  for (const override of overrides) {
    for (const p of parameters) {
      const path = SETTING_OF[p.parameter];
      if (path === undefined || !(path === override.path || path.startsWith(`${override.path}.`))) continue;
      p.status = 'given';
      p.low = null;
      p.high = null;
      p.basis = 0;
      const resolved = valueAtSetting(result.data, p.parameter);
      if (resolved !== undefined) p.value = resolved;
    }
  }
  return { settings: merged, resolved: result.data };
}

function valueAtSetting(s: EmulatorSettings, p: CalibrationParameter): number | undefined {
  const cold = lognormal(s.workers.coldStart);
  const flash = lognormal(s.workers.flashboot.start);
  const values: Partial<Record<CalibrationParameter, number>> = {
    'generation.stepMs': s.generation.stepMs,
    'generation.stepMsPerSequence': s.generation.stepMsPerSequence,
    'generation.prefillMsPerToken': s.generation.prefillMsPerToken,
    'generation.jitter': s.generation.jitter,
    'generation.eosProbability': s.generation.eosProbability,
    'workers.coldStart.medianMs': cold.median,
    'workers.coldStart.sigma': cold.sigma,
    'workers.flashboot.probability': s.workers.flashboot.probability,
    'workers.flashboot.medianMs': flash.median,
    'workers.flashboot.sigma': flash.sigma,
    'workers.idleTimeoutMs': s.workers.idleTimeout,
    'workers.concurrency': s.workers.concurrency,
  };
  return values[p];
}

/** The overheads a calibration measured beyond the emulator's model. */
export function clientOverheads(calibration: Pick<Calibration, 'parameters'>): ClientOverheads {
  const v = (p: CalibrationParameter): number => Math.max(0, fittedValueOf(calibration.parameters, p) ?? 0);
  return {
    dispatchMs: v('overhead.dispatchMs'),
    executionMs: fittedValueOf(calibration.parameters, 'overhead.executionMs') ?? 0,
    ttftMs: v('overhead.ttftMs'),
    e2eMs: v('overhead.e2eMs'),
  };
}

/** Parameters whose settings are durations (written with their unit). */
const DURATIONS = new Set<CalibrationParameter>([
  'workers.coldStart.medianMs',
  'workers.flashboot.medianMs',
  'workers.idleTimeoutMs',
]);

/** Higher is worse for every parameter but these: shorter answers, more room, more fast revivals. */
const LOWER_IS_WORSE = new Set<CalibrationParameter>([
  'generation.eosProbability',
  'workers.concurrency',
  'workers.flashboot.probability',
]);

/**
 * The settings with every fitted value moved to the pessimistic end of its interval (slower
 * steps, longer cold starts): what a what-if answer must still hold under to be more than
 * the model's luck.
 */
export function pessimisticSettings(calibration: Pick<Calibration, 'parameters' | 'settings'>): {
  settings: Record<string, unknown>;
  overheads: ClientOverheads;
} {
  const shifted = calibration.parameters.map((p) => {
    if (p.status !== 'fitted' || p.high === null) return p;
    const worse = LOWER_IS_WORSE.has(p.parameter) ? p.low : p.high;
    return worse === null ? p : { ...p, value: worse };
  });
  let settings = calibration.settings;
  for (const p of shifted) {
    const path = SETTING_OF[p.parameter];
    if (path === undefined || p.status !== 'fitted') continue;
    if (p.parameter === 'generation.jitter') continue; // an upper bound already
    const value =
      p.parameter === 'workers.concurrency'
        ? Math.max(1, Math.round(p.value))
        : DURATIONS.has(p.parameter)
          ? `${Math.max(0, Math.round(p.value))}ms`
          : p.value;
    settings = applyOverrides(settings, [{ path, value, origin: 'pessimistic' }]);
  }
  return { settings, overheads: clientOverheads({ parameters: shifted }) };
}
