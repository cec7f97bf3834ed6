// An incremental parser for Server-Sent Events (the WHATWG event-stream format, data
// fields only). Text may arrive cut anywhere, even inside a line: the parser keeps the
// unfinished line and returns each event's data once its blank line has arrived.
//
// Linear in the text received: only the new text is scanned for line ends, and an
// unfinished line is kept as pieces joined once, when its end arrives (rescanning a growing
// buffer on every read made a stream without newlines quadratic). Bounded: a line or an
// event longer than its cap stops the parser with an error, so a server that never ends a
// line cannot grow podbench's memory without end. Lines end in CRLF, LF or a bare CR, as the
// format allows.

export interface SseLimits {
  /** Longest line kept, in characters (UTF-16 code units, at most the line's UTF-8 bytes). */
  maxLineChars: number;
  /** Longest event data (its data lines together), in characters. */
  maxEventChars: number;
}

export interface SseParser {
  /** Feeds more text; returns the data of every event completed by it. Nothing once `error` is set. */
  push(text: string): string[];
  /** Data of an event left unterminated at the end of the stream (servers may omit the final blank line). */
  flush(): string[];
  /** Why the parser stopped (a line or event past its cap); undefined while it reads. */
  readonly error: string | undefined;
}

const UNLIMITED: SseLimits = { maxLineChars: Number.POSITIVE_INFINITY, maxEventChars: Number.POSITIVE_INFINITY };

const LINE_END = /\r\n|\r|\n/g;

export function createSseParser(limits: SseLimits = UNLIMITED): SseParser {
  /** The unfinished line, in the pieces it arrived in. */
  let pending: string[] = [];
  let pendingChars = 0;
  /** The last text ended in a CR: an LF starting the next one belongs to the same line end. */
  let afterCr = false;
  let data: string[] = [];
  let dataChars = 0;
  let hasData = false;
  let error: string | undefined;

  const takeLine = (line: string, out: string[]): void => {
    if (line === '') {
      if (hasData) out.push(data.join('\n'));
      data = [];
      dataChars = 0;
      hasData = false;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return; // event, id, retry: not needed here
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    dataChars += value.length + 1;
    if (dataChars > limits.maxEventChars) {
      error = `an event-stream event passed ${limits.maxEventChars} characters (limits.maxSseEventBytes)`;
      data = [];
      return;
    }
    data.push(value);
    hasData = true;
  };

  return {
    push(text) {
      const out: string[] = [];
      if (error !== undefined || text === '') return out;
      let start = afterCr && text.charCodeAt(0) === 10 ? 1 : 0;
      afterCr = false;
      LINE_END.lastIndex = start;
      for (let match = LINE_END.exec(text); match !== null; match = LINE_END.exec(text)) {
        const piece = text.slice(start, match.index);
        let line = piece;
        if (pending.length > 0) {
          pending.push(piece);
          line = pending.join('');
          pending = [];
          pendingChars = 0;
        }
        if (line.length > limits.maxLineChars) {
          error = `an event-stream line passed ${limits.maxLineChars} characters (limits.maxSseEventBytes)`;
          return out;
        }
        takeLine(line, out);
        if (error !== undefined) return out;
        start = LINE_END.lastIndex;
        if (match[0] === '\r' && start === text.length) afterCr = true;
      }
      if (start < text.length) {
        const rest = text.slice(start);
        pendingChars += rest.length;
        if (pendingChars > limits.maxLineChars) {
          error = `an event-stream line passed ${limits.maxLineChars} characters without ending (limits.maxSseEventBytes)`;
          pending = [];
          return out;
        }
        pending.push(rest);
      }
      return out;
    },
    flush() {
      const out: string[] = [];
      if (error !== undefined) return out;
      if (pending.length > 0) takeLine(pending.join(''), out);
      pending = [];
      pendingChars = 0;
      if (error === undefined) takeLine('', out);
      return out;
    },
    get error() {
      return error;
    },
  };
}
