// results.ndjson parsed on a thread of its own: JSON.parse of every line is the largest cost
// of a report (about 3.5 s of a million records), and the main thread, which derives the
// summary, was busy with it for half of its pass. Here the file is read, parsed and checked
// (src/util/read-ndjson.ts, the same reader and the same warnings) and each block of records
// posted as numbers and texts (src/core/record-block.ts), which the main thread reads back in
// a tenth of the time and hands on to the requests.csv worker.
//
// workerData: { recordReader: { path } }; the worker posts { block } for each block (the
// parent answers { ack: true } once it has read one, and the worker keeps at most
// MAX_BLOCKS_AHEAD unanswered), then { end: true, warnings }, or { error } on a failure.
import { parentPort, workerData } from 'node:worker_threads';
import { RecordBlockWriter } from '../core/record-block.js';
import { recordLine } from '../core/record-check.js';
import { AckWindow } from './handover.js';
import { readNdjsonBlocks, type ReadWarnings } from './read-ndjson.js';

/** Records per posted block (2,000 streamed records are about 1 MB of numbers). */
const BLOCK_RECORDS = 2000;
/** Blocks posted and not yet read by the parent at most: beyond, this thread waits. */
export const MAX_BLOCKS_AHEAD = 8;

/** A failure as the parent rebuilds it: the message, and the fs error's code, path and syscall when it is one. */
export interface ReaderFailure {
  message: string;
  code?: string;
  path?: string;
  syscall?: string;
}

if (parentPort && (workerData as { recordReader?: { path: string } } | undefined)?.recordReader) {
  const port = parentPort;
  const { path } = (workerData as { recordReader: { path: string } }).recordReader;
  const window = new AckWindow(MAX_BLOCKS_AHEAD);
  port.on('message', () => window.acked());
  const warnings: ReadWarnings = { skipped: [] };
  const writer = new RecordBlockWriter();
  const post = async () => {
    const block = writer.take();
    window.sent();
    port.postMessage({ block }, [block.numbers.buffer]);
    await window.room();
  };
  const read = async () => {
    const blocks = readNdjsonBlocks(path, warnings, recordLine);
    for await (const records of blocks) {
      for (const record of records) writer.add(record);
      if (writer.size >= BLOCK_RECORDS) await post();
    }
    if (writer.size > 0) await post();
    port.postMessage({ end: true, warnings });
  };
  read().catch((err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    const error: ReaderFailure = {
      message: e instanceof Error ? e.message : String(err),
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(typeof e?.path === 'string' ? { path: e.path } : {}),
      ...(typeof e?.syscall === 'string' ? { syscall: e.syscall } : {}),
    };
    port.postMessage({ error });
  });
}
