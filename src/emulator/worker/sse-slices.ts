// The proxy worker (>= v2.24.0) yields whatever aiohttp's iter_any() returned from vLLM's
// SSE socket, decoded with errors="replace": arbitrary byte slices, so one item may hold
// several events or half of one, and a multi-byte character cut in two becomes U+FFFD on
// each side. This reproduces it: the bytes written in one decode step are cut at seeded
// random byte boundaries and each slice is decoded on its own.
import type { Rng } from '../../util/rng.js';
import type { PartialOutput } from '../types.js';

export interface SseEvent {
  text: string;
  /** Generated tokens that first appear in this event. */
  tokens: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Chance that one socket read is cut once more (repeatedly, so 0, 1, 2... extra cuts). */
const EXTRA_CUT_PROBABILITY = 0.35;

/**
 * Cuts the bytes of `events` like socket reads and appends each slice to `out` as a partial
 * output (its text, and the tokens of the events whose last byte is in it). Appended, not
 * returned: this runs once per decode step per stream.
 */
export function sliceLikeSocketReads(events: readonly SseEvent[], rng: Rng, out: PartialOutput[]): void {
  if (events.length === 0) return;
  const text = events.length === 1 ? (events[0] as SseEvent).text : events.map((e) => e.text).join('');
  const byteLength = Buffer.byteLength(text, 'utf8');
  let cuts: number[] | undefined;
  while ((cuts?.length ?? 0) < 8 && byteLength > 1 && rng.next() < EXTRA_CUT_PROBABILITY) {
    cuts ??= [];
    cuts.push(1 + Math.floor(rng.next() * (byteLength - 1)));
  }
  if (cuts === undefined) {
    // One read got everything: no bytes to cut, nothing to decode.
    let tokens = 0;
    for (const event of events) tokens += event.tokens;
    out.push({ item: text, tokens });
    return;
  }
  cuts.sort((a, b) => a - b);
  cuts.push(byteLength);
  // ASCII text has one byte per character: cut the string itself. Otherwise cut the bytes.
  const ascii = byteLength === text.length;
  const bytes = ascii ? undefined : Buffer.from(text, 'utf8');

  // Byte offset at which each event ends, to attribute its tokens to a slice.
  const ends: number[] = [];
  let offset = 0;
  for (const event of events) {
    offset += ascii ? event.text.length : Buffer.byteLength(event.text, 'utf8');
    ends.push(offset);
  }
  let start = 0;
  let eventIndex = 0;
  for (const cut of cuts) {
    if (cut <= start) continue;
    let tokens = 0;
    while (eventIndex < events.length && (ends[eventIndex] as number) <= cut) {
      tokens += (events[eventIndex] as SseEvent).tokens;
      eventIndex++;
    }
    out.push({
      item: bytes === undefined ? text.slice(start, cut) : decoder.decode(bytes.subarray(start, cut)),
      tokens,
    });
    start = cut;
  }
}
