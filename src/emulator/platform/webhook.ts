// Webhook delivery: when a job that named a `webhook` ends, the platform POSTs the same JSON
// as /status/{id} to it, expects HTTP 200, and otherwise retries up to 2 more times, 10 s
// apart (reference §1.3). Retries wait on the emulator's timeline (emulated time); one
// attempt may take webhook.attemptTimeoutMs of real time. Failures are logged, never thrown.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EmulatorSettings } from '../settings/schema.js';
import type { Timeline } from './timeline.js';
import type { EmulatorEvent, TimerTarget } from '../types.js';
import { epochNowMs } from '../clock.js';

class Delivery implements TimerTarget {
  attempt = 0;
  entry: EmulatorEvent | undefined;
  readonly url: URL;
  readonly body: Buffer;
  readonly jobId: string;
  private readonly sender: WebhookSender;

  constructor(sender: WebhookSender, url: URL, body: Buffer, jobId: string) {
    this.sender = sender;
    this.url = url;
    this.body = body;
    this.jobId = jobId;
  }

  onTimer(): void {
    this.entry = undefined;
    this.sender.attempt(this);
  }
}

export class WebhookSender {
  private readonly settings: EmulatorSettings;
  private readonly timeline: Timeline<EmulatorEvent>;
  private readonly log: (line: string) => void;
  private readonly inFlight = new Set<ClientRequest>();
  private readonly waiting = new Set<Delivery>();
  private closed = false;

  constructor(settings: EmulatorSettings, timeline: Timeline<EmulatorEvent>, log: (line: string) => void) {
    this.settings = settings;
    this.timeline = timeline;
    this.log = log;
  }

  send(webhook: string, body: Buffer, jobId: string): void {
    let url: URL;
    try {
      url = new URL(webhook);
    } catch {
      this.log(`webhook for ${jobId}: not a URL: ${webhook}`);
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.log(`webhook for ${jobId}: only http and https URLs are delivered: ${webhook}`);
      return;
    }
    this.attempt(new Delivery(this, url, body, jobId));
  }

  /** One POST; on anything but 200 the next attempt waits retryInterval. */
  attempt(delivery: Delivery): void {
    this.waiting.delete(delivery);
    if (this.closed) return;
    delivery.attempt++;
    const request = delivery.url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (ok: boolean, why: string): void => {
      if (settled) return;
      settled = true;
      this.inFlight.delete(req);
      if (ok || this.closed) return;
      const left = this.settings.webhook.retries + 1 - delivery.attempt;
      this.log(
        `webhook for ${delivery.jobId}: attempt ${delivery.attempt} failed (${why})${left > 0 ? `, ${left} retr${left === 1 ? 'y' : 'ies'} left` : ', giving up'}`,
      );
      if (left <= 0) return;
      this.waiting.add(delivery);
      delivery.entry = this.timeline.add({
        kind: 'timer',
        target: delivery,
        at: epochNowMs() + this.settings.webhook.retryInterval / this.settings.timeScale,
      });
    };
    const req = request(delivery.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': delivery.body.length },
      timeout: this.settings.webhook.attemptTimeoutMs,
    });
    this.inFlight.add(req);
    req.on('response', (res) => {
      res.resume();
      done(res.statusCode === 200, `HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => done(false, err.message));
    req.end(delivery.body);
  }

  close(): void {
    this.closed = true;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
    for (const delivery of this.waiting) this.timeline.cancel(delivery.entry);
    this.waiting.clear();
  }
}
