// Reading a zod schema as data: which fields exist at a path (for "did you mean"), whether a
// field is a duration (a bare number there needs a unit), and every field with its type,
// default and description (the generated references in docs/). Pure: walks zod 4's
// definitions (`schema._zod.def`) and the descriptions in its global registry.
import { z } from 'zod';

type Schema = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string };

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Metadata of a schema or of the wrappers it sits in (descriptions, `format: 'duration'`). */
function metaOf(schema: Schema): Record<string, unknown> {
  return (z.globalRegistry.get(schema) as Record<string, unknown> | undefined) ?? {};
}

/** A schema without its optional/default/prefault/nullable wrappers, and the default on the way. */
export function unwrap(schema: Schema): { inner: Schema; defaultValue?: unknown; description?: string } {
  let inner = schema;
  let defaultValue: unknown;
  let hasDefault = false;
  let description: string | undefined;
  for (;;) {
    const meta = metaOf(inner);
    if (description === undefined && typeof meta.description === 'string') description = meta.description;
    const def = defOf(inner);
    if (def.type === 'default' || def.type === 'prefault') {
      if (!hasDefault) {
        const value = def.defaultValue;
        defaultValue = typeof value === 'function' ? (value as () => unknown)() : value;
        hasDefault = true;
      }
      inner = def.innerType as Schema;
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      inner = def.innerType as Schema;
    } else break;
  }
  return { inner, ...(hasDefault ? { defaultValue } : {}), ...(description !== undefined ? { description } : {}) };
}

/** Is this a duration (a number of ms or a string with a unit)? Marked with `.meta({ format: 'duration' })`. */
export function isDuration(schema: Schema): boolean {
  const { inner } = unwrap(schema);
  if (metaOf(inner).format === 'duration') return true;
  const def = defOf(inner);
  return def.type === 'pipe' && metaOf(def.in as Schema).format === 'duration';
}

/** The object schemas a value at this schema may be (unions give several). */
function objectsOf(schema: Schema): Array<Record<string, Schema>> {
  const { inner } = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'object') return [def.shape as Record<string, Schema>];
  if (def.type === 'union') return (def.options as Schema[]).flatMap(objectsOf);
  if (def.type === 'pipe') return objectsOf(def.in as Schema);
  return [];
}

/** The schemas of the field at `path` (a union may give several); [] when no such field is declared. */
export function schemasAt(schema: Schema, path: ReadonlyArray<PropertyKey>): Schema[] {
  let current: Schema[] = [schema];
  for (const key of path) {
    const next: Schema[] = [];
    for (const s of current) {
      const { inner } = unwrap(s);
      const def = defOf(inner);
      if (typeof key === 'number' || /^\d+$/.test(String(key))) {
        if (def.type === 'array') next.push(def.element as Schema);
        else if (def.type === 'union')
          for (const option of def.options as Schema[]) {
            const o = defOf(unwrap(option).inner);
            if (o.type === 'array') next.push(o.element as Schema);
          }
        continue;
      }
      for (const shape of objectsOf(inner)) {
        const field = shape[String(key)];
        if (field) next.push(field);
      }
    }
    current = next;
  }
  return current;
}

/** The field names an object at `path` declares (empty when it is not an object of known fields). */
export function fieldsAt(schema: Schema, path: ReadonlyArray<PropertyKey>): string[] {
  const names = new Set<string>();
  for (const s of schemasAt(schema, path))
    for (const shape of objectsOf(s)) for (const k of Object.keys(shape)) names.add(k);
  return [...names];
}

/** Enum or literal values allowed at `path` (for "did you mean" on a mistyped value). */
export function valuesAt(schema: Schema, path: ReadonlyArray<PropertyKey>): string[] {
  const out = new Set<string>();
  const collect = (s: Schema) => {
    const { inner } = unwrap(s);
    const def = defOf(inner);
    if (def.type === 'enum') for (const v of Object.values(def.entries as object)) out.add(String(v));
    else if (def.type === 'literal') for (const v of def.values as unknown[]) out.add(String(v));
    else if (def.type === 'union') (def.options as Schema[]).forEach(collect);
  };
  schemasAt(schema, path).forEach(collect);
  return [...out];
}

/**
 * Paths in `doc` that hold a bare number (other than 0) where the schema expects a duration
 * and the field's name does not carry the unit (`slowMs` does): `load.duration: 30` reads as
 * 30 ms, which is never what a person meant by 30.
 */
export function unitlessDurations(schema: Schema, doc: unknown, path: string[] = []): string[] {
  const out: string[] = [];
  if (typeof doc === 'number') {
    const name = path.at(-1) ?? '';
    if (doc !== 0 && !/Ms$/.test(name)) {
      const schemas = schemasAt(schema, path);
      // A union of a duration and an object (coldStart: 12s or {median, sigma}) is a duration for a number.
      if (schemas.length > 0 && schemas.some(durationForNumber)) out.push(path.join('.'));
    }
    return out;
  }
  if (Array.isArray(doc)) {
    for (const [i, item] of doc.entries()) out.push(...unitlessDurations(schema, item, [...path, String(i)]));
    return out;
  }
  if (typeof doc === 'object' && doc !== null) {
    for (const [key, value] of Object.entries(doc)) out.push(...unitlessDurations(schema, value, [...path, key]));
  }
  return out;
}

function durationForNumber(schema: Schema): boolean {
  if (isDuration(schema)) return true;
  const { inner } = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'pipe') return durationForNumber(def.in as Schema);
  if (def.type === 'union') return (def.options as Schema[]).some((o) => isDuration(o));
  return false;
}

/** One field of a schema, for a reference page. */
export interface FieldDoc {
  path: string;
  type: string;
  /** The default as a person would write it; undefined when the field has none. */
  defaultText?: string;
  description: string;
  /** The field is an object whose own fields follow. */
  group: boolean;
}

/** Every field, depth first, in declaration order. */
export function describeFields(schema: Schema, prefix = ''): FieldDoc[] {
  const out: FieldDoc[] = [];
  const { inner } = unwrap(schema);
  const shapes = objectsOf(inner);
  const seen = new Set<string>();
  for (const shape of shapes) {
    for (const [key, field] of Object.entries(shape)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const path = prefix ? `${prefix}.${key}` : key;
      const { inner: fieldInner, defaultValue, description } = unwrap(field);
      const hasDefault = Object.hasOwn(unwrap(field), 'defaultValue');
      const nested = defOf(fieldInner).type === 'object';
      out.push({
        path,
        type: typeText(field),
        ...(hasDefault && !(nested && isEmptyObject(defaultValue))
          ? { defaultText: valueText(defaultValue, isDuration(field) || isDistribution(field)) }
          : {}),
        description: description ?? '',
        group: nested,
      });
      if (nested) out.push(...describeFields(fieldInner, path));
    }
  }
  return out;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function isDistribution(schema: Schema): boolean {
  return metaOf(unwrap(schema).inner).format === 'duration-distribution';
}

/** A default as YAML would show it: `250ms`, `{ median: 12s, sigma: 0.3 }`, `[]`. */
function valueText(value: unknown, duration: boolean): string {
  if (duration && typeof value === 'number') return value === 0 ? '0' : msText(value);
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const durationKey = (k: string) => duration && ['median', 'min', 'max'].includes(k);
    return `{ ${entries.map(([k, v]) => `${k}: ${valueText(v, durationKey(k))}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** 90000 → 90s, 1800000 → 30m: the way a person writes the default. */
function msText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The type as a reference page states it: `integer ≥ 1`, `duration`, `stream | sync`... */
export function typeText(schema: Schema): string {
  if (isDuration(schema)) return 'duration';
  if (isDistribution(schema)) return 'duration, or {min, max} (uniform), or {median, sigma} (log-normal)';
  const { inner } = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true | false';
    case 'number': {
      const n = inner as unknown as { minValue: number | null; maxValue: number | null; format?: string | null };
      const int = n.format === 'safeint' || n.format === 'int32';
      const checks =
        (def.checks as Array<{ _zod: { def: { check: string; value: number; inclusive: boolean } } }>) ?? [];
      const bounds: string[] = [];
      for (const c of checks) {
        const d = c._zod.def;
        if (d.check === 'greater_than') bounds.push(`${d.inclusive ? '≥' : '>'} ${d.value}`);
        if (d.check === 'less_than') bounds.push(`${d.inclusive ? '≤' : '<'} ${d.value}`);
      }
      const big = (v: number | null) => v !== null && Math.abs(v) > 1e15;
      const shown = bounds.filter((b) => !big(Number(b.split(' ')[1])));
      return `${int ? 'integer' : 'number'}${shown.length > 0 ? ` ${shown.join(', ')}` : ''}`;
    }
    case 'enum':
      return Object.values(def.entries as object)
        .map((v) => `\`${String(v)}\``)
        .join(' | ');
    case 'literal':
      return (def.values as unknown[]).map((v) => `\`${String(v)}\``).join(' | ');
    case 'array':
      return `list of ${typeText(def.element as Schema)}`;
    case 'record':
      return 'map';
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      const parts = Object.entries(shape).map(([k, v]) => {
        const d = defOf(unwrap(v).inner);
        return d.type === 'literal' ? `${k}: ${(d.values as unknown[]).map(String).join('|')}` : k;
      });
      return `{${parts.join(', ')}}`;
    }
    case 'union': {
      const parts = [...new Set((def.options as Schema[]).map(typeText))];
      return parts.join(' or ');
    }
    case 'pipe':
      return typeText(def.in as Schema);
    case 'unknown':
    case 'any':
      return 'any';
    default:
      return def.type;
  }
}
