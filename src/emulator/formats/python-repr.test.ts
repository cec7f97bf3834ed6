import { describe, expect, it } from 'vitest';
import { pythonRepr, pythonTruthy } from './python-repr.js';

describe('pythonRepr', () => {
  it('renders dicts the way str(dict) does', () => {
    expect(pythonRepr({ message: 'bad', type: 'worker_error', code: null })).toBe(
      "{'message': 'bad', 'type': 'worker_error', 'code': None}",
    );
    expect(pythonRepr({ a: [1, 2.5, true, false] })).toBe("{'a': [1, 2.5, True, False]}");
  });

  it('picks quotes like CPython', () => {
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('say "hi"')).toBe('\'say "hi"\'');
    expect(pythonRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pythonRepr('line\nbreak')).toBe("'line\\nbreak'");
  });

  it('knows Python truthiness', () => {
    expect([0, '', null, false, [], {}].map(pythonTruthy)).toEqual([false, false, false, false, false, false]);
    expect([1, 'false', [0], { a: 1 }].map(pythonTruthy)).toEqual([true, true, true, true]);
  });
});
