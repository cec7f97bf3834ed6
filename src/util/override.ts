// The one way the command line changes a configuration document, for `podbench run` and
// `k6 export` (scenario fields) and `podbench emulate` (emulator settings): `--set
// path=value` with the value read as YAML, and flags that are shorthands for one field.
// Each override keeps the flag it came from, so a problem with a field it set names it.
import { parseDocument } from 'yaml';
import { UsageError, messageOf } from '../core/errors.js';
import { deletePath, hasPath, isPlainObject, setPath, splitPath } from './field-path.js';

/** One change to the document: set `path` to `value`, after removing `clears`. */
export interface Override {
  path: string;
  value: unknown;
  /** Fields that conflict with this one and are removed first (--rate removes load.concurrency). */
  clears?: string[];
  /**
   * Merge a map value into the map already at `path`, field by field, instead of replacing
   * it: emulate's flags refine the --config file (--faults http429=0.05 keeps the file's other rates).
   */
  merge?: boolean;
  /** Where it came from, for messages: "--set load.rate", "--concurrency"... */
  origin: string;
  /** Remove the field instead of setting it (--set path=null): the file's value and its default go. */
  unset?: boolean;
}

/**
 * Parses `path=value` from --set; the value is read as YAML, so 8 is a number and [a, b] a
 * list. `path=null` (or `path=~`) removes the field, so its default applies again.
 */
export function parseSetFlag(text: string, example = 'load.concurrency=8'): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${text}: expected path=value, e.g. --set ${example}`);
  const path = text.slice(0, eq).trim();
  const parsed = parseDocument(text.slice(eq + 1));
  if (parsed.errors.length > 0) throw new UsageError(`--set ${text}: the value is not valid YAML`);
  let value: unknown;
  try {
    value = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new UsageError(`--set ${text}: the value cannot be read: ${messageOf(err)}`);
  }
  if (value === null) return { path, value: undefined, unset: true, origin: `--set ${path}=null` };
  return { path, value, origin: `--set ${path}` };
}

/** A copy of `doc` with every override applied in order; a bad path is a UsageError naming the flag. */
export function applyOverrides(doc: Record<string, unknown>, overrides: readonly Override[]): Record<string, unknown> {
  let out = doc;
  for (const override of overrides) {
    for (const path of override.clears ?? []) out = deletePath(out, path);
    try {
      out = override.unset
        ? deletePath(out, override.path)
        : override.merge
          ? mergeMaps(out, nested(splitPath(override.path), override.value))
          : setPath(out, override.path, override.value);
    } catch (err) {
      throw new UsageError(`${override.origin}: ${messageOf(err)}`);
    }
  }
  return out;
}

/**
 * Did this override set the field at `path` (a validation problem's path)? A field it
 * replaced holds only what it gave; a map it merged sets only the fields the map has.
 */
export function setsField(override: Override, path: ReadonlyArray<PropertyKey>): boolean {
  const at = path.map(String);
  const set = override.path.split('.');
  const n = Math.min(set.length, at.length);
  if (!set.slice(0, n).every((part, i) => part === at[i])) return false;
  return !override.merge || hasPath(override.value, at.slice(set.length));
}

/** The flag behind a problem at this field path: the last override that set the field (or a field around it). */
export function originOf(path: ReadonlyArray<PropertyKey>, overrides: readonly Override[]): string | undefined {
  if (path.length === 0) return undefined;
  return [...overrides].reverse().find((override) => setsField(override, path))?.origin;
}

/** `value` under `path`: nested(['workers', 'max'], 5) is { workers: { max: 5 } }. */
function nested(path: readonly string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i] as string]: out };
  return out as Record<string, unknown>;
}

/** Deep merge of plain objects: `overlay` wins; lists and scalars are replaced. */
function mergeMaps(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeMaps(current, value) : value;
  }
  return out;
}
