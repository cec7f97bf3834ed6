// Number formats of the page's tables (text only; the charts format in the browser).

/** Milliseconds for people: 0.85, 12.3, 1,234, 12.3 s; "–" when absent. */
export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function fmtRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

export function fmtShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(value === 1 || value === 0 ? 0 : 1)} %`;
}

export function fmtCount(value: number): string {
  return value.toLocaleString('en-US');
}
