// Parses an SSE body (`data: ...\n\n` events) as a client would, across any chunking.
export function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      if (!block.startsWith('data: ')) throw new Error(`not an SSE data event: ${JSON.stringify(block)}`);
      return block.slice('data: '.length);
    });
}

/** The JSON chunks of an SSE body that ends with [DONE]. */
export function sseChunks(text: string): any[] {
  const events = sseEvents(text);
  if (events[events.length - 1] !== '[DONE]') throw new Error('the stream does not end with data: [DONE]');
  return events.slice(0, -1).map((event) => JSON.parse(event));
}
