// A finding as summary.json's `recommendations` has always stated it: its topic, the
// recommended value, its sentence, and its numbers rounded for reading (the HTML report's
// numbers table shows these). The unrounded data sits beside it in summary.json's `findings`.
import type { Finding, TunedSetting } from '../core/findings.js';
import type { Recommendation } from '../core/recommendation.js';
import { roundTo as round } from '../util/round.js';
import { findingText } from './finding-text.js';

export function recommendationOf(finding: Finding): Recommendation {
  const { kind, value, numbers } = legacyView(finding);
  return { kind, value, reason: findingText(finding), numbers };
}

type View = Omit<Recommendation, 'reason'>;

function legacyView(f: Finding): View {
  switch (f.kind) {
    case 'capacity': {
      const { workers, requestsPerSec: rps, outputTokensPerSec: tokens } = f;
      return {
        kind: 'capacity',
        value: f.level,
        numbers: {
          level: f.level,
          requestsPerSec: round(rps, 3),
          outputTokensPerSec: round(tokens, 1),
          workers: workers === null ? null : round(workers, 2),
          requestsPerSecPerWorker: workers ? round(rps / workers, 3) : null,
          outputTokensPerSecPerWorker: workers ? round(tokens / workers, 1) : null,
          kneeLevel: f.kneeLevel,
          ttftP95Ms: f.ttftP95Ms,
          e2eP95Ms: f.e2eP95Ms,
        },
      };
    }
    case 'profile-sweep':
      return {
        kind: 'profile-sweep',
        value: { rates: f.rates.map((r) => r.rate) },
        numbers: {
          synchronousRps: f.synchronousRps === null ? null : round(f.synchronousRps, 3),
          throughputRps: f.throughputRps === null ? null : round(f.throughputRps, 3),
          ...Object.fromEntries(f.rates.map((r) => [`${r.variant}: requestsPerSec`, round(r.requestsPerSec, 3)])),
        },
      };
    case 'no-capacity':
      return { kind: 'capacity', value: null, numbers: { levelsTried: f.levelsTried } };
    case 'capacity-plan':
      return {
        kind: 'capacity-plan',
        value: { activeWorkers: f.activeWorkers, maxWorkers: f.maxWorkers },
        numbers: {
          targetRps: f.targetRps,
          requestsPerSecPerWorker: round(f.requestsPerSecPerWorker, 3),
          workersNeeded: f.workersNeeded,
          activeWorkers: f.activeWorkers,
          maxWorkers: f.maxWorkers,
          headroom: f.headroom,
          coldStartP90Ms: f.coldStartP90Ms,
          costPerHour: f.costPerHour === null ? null : round(f.costPerHour, 4),
          costPerMillionOutputTokens:
            f.costPerMillionOutputTokens === null ? null : round(f.costPerMillionOutputTokens, 4),
        },
      };
    case 'no-capacity-plan':
      return { kind: 'capacity-plan', value: null, numbers: { targetRps: f.targetRps } };
    case 'run-cost':
      return {
        kind: 'capacity-plan',
        value: { billedWorkerSeconds: round(f.totalSeconds, 1) },
        numbers: {
          busySeconds: round(f.busySeconds, 2),
          idleSeconds: round(f.idleSeconds, 2),
          coldStartSeconds: round(f.coldStartSeconds, 2),
          pricePerSecond: f.pricePerSecond,
          outputTokens: round(f.outputTokens, 0),
        },
      };
    case 'stream-batching-no-effect':
      return {
        kind: 'stream-batching-no-effect',
        value: null,
        numbers: Object.fromEntries(f.settings.map((s) => [`${s.variant}: chunkTokensMean`, s.chunkTokensMean])),
      };
    case 'stream-batching-alike':
      return { kind: 'stream-batching', value: null, numbers: perSetting(f.settings) };
    case 'stream-batching-target-met':
      return {
        kind: 'stream-batching',
        value: f.best.setting,
        numbers: { ...numbersOf(f.best), ttftTargetMs: f.ttftTargetMs },
      };
    case 'stream-batching-target-missed':
      return {
        kind: 'stream-batching',
        value: f.closest.setting,
        numbers: { ...numbersOf(f.closest), ttftTargetMs: f.ttftTargetMs },
      };
    case 'stream-batching-front':
      return { kind: 'stream-batching', value: f.front.map((s) => s.setting), numbers: perSetting(f.front) };
    case 'cold-starts':
      return {
        kind: 'cold-starts',
        value: { variant: f.variant, p50Ms: f.coldP50Ms, p90Ms: f.coldP90Ms },
        numbers: {
          coldRequests: f.coldRequests,
          coldShare: f.coldShare,
          coldP50Ms: f.coldP50Ms,
          coldP70Ms: f.coldP70Ms,
          coldP90Ms: f.coldP90Ms,
          coldP98Ms: f.coldP98Ms,
          warmP50Ms: f.warmP50Ms,
          timeToFirstWorkerMs: f.timeToFirstWorkerMs,
          timeToMaxWorkersMs: f.timeToMaxWorkersMs,
          maxServingWorkers: f.maxServingWorkers,
        },
      };
    case 'platform-overhead': {
      const numbers: Recommendation['numbers'] = {
        directRequests: f.requests.direct,
        viaRequests: f.requests.via,
        callsPerRequest: round(f.callsPerRequest, 2),
        coldStarts: f.coldStarts,
        coldStartP50Ms: f.coldStartP50Ms,
      };
      for (const d of f.differences) {
        numbers[`${d.metric} direct p50`] = round(d.directP50Ms, 1);
        numbers[`${d.metric} via p50`] = round(d.viaP50Ms, 1);
        numbers[`${d.metric} difference`] = round(d.difference.ms, 1);
        numbers[`${d.metric} difference uncertainty`] = round(d.difference.uncertaintyMs, 1);
      }
      for (const [name, figure] of [
        ['queueDelayMs', f.queueDelay],
        ['outsideServerMs', f.outsideServer],
        ['pollingCostMs', f.pollingCost],
      ] as const) {
        numbers[name] = figure === null ? null : round(figure.ms, 1);
        numbers[`${name} uncertainty`] = figure === null ? null : round(figure.uncertaintyMs, 1);
      }
      return {
        kind: 'platform-overhead',
        value: { direct: f.direct, via: f.via, mode: f.mode },
        numbers,
      };
    }
    case 'what-if-answer':
      return {
        kind: 'what-if',
        value: f.recommended.settings,
        numbers: {
          costPerHour: round(f.recommended.costPerHour, 4),
          costPerMillionTokens:
            f.recommended.costPerMillionTokens === null ? null : round(f.recommended.costPerMillionTokens, 4),
          ttftP95Ms: f.recommended.ttftP95Ms === null ? null : round(f.recommended.ttftP95Ms, 1),
          e2eP95Ms: f.recommended.e2eP95Ms === null ? null : round(f.recommended.e2eP95Ms, 1),
          coldStartShare: round(f.recommended.coldStartShare, 4),
          candidatesTried: f.candidatesTried,
          candidatesMeeting: f.candidatesMeeting,
        },
      };
    case 'what-if-none':
      return { kind: 'what-if', value: null, numbers: { candidatesTried: f.candidatesTried } };
    default: {
      const never: never = f;
      return never;
    }
  }
}

function numbersOf(s: TunedSetting): Recommendation['numbers'] {
  return {
    ttftP50Ms: s.ttftP50Ms,
    ttftP95Ms: s.ttftP95Ms,
    ttftUncertaintyP50Ms: s.ttftUncertaintyP50Ms,
    streamCallsPerRequest: s.streamCallsPerRequest,
    chunkTokensMean: s.chunkTokensMean,
    chunkGapP50Ms: s.chunkGapP50Ms,
    e2eP50Ms: s.e2eP50Ms,
    ...(s.streaming
      ? {
          max_batch_size: s.streaming.max_batch_size ?? null,
          min_batch_size: s.streaming.min_batch_size ?? null,
          batch_size_growth_factor: s.streaming.batch_size_growth_factor ?? null,
          pollIntervalMs: s.streaming.pollIntervalMs,
          pollWaitMs: s.streaming.pollWaitMs,
        }
      : {}),
  };
}

function perSetting(
  settings: ReadonlyArray<{ variant: string; ttftP50Ms: number; streamCallsPerRequest: number }>,
): Recommendation['numbers'] {
  return Object.fromEntries(
    settings.flatMap((s) => [
      [`${s.variant}: ttftP50Ms`, s.ttftP50Ms],
      [`${s.variant}: streamCallsPerRequest`, s.streamCallsPerRequest],
    ]),
  );
}
