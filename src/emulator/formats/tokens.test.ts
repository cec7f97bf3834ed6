import { describe, expect, it } from 'vitest';
import { estimateChatTokens, estimateTokens } from './tokens.js';

describe('token estimates', () => {
  it('are ceil(UTF-8 bytes / 4), at least 1', () => {
    expect(estimateTokens('')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('é'.repeat(4))).toBe(2); // 8 bytes
    expect(estimateTokens('x'.repeat(4000))).toBe(1000);
  });

  it('add the chat template: BOS, 5 per message plus its role, 4 for the generation prompt', () => {
    expect(estimateChatTokens([{ role: 'user', content: 'abcdabcd' }])).toBe(1 + 4 + 5 + 1 + 2);
    expect(
      estimateChatTokens([
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
      ]),
    ).toBe(1 + 4 + (5 + 2 + 7) + (5 + 1 + 8));
  });
});
