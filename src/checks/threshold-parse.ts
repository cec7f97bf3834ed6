// The threshold language. One expression per threshold:
//
//   threshold := [ "[" variant-selector "]" ] metric op number [ unit ]
//   metric    := a name from src/checks/metrics.ts, e.g. ttftMs.p95, warm.e2eMs.p99,
//                errorRate, outputTokensPerSec, coldStarts.delayMs.p90
//   op        := "<" | "<=" | ">" | ">=" | "=="
//   unit      := "ms" | "s" | "m" (durations) | "%" (shares); none = the metric's own unit
//
// The selector limits a threshold to the variants whose names contain every one of its
// space-separated `label=value` parts (or whose whole name it is): `[concurrency=4]`.
// Without one, a threshold applies to each variant on its own. The result is a small typed
// AST, so other parts (the k6 engine) can map thresholds without parsing text again.
import { knownMetricNames, lookupMetric, statsOf, type MetricInfo } from './metrics.js';
import { SUFFIXES, unitWords } from './units.js';

export const OPS = ['<', '<=', '>', '>=', '=='] as const;
export type ComparisonOp = (typeof OPS)[number];

export interface VariantSelector {
  text: string;
  /** Space-separated parts; a variant matches when its name has all of them (or equals text). */
  parts: string[];
}

export interface Threshold {
  /** The expression as written. */
  text: string;
  selector?: VariantSelector;
  metric: MetricInfo;
  op: ComparisonOp;
  /** In the metric's unit: milliseconds, a share as a fraction, a count, a rate per second. */
  limit: number;
}

/** What is wrong and where: `at` and `length` index into the expression text. */
export interface SyntaxProblem {
  message: string;
  at: number;
  length: number;
}

export type ParseResult = { ok: true; threshold: Threshold } | { ok: false; problem: SyntaxProblem };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/;
const WORD = /^\S+/;

export function parseThreshold(text: string): ParseResult {
  let at = 0;
  const skip = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const fail = (message: string, from = at, length = WORD.exec(text.slice(from))?.[0].length ?? 1): ParseResult => ({
    ok: false,
    problem: { message, at: from, length: Math.max(1, length) },
  });

  skip();
  if (at >= text.length) return fail('empty threshold; expected e.g. "ttftMs.p95 < 800ms"');
  let selector: VariantSelector | undefined;
  if (text[at] === '[') {
    const close = text.indexOf(']', at);
    if (close < 0) return fail('the variant selector "[" is never closed with "]"', at, 1);
    const inner = text.slice(at + 1, close).trim();
    if (inner === '') return fail('empty variant selector; expected e.g. [concurrency=4]', at, close - at + 1);
    selector = { text: inner, parts: inner.split(/\s+/) };
    at = close + 1;
    skip();
  }

  const nameAt = at;
  const name = NAME.exec(text.slice(at))?.[0];
  if (!name)
    return fail(`expected a metric name such as ttftMs.p95 or errorRate, got "${text.slice(at).split(/\s/)[0]}"`);
  at += name.length;
  const metric = lookupMetric(name);
  if (!metric) return { ok: false, problem: unknownMetric(name, nameAt) };

  skip();
  const opAt = at;
  const op = OPS.slice()
    .sort((a, b) => b.length - a.length)
    .find((o) => text.startsWith(o, at));
  if (!op) {
    const got = text.slice(at).split(/\s/)[0] ?? '';
    if (got === '') return fail(`expected a comparison (<, <=, >, >= or ==) after ${name}`, Math.max(0, at - 1), 1);
    if (got.startsWith('=')) return fail('write == to compare for equality', at, 1);
    if (got.startsWith('!=')) return fail('!= is not a threshold; use <, <=, >, >= or ==', at, 2);
    return fail(`expected a comparison (<, <=, >, >= or ==) after ${name}, got "${got}"`);
  }
  at += op.length;

  skip();
  const numberAt = at;
  const number = NUMBER.exec(text.slice(at))?.[0];
  if (!number) {
    return at >= text.length
      ? fail(`expected a number after "${op}"`, Math.max(0, opAt), op.length)
      : fail(`expected a number after "${op}", got "${text.slice(at).split(/\s/)[0]}"`);
  }
  at += number.length;
  skip();
  const unitAt = at;
  const unitText = text.slice(at).trim();
  let factor = 1;
  if (unitText !== '') {
    const suffixes = SUFFIXES[metric.unit];
    const known = suffixes[unitText];
    if (known === undefined) {
      const anyUnit = ['ms', 's', 'm', '%'].includes(unitText);
      return fail(
        anyUnit
          ? `${metric.name} is ${unitWords(metric.unit)}: the unit "${unitText}" does not fit it`
          : `unexpected "${unitText}" after the limit${Object.keys(suffixes).length > 0 ? ` (units for ${metric.name}: ${Object.keys(suffixes).join(', ')})` : ''}`,
        unitAt,
        unitText.length,
      );
    }
    factor = known;
  }
  const limit = Number(number) * factor;
  if (!Number.isFinite(limit)) return fail(`"${number}" is not a finite number`, numberAt, number.length);
  return { ok: true, threshold: { text: text.trim(), ...(selector ? { selector } : {}), metric, op, limit } };
}

/** Why `name` is no metric: a distribution without its statistic, an unknown statistic, or a typo (with the nearest name). */
export function unknownMetric(name: string, at = 0): SyntaxProblem {
  if (statsOf(name)) {
    return {
      message: `${name} is a distribution: name a statistic, e.g. ${name}.p95 (${statsOf(name)?.join(', ')})`,
      at,
      length: name.length,
    };
  }
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const stats = statsOf(name.slice(0, dot));
    if (stats) {
      const stat = name.slice(dot + 1);
      return {
        message: `unknown statistic "${stat}" of ${name.slice(0, dot)}; it has ${stats.join(', ')}`,
        at: at + dot + 1,
        length: stat.length,
      };
    }
  }
  const near = closest(name, knownMetricNames());
  const hint = near ? `; did you mean ${near}?` : ' (docs/ci.md lists every name)';
  return { message: `unknown metric "${name}"${hint}`, at, length: name.length };
}

/** The known name nearest by edit distance, when it is close enough to be a typo. */
function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  // Up to one edit per four characters (at least one): "ttfMs.p95" finds ttftMs.p95, "x" finds nothing.
  let bestDistance = Math.max(1, Math.floor(name.length / 4)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/** The message a user sees: where the expression came from, what is wrong, and a caret under it. */
export function formatSyntaxProblem(source: string, text: string, problem: SyntaxProblem): string {
  return `${source} "${text}": ${problem.message}\n  ${text}\n  ${' '.repeat(problem.at)}${'^'.repeat(problem.length)}`;
}

/** Does a selector pick this variant? */
export function selects(selector: VariantSelector | undefined, variantName: string): boolean {
  if (!selector) return true;
  if (selector.text === variantName) return true;
  const parts = new Set(variantName.split(' '));
  return selector.parts.every((part) => parts.has(part));
}
