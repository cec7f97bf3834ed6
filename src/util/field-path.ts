// Dotted field paths ("load.concurrency", "sampling_params.stop", "input.synthetic.promptTokens")
// address any field of a configuration document (a scenario, emulator settings), for
// `matrix:` and `--set`. Numeric segments index lists.

/** Levels a FieldPath goes down (FieldPath<T, 3> stops at "a.b.c"). */
type Down = [never, 0, 1, 2, 3, 4, 5];

/** The dotted paths of T's fields, down to `depth` levels: "mode", "load.concurrency"... */
export type FieldPath<T, Depth extends number = 3> = [Depth] extends [never]
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? {
          [K in keyof T & string]-?:
            | K
            | (NonNullable<T[K]> extends object ? `${K}.${FieldPath<NonNullable<T[K]>, Down[Depth]>}` : never);
        }[keyof T & string]
      : never;

/** The type of the field at a dotted path of T. */
export type ValueAt<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof NonNullable<T>
    ? ValueAt<NonNullable<T>[K], Rest>
    : never
  : P extends keyof NonNullable<T>
    ? NonNullable<T>[P]
    : never;

export function splitPath(path: string): string[] {
  const parts = path.split('.');
  if (parts.some((p) => p === '')) throw new Error(`"${path}" is not a field path (empty segment)`);
  return parts;
}

/** Returns a copy of `doc` with the value at `path` replaced, creating objects on the way. */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const parts = splitPath(path);
  const root: Record<string, unknown> = { ...doc };
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i] as string;
    const last = i === parts.length - 1;
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0)
        throw new Error(`"${path}": "${key}" indexes a list, expected a number`);
      if (last) node[index] = value;
      else {
        const child: unknown = node[index];
        const copy: Record<string, unknown> | unknown[] = Array.isArray(child)
          ? [...child]
          : isPlainObject(child)
            ? { ...child }
            : {};
        node[index] = copy;
        node = copy;
      }
      continue;
    }
    if (last) {
      node[key] = value;
    } else {
      const child: unknown = node[key];
      const copy: Record<string, unknown> | unknown[] = Array.isArray(child)
        ? [...child]
        : isPlainObject(child)
          ? { ...child }
          : {};
      node[key] = copy;
      node = copy;
    }
  }
  return root;
}

/** Returns a copy of `doc` without the field at `path` (no-op when absent). */
export function deletePath(doc: Record<string, unknown>, path: string): Record<string, unknown> {
  const parts = splitPath(path);
  const parentPath = parts.slice(0, -1);
  let parent: unknown = doc;
  for (const key of parentPath) {
    if (!isPlainObject(parent)) return doc;
    parent = parent[key];
  }
  if (!isPlainObject(parent) || !(parts.at(-1)! in parent)) return doc;
  const rest = { ...parent };
  delete rest[parts.at(-1)!];
  return parentPath.length === 0 ? rest : setPath(doc, parentPath.join('.'), rest);
}

export function getPath(doc: unknown, path: string): unknown {
  let node = doc;
  for (const key of splitPath(path)) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isPlainObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Does `doc` hold a field at `path`, through plain objects only? */
export function hasPath(doc: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let node = doc;
  for (const key of path) {
    if (!isPlainObject(node) || !(String(key) in node)) return false;
    node = node[String(key)];
  }
  return true;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
