// The emulated network between a client and the endpoint (settings.network): each HTTP
// exchange draws one round trip; the request reaches the router half of it after it
// arrived on the socket, and every byte of the answer leaves half of it after the emulator
// wrote it. A client on loopback then waits as long per call as it would over a real
// network, so a client that polls with no pause of its own (the official JS client's
// stream()) polls at a real client's pace. Both halves go through the endpoint's timeline,
// whose entries due at the same instant run first in, first out: the pieces of one answer
// (an SSE stream's writes) keep their order.
import type { Rng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';
import type { Timeline } from '../platform/timeline.js';
import type { EmulatorEvent } from '../types.js';
import { drawDurationMs } from '../platform/fleet.js';
import { epochNowMs } from '../clock.js';

export class Network {
  private readonly settings: EmulatorSettings;
  private readonly timeline: Timeline<EmulatorEvent>;
  private readonly rng: Rng;
  /** A round trip of exactly 0: no timer at all on the way. */
  private readonly off: boolean;

  constructor(settings: EmulatorSettings, timeline: Timeline<EmulatorEvent>, rng: Rng) {
    this.settings = settings;
    this.timeline = timeline;
    this.rng = rng;
    const rtt = settings.network.roundTrip;
    this.off = rtt.kind === 'fixed' && rtt.ms === 0;
  }

  /** One exchange's one-way delay in real ms (half its round trip); 0 with the network off. */
  drawOneWayMs(): number {
    if (this.off) return 0;
    return drawDurationMs(this.settings.network.roundTrip, this.rng) / this.settings.timeScale / 2;
  }

  /** Runs `action` after `delayMs` real ms (at once when 0). */
  after(delayMs: number, action: () => void): void {
    if (delayMs <= 0) {
      action();
      return;
    }
    this.timeline.add({ kind: 'timer', target: { onTimer: () => action() }, at: epochNowMs() + delayMs });
  }
}
