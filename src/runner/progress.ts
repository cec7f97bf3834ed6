// The live console (progress-view.ts says what it shows). On a terminal: a block of a few
// lines redrawn in place twice a second with ANSI cursor movement (Node's own escape codes
// serve; a terminal library would add signal handlers that compete with the run's
// interrupt). Elsewhere (CI logs): one plain line every few seconds, and one per finished
// variant. Anything else the run says while the block is up goes through log(), which
// clears the block, writes the text above it and redraws.
import type { HealthSample } from '../core/health.js';
import type { RequestRecord } from '../core/record.js';
import {
  addRecord,
  newProgressState,
  progressLines,
  type ProgressBounds,
  type ProgressState,
} from './progress-view.js';

export interface Progress {
  sent(): void;
  record(record: RequestRecord): void;
  health(sample: HealthSample): void;
  startVariant(label: string, bounds: ProgressBounds): void;
  /** Writes a line (or lines) without tearing the live display. */
  log(text: string): void;
  stop(): void;
}

const TTY_REFRESH_MS = 500;
/** CI logs: often enough to see a run move, rarely enough to stay readable. */
export const PLAIN_REFRESH_MS = 5000;

export function startProgress(stream: NodeJS.WriteStream, clock: () => number, quiet: boolean): Progress {
  const tty = stream.isTTY === true;
  let state: ProgressState | undefined;
  let drawn = 0; // lines of the block now on screen (TTY)

  const clear = () => {
    if (drawn > 0) stream.write(`\r${drawn > 1 ? `\x1b[${drawn - 1}A` : ''}\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    if (quiet || !state || state.sent === 0) return;
    const lines = progressLines(state, clock());
    if (tty) {
      const width = Math.max(20, (stream.columns || 100) - 1);
      clear();
      stream.write(lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l)).join('\n'));
      drawn = lines.length;
    } else {
      stream.write(`${lines.map((l) => l.trim()).join('  |  ')}\n`);
    }
  };
  const timer = setInterval(draw, tty ? TTY_REFRESH_MS : PLAIN_REFRESH_MS);
  timer.unref();

  const finish = () => {
    // Nothing sent (the variant failed to start): no progress to finish.
    if (quiet || !state || state.sent === 0) return;
    draw();
    if (tty) stream.write('\n');
    drawn = 0;
  };

  return {
    sent: () => {
      if (state) state.sent += 1;
    },
    record(record) {
      if (state) addRecord(state, record);
    },
    health(sample) {
      if (state && sample.workers) state.health = sample;
    },
    startVariant(label, bounds) {
      finish();
      state = newProgressState(label, bounds, clock());
    },
    log(text) {
      if (tty) clear();
      stream.write(text.endsWith('\n') ? text : `${text}\n`);
      if (tty) draw();
    },
    stop() {
      clearInterval(timer);
      finish();
      state = undefined;
    },
  };
}
