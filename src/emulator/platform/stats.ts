// What the emulator measures about itself, for the benchmark and for anyone who wonders
// whether a slow result came from the emulator rather than the modelled endpoint:
//
//   stepLateness   real ms between a decode step's modelled end and the moment its tokens
//                  became available (the timeline ran it): the delay the emulator adds to
//                  every partial.
//   holdWake       real ms between a partial or status change and the write of the answer
//                  to a held request waiting for it (/stream?wait, /status-sync, /runsync,
//                  OpenAI streams).
//   partialDelivery real ms between a partial's modelled due time (the end of the decode
//                  step that produced it) and the write of the answer that carries it to a
//                  client already waiting for it (a /stream?wait hold or an OpenAI SSE
//                  stream), taken after the write call returned, when the bytes were with
//                  the kernel: everything the emulator adds to a streamed token's latency.
//   stepCpu        CPU ms per delivered partial of one wake of the timeline that completed
//                  decode steps: the process's CPU time (process.cpuUsage, user + system,
//                  all threads) from the first step's completion to the end of the writes
//                  it queued, divided by the partials delivered meanwhile (partialDelivery
//                  samples). Unlike the latencies it does not grow when the machine is busy
//                  and the emulator waits for a core: times the partials due at once (a
//                  worker's batch), it is how long their delivery takes on an idle core.
//   eventLoopDelay how late Node's event loop ran a 10 ms periodic timer (monitorEventLoopDelay
//                  records the whole interval; the 10 ms are subtracted here).
//
// Samples go to fixed-size rings (the most recent 200,000 of each), so memory stays bounded
// on long runs; percentiles are computed on demand (nearest rank on the sorted samples).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const RING_SIZE = 200_000;
const LOOP_RESOLUTION_MS = 10;

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export class LatencyRing {
  private readonly samples = new Float64Array(RING_SIZE);
  private next = 0;
  private total = 0;

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % RING_SIZE;
    this.total++;
  }

  reset(): void {
    this.next = 0;
    this.total = 0;
  }

  /** Samples recorded since the last reset. */
  get count(): number {
    return this.total;
  }

  summary(): LatencySummary {
    const n = Math.min(this.total, RING_SIZE);
    const sorted = this.samples.slice(0, n).sort();
    const at = (q: number): number => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.ceil(q * n) - 1)] as number));
    return {
      count: this.total,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      p999Ms: at(0.999),
      maxMs: n === 0 ? 0 : (sorted[n - 1] as number),
    };
  }
}

export interface EmulatorStatsSnapshot {
  stepLateness: LatencySummary;
  holdWake: LatencySummary;
  partialDelivery: LatencySummary;
  stepCpu: LatencySummary;
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
}

export class EmulatorStats {
  readonly stepLateness = new LatencyRing();
  readonly holdWake = new LatencyRing();
  readonly partialDelivery = new LatencyRing();
  readonly stepCpu = new LatencyRing();
  private readonly loop: IntervalHistogram;

  constructor() {
    this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loop.enable();
  }

  snapshot(): EmulatorStatsSnapshot {
    const late = (ns: number): number => Math.max(0, ns * 1e-6 - LOOP_RESOLUTION_MS);
    return {
      stepLateness: this.stepLateness.summary(),
      holdWake: this.holdWake.summary(),
      partialDelivery: this.partialDelivery.summary(),
      stepCpu: this.stepCpu.summary(),
      eventLoopDelay: {
        p50Ms: late(this.loop.percentile(50)),
        p99Ms: late(this.loop.percentile(99)),
        maxMs: late(this.loop.max),
      },
    };
  }

  reset(): void {
    this.stepLateness.reset();
    this.holdWake.reset();
    this.partialDelivery.reset();
    this.stepCpu.reset();
    this.loop.reset();
  }

  close(): void {
    this.loop.disable();
  }
}
