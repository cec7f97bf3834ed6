// Terminal control sequences in text podbench did not write (server answers, file
// contents): removed before the text is printed or kept, so a hostile server cannot move
// the cursor, retitle the terminal or hide lines. Tabs and newlines stay.

/** CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte ESC sequences, and the 8-bit CSI/OSC forms. */
const SEQUENCES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u009c)?/g;
/** What is left: C0 controls but tab and newline, DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ANY = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** `text` without terminal control sequences and control characters (tab and newline kept). */
export function stripControl(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}
