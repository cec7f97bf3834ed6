// Terminal control sequences in text podbench did not write (server answers, file
// contents): removed before the text is printed or kept, so a hostile server cannot move
// the cursor, retitle the terminal or hide lines. Tabs and newlines stay.

/** CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte ESC sequences, and the 8-bit CSI/OSC forms. */
const SEQUENCES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u009c)?/g;
/**
 * What is left: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
 * overrides and isolates (U+202A-202E, U+2066-2069, the marks U+200E, U+200F, U+061C): a
 * server's text with a right-to-left override reorders what a terminal shows after it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ANY = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** `text` without terminal control sequences and control characters (tab and newline kept). */
export function stripControl(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}
