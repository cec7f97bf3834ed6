// Which requests hit a cold start. The client cannot see worker boots, so podbench infers
// them from what the server reports, per variant:
//   a worker may have booted when a job is the first seen on it in the run, or it had no job
//   for at least idleGapMs before this pickup (so it had scaled down); that boot ended at this
//   pickup (the worker became ready);
//   a job is cold when it was submitted before its worker's boot ended, waited at least
//   thresholdMs, and that worker picked it up. Requests queued through a boot are all cold,
//   whether the booted worker took them at once or once a slot freed. An active worker's
//   first job, picked up at once, makes no job cold: none waited through it.
//   The boot's first pickup need not be a long wait: a job sent just before the worker came
//   up waits little and can be picked up first (or at the same moment) while the jobs that
//   queued through the whole boot follow. Requiring that first job to have waited long
//   missed every cold start of such a boot (half the seeds of an open-loop run from zero).
// Pickup is estimated as sentMs + delayMs, a worker's busy time as pickup + executionMs.
import type { ColdStartRule } from '../core/cold-start-rule.js';
import type { RequestRecord } from '../core/record.js';

export interface PickupFacts {
  seq: number;
  workerId: string;
  /** The variant whose job it was (set when a run's pickups are pooled). */
  variant?: string;
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
  /** When each worker's latest boot ended (its first pickup after booting). */
  const bootEndedAt = new Map<string, number>();
  const cold = new Set<number>();
  for (const job of ordered) {
    const last = busyUntil.get(job.workerId);
    const waitedLong = job.delayMs >= rule.thresholdMs;
    const freshWorker = last === undefined || job.pickupMs - last >= rule.idleGapMs;
    if (freshWorker) bootEndedAt.set(job.workerId, job.pickupMs);
    const sentMs = job.pickupMs - job.delayMs;
    // Submitted while this worker was still booting (the boot ends at its first pickup; the
    // comparison allows for the first job's own pickup estimate).
    const bootEnd = bootEndedAt.get(job.workerId);
    if (waitedLong && bootEnd !== undefined && sentMs < bootEnd) cold.add(job.seq);
    busyUntil.set(job.workerId, Math.max(last ?? Number.NEGATIVE_INFINITY, job.pickupMs + job.executionMs));
  }
  return cold;
}
