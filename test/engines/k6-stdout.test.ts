// Reading k6's JSON output from its stdout: lines split as bytes across chunks, and only the
// lines of wanted metrics decoded, whatever the key order of a sample.
import { describe, expect, it } from 'vitest';
import { createLineSplitter, metricLineFilter } from '../../src/engines/k6/process.js';

const wanted = metricLineFilter(['podbench_events', 'dropped_iterations']);

function read(chunks: string[]): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter(wanted, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  splitter.flush();
  return lines;
}

const EVENT = '{"metric":"podbench_events","type":"Point","data":{"metadata":{"body":"{\\"a\\":\\"é\\"}"}}}';
const HTTP = '{"metric":"http_req_duration","type":"Point","data":{"value":1.5}}';
const DROPPED = '{"metric":"dropped_iterations","type":"Point","data":{"value":1}}';
const DECLARATION = '{"type":"Metric","data":{"name":"podbench_events"},"metric":"podbench_events"}';

describe('k6 stdout lines', () => {
  it('keeps the wanted metrics, drops the others, joins lines split across chunks (in any byte)', () => {
    const text = `${HTTP}\n${EVENT}\n${DROPPED}\n${HTTP}\n${EVENT}`;
    const expected = [EVENT, DROPPED, EVENT];
    expect(read([text])).toEqual(expected);
    // Every split point, including inside the two bytes of "é".
    const bytes = Buffer.from(text);
    for (let at = 1; at < bytes.length; at++) {
      const lines: string[] = [];
      const splitter = createLineSplitter(wanted, (line) => lines.push(line));
      splitter.push(bytes.subarray(0, at));
      splitter.push(bytes.subarray(at));
      splitter.flush();
      expect(lines).toEqual(expected);
    }
  });

  it('reads a line with another key order by searching it, and drops \\r of CRLF', () => {
    expect(read([`${DECLARATION}\r\n`, '\n', 'not json at all\n'])).toEqual([DECLARATION]);
  });

  it('drops a line that only mentions a wanted name inside a value when it starts as a sample of another metric', () => {
    const other = '{"metric":"http_reqs","type":"Point","data":{"tags":{"name":"podbench_events"}}}';
    expect(read([`${other}\n`])).toEqual([]);
  });
});
