// The live dashboard's page (podbench run --dashboard): a banner and the report page itself,
// in a frame. The frame shows exactly what the dashboard server renders with the same
// renderer as report.html (render.ts), from the records written so far; when the run ends
// it shows report.html as written. The page listens to the server's events (/events) and
// loads each new version into a second, invisible frame, then swaps the two, so the reader
// never sees a half-drawn page and keeps their scroll position. Pure: title in, HTML out.
import { escapeHtml as e } from './escape.js';

/** What the server says about the page it serves (/status.json and each event of /events). */
export interface LiveState {
  /** Counts the pages rendered; 0 until the first request has ended. */
  version: number;
  /** Records (ended requests) the page at this version was drawn from. */
  records: number;
  /** The run has ended: the page at this version is report.html, and the server closes soon. */
  finished: boolean;
}

export const LIVE_PATHS = {
  shell: '/',
  page: '/report.html',
  status: '/status.json',
  events: '/events',
} as const;

// Nothing from elsewhere: the shell talks to its own server (events) and frames its own pages.
export const LIVE_SHELL_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'";

const CSS = `html,body{margin:0;height:100%;font:14px/1.4 system-ui,sans-serif}
#live-banner{position:fixed;top:0;left:0;right:0;height:32px;box-sizing:border-box;padding:6px 12px;background:#1d4ed8;color:#fff;z-index:1}
#live-banner[data-state="finished"]{background:#166534}
#live-banner[data-state="lost"]{background:#92400e}
.frame{position:fixed;top:32px;left:0;width:100%;height:calc(100% - 32px);border:0;background:#fff}
.frame[data-current="0"]{visibility:hidden}`;

/** Runs in the browser (as text): follows /events, swaps frames, keeps the banner true to the frame shown. */
const SCRIPT = `(function () {
'use strict';
var banner = document.getElementById('live-banner');
var frames = [document.getElementById('frame-a'), document.getElementById('frame-b')];
var shown = 0, shownState = null, loading = null, pending = null, events = null;
function say(state) {
  banner.setAttribute('data-state', state.finished ? 'finished' : 'live');
  banner.setAttribute('data-records', String(state.records));
  banner.setAttribute('data-version', String(state.version));
  var n = state.records.toLocaleString('en-US') + (state.records === 1 ? ' record' : ' records');
  banner.textContent = state.finished
    ? 'Finished: ' + n + '. This is the final report.html (also in the run folder); the dashboard server has closed or is closing.'
    : 'Live: ' + n + ' so far, updated ' + new Date().toLocaleTimeString() + '. Numbers change as requests end; the run folder gets the final report.';
}
function load(state) {
  if (shownState && state.version <= shownState.version) return;
  if (loading) { if (!pending || state.version > pending.version) pending = state; return; }
  loading = state;
  var next = frames[1 - shown], prev = frames[shown];
  next.onload = function () {
    try { next.contentWindow.scrollTo(prev.contentWindow.scrollX, prev.contentWindow.scrollY); } catch (err) {}
    next.setAttribute('data-current', '1');
    prev.setAttribute('data-current', '0');
    shown = 1 - shown;
    shownState = loading;
    loading = null;
    say(shownState);
    if (shownState.finished && events) events.close();
    var then = pending; pending = null;
    if (then) load(then);
  };
  next.src = ${JSON.stringify(LIVE_PATHS.page.slice(1))} + '?v=' + state.version;
}
events = new EventSource(${JSON.stringify(LIVE_PATHS.events.slice(1))});
events.onmessage = function (message) {
  var state = JSON.parse(message.data);
  if (state.version === 0) { banner.setAttribute('data-state', 'live'); banner.setAttribute('data-records', '0'); banner.textContent = 'Live: waiting for the first request to end.'; return; }
  load(state);
};
events.onerror = function () {
  if (shownState && shownState.finished) return;
  banner.setAttribute('data-state', 'lost');
  banner.textContent = 'Connection to podbench lost; showing the last page received' + (shownState ? ' (' + shownState.records + ' records)' : '') + '. Retrying.';
};
})();`;

export function renderLiveShell(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${LIVE_SHELL_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · podbench live</title>
<style>${CSS}</style>
</head>
<body>
<div id="live-banner" data-state="live" data-records="0" role="status">Live: connecting to podbench.</div>
<iframe class="frame" id="frame-a" data-current="1" title="report"></iframe>
<iframe class="frame" id="frame-b" data-current="0" title="report (next update)"></iframe>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
