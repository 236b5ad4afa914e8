/**
 * The pages the load benchmark opens, served from the runner on a localhost
 * origin (which the `demo` site accepts) other than either server's. Each page
 * places a mark just before the script tag it measures, then reports in page
 * time (performance.now()) from that mark: the widget rendered and connected.
 * The pages have no CSP, so the probe is an inline script.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOAD } from '../config.js';
import type { ServerKind } from '../target.js';

/** One kind of page measured: later the launcher's (before and after open) join the inline one here. */
export interface PageVariant {
  name: string;
  /** The server whose script the page loads, and whose downloads are counted. */
  server: ServerKind;
  /** Selector inside the widget's shadow root that means "drawn"; none for the bare page. */
  rendered?: string;
  body(serverUrl: string): string;
}

/** What the probe leaves in `window.__load`, in ms since the mark before the script tag. */
export interface PageFigures {
  /** Set instead of `connectedAt` when the connection failed for good: the error's code or message. */
  error?: string;
  /** The widget's last connection state (and error code). */
  state?: string;
  /** The script tag's script fetched and run (a mark placed just after it). */
  scriptMs: number;
  renderedMs?: number;
  connectedMs: number;
  /** Epoch ms of connected, to tell which downloads came before it. */
  connectedAt: number;
}

const MARK = '<script>performance.mark("script-tag")</script>';
const MARK_AFTER = '<script>performance.mark("script-run")</script>';
/** Probe preamble: the mark's time, and the script's from mark to mark. */
const START = `const t0 = performance.getEntriesByName('script-tag')[0].startTime;
  const out = (window.__load = { scriptMs: performance.getEntriesByName('script-run')[0].startTime - t0 });`;

/** The widget's frame: its shadow root's outermost element. */
const FRAME = '[part="base"]';

/** Watches the element's shadow root (a MutationObserver's callback runs right after the update that rendered) and its connection events. */
const widgetProbe = (selector: string): string => `<script>
(() => {
  ${START}
  const el = document.querySelector('chat-room');
  const check = () => {
    if (out.renderedMs === undefined && el.shadowRoot?.querySelector(${JSON.stringify(selector)})) out.renderedMs = performance.now() - t0;
  };
  const watch = () => {
    check();
    if (out.renderedMs !== undefined) return;
    if (el.shadowRoot) new MutationObserver(check).observe(el.shadowRoot, { childList: true, subtree: true });
    else setTimeout(watch, 0);
  };
  watch();
  const connected = () => {
    check();
    out.connectedAt = performance.timeOrigin + performance.now();
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

export const INLINE: PageVariant = {
  name: 'inline',
  server: 'project',
  rendered: FRAME,
  body: (url) =>
    `${MARK}<script src="${url}/chat-room.js"></script>${MARK_AFTER}\n` +
    `<chat-room server="${url}" site="${LOAD.site}" room="${LOAD.room}" style="height: 480px"></chat-room>\n` +
    widgetProbe(FRAME),
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
    out.connectedAt = performance.timeOrigin + performance.now();
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
