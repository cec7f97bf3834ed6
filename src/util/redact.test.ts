import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactUrlCredentials } from './redact.js';

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
