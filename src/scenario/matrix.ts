// `matrix:` expansion: every combination of the listed values (cartesian product, first
// key varying slowest), each a variant with a readable name such as
// "concurrency=4 max_batch_size=10". A dimension is a list of values, or a map of
// label → value when the values are objects that would make poor names
// (`load: {probes: {...}, burst: {...}}` gives variants "load=probes" and "load=burst").
// The dimension `variant` names its variants outright, each setting several fields at once
// (`variant: {direct: {target.kind: openai, mode: openai-stream}, runsync: {mode: sync}}`
// gives variants "direct" and "runsync"): for combinations a product would not give.
import { setPath } from '../util/field-path.js';

export interface MatrixCell {
  /** Readable and unique within the run; "default" when there is no matrix. */
  name: string;
  /** Field path -> the value this variant uses. */
  params: Record<string, unknown>;
}

/** One dimension's choices: the value, and the label it shows in the variant's name. */
export interface MatrixChoice {
  label: string;
  value: unknown;
  /** The `variant` dimension: field path -> value, all set by this one choice. */
  fields?: Record<string, unknown>;
}

/** The matrix key whose choices are whole variants (see the top of this file). */
export const VARIANT_DIMENSION = 'variant';

export function expandMatrix(matrix: Record<string, MatrixChoice[]>): MatrixCell[] {
  const paths = Object.keys(matrix);
  if (paths.length === 0) return [{ name: 'default', params: {} }];
  const labels = labelsFor(paths);
  let cells: Array<{ params: Record<string, unknown>; names: string[] }> = [{ params: {}, names: [] }];
  for (const path of paths) {
    const choices = matrix[path] ?? [];
    cells = cells.flatMap((cell) =>
      choices.map((choice) =>
        choice.fields !== undefined
          ? { params: { ...cell.params, ...choice.fields }, names: [...cell.names, choice.label] }
          : {
              params: { ...cell.params, [path]: choice.value },
              names: [...cell.names, `${labels.get(path)}=${choice.label}`],
            },
      ),
    );
  }
  const named = cells.map((cell) => ({ name: cell.names.join(' '), params: cell.params }));
  // Duplicate values in a list would give two variants one name: number them.
  const seen = new Map<string, number>();
  return named.map((cell) => {
    const count = (seen.get(cell.name) ?? 0) + 1;
    seen.set(cell.name, count);
    return count === 1 ? cell : { ...cell, name: `${cell.name} #${count}` };
  });
}

/** Applies one variant's values to a scenario document. */
export function applyCell(doc: Record<string, unknown>, cell: MatrixCell): Record<string, unknown> {
  let out = doc;
  for (const [path, value] of Object.entries(cell.params)) out = setPath(out, path, value);
  return out;
}

/** The last path segment names a field, unless two paths end alike: then the whole path does. */
function labelsFor(paths: string[]): Map<string, string> {
  const last = (path: string) => path.split('.').at(-1) ?? path;
  const counts = new Map<string, number>();
  for (const path of paths) counts.set(last(path), (counts.get(last(path)) ?? 0) + 1);
  return new Map(paths.map((path) => [path, (counts.get(last(path)) ?? 0) > 1 ? path : last(path)]));
}

/** Choices from a list (labelled by value) or a map (labelled by key). */
export function choicesOf(values: unknown[] | Record<string, unknown>): MatrixChoice[] {
  if (Array.isArray(values)) return values.map((value) => ({ label: formatValue(value), value }));
  return Object.entries(values).map(([label, value]) => ({ label, value }));
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}
