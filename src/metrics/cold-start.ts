// Which requests hit a cold start. The client cannot see worker boots, so podbench infers
// them from what the server reports, per variant:
//   a job is a candidate when it is the first job seen on its worker in the run, or its
//   worker had no job for at least idleGapMs before this pickup (so it had scaled down);
//   a candidate is cold when its delayTime is at least thresholdMs (an active worker's
//   first job, picked up at once, is not a cold start); it marks a boot of that worker;
//   jobs the same worker picks up within thresholdMs / 4 of a boot, after waiting at least
//   thresholdMs, queued through that boot too and are cold as well.
// Pickup is estimated as sentMs + delayMs, a worker's busy time as pickup + executionMs.
import type { RequestRecord } from '../core/record.js';

export interface ColdStartRule {
  thresholdMs: number;
  idleGapMs: number;
}

export const DEFAULT_COLD_START_RULE: ColdStartRule = { thresholdMs: 1000, idleGapMs: 5000 };

export interface PickupFacts {
  seq: number;
  workerId: string;
  pickupMs: number;
  delayMs: number;
  executionMs: number;
}

/** The facts the rule needs from a record, or undefined when the server did not report them. */
export function pickupFacts(record: RequestRecord): PickupFacts | undefined {
  if (record.workerId === undefined || record.delayMs === undefined || record.sentMs === undefined) return undefined;
  return {
    seq: record.seq,
    workerId: record.workerId,
    pickupMs: record.sentMs + record.delayMs,
    delayMs: record.delayMs,
    executionMs: record.executionMs ?? 0,
  };
}

/** Sequence numbers of the cold requests among one variant's jobs (warmup included: it warms workers). */
export function classifyColdStarts(facts: readonly PickupFacts[], rule: ColdStartRule): Set<number> {
  const ordered = [...facts].sort((a, b) => a.pickupMs - b.pickupMs);
  const busyUntil = new Map<string, number>();
  const bootAt = new Map<string, number>();
  const sameBootMs = rule.thresholdMs / 4;
  const cold = new Set<number>();
  for (const job of ordered) {
    const last = busyUntil.get(job.workerId);
    const waitedLong = job.delayMs >= rule.thresholdMs;
    const freshWorker = last === undefined || job.pickupMs - last >= rule.idleGapMs;
    if (freshWorker && waitedLong) {
      cold.add(job.seq);
      bootAt.set(job.workerId, job.pickupMs);
    } else if (waitedLong && job.pickupMs - (bootAt.get(job.workerId) ?? Number.NEGATIVE_INFINITY) <= sameBootMs) {
      cold.add(job.seq);
    }
    busyUntil.set(job.workerId, Math.max(last ?? Number.NEGATIVE_INFINITY, job.pickupMs + job.executionMs));
  }
  return cold;
}
