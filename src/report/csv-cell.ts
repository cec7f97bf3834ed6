// CSV cells that a spreadsheet would run as a formula: text starting with =, +, -, @, a tab
// or a carriage return (OWASP's CSV injection rule) gets a leading single quote, so it
// shows as the text it is. Only text: numbers (a negative send lag) stay numbers. Server
// text (error messages, job and worker ids) reaches requests.csv, hence the need.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvSafeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
