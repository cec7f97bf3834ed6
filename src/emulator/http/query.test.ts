import { describe, expect, it } from 'vitest';
import { queryParam } from './query.js';

describe('queryParam', () => {
  it('finds a parameter by its exact name and decodes it', () => {
    expect(queryParam('wait=5000&ttl=10000', 'ttl')).toBe('10000');
    expect(queryParam('waiting=1&wait=2', 'wait')).toBe('2');
    expect(queryParam('a=%20b+c', 'a')).toBe(' b c');
    expect(queryParam('flag&x=1', 'flag')).toBe('');
    expect(queryParam('x=1', 'wait')).toBeUndefined();
    expect(queryParam(undefined, 'wait')).toBeUndefined();
    expect(queryParam('bad=%E0%A4%A', 'bad')).toBe('%E0%A4%A');
  });
});
