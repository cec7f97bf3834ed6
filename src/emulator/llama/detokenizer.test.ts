import { describe, expect, it } from 'vitest';
import { IncrementalDetokenizer, type Detokenize } from './detokenizer.js';

// A byte-level vocabulary: token id = byte value, decoded like a tokenizer decodes bytes.
const decoder = new TextDecoder();
const bytes: Detokenize = (tokens, last) => {
  const all = decoder.decode(Uint8Array.from([...last, ...tokens]));
  const before = decoder.decode(Uint8Array.from(last));
  return all.startsWith(before) ? all.slice(before.length) : decoder.decode(Uint8Array.from(tokens));
};
const idsOf = (text: string): number[] => [...new TextEncoder().encode(text)];

describe('IncrementalDetokenizer', () => {
  it('holds back a character split across tokens until it is complete', () => {
    const d = new IncrementalDetokenizer(bytes, []);
    const pieces = idsOf('a😀b').map((id) => d.push(id));
    expect(pieces).toEqual(['a', '', '', '', '😀', 'b']);
  });

  it('never lets out U+FFFD for valid text, and the pieces add up to the text', () => {
    const text = 'Hi 😀 日本 é — “quoted” ¡Olé!';
    const d = new IncrementalDetokenizer(bytes, idsOf('prompt '));
    const pieces = idsOf(text).map((id) => d.push(id));
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
  });

  it('lets invalid bytes out after four held tokens, and flush() empties what is held', () => {
    const d = new IncrementalDetokenizer(bytes, []);
    expect([0xf0, 0xf0, 0xf0].map((id) => d.push(id))).toEqual(['', '', '']);
    expect(d.push(0xf0)).toBe('\uFFFD'.repeat(4));
    expect(d.push(0xe6)).toBe('');
    expect(d.flush()).toBe('\uFFFD');
    expect(d.flush()).toBe('');
  });
});
