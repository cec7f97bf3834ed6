// A calibration in words: each fitted value with its interval and what it rests on, what the
// run could not tell and which run would, and how well the fitted emulator replays the run.
// Shown on the console by `podbench calibrate` and written as comments into emulator.yaml.
import type {
  Calibration,
  CalibrationGap,
  CalibrationParameter,
  FittedValue,
  ReplayCheck,
  ReplayRow,
} from '../core/calibration.js';
import { fmtNumber } from '../checks/units.js';
import { REPLAY_BOUND, REPLAY_FLOOR_MS, replayMissed } from '../core/replay-bound.js';

interface ParameterWords {
  label: string;
  unit: 'ms' | 'ms/token' | 'ms/sequence' | 'probability' | 'share' | 'sigma' | 'jobs';
  /** What it rests on, for "from N ...". */
  basis: string;
}

const WORDS: Record<CalibrationParameter, ParameterWords> = {
  'generation.stepMs': { label: 'decode step, one sequence', unit: 'ms', basis: 'requests' },
  'generation.stepMsPerSequence': {
    label: 'decode step growth per extra sequence',
    unit: 'ms/sequence',
    basis: 'requests',
  },
  'generation.prefillMsPerToken': { label: 'prefill per prompt token', unit: 'ms/token', basis: 'requests' },
  'generation.jitter': { label: 'decode step noise (at most)', unit: 'share', basis: 'requests' },
  'generation.eosProbability': { label: 'end of sequence, chance per token', unit: 'probability', basis: 'requests' },
  'workers.coldStart.medianMs': { label: 'cold start, median', unit: 'ms', basis: 'boots' },
  'workers.coldStart.sigma': { label: 'cold start, spread (log-normal sigma)', unit: 'sigma', basis: 'boots' },
  'workers.flashboot.probability': { label: 'FlashBoot, share of revivals', unit: 'share', basis: 'revivals' },
  'workers.flashboot.medianMs': { label: 'FlashBoot revival, median', unit: 'ms', basis: 'revivals' },
  'workers.flashboot.sigma': { label: 'FlashBoot revival, spread (sigma)', unit: 'sigma', basis: 'revivals' },
  'workers.idleTimeoutMs': { label: 'idle timeout', unit: 'ms', basis: 'agreeing observations' },
  'workers.concurrency': { label: 'jobs per worker (MAX_CONCURRENCY)', unit: 'jobs', basis: 'queued jobs' },
  'overhead.executionMs': { label: 'per-job cost in executionTime', unit: 'ms', basis: 'requests' },
  'overhead.ttftMs': { label: 'client first token beyond the first step', unit: 'ms', basis: 'requests' },
  'overhead.e2eMs': { label: 'client end to end beyond delay + execution', unit: 'ms', basis: 'requests' },
  'overhead.dispatchMs': { label: 'dispatch to a warm worker (delayTime)', unit: 'ms', basis: 'requests' },
};

export function parameterLabel(parameter: CalibrationParameter): string {
  return WORDS[parameter].label;
}

/** A value in its parameter's unit: "31.2 ms", "0.41 ms/token", "2.1%", "0.30". */
export function parameterValue(parameter: CalibrationParameter, value: number): string {
  const { unit } = WORDS[parameter];
  switch (unit) {
    case 'ms':
      return Math.abs(value) >= 10_000
        ? `${fmtNumber(value / 1000, 2)} s`
        : `${fmtNumber(value, Math.abs(value) >= 100 ? 0 : 1)} ms`;
    case 'ms/token':
      return `${fmtNumber(value, 3)} ms/token`;
    case 'ms/sequence':
      return `${fmtNumber(value, 2)} ms/sequence`;
    case 'probability':
      return fmtNumber(value, 4);
    case 'share':
      return `${fmtNumber(value * 100, 1)}%`;
    case 'sigma':
      return fmtNumber(value, 2);
    case 'jobs':
      return fmtNumber(value, 0);
  }
}

/** "31.2 ms (90%: 30.9–31.5 ms), fitted from 412 requests". */
export function fittedValueText(v: FittedValue): string {
  const value = parameterValue(v.parameter, v.value);
  const basis = `${v.basis} ${WORDS[v.parameter].basis}`;
  switch (v.status) {
    case 'fitted': {
      const interval =
        v.low !== null && v.high !== null
          ? v.low === v.high
            ? ''
            : ` (90%: ${parameterValue(v.parameter, v.low)} to ${parameterValue(v.parameter, v.high)})`
          : '';
      return `${value}${interval}, fitted from ${basis}`;
    }
    case 'bound': {
      if (v.valueFrom === 'default') {
        const side =
          v.low !== null && v.low > 0
            ? `at least ${parameterValue(v.parameter, v.low)}`
            : v.high !== null
              ? `at most ${parameterValue(v.parameter, v.high)}`
              : 'unbounded';
        return `${value}, the default: the run shows only that it is ${side} (a bound, not a fit)`;
      }
      if (v.low !== null && v.high !== null && v.low > 0)
        return `${value}, between ${parameterValue(v.parameter, v.low)} and ${parameterValue(v.parameter, v.high)} (a bound, not a fit)`;
      if (v.high !== null) return `${value}; at most ${parameterValue(v.parameter, v.high)} (a bound, not a fit)`;
      if (v.low !== null) return `${value}; at least ${parameterValue(v.parameter, v.low)} (a bound, not a fit)`;
      return `${value} (a bound)`;
    }
    case 'assumed':
      return `${value}, assumed: the run cannot tell`;
    case 'given':
      return `${value}, as given`;
  }
}

const ms = (v: number): string => parameterValue('overhead.e2eMs', v);

/** What the run cannot tell, and which run would tell it. */
export function gapText(gap: CalibrationGap): string {
  switch (gap.kind) {
    case 'no-server-timing':
      return `None of the ${gap.requests} requests carried delayTime and executionTime (the OpenAI routes report none): nothing about the endpoint can be fitted. A run in stream, sync or async mode would tell it.`;
    case 'few-requests':
      return `Only ${gap.requests} requests with server timing: the intervals are wide. A run of ${gap.wanted} or more would narrow them.`;
    case 'no-batch-variation':
      return `Every job ran beside about the same number of others (${fmtNumber(gap.sequencesP10, 1)} to ${fmtNumber(gap.sequencesP90, 1)} sequences): how the step grows with the batch cannot be told, and the step time holds it at that batch size. A run whose concurrency ramps (load.stages from 1 to your peak) would tell it.`;
    case 'no-prompt-variation':
      return `Prompts were all about the same length (${fmtNumber(gap.promptTokensP10, 0)} to ${fmtNumber(gap.promptTokensP90, 0)} tokens): prefill cannot be told from the step time, and is folded into it. A run with prompts of varied length (input.synthetic.spread: 0.9) would tell it.`;
    case 'no-output-variation':
      return `Every job generated about ${fmtNumber(gap.outputTokens, 0)} tokens: a fixed per-job cost cannot be told from the step time (none is assumed). A run with varied max_tokens (or without ignore_eos) would tell it.`;
    case 'eos-unknown':
      return gap.reason === 'ignore-eos'
        ? 'The run set ignore_eos: how soon the model ends its answers cannot be told, and the emulator default is used. A run without ignore_eos would tell it.'
        : 'max_tokens of the run is unknown: the end-of-sequence chance cannot be told. Give sampling_params.max_tokens in the scenario.';
    case 'eos-never-seen':
      return `None of the ${gap.requests} answers ended before max_tokens: the end-of-sequence chance is only bounded. A run with a larger max_tokens would tell it.`;
    case 'no-cold-starts':
      return 'No request waited for a worker to start: the run says nothing about cold starts, and the emulator default is used. A cold-start run (load.probes with untilIdle: true, as scenarios/cold-start.yaml) would tell it.';
    case 'few-cold-starts':
      return `Only ${gap.boots === 1 ? '1 cold start: its length is a single sample and its spread unknown' : `${gap.boots} cold starts: their median is rough and their spread rougher`}. A cold-start run of ${gap.wanted} probes (load.probes: ${gap.wanted}, untilIdle: true) would tell it.`;
    case 'cold-starts-under-load':
      return `${gap.boots} of the boots began while other workers were live, so their waits include the scaler's reaction: the cold-start figures are upper bounds. Probes from zero workers (load.probes, untilIdle: true) would tell the boot alone.`;
    case 'no-flashboot-seen':
      return `${gap.revivals} workers came back after scaling down, none much faster than a first boot: FlashBoot was off, or never hit. The what-if uses FlashBoot's default figures if you search it.`;
    case 'no-scale-down':
      return 'No worker was seen scaling down: the idle timeout cannot be told, and the default is used. A run with pauses longer than the idle timeout, and /health sampled (polling.health), would tell it.';
    case 'idle-timeout-bound':
      return gap.lowMs !== null && gap.highMs !== null
        ? `The idle timeout is only bounded (${ms(gap.lowMs)} to ${ms(gap.highMs)}). Sampling /health more often (polling.health: 100ms) in a run with pauses would tell it.`
        : `The idle timeout is only bounded (${gap.lowMs !== null ? `at least ${ms(gap.lowMs)}` : `at most ${ms(gap.highMs ?? 0)}`}): the bound is no estimate, so the default is used within it. Sampling /health more often (polling.health: 100ms) in a run with pauses would tell it.`;
    case 'concurrency-not-reached':
      return `No worker held more than ${gap.maxInFlight} jobs at once while others waited: jobs per worker (MAX_CONCURRENCY) is at least that, and the larger default is assumed. A run with more requests in flight than workers.max × MAX_CONCURRENCY would tell it.`;
    case 'no-stream-timing':
      return 'The run did not stream: the client-side part of the time to first token cannot be told (none is assumed). A run in stream mode would tell it.';
    case 'endpoint-settings-given':
      return "workers.min, workers.max and the scaler are the endpoint's settings, not something a run measures: they are taken from calibrate --set, else from what /health showed (the scaler: Runpod's default, QUEUE_DELAY 4 s).";
  }
}

const REPLAY_LABEL: Record<ReplayRow['metric'], string> = {
  'ttftMs.p50': 'TTFT p50',
  'ttftMs.p95': 'TTFT p95',
  'e2eMs.p50': 'E2E p50',
  'e2eMs.p95': 'E2E p95',
  'delayMs.p95': 'delay p95',
  outputTokensPerSec: 'output tokens/s',
};

export function replayRowText(row: ReplayRow): string {
  const value = (v: number | null): string =>
    v === null ? '–' : row.metric === 'outputTokensPerSec' ? `${fmtNumber(v, 1)}/s` : ms(v);
  const error =
    row.relativeError === null
      ? ''
      : ` (${row.relativeError >= 0 ? '+' : '−'}${fmtNumber(Math.abs(row.relativeError) * 100, 1)}%)`;
  return `${REPLAY_LABEL[row.metric].padEnd(16)} measured ${value(row.measured).padStart(9)}   replayed ${value(row.replayed).padStart(9)}${error}`;
}

/**
 * One sentence per figure the replay missed by more than the bound (replay.ts): the model
 * does not reproduce the run there, so what-if's answers about that figure are not to be trusted.
 */
export function replayMisses(replay: ReplayCheck): string[] {
  return replay.rows.filter(replayMissed).map((row) => {
    const label = REPLAY_LABEL[row.metric];
    const value = (v: number | null): string =>
      v === null ? '–' : row.metric === 'outputTokensPerSec' ? `${fmtNumber(v, 1)}/s` : ms(v);
    const relative =
      row.metric === 'outputTokensPerSec' || REPLAY_BOUND * Math.abs(row.measured ?? 0) > REPLAY_FLOOR_MS;
    const off =
      row.relativeError !== null && relative
        ? `by ${row.relativeError >= 0 ? '+' : '−'}${fmtNumber(Math.abs(row.relativeError) * 100, 1)}% (beyond ±${fmtNumber(REPLAY_BOUND * 100, 0)}%)`
        : `(${value(row.replayed)} replayed against ${value(row.measured)} measured, beyond ${fmtNumber(REPLAY_FLOOR_MS, 0)} ms)`;
    return `the replay misses the measured ${label} ${off}: the fitted model does not reproduce this run there, so what-if answers from this calibration are not to be trusted for ${label}.`;
  });
}

/**
 * What what-if says before answering from a calibration: the figures its replay missed, and
 * the endpoint settings the run only bounded, so that the default stands in for them.
 */
export function calibrationCaveats(c: Calibration): string[] {
  const bounded = c.parameters
    .filter((p) => p.valueFrom === 'default' && p.setting !== undefined)
    .map(
      (p) =>
        `calibration: ${parameterLabel(p.parameter)} ${fittedValueText(p)}; what-if models that default, not a value the run measured.`,
    );
  return [...(c.replay ? replayMisses(c.replay).map((m) => `calibration: ${m}`) : []), ...bounded];
}

/** The console text of a calibration. */
export function calibrationText(c: Calibration): string {
  const lines: string[] = [];
  const scale = c.source.timeScale === 1 ? '' : ` (times × ${fmtNumber(c.source.timeScale, 0)}: the run's time scale)`;
  lines.push(`Calibration of ${c.source.runId}: ${c.traffic.requests} requests${scale}`);
  lines.push('');
  const width = Math.max(...c.parameters.map((p) => parameterLabel(p.parameter).length));
  for (const p of c.parameters) lines.push(`  ${parameterLabel(p.parameter).padEnd(width)}  ${fittedValueText(p)}`);
  if (c.downweighted > 0)
    lines.push(
      '',
      `  ${c.downweighted} jobs fitted the decode model poorly and got a smaller vote (robust fit); none was dropped.`,
    );
  if (c.replay) {
    lines.push(
      '',
      `Replay: the fitted emulator on the same ${c.replay.requests} requests (each at its send time, with its lengths)`,
    );
    for (const row of c.replay.rows) lines.push(`  ${replayRowText(row)}`);
    const misses = replayMisses(c.replay);
    if (misses.length > 0) lines.push('', ...misses.map((m) => `warning: ${m}`));
  }
  const gaps = c.gaps.filter((g) => g.kind !== 'endpoint-settings-given');
  if (gaps.length > 0) {
    lines.push('', 'What this run cannot tell:');
    for (const gap of gaps) lines.push(`  - ${gapText(gap)}`);
  }
  return lines.join('\n');
}
