// Everything the page shows from a run (scenario text, variant names, error messages, the
// target host) is untrusted: a scenario or an endpoint's error text could hold markup.
// Text goes through escapeHtml; the data goes into a JSON script element, where only a
// "</script" (or "<!--") could end it early, so every "<" is written as \u003c.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For element text and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** JSON for a <script type="application/json"> element; JSON.parse of its text gives the value back. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script's source inside <script>: a "</script" in it would end the element. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
