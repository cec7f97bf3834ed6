// How check outputs print numbers (units.ts): grouping, the switch from ms to s at 10 s,
// and the placeholders for no value.
import { describe, expect, it } from 'vitest';
import { fmtChange, fmtNumber, fmtPercent, fmtValue } from './units.js';

describe('fmtNumber', () => {
  it('groups thousands', () => {
    expect(fmtNumber(1234567)).toBe('1,234,567');
    expect(fmtNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(fmtNumber(999)).toBe('999');
  });

  it('prints a negative number that rounds to nothing as 0, not -0', () => {
    expect(fmtNumber(-0.0001)).toBe('0');
  });
});

describe('fmtValue', () => {
  it('switches durations to seconds at 10 s, not above it', () => {
    expect(fmtValue(9_999, 'ms')).toBe('9,999 ms');
    expect(fmtValue(10_000, 'ms')).toBe('10 s');
    expect(fmtValue(12_345, 'ms')).toBe('12.3 s');
  });

  it('prints a dash for no value', () => {
    expect(fmtValue(null, 'ms')).toBe('–');
    expect(fmtValue(undefined, 'count')).toBe('–');
  });

  it('names each unit', () => {
    expect(fmtValue(0.0125, 'share')).toBe('1.25%');
    expect(fmtValue(310.4, 'perSec')).toBe('310/s');
    expect(fmtValue(12.5, 'tokens')).toBe('12.5');
    expect(fmtValue(3, 'count')).toBe('3');
  });
});

describe('changes', () => {
  it('prints a dash for no change known', () => {
    expect(fmtChange(null, 'ms')).toBe('–');
    expect(fmtPercent(null)).toBe('–');
  });

  it('signs changes', () => {
    expect(fmtChange(312, 'ms')).toBe('+312 ms');
    expect(fmtChange(-0.02, 'share')).toBe('−2 pp');
    expect(fmtChange(0.0001, 'ms')).toBe('±0 ms');
    expect(fmtPercent(0.125)).toBe('+12.5%');
    expect(fmtPercent(-0.5)).toBe('−50%');
  });
});
