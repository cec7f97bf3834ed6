// What would take podbench's own delay out of its figures (issue 20's honest limits): the
// client threads that would bring the event-loop delay under the bar, or, past this
// machine's cores, the machines to split the load over.
import type { RunSummary, VariantSummary } from '../core/summary.js';

/** What would take podbench's own delay out of the figures: more client threads, or more machines. */
export function clientAdvice(summary: RunSummary, loop: NonNullable<VariantSummary['clientLoopDelay']>): string {
  const split =
    'split the load across machines (`podbench k6 export <scenario> --instances N --out DIR`, see docs/engines.md)';
  const needed = loop.neededThreads;
  const cores = summary.run.provenance?.cpu.cores;
  if (summary.run.engine !== 'native' || needed === undefined) return `To remove it, ${split}.`;
  if (cores === undefined || needed <= cores)
    return `About ${needed} client threads would remove it: run with --workers ${needed}${cores === undefined ? '' : ` (this machine has ${cores} cores)`}.`;
  const machines = Math.ceil(needed / cores);
  return `Removing it takes about ${needed} client threads, more than this machine's ${cores} cores: run with --workers ${cores} and ${split.replace('--instances N', `--instances ${machines}`)}.`;
}

/** "2 client threads, event-loop delay p99 3.1 / 2.8 ms": how the native engine's threads fared, when it ran several. */
export function clientThreadsText(loop: NonNullable<VariantSummary['clientLoopDelay']>): string | undefined {
  const threads = loop.threads ?? 1;
  if (threads < 2) return undefined;
  const each = loop.perThreadMs?.map((d) => String(Math.round(d.p99 * 10) / 10)).join(' / ');
  return `${threads} client threads${each ? `, event-loop delay p99 ${each} ms` : ''}`;
}
