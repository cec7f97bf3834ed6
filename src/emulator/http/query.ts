// The query string of a request, kept as raw text and read on demand: the routes read at
// most `wait`, `ttl` and `reset`, and a URLSearchParams per request is measurable garbage
// at thousands of long-polls per second.

/** The raw text after `?`, or undefined. */
export type Query = string | undefined;

/** The first value of `name` (percent-decoded; `+` is a space), or undefined. */
export function queryParam(query: Query, name: string): string | undefined {
  if (query === undefined) return undefined;
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', start);
    const keyEnd = eq === -1 || eq > end ? end : eq;
    if (keyEnd - start === name.length && query.startsWith(name, start)) {
      const raw = keyEnd === end ? '' : query.slice(keyEnd + 1, end);
      try {
        return decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        return raw;
      }
    }
    start = end + 1;
  }
  return undefined;
}
