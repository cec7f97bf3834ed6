// An incremental parser for Server-Sent Events (the WHATWG event-stream format, data
// fields only). Text may arrive cut anywhere, even inside a line: the parser keeps the tail
// and returns each event's data once its blank line has arrived.

export interface SseParser {
  /** Feeds more text; returns the data of every event completed by it. */
  push(text: string): string[];
  /** Data of an event left unterminated at the end of the stream (servers may omit the final blank line). */
  flush(): string[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let data: string[] = [];
  let hasData = false;

  const takeLine = (line: string, out: string[]): void => {
    if (line === '') {
      if (hasData) out.push(data.join('\n'));
      data = [];
      hasData = false;
      return;
    }
    if (line.startsWith(':')) return; // comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return; // event, id, retry: not needed here
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
    hasData = true;
  };

  return {
    push(text) {
      buffer += text;
      const out: string[] = [];
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf('\n', start);
        if (nl === -1) break;
        let end = nl;
        if (end > start && buffer.charCodeAt(end - 1) === 13) end -= 1; // \r\n
        takeLine(buffer.slice(start, end), out);
        start = nl + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    flush() {
      const out: string[] = [];
      if (buffer !== '') takeLine(buffer.replace(/\r$/, ''), out);
      buffer = '';
      takeLine('', out);
      return out;
    },
  };
}
