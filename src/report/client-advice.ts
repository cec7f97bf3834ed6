// What would take podbench's own delay out of its figures (issue 20's honest limits): the
// client threads that would bring the event-loop delay under the bar, or, past this
// machine's cores, the machines to split the load over.
import type { RunSummary, VariantSummary } from '../core/summary.js';

/**
 * " The machine was busy before the run started (load average 3.5 on 2 cores): ..." when it
 * was already at or above its cores (other processes took podbench's turns), else ''.
 */
export function busyMachineNote(summary: RunSummary): string {
  const cpu = summary.run.provenance?.cpu;
  if (cpu?.loadAverage1m === undefined || cpu.loadAverage1m < cpu.cores) return '';
  return ` The machine was busy before the run started (load average ${cpu.loadAverage1m} on ${cpu.cores} cores): a quieter machine may remove much of it.`;
}

/** What would take podbench's own delay out of the figures: more client threads, or more machines. */
export function clientAdvice(summary: RunSummary, loop: NonNullable<VariantSummary['clientLoopDelay']>): string {
  const split =
    'split the load across machines (`podbench k6 export <scenario> --instances N --out DIR`, see docs/engines.md)';
  const needed = loop.neededThreads;
  const cores = summary.run.provenance?.cpu.cores;
  const busyMachine = busyMachineNote(summary);
  if (loop.inFlightCap !== undefined) {
    // The estimate asked for more threads than requests in flight: podbench's own share of
    // the work cannot explain a delay that large.
    const n = loop.inFlightCap;
    const elsewhere = `a delay this large for ${n === 1 ? 'one request' : `${n} requests`} in flight comes mostly from elsewhere on this machine (other processes, or an emulator on the same cores).${busyMachine}`;
    if (summary.run.engine !== 'native' || n <= (loop.threads ?? 1) || (cores !== undefined && cores < 2))
      return `More client threads would not remove it: ${elsewhere}`;
    return `At most ${n} client threads could share the work (--workers ${Math.min(n, cores ?? n)}), one per request in flight, but ${elsewhere}`;
  }
  if (summary.run.engine !== 'native' || needed === undefined) return `To remove it, ${split}.${busyMachine}`;
  if (cores === undefined || needed <= cores)
    return `About ${needed} client threads would remove it: run with --workers ${needed}${cores === undefined ? '' : ` (this machine has ${cores} cores)`}.${busyMachine}`;
  const machines = Math.ceil(needed / cores);
  return `Removing it takes about ${needed} client threads, more than this machine's ${cores} cores: run with --workers ${cores} and ${split.replace('--instances N', `--instances ${machines}`)}.${busyMachine}`;
}

/** "2 client threads, event-loop delay p99 3.1 / 2.8 ms": how the native engine's threads fared, when it ran several. */
export function clientThreadsText(loop: NonNullable<VariantSummary['clientLoopDelay']>): string | undefined {
  const threads = loop.threads ?? 1;
  if (threads < 2) return undefined;
  const each = loop.perThreadMs?.map((d) => String(Math.round(d.p99 * 10) / 10)).join(' / ');
  return `${threads} client threads${each ? `, event-loop delay p99 ${each} ms` : ''}`;
}
