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
import { SmallIntColumn, Float64Column } from './columns.js';
import { orderOfValues } from './sort-values.js';

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

/** Whether the rule could call this job cold: it waited at least the threshold (the rest never are). */
export function mayBeCold(delayMs: number, rule: ColdStartRule): boolean {
  return delayMs >= rule.thresholdMs;
}

/**
 * A variant's pickups column by column (what a million jobs' facts cost as numbers, not
 * objects); worker ids are numbered in the order they appear.
 */
export class PickupColumns {
  readonly seq = new SmallIntColumn();
  readonly worker = new SmallIntColumn();
  readonly sentMs = new Float64Column();
  readonly delayMs = new SmallIntColumn();
  readonly executionMs = new SmallIntColumn();
  /** 1 for a measured job (not warmup), else 0. */
  readonly measured = new SmallIntColumn();
  private readonly workerIds = new Map<string, number>();
  private readonly workerNames: string[] = [];

  get length(): number {
    return this.seq.length;
  }

  push(facts: PickupFacts, sentMs: number, measured: boolean): void {
    let worker = this.workerIds.get(facts.workerId);
    if (worker === undefined) {
      worker = this.workerNames.push(facts.workerId) - 1;
      this.workerIds.set(facts.workerId, worker);
    }
    this.seq.push(facts.seq);
    this.worker.push(worker);
    this.sentMs.push(sentMs);
    this.delayMs.push(facts.delayMs);
    this.executionMs.push(facts.executionMs);
    this.measured.push(measured ? 1 : 0);
  }

  /** The i-th job's facts, as pickupFacts() gave them. */
  at(i: number): PickupFacts {
    const sentMs = this.sentMs.get(i);
    const delayMs = this.delayMs.get(i);
    return {
      seq: this.seq.get(i),
      workerId: this.workerNames[this.worker.get(i)] as string,
      pickupMs: sentMs + delayMs,
      delayMs,
      executionMs: this.executionMs.get(i),
    };
  }
}

/** The jobs as classifyColdStarts reads them: by index, workers as any key. */
interface JobTable {
  length: number;
  seq(i: number): number;
  worker(i: number): unknown;
  pickupMs(i: number): number;
  delayMs(i: number): number;
  executionMs(i: number): number;
}

/** Sequence numbers of the cold requests among one variant's jobs (warmup included: it warms workers). */
export function classifyColdStarts(facts: readonly PickupFacts[] | PickupColumns, rule: ColdStartRule): Set<number> {
  if (facts instanceof PickupColumns) {
    const pickupMs = new Float64Array(facts.length);
    for (let i = 0; i < facts.length; i++) pickupMs[i] = facts.sentMs.get(i) + facts.delayMs.get(i);
    return classify(
      {
        length: facts.length,
        seq: (i) => facts.seq.get(i),
        worker: (i) => facts.worker.get(i),
        pickupMs: (i) => pickupMs[i] as number,
        delayMs: (i) => facts.delayMs.get(i),
        executionMs: (i) => facts.executionMs.get(i),
      },
      rule,
    );
  }
  return classify(
    {
      length: facts.length,
      seq: (i) => (facts[i] as PickupFacts).seq,
      worker: (i) => (facts[i] as PickupFacts).workerId,
      pickupMs: (i) => (facts[i] as PickupFacts).pickupMs,
      delayMs: (i) => (facts[i] as PickupFacts).delayMs,
      executionMs: (i) => (facts[i] as PickupFacts).executionMs,
    },
    rule,
  );
}

function classify(jobs: JobTable, rule: ColdStartRule): Set<number> {
  // In pickup order; jobs picked up at the same time keep the order they came in.
  const pickups = new Float64Array(jobs.length);
  for (let i = 0; i < pickups.length; i++) pickups[i] = jobs.pickupMs(i);
  const ordered = orderOfValues(pickups);
  const busyUntil = new Map<unknown, number>();
  /** When each worker's latest boot ended (its first pickup after booting). */
  const bootEndedAt = new Map<unknown, number>();
  const cold = new Set<number>();
  for (const i of ordered) {
    const job = {
      seq: jobs.seq(i),
      workerId: jobs.worker(i),
      pickupMs: jobs.pickupMs(i),
      delayMs: jobs.delayMs(i),
      executionMs: jobs.executionMs(i),
    };
    const last = busyUntil.get(job.workerId);
    const waitedLong = mayBeCold(job.delayMs, rule);
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
