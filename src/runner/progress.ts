// The live progress line: done / in flight / errors / recent p50 TTFT. Rewritten in place
// on a terminal; plain periodic lines otherwise (CI logs).
import type { RequestRecord } from '../core/record.js';
import { quantile, sortedSamples } from '../metrics/percentiles.js';
import { formatDurationMs } from '../util/duration.js';

export interface Progress {
  sent(): void;
  record(record: RequestRecord): void;
  startVariant(label: string): void;
  stop(): void;
}

const RECENT = 200;

export function startProgress(stream: NodeJS.WriteStream, clock: () => number, quiet: boolean): Progress {
  const tty = stream.isTTY === true;
  let label = '';
  let variantStartMs = clock();
  let sent = 0;
  let done = 0;
  let errors = 0;
  const recentTtft: number[] = [];
  let lastLineLength = 0;

  const render = () => {
    if (quiet) return;
    const ttft = recentTtft.length > 0 ? quantile(sortedSamples(recentTtft), 0.5) : undefined;
    const text =
      `${label}  ${formatDurationMs(clock() - variantStartMs)}  done ${done}  in flight ${sent - done}  errors ${errors}` +
      (ttft !== undefined ? `  p50 TTFT ${Math.round(ttft)} ms` : '');
    if (tty) {
      stream.write(`\r${text.padEnd(lastLineLength)}`);
      lastLineLength = text.length;
    } else {
      stream.write(`${text}\n`);
    }
  };
  const timer = setInterval(render, tty ? 500 : 10_000);
  timer.unref();

  const finishLine = () => {
    // Nothing sent (the variant failed to start): no progress line to finish.
    if (quiet || label === '' || sent === 0) return;
    render();
    if (tty) stream.write('\n');
    lastLineLength = 0;
  };

  return {
    sent: () => {
      sent += 1;
    },
    record(record) {
      if (record.outcome === 'not_sent') return;
      done += 1;
      if (record.outcome !== 'ok') errors += 1;
      if (record.firstTokenMs !== undefined && record.sentMs !== undefined) {
        recentTtft.push(record.firstTokenMs - record.sentMs);
        if (recentTtft.length > RECENT) recentTtft.shift();
      }
    },
    startVariant(next) {
      finishLine();
      label = next;
      variantStartMs = clock();
      sent = 0;
      done = 0;
      errors = 0;
      recentTtft.length = 0;
    },
    stop() {
      clearInterval(timer);
      finishLine();
      label = '';
    },
  };
}
