import { describe, expect, it } from 'vitest';
import { AckWindow, Mailbox } from './handover.js';

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('a window of unacknowledged blocks', () => {
  it('makes room at once up to its size, then waits for an acknowledgement', async () => {
    const window = new AckWindow(2);
    window.sent();
    window.sent();
    expect(await settled(window.room())).toBe(true);
    window.sent();
    const waiting = window.room();
    expect(await settled(waiting)).toBe(false);
    window.acked();
    expect(await settled(waiting)).toBe(true);
  });

  it('stops waiting when the receiver is gone', async () => {
    const window = new AckWindow(0);
    window.sent();
    const waiting = window.room();
    expect(await settled(waiting)).toBe(false);
    window.close();
    expect(await settled(waiting)).toBe(true);
    window.sent();
    expect(await settled(window.room())).toBe(true);
  });
});

describe('a mailbox', () => {
  it('gives the items in order, acknowledges each once the reader asks for the next, and ends', async () => {
    const mailbox = new Mailbox<number>();
    const log: string[] = [];
    mailbox.put(1);
    const reading = (async () => {
      for await (const item of mailbox.take(() => log.push('ack'))) log.push(`item ${item}`);
      log.push('end');
    })();
    await new Promise((resolve) => setImmediate(resolve));
    mailbox.put(2);
    mailbox.put(3);
    mailbox.end();
    await reading;
    expect(log).toEqual(['item 1', 'ack', 'item 2', 'ack', 'item 3', 'ack', 'end']);
  });
});
