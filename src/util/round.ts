/** `value` rounded to `digits` decimals (half away from zero for positives, as Math.round). */
export function roundTo(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
