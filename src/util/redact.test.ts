import { describe, expect, it } from 'vitest';
import { stripControl } from './control-chars.js';
import {
  MIN_SECRET_LENGTH,
  REDACTED,
  cleanText,
  cleanValue,
  redactSecrets,
  redactUrlCredentials,
  registerSecret,
} from './redact.js';

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redactSecrets('Bearer rpa_KEY1 and rpa_KEY1 or other-KEY2', ['rpa_KEY1', 'other-KEY2'])).toBe(
      `Bearer ${REDACTED} and ${REDACTED} or ${REDACTED}`,
    );
  });
  it('leaves text alone when no secret is in it, and ignores secrets too short to search for', () => {
    expect(redactSecrets('nothing here', ['rpa_KEY1', 'ab'])).toBe('nothing here');
  });
  it('removes URL credentials for any scheme', () => {
    expect(redactUrlCredentials('see https://user:pw@host/v2/x and ftp://a:b@h and mailto:x@y')).toBe(
      `see https://${REDACTED}@host/v2/x and ftp://${REDACTED}@h and mailto:x@y`,
    );
  });
});

describe('cleanText and cleanValue', () => {
  it('removes every registered secret, URL credentials and control sequences, keeping tabs and newlines', () => {
    registerSecret('rpa_SECRET_ONE');
    registerSecret('rpa_SECRET_ONE_LONGER');
    registerSecret('ab'); // too short to search for
    const text =
      'key rpa_SECRET_ONE_LONGER and rpa_SECRET_ONE\tat ssh://u:p@h\n\u001b[31mred\u001b[0m \u001b]0;title\u0007ab\u0000';
    expect(cleanText(text)).toBe(`key ${REDACTED} and ${REDACTED}\tat ssh://${REDACTED}@h\nred ab`);
  });

  it('cleans every string of a value, keys included, and leaves numbers alone', () => {
    registerSecret('rpa_SECRET_TWO');
    expect(cleanValue({ a: ['x rpa_SECRET_TWO', 3], rpa_SECRET_TWO: { n: null, t: true } })).toEqual({
      a: [`x ${REDACTED}`, 3],
      [REDACTED]: { n: null, t: true },
    });
  });
});

describe('stripControl', () => {
  it('removes CSI, OSC and 8-bit sequences and lone controls; plain text is returned as is', () => {
    expect(stripControl('a\u001b[2J\u001b[1;1Hb\u009b31mc\u0007d\u007fe')).toBe('abcde');
    const plain = 'nothing to do here: é—🙂';
    expect(stripControl(plain)).toBe(plain);
  });

  it('removes bidirectional overrides and isolates, which reorder what a terminal shows; Arabic and Hebrew stay', () => {
    expect(stripControl('error \u202eexe.txt\u202c ok \u2067x\u2069 \u200f')).toBe('error exe.txt ok x ');
    const rtl = 'خطأ שגיאה';
    expect(stripControl(rtl)).toBe(rtl);
  });

  it('leaves a key shorter than MIN_SECRET_LENGTH alone, so field names holding it survive', () => {
    const short = 'bench';
    expect(short.length).toBeLessThan(MIN_SECRET_LENGTH);
    registerSecret(short);
    expect(cleanValue({ podbenchVersion: '0.1.0', note: 'a podbench run' })).toEqual({
      podbenchVersion: '0.1.0',
      note: 'a podbench run',
    });
  });
});
