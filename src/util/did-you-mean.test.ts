import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './did-you-mean.js';

describe('did you mean', () => {
  it('counts edits', () => {
    expect(editDistance('concurency', 'concurrency')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('Stream', 'stream')).toBe(0);
  });

  it('suggests the closest name only when it is close', () => {
    expect(closest('max_token', ['max_tokens', 'min_tokens', 'temperature'])).toBe('max_tokens');
    expect(closest('strem', ['sync', 'async', 'stream', 'openai'])).toBe('stream');
    expect(closest('qwerty', ['sync', 'async', 'stream'])).toBeUndefined();
    expect(closest('k7', ['native', 'autocannon', 'k6'])).toBe('k6');
    expect(didYouMean('quik', ['quick', 'capacity'])).toBe(' (did you mean "quick"?)');
    expect(didYouMean('zzz', ['quick'])).toBe('');
  });
});
