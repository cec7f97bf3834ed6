// The checked records of a results.ndjson, parsed on a thread of their own
// (./record-reader-worker.ts) and handed over in blocks (src/core/record-block.ts): the
// caller reads each block back (readRecordBlock) and may pass it on to another thread.
// What the reader skipped or repaired is in `warnings` once the last block is read, as
// readNdjsonBlocks would have said it; a file that cannot be read throws the same fs error.
import type { RecordBlock } from '../core/record-block.js';
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
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (message: Message) => {
    queue.push(message);
    wake?.();
  });
  worker.once('error', (err) => {
    queue.push({ error: { message: err.message } });
    wake?.();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if ('error' in message) throw rebuilt(message.error);
      if ('end' in message) {
        Object.assign(warnings, message.warnings);
        return;
      }
      yield message.block;
      // Read: the reader may parse one more ahead.
      worker.postMessage({ ack: true });
    }
  } finally {
    await worker.terminate();
  }
}
