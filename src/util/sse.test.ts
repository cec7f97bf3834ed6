import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse.js';

const STREAM =
  'data: {"a":1}\n\ndata: {"b":"é—🙂"}\n\n: a comment\n\nevent: x\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';

describe('createSseParser', () => {
  it('returns each event once, however the text is cut', () => {
    const expected = ['{"a":1}', '{"b":"é—🙂"}', 'line1\nline2', '[DONE]'];
    for (let cut = 1; cut < STREAM.length; cut++) {
      const parser = createSseParser();
      const events = [...parser.push(STREAM.slice(0, cut)), ...parser.push(STREAM.slice(cut)), ...parser.flush()];
      expect(events, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('accepts CRLF line ends and an unterminated last event', () => {
    const parser = createSseParser();
    expect(parser.push('data: one\r\n\r\ndata: two')).toEqual(['one']);
    expect(parser.flush()).toEqual(['two']);
  });
});
