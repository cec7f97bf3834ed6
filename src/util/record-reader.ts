// The checked records of a results.ndjson, parsed on a thread of their own
// (./record-reader-worker.ts) and handed over in blocks (src/core/record-block.ts): the
// caller reads each block back (readRecordBlock) and may pass it on to another thread.
// What the reader skipped or repaired is in `warnings` once the last block is read, as
// readNdjsonBlocks would have said it; a file that cannot be read throws the same fs error.
import type { RecordBlock } from '../core/record-block.js';
import { Mailbox } from './handover.js';
import { startModuleWorker } from './module-worker.js';
import type { ReadWarnings } from './read-ndjson.js';
import type { ReaderFailure } from './record-reader-worker.js';

type Message = { block: RecordBlock } | { end: true; warnings: ReadWarnings } | { error: ReaderFailure };

function rebuilt(failure: ReaderFailure): Error {
  const err = new Error(failure.message) as NodeJS.ErrnoException;
  if (failure.code !== undefined) err.code = failure.code;
  if (failure.path !== undefined) err.path = failure.path;
  if (failure.syscall !== undefined) err.syscall = failure.syscall;
  return err;
}

export async function* readRecordBlocksOnThread(path: string, warnings: ReadWarnings): AsyncGenerator<RecordBlock> {
  const worker = startModuleWorker(import.meta.url, './record-reader-worker.js', { recordReader: { path } });
  const mailbox = new Mailbox<Message>();
  worker.on('message', (message: Message) => mailbox.put(message));
  worker.once('error', (err) => mailbox.put({ error: { message: err.message } }));
  try {
    // A block read: the reader may parse one more ahead.
    for await (const message of mailbox.take(() => worker.postMessage({ ack: true }))) {
      if ('error' in message) throw rebuilt(message.error);
      if ('end' in message) {
        Object.assign(warnings, message.warnings);
        return;
      }
      yield message.block;
    }
  } finally {
    await worker.terminate();
  }
}
