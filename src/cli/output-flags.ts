// The check-output flags `run` and `compare` share, declared once so their --help agree.
import { CHECK_FORMATS } from '../checks/render.js';

export function checkOutputFlags(group?: string) {
  const inGroup = group !== undefined ? { group } : {};
  return {
    format: {
      type: 'string',
      choices: CHECK_FORMATS,
      default: 'console',
      describe:
        'The checks on stdout as console text, markdown, junit (XML) or json (run: its own output then goes to stderr)',
      ...inGroup,
    },
    markdown: { type: 'string', describe: 'Also write the checks as Markdown to this file', ...inGroup },
    junit: { type: 'string', describe: 'Also write the checks as JUnit XML to this file', ...inGroup },
    json: { type: 'string', describe: 'Also write the checks as JSON to this file', ...inGroup },
  } as const;
}
