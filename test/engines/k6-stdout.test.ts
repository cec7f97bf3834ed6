// Reading what podbench's k6 script writes on k6's log and stdout: lines split as bytes across
// chunks, podbench's lines decoded and k6's own log lines kept apart (for error messages), and
// each podbench line read as the clock, an event or the dropped iterations.
import { describe, expect, it } from 'vitest';
import { droppedPoint, eventPoint, K6_LINE_PREFIX, parseK6Line } from '../../src/engines/k6/event-lines.js';
import { createLineSplitter, prefixLineFilter } from '../../src/engines/k6/process.js';

const wanted = prefixLineFilter(K6_LINE_PREFIX);

function read(chunks: Array<string | Buffer>): { lines: string[]; other: string[] } {
  const lines: string[] = [];
  const other: string[] = [];
  const splitter = createLineSplitter(
    wanted,
    (line) => lines.push(line),
    (line) => other.push(line),
  );
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.flush();
  return { lines, other };
}

const EVENT = 'podbench\tend\t7\t1234.567891\t{"outcome":"ok","body":"{\\"a\\":\\"é\\"}"}';
const SENT = 'podbench\tsent\t8\t1300.000001';
const WARNING = 'Insufficient VUs, reached 64 active VUs and cannot initialize more';
const ERROR = 'GoError: some k6 failure mentioning podbench\tend';

describe('k6 log lines', () => {
  it("keeps podbench's lines, sets k6's own apart, joins lines split across chunks (in any byte)", () => {
    const text = `${WARNING}\n${EVENT}\n${SENT}\n${ERROR}\n${EVENT}`;
    const expected = { lines: [EVENT, SENT, EVENT], other: [WARNING, ERROR] };
    expect(read([text])).toEqual(expected);
    // Every split point, including inside the two bytes of "é".
    const bytes = Buffer.from(text);
    for (let at = 1; at < bytes.length; at++)
      expect(read([bytes.subarray(0, at), bytes.subarray(at)])).toEqual(expected);
  });

  it('drops \\r of CRLF and empty lines', () => {
    expect(read([`${SENT}\r\n`, '\n', 'not ours\n'])).toEqual({ lines: [SENT], other: ['not ours'] });
  });
});

describe('parseK6Line', () => {
  it('reads the clock, an event with and without data, and the dropped count', () => {
    expect(parseK6Line('podbench\tclock\t1796655396836.486\t0.002')).toEqual({
      kind: 'clock',
      startEpochMs: 1796655396836.486,
      uncertaintyMs: 0.002,
    });
    expect(parseK6Line(SENT)).toEqual({ kind: 'event', event: 'sent', request: '8', runMs: 1300.000001, data: {} });
    expect(parseK6Line(EVENT)).toEqual({
      kind: 'event',
      event: 'end',
      request: '7',
      runMs: 1234.567891,
      data: { outcome: 'ok', body: '{"a":"é"}' },
    });
    expect(parseK6Line('podbench\tend\t7\t1.5\t{"polls":3,"httpStatus":503}')).toMatchObject({
      data: { polls: '3', httpStatus: '503' },
    });
    expect(parseK6Line('podbench\tdropped\t12345')).toEqual({ kind: 'dropped', count: 12345 });
  });

  it("reads an end event's final answer after its data, as it came (a body in the data is read too)", () => {
    // The script turns a valid answer's tabs and line breaks into spaces: JSON whitespace only.
    const answer = '{ "status": "COMPLETED",  "output": [ {"text": "a\\tb\\n"} ] }';
    const line = parseK6Line(`podbench\tend\t9\t2.5\t{"outcome":"ok","jobId":"j-9"}\t${answer}`);
    expect(line).toEqual({
      kind: 'event',
      event: 'end',
      request: '9',
      runMs: 2.5,
      data: { outcome: 'ok', jobId: 'j-9', body: answer },
    });
    if (line?.kind !== 'event') throw new Error('not an event');
    expect(JSON.parse(line.data.body as string)).toEqual({ status: 'COMPLETED', output: [{ text: 'a\tb\n' }] });
    // An empty answer is still an answer; a tab after the answer belongs to it.
    expect(parseK6Line('podbench\tend\t9\t2.5\t{}\t')).toMatchObject({ data: { body: '' } });
    expect(parseK6Line('podbench\tend\t9\t2.5\t{}\t{"a":1}\tx')).toMatchObject({ data: { body: '{"a":1}\tx' } });
    // The data before the answer must still be a JSON object.
    expect(parseK6Line('podbench\tend\t9\t2.5\t{"outcome":\t{}')).toBeUndefined();
  });

  it('refuses what is not a well-formed podbench line', () => {
    for (const line of [
      WARNING,
      'podbench',
      'podbench\tclock\tsoon',
      'podbench\tdropped\t-1',
      'podbench\tdropped\t1.5',
      'podbench\tsent\t8',
      'podbench\tsent\t8\t',
      'podbench\tdropped\t',
      'podbench\tsent\t8\tlater',
      'podbench\tend\t7\t1.5\t{"outcome":',
      'podbench\tend\t7\t1.5\t["ok"]',
      ' podbench\tsent\t8\t1',
    ]) {
      expect(parseK6Line(line), line).toBeUndefined();
    }
  });

  it('places an event at the clock start plus its run time, as the point the record builder reads', () => {
    const line = parseK6Line('podbench\tsubmitted\t3\t250.25\t{"jobId":"j-1"}');
    if (line?.kind !== 'event') throw new Error('not an event');
    expect(eventPoint(line, 1_700_000_000_000)).toEqual({
      metric: 'podbench_events',
      epochMs: 1_700_000_000_250.25,
      value: 1,
      tags: { event: 'submitted' },
      metadata: { jobId: 'j-1', podbench_req: '3' },
    });
    expect(droppedPoint(4, 10)).toMatchObject({ metric: 'dropped_iterations', value: 4 });
  });
});
