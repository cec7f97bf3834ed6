// JSON values as the API and the worker read them.

/** A JSON object: not null, not an array (what Python reads as a dict). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
