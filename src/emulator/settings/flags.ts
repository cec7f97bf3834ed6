// The shorthand forms `podbench emulate` accepts for settings, turned into settings input
// (plain objects that emulatorSettingsSchema then validates). Pure: parsing only, no I/O,
// no validation beyond the shorthand's shape. --set and the layering of file and flags are
// the command line's one override mechanism (src/util/override.ts).

export type SettingsObject = Record<string, unknown>;

export type FlagResult<T> = { ok: true; value: T } | { ok: false; message: string };

function keyValues(text: string, separator: ':' | '='): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf(separator);
    if (at <= 0) return undefined;
    pairs.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return pairs;
}

function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** `12s` (fixed), `median:12s,sigma:0.3` (log-normal) or `min:5s,max:20s` (uniform). */
export function parseColdStartFlag(text: string): FlagResult<unknown> {
  // The text as given: the settings read it as a duration, and refuse one without a unit.
  if (!text.includes(':')) return { ok: true, value: text.trim() };
  const pairs = keyValues(text, ':');
  if (pairs === undefined)
    return { ok: false, message: `expected 12s, median:12s,sigma:0.3 or min:5s,max:20s, got "${text}"` };
  const value: Record<string, unknown> = {};
  for (const [key, raw] of pairs) value[key] = numberOrText(raw);
  return { ok: true, value };
}

/** `QUEUE_DELAY:4`, `REQUEST_COUNT:1`, or the type alone (its default value). */
export function parseScalerFlag(text: string): FlagResult<unknown> {
  const [type, value, extra] = text.split(':');
  if (type === undefined || type === '' || extra !== undefined)
    return { ok: false, message: `expected QUEUE_DELAY:<seconds> or REQUEST_COUNT:<divisor>, got "${text}"` };
  return {
    ok: true,
    value:
      value === undefined ? { type: type.toUpperCase() } : { type: type.toUpperCase(), value: numberOrText(value) },
  };
}

/** `http429=0.05,http5xx=0.02,slowMs=3s,...` */
export function parseFaultsFlag(text: string): FlagResult<SettingsObject> {
  const pairs = keyValues(text, '=');
  if (pairs === undefined)
    return { ok: false, message: `expected name=probability pairs such as http429=0.05,failed=0.02, got "${text}"` };
  const faults: SettingsObject = {};
  for (const [key, raw] of pairs) faults[key] = numberOrText(raw);
  return { ok: true, value: faults };
}
