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

describe('createSseParser, line ends and caps', () => {
  it('accepts bare CR line ends, also when a CRLF is cut between two reads', () => {
    const parser = createSseParser();
    expect(parser.push('data: one\r\rdata: two\r')).toEqual(['one']);
    expect(parser.push('\n\r\ndata: three\n\n')).toEqual(['two', 'three']);
  });

  it('stops with an error at a line past its cap, also when the line never ends', () => {
    const limits = { maxLineChars: 100, maxEventChars: 1000 };
    const parser = createSseParser(limits);
    expect(parser.push('data: ok\n\n')).toEqual(['ok']);
    for (let i = 0; i < 10; i++) parser.push('x'.repeat(20));
    expect(parser.error).toMatch(/line passed 100 characters/);
    expect(parser.push('\n\ndata: later\n\n')).toEqual([]);
    expect(parser.flush()).toEqual([]);
  });

  it('stops with an error at an event whose data lines together pass the cap', () => {
    const parser = createSseParser({ maxLineChars: 100, maxEventChars: 250 });
    for (let i = 0; i < 5; i++) parser.push(`data: ${'y'.repeat(60)}\n`);
    expect(parser.error).toMatch(/event passed 250 characters/);
  });

  it('keeps a line within its cap whatever the reads (the cap counts the whole line)', () => {
    const parser = createSseParser({ maxLineChars: 100, maxEventChars: 1000 });
    const line = `data: ${'z'.repeat(94)}`; // exactly 100 characters
    const events: string[] = [];
    for (const ch of line) events.push(...parser.push(ch));
    events.push(...parser.push('\n\n'));
    expect(parser.error).toBeUndefined();
    expect(events).toEqual(['z'.repeat(94)]);
  });
});
