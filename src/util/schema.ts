// Shared zod pieces for configuration files (scenarios, emulator settings) and the one way
// podbench words a validation failure: "<source>: <field path>: <what was expected>".
import { z } from 'zod';
import { INPUT_LIMITS } from '../core/input-limits.js';
import { didYouMean } from './did-you-mean.js';
import { parseDurationMs, unitHint } from './duration.js';
import { getPath } from './field-path.js';
import { fieldsAt } from './schema-walk.js';
import { parseBytes } from './size.js';

/**
 * A duration: a string with its unit ("250ms", "30s", "2m"), or a number of milliseconds
 * (from code; in a file a bare number is refused before validation: see unitlessDurations).
 */
export const durationMs = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: unitHint(value) || `expected a duration such as 250ms, 30s or 2m, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    // Node's timers cannot wait longer (a longer one fires at once).
    if (ms > INPUT_LIMITS.durationMs) {
      ctx.addIssue({ code: 'custom', message: `expected a duration of at most 24 days, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ format: 'duration' });

/** A size: a number of bytes or a string with its unit ("512KB", "16MB"). */
export const byteSize = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseBytes(value);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size such as 512KB, 16MB or a number of bytes, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return bytes;
});

/** A duration that must be more than zero (a timeout of 0 would fail every request). */
export const positiveDurationMs = durationMs.refine((ms) => ms > 0, {
  message: 'expected a duration above 0, such as 30s',
});

/** A random duration, normalised from the shorthand forms a person writes. */
export type DurationDist =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'lognormal'; medianMs: number; sigma: number };

/**
 * Accepts `12s` or `12000` (fixed), `{min: 5s, max: 20s}` (uniform) or
 * `{median: 12s, sigma: 0.4}` (log-normal; sigma of the underlying normal, default 0.5).
 */
export const durationDist = z
  .union([
    durationMs,
    z.strictObject({ min: durationMs, max: durationMs }),
    z.strictObject({
      median: durationMs,
      sigma: z.number().min(0).max(5).default(0.5).describe('Sigma of the underlying normal'),
    }),
  ])
  .transform((value, ctx): DurationDist => {
    if (typeof value === 'number') return { kind: 'fixed', ms: value };
    if ('median' in value) return { kind: 'lognormal', medianMs: value.median, sigma: value.sigma };
    if (value.max < value.min) {
      ctx.addIssue({ code: 'custom', message: `max (${value.max}ms) is below min (${value.min}ms)` });
      return z.NEVER;
    }
    return { kind: 'uniform', minMs: value.min, maxMs: value.max };
  })
  .meta({ format: 'duration-distribution' });

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

type Issue = z.core.$ZodIssue;

/** True when an issue only says "this value is not of that type at all". */
function isRootTypeMismatch(issue: Issue): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === 'invalid_type') return true;
  return issue.code === 'invalid_union' && issue.errors.every((branch) => branch.every(isRootTypeMismatch));
}

function expectedTypes(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [issue.expected];
  if (issue.code === 'invalid_union') return issue.errors.flatMap((branch) => branch.flatMap(expectedTypes));
  return [];
}

/**
 * Turns zod issues into (path, message) pairs. A union failure is explained by the branch
 * that came closest (the fewest problems among branches of the right type), not by zod's
 * bare "Invalid input".
 */
/** What a message may draw on to suggest a fix: the schema and the document it checked. */
export interface IssueContext {
  schema: z.core.$ZodType;
  input: unknown;
}

function explain(
  issue: Issue,
  base: PropertyKey[],
  context?: IssueContext,
): Array<{ path: PropertyKey[]; message: string; originPath?: PropertyKey[] }> {
  const path = [...base, ...issue.path];
  switch (issue.code) {
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        // A discriminated union whose discriminator matched no option.
        const options = (issue as { options?: unknown[] }).options;
        return [
          {
            path,
            message: options ? `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}` : issue.message,
          },
        ];
      }
      const relevant = issue.errors.filter((branch) => !branch.every(isRootTypeMismatch));
      if (relevant.length === 0) {
        const types = [...new Set(expectedTypes(issue))];
        return [{ path, message: `expected ${types.join(' or ')}` }];
      }
      const best = relevant.reduce((a, b) => (b.length < a.length ? b : a));
      return best.flatMap((inner) => explain(inner, path, context));
    }
    case 'unrecognized_keys': {
      // The unknown field itself is what a flag may have set (--set nosuch.field=1).
      const known = context ? fieldsAt(context.schema, path).filter((k) => !issue.keys.includes(k)) : [];
      return [
        {
          path,
          message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"${didYouMean(k, known)}`).join(', ')}`,
          originPath: [...path, ...issue.keys.slice(0, 1)],
        },
      ];
    }
    case 'invalid_type': {
      const message = issue.message.replace(/^Invalid input: /, '');
      // zod says "expected string, received undefined" for a field that is simply missing.
      if (message.endsWith('received undefined'))
        return [{ path, message: `required (${message.replace(/, received undefined$/, '')})` }];
      // zod's "expected int, received number" (2.5) and "received NaN" (a flag's "abc"), in words.
      if (issue.expected === 'int') return [{ path, message: 'expected a whole number' }];
      if (message.endsWith('received NaN')) return [{ path, message: `expected a number` }];
      return [{ path, message }];
    }
    case 'too_small':
    case 'too_big': {
      // zod: "Too small: expected number to be >0" → "expected a number above 0".
      const i = issue as { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; origin?: string };
      const kind = i.origin === 'array' ? 'a list' : i.origin === 'string' ? 'a text' : 'a number';
      const bound = issue.code === 'too_small' ? i.minimum : i.maximum;
      if (bound === undefined || (i.origin !== undefined && i.origin !== 'number' && i.origin !== 'int'))
        return [{ path, message: issue.message }];
      const word =
        issue.code === 'too_small' ? (i.inclusive ? 'at least' : 'above') : i.inclusive ? 'at most' : 'below';
      return [{ path, message: `expected ${kind} ${word} ${String(bound)}` }];
    }
    case 'invalid_value': {
      const given = context && path.length > 0 ? getPath(context.input, path.map(String).join('.')) : undefined;
      const hint = typeof given === 'string' ? didYouMean(given, issue.values.map(String)) : '';
      return [{ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${hint}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * One line per problem, each naming the source, the field path and what was expected.
 * `originOf` may name a more precise source for a path (the flag that set that field).
 */
export function formatIssues(
  source: string,
  error: z.ZodError,
  originOf?: (path: ReadonlyArray<PropertyKey>) => string | undefined,
  context?: IssueContext,
): string {
  return error.issues
    .flatMap((issue) => explain(issue as Issue, [], context))
    .map(
      ({ path, message, originPath }) => `${originOf?.(originPath ?? path) ?? source}: ${formatPath(path)}: ${message}`,
    )
    .join('\n');
}
