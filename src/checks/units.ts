// Units in threshold and tolerance texts, and how check outputs print values. Everything
// inside is in the summary's own units: milliseconds, shares as fractions, per-second rates.
// Formatting avoids toLocaleString so every output is the same on every machine (golden files).
import type { Unit } from './metrics.js';

/** Suffixes a number may carry for a metric of each unit, and what they multiply by. */
export const SUFFIXES: Record<Unit, Record<string, number>> = {
  ms: { ms: 1, s: 1000, m: 60_000 },
  share: { '%': 0.01 },
  count: {},
  tokens: {},
  perSec: {},
};

export function unitWords(unit: Unit): string {
  switch (unit) {
    case 'ms':
      return 'a duration (800, 800ms, 2s)';
    case 'share':
      return 'a share (0.01 or 1%)';
    case 'count':
      return 'a count';
    case 'tokens':
      return 'a token count';
    case 'perSec':
      return 'a rate per second';
  }
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A number with at most `digits` decimals, no trailing zeros, thousands grouped like the run's table ("1,590"). */
export function fmtNumber(value: number, digits = 3): string {
  const text = trim(value.toFixed(digits));
  if (text === '-0') return '0';
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * A value for people, with its unit: "412 ms", "12.3 s", "1.25%", "310/s". `scaleOf` picks
 * the scale from another value, so a mean and its ± print alike ("12.8 s ±9.5 s").
 */
export function fmtValue(value: number | null | undefined, unit: Unit, scaleOf: number = value ?? 0): string {
  if (value === null || value === undefined) return '–';
  switch (unit) {
    case 'ms': {
      if (Math.abs(scaleOf) >= 10_000) return `${fmtNumber(value / 1000, Math.abs(value) >= 10_000 ? 1 : 2)} s`;
      const abs = Math.abs(value);
      if (abs >= 100) return `${fmtNumber(value, 0)} ms`;
      return `${fmtNumber(value, abs >= 10 ? 1 : 2)} ms`;
    }
    case 'share':
      return `${fmtNumber(value * 100, 2)}%`;
    case 'perSec':
      return `${fmtNumber(value, Math.abs(value) >= 100 ? 0 : 2)}/s`;
    case 'count':
    case 'tokens':
      return fmtNumber(value, Number.isInteger(value) ? 0 : 1);
  }
}

/** A width or distance: shares in percentage points ("1 pp"), others as values. */
export function fmtAmount(value: number, unit: Unit, scaleOf: number = value): string {
  return unit === 'share' ? `${fmtNumber(value * 100, 2)} pp` : fmtValue(value, unit, scaleOf);
}

/** A change with its sign: "+312 ms", "−2 pp"; "±0" when it rounds to nothing. */
export function fmtChange(value: number | null, unit: Unit): string {
  if (value === null) return '–';
  const amount = fmtAmount(Math.abs(value), unit);
  const zero = amount === fmtAmount(0, unit);
  return `${zero ? '±' : value > 0 ? '+' : '−'}${amount}`;
}

export function fmtPercent(fraction: number | null): string {
  if (fraction === null) return '–';
  const amount = fmtNumber(Math.abs(fraction) * 100, 1);
  return `${amount === '0' ? '±' : fraction > 0 ? '+' : '−'}${amount}%`;
}
