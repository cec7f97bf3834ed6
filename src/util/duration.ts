// Durations in scenarios and flags: a string carries its unit ("250ms", "1.5s", "2m", "1h",
// "1m30s"); a number (from code, or a field whose name ends in Ms) is milliseconds. Text
// without a unit ("30") is refused: 30 ms is never what a person meant by 30. Everything
// inside podbench is milliseconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses a duration; returns undefined when the text is not one (the caller words the error). */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^0+(\.0+)?$/.test(text)) return 0;
  if (!/^((\d+(\.\d+)?)(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** The fix for a duration written without a unit, or '' when that is not the problem. */
export function unitHint(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+(\.\d+)?$/.test(text)) return '';
  return `${text} has no unit: write ${text}s for seconds or ${text}ms for milliseconds`;
}

/** Formats milliseconds for people: 850ms, 12.3s, 4m05s. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
