// A `slo:` list (or --slo) checked before a run: each entry is per-request SLOs for goodput
// ("ttft<=500ms, e2e<=5s", src/metrics/goodput.ts) or a percentile SLO in the thresholds'
// language ("e2eMs.p95 < 2s"). An entry that is neither is refused with the reason the one it
// resembles gives: "ttft<=500" is a per-request SLO without a unit, not an unknown metric.
import { UsageError } from '../core/errors.js';
import { isRequestSloName, parseRequestSlo, REQUEST_SLO_NAMES } from '../metrics/goodput.js';
import { didYouMean } from '../util/did-you-mean.js';
import { formatSyntaxProblem, parseThreshold } from './threshold-parse.js';

const SHAPE = /^\s*([A-Za-z0-9_.]+)\s*(<=|<|>=|>|==)\s*(.*?)\s*$/;

/** Throws a UsageError naming `origin(i)` for the first entry that is neither kind of SLO. */
export function checkSlos(slo: readonly string[], origin: (index: number) => string): void {
  slo.forEach((entry, i) => {
    const parts = entry.split(',').filter((part) => part.trim() !== '');
    if (parts.length > 0 && parts.every((part) => parseRequestSlo(part) !== undefined)) return;
    if (parts.length <= 1 && parseThreshold(entry).ok) return;
    const problem = requestSloProblem(parts);
    if (problem) throw new UsageError(`${origin(i)} "${entry}": ${problem}`);
    const parsed = parseThreshold(entry);
    if (!parsed.ok)
      throw new UsageError(
        formatSyntaxProblem(origin(i), entry, {
          ...parsed.problem,
          message: `${parsed.problem.message}; not a per-request SLO either (${REQUEST_SLO_NAMES.slice(0, 4).join(', ')} < or <= a duration)`,
        }),
      );
  });
}

/** Why the part that looks like a per-request SLO is not one, or undefined when none does. */
function requestSloProblem(parts: readonly string[]): string | undefined {
  for (const part of parts) {
    if (parseRequestSlo(part)) continue;
    const m = SHAPE.exec(part);
    const [name, op, limit] = m ? [m[1] as string, m[2] as string, m[3] as string] : ['', '', ''];
    if (!m || !isRequestSloName(name)) {
      const near = m ? didYouMean(name, REQUEST_SLO_NAMES) : '';
      // A single entry that is no per-request SLO is read as a percentile one: its parser says why.
      if (parts.length === 1 && !near) return undefined;
      return m
        ? `unknown per-request SLO metric "${name}"${near}; per request: ${REQUEST_SLO_NAMES.slice(0, 4).join(', ')} (or a percentile SLO alone, e.g. "e2eMs.p95 < 2s")`
        : `"${part.trim()}" is not an SLO; expected e.g. "ttft <= 500ms"`;
    }
    if (op !== '<' && op !== '<=') return `${op}: a per-request SLO is an upper limit on ${name}; use < or <=`;
    if (/^\d+(\.\d+)?$/.test(limit)) return `the limit ${limit} has no unit: write ${limit}ms or ${limit}s`;
    return `"${limit}" is not a duration; expected e.g. 500ms or 2s`;
  }
  return undefined;
}
