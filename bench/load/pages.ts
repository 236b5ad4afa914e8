/**
 * The pages the load benchmark opens, served from the runner on a localhost
 * origin (which the `demo` site accepts) other than either server's. Each page
 * places a mark just before the script tag it measures, then reports in page
 * time (performance.now()) from that mark: the widget rendered and connected,
 * and on a launcher page the idle point and, once opened, the chat ready.
 * The pages have no CSP, so the probe is an inline script.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOAD } from '../config.js';
import type { ServerKind } from '../target.js';

/** One kind of page measured. */
export interface PageVariant {
  name: string;
  /** The server whose script the page loads, and whose downloads are counted. */
  server: ServerKind;
  /** Selector inside the widget's shadow root that means "drawn"; none for the bare page. */
  rendered?: string;
  /**
   * A launcher page: once the badge is connected (and the page has settled), the runner clicks `click` (inside
   * the widget's shadow root) and waits for the probe's ready point, `ready` in the shadow root.
   */
  open?: { click: string; ready: string };
  body(serverUrl: string): string;
}

/** What the probe leaves in `window.__load`, in ms since the mark before the script tag (`…At`: epoch ms). */
export interface PageFigures {
  /** Set instead of `connectedAt` when the connection failed for good: the error's code or message. */
  error?: string;
  /** The widget's last connection state (and error code). */
  state?: string;
  /** Epoch ms of the mark before the script tag. */
  markAt: number;
  /** The script tag's script fetched and run (a mark placed just after it). */
  scriptMs: number;
  renderedMs?: number;
  /** Launcher pages: the launcher part's own button in place of the loader's stand-in. */
  launcherMs?: number;
  /** Launcher pages: the page's `load` event, and the first idle callback after it (the loader's cue for the launcher part). */
  loadMs?: number;
  idleMs?: number;
  idleAt?: number;
  /** Connected: the widget's `chat-room-connection` (a closed launcher: its badge's), the bare page's `connect`. */
  connectedMs: number;
  connectedAt: number;
  /** Launcher pages: the runner's open (set just before the pointer moves to the button), the click, the chat ready. */
  openAt?: number;
  clickAt?: number;
  readyAt?: number;
}

const MARK = '<script>performance.mark("script-tag")</script>';
const MARK_AFTER = '<script>performance.mark("script-run")</script>';
/** Probe preamble: the mark's time, and the script's from mark to mark. */
const START = `const t0 = performance.getEntriesByName('script-tag')[0].startTime;
  const now = () => performance.timeOrigin + performance.now();
  const out = (window.__load = { markAt: performance.timeOrigin + t0, scriptMs: performance.getEntriesByName('script-run')[0].startTime - t0 });`;

/** The widget's frame: its shadow root's outermost element (the loader's, then the chat's). */
const FRAME = '[part="base"]';
/** The launcher button: the loader's stand-in at first, then the launcher part's (`.launcher`). */
const LAUNCHER = '[part="launcher"]';
/** The chat can send: connected and the room joined (the composer's `data-can-send`). */
const CAN_SEND = '[part="composer"][data-can-send="true"]';

interface ProbeOptions {
  /** Marks in ms from the script tag: the first time each selector matches in the shadow root. */
  marks: Record<string, string>;
  /** Launcher pages: the click, and the chat ready (`readyAt`) once `ready` matches after it (the idle point: `IDLE_PROBE`). */
  launcher?: { ready: string };
}

/**
 * Watches the element's shadow root (a MutationObserver's callback runs right after the update that rendered;
 * attributes too, for the composer's `data-can-send`) and its connection events.
 */
const widgetProbe = ({ marks, launcher }: ProbeOptions): string => `<script>
(() => {
  ${START}
  const el = document.querySelector('chat-room');
  const marks = ${JSON.stringify(marks)};
  const ready = ${JSON.stringify(launcher?.ready ?? null)};
  const check = () => {
    const root = el.shadowRoot;
    if (!root) return;
    for (const [key, selector] of Object.entries(marks)) if (out[key] === undefined && root.querySelector(selector)) out[key] = performance.now() - t0;
    if (ready && out.clickAt !== undefined && out.readyAt === undefined && root.querySelector(ready)) out.readyAt = now();
  };
  const watch = () => {
    check();
    if (el.shadowRoot) new MutationObserver(check).observe(el.shadowRoot, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-can-send'] });
    else setTimeout(watch, 0);
  };
  watch();
  if (ready) el.addEventListener('click', () => (out.clickAt ??= now()), { capture: true });
  const connected = () => {
    check();
    out.connectedAt = now();
    out.connectedMs = performance.now() - t0;
  };
  if (el.connectionState === 'connected') connected();
  el.addEventListener('chat-room-connection', (e) => {
    if (e.detail.state === 'connected' && out.connectedMs === undefined) connected();
    // The last state and error, for the message when a page never connects (a refusal may be retried).
    out.state = e.detail.state + (e.detail.error ? ' ' + e.detail.error.code : '');
    if (e.detail.state === 'error') out.error = e.detail.error?.code ?? 'error';
  });
})();
</script>`;

/** The page server's path the idle probe requests: the idle point on the network's clock (`LoadSample`'s `idle` window). */
export const IDLE_MARK_PATH = '/idle-mark';

/**
 * Launcher pages: the page's `load` and the first idle callback after it. Placed before the loader's script, so
 * its `load` listener, and so its idle callback, come before the loader's (a closed launcher's cue for its launcher
 * part): in the same idle period it runs first, and marks the earliest point the loader may fetch anything more.
 * It also requests `IDLE_MARK_PATH` from the page server, so that the point is on the requests' own clock.
 */
const IDLE_PROBE = `<script>
addEventListener('load', () => {
  const out = window.__load;
  out.loadMs = performance.now() + performance.timeOrigin - out.markAt;
  requestIdleCallback(() => {
    void fetch('${IDLE_MARK_PATH}', { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
    out.idleAt = performance.timeOrigin + performance.now();
    out.idleMs = out.idleAt - out.markAt;
  }, { timeout: 5000 });
});
</script>`;

const widgetTag = (url: string, attributes: string, before = ''): string =>
  `${before}${MARK}<script src="${url}/chat-room.js"></script>${MARK_AFTER}\n` +
  `<chat-room ${attributes}server="${url}" site="${LOAD.site}" room="${LOAD.room}" style="height: 480px"></chat-room>\n`;

export const INLINE: PageVariant = {
  name: 'inline',
  server: 'project',
  rendered: FRAME,
  body: (url) => widgetTag(url, '') + widgetProbe({ marks: { renderedMs: FRAME } }),
};

/**
 * A closed launcher (`connect="load"`, the default): the loader's stand-in button at once, the launcher part once
 * the page is idle, then (on the launcher's own idle callback) the badge connected; then opened with a click
 * (Playwright moves the pointer onto the button and presses at once: the hover starts the UI chunk, the press opens).
 */
export const LAUNCHER_PAGE: PageVariant = {
  name: 'launcher',
  server: 'project',
  rendered: LAUNCHER,
  open: { click: 'button.launcher', ready: CAN_SEND },
  body: (url) =>
    widgetTag(url, 'mode="launcher" ', IDLE_PROBE) +
    widgetProbe({ marks: { renderedMs: LAUNCHER, launcherMs: 'button.launcher' }, launcher: { ready: CAN_SEND } }),
};

/** The baseline: the bare socket.io-client bundle from the bare server, connecting as the widget does (WebSocket only). */
export const BARE: PageVariant = {
  name: 'bare socket.io-client',
  server: 'bare',
  body: (url) =>
    `${MARK}<script src="${url}/socket.io/socket.io.min.js"></script>${MARK_AFTER}\n<script>
(() => {
  ${START}
  const socket = io(${JSON.stringify(url)} + '/s/${LOAD.site}', { transports: ['websocket'], forceNew: true });
  socket.once('connect', () => {
    out.connectedAt = now();
    out.connectedMs = performance.now() - t0;
  });
  socket.once('connect_error', (e) => (out.error = e.message));
})();
</script>`,
};

export interface PageServer {
  url(variant: PageVariant): string;
  close(): Promise<void>;
}

/** Serves each variant's page at `/<index>`, built for the server URLs given. */
export async function servePages(variants: readonly PageVariant[], serverUrl: (kind: ServerKind) => string): Promise<PageServer> {
  const html = variants.map(
    (v) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>load: ${v.name}</title></head><body>\n${v.body(serverUrl(v.server))}\n</body></html>`,
  );
  const server: Server = createServer((req, res) => {
    if (req.url === IDLE_MARK_PATH) {
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    const page = html[Number(req.url?.slice(1))];
    if (page === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // localhost, not 127.0.0.1: the demo site accepts localhost origins, and the page is then cross-origin to both servers.
    url: (variant) => `http://localhost:${port}/${variants.indexOf(variant)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
