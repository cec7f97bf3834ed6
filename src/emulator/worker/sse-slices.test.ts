import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng.js';
import type { PartialOutput } from '../types.js';
import { sliceLikeSocketReads, type SseEvent } from './sse-slices.js';

function slicesOf(events: SseEvent[], rng: ReturnType<typeof createRng>): Array<{ text: string; tokens: number }> {
  const out: PartialOutput[] = [];
  sliceLikeSocketReads(events, rng, out);
  return out.map((p) => ({ text: p.item as string, tokens: p.tokens }));
}

describe('proxy stream slices', () => {
  it('reassemble to the same bytes when no multi-byte character is cut, and keep token counts', () => {
    const rng = createRng(5);
    for (let i = 0; i < 200; i++) {
      const events = [
        { text: `data: {"n":${i},"t":"abc"}\n\n`, tokens: 1 },
        { text: 'data: {"x":"ascii only"}\n\n', tokens: 2 },
      ];
      const slices = slicesOf(events, rng);
      expect(slices.map((s) => s.text).join('')).toBe(events.map((e) => e.text).join(''));
      expect(slices.reduce((sum, s) => sum + s.tokens, 0)).toBe(3);
    }
  });

  it('turn a cut multi-byte character into U+FFFD, like errors="replace"', () => {
    const rng = createRng(1);
    let replaced = 0;
    for (let i = 0; i < 300; i++) {
      const slices = slicesOf([{ text: 'data: {"c":"🙂🙂🙂🙂🙂🙂"}\n\n', tokens: 1 }], rng);
      const joined = slices.map((s) => s.text).join('');
      if (joined.includes('\uFFFD')) replaced++;
      // Still one parseable event: the cut falls inside a JSON string.
      expect(() => JSON.parse(joined.slice('data: '.length).trim())).not.toThrow();
    }
    expect(replaced).toBeGreaterThan(0);
  });
});
