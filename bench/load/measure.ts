/**
 * One cold load: a fresh browser context (empty cache, no open connections),
 * the page, and the Network domain of CDP recording what the measured server
 * sent (encoded body bytes: what came over the wire, compressed or not) and
 * when, and what the same bodies weigh gzipped (the targets are in gzip
 * bytes, whichever encoding the server chose). A launcher page is then
 * opened with a click and followed until its chat can send.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { GZIP_OPTIONS } from '../../server/http/content-coding.js';
import { LOAD } from '../config.js';
import { IDLE_MARK_PATH, type PageFigures, type PageVariant } from './pages.js';

/** One response of the measured server, times in ms from the mark before the script tag. */
export interface Download {
  path: string;
  /** Its Content-Encoding (`identity` when none). */
  encoding: string;
  /** Encoded body bytes: as sent. */
  sent: number;
  decoded: number;
  /** The body gzipped here with the server's and the build's settings (level 9), whatever encoding it came in. */
  gzip: number;
  requestedMs: number;
  finishedMs: number;
}

/** Downloads that fall in one window of the load, summed. */
export interface Bytes {
  sent: number;
  decoded: number;
  gzip: number;
  files: Download[];
}

/**
 * The windows bytes are counted in:
 * - `connected`: finished before the page reported connected (a closed launcher: its badge);
 * - `idle` (launcher): requested before the first idle callback after `load`, the loader's cue for the launcher part
 *   (on the network's clock: before the probe's request from that callback, `IDLE_MARK_PATH`);
 * - `open` (launcher): finished before the runner began to open it (the badge connected, the page settled);
 * - `opening` (launcher): finished after that, until the chat can send;
 * - `ready` (launcher): finished before the chat could send (`open` + `opening`).
 */
export type Window = 'connected' | 'idle' | 'open' | 'opening' | 'ready';

export interface LoadSample extends PageFigures {
  bytes: Partial<Record<Window, Bytes>>;
  /** Launcher pages: from the click to the chat able to send. */
  readyMs?: number;
  /** The first WebSocket to the measured server: handshake sent, and answered; and how many were opened in all. */
  wsRequestedMs?: number;
  wsOpenMs?: number;
  webSockets: number;
}

interface Response {
  requestId: string;
  url: string;
  encoding: string;
  headerBytes: number;
  /** Monotonic seconds (CDP's clock). */
  requestedAt: number;
  finishedAt?: number;
  totalBytes?: number;
  decodedBytes: number;
}


/** Waits for the probe's `key` (or its error), then answers what the probe says. */
async function probe(page: Page, key: keyof PageFigures, what: string, pageUrl: string): Promise<PageFigures> {
  const handle = await page
    .waitForFunction(
      (k) => {
        const out = (window as unknown as { __load?: Record<string, unknown> }).__load;
        return out?.[k] !== undefined || out?.error !== undefined ? out : undefined;
      },
      key,
      { timeout: LOAD.loadTimeoutMs, polling: 50 },
    )
    .catch(async (error: unknown) => {
      const state = await page.evaluate(() => JSON.stringify((window as unknown as { __load?: unknown }).__load));
      throw new Error(`load: ${pageUrl} not ${what} within ${LOAD.loadTimeoutMs / 1000} s (the probe says ${state}): ${String(error)}`);
    });
  const out = (await handle.jsonValue()) as unknown as PageFigures;
  if (out.error !== undefined) throw new Error(`load: ${pageUrl} did not connect: ${out.error}`);
  return out;
}

export async function loadOnce(browser: Browser, variant: PageVariant, pageUrl: string, serverUrl: string): Promise<LoadSample> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const serverHost = new URL(serverUrl).host;
    const responses = new Map<string, Response>();
    const requestedAt = new Map<string, number>();
    const sockets = new Map<string, { requestedAt?: number; openAt?: number }>();
    // CDP timestamps are monotonic seconds; requestWillBeSent pairs one with wall time.
    let monotonicToEpochMs: number | undefined;
    let idleMarkAt: number | undefined;
    cdp.on('Network.requestWillBeSent', (e) => {
      monotonicToEpochMs ??= e.wallTime * 1000 - e.timestamp * 1000;
      requestedAt.set(e.requestId, e.timestamp);
      if (new URL(e.request.url).pathname === IDLE_MARK_PATH) idleMarkAt ??= e.timestamp;
    });
    cdp.on('Network.responseReceived', (e) => {
      if (!e.response.url.startsWith(serverUrl + '/')) return;
      const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
      responses.set(e.requestId, {
        requestId: e.requestId,
        url: e.response.url,
        encoding,
        headerBytes: e.response.encodedDataLength,
        requestedAt: requestedAt.get(e.requestId) ?? e.timestamp,
        decodedBytes: 0,
      });
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = responses.get(e.requestId);
      if (r) r.decodedBytes += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = responses.get(e.requestId);
      if (r) Object.assign(r, { finishedAt: e.timestamp, totalBytes: e.encodedDataLength });
    });
    cdp.on('Network.webSocketCreated', (e) => {
      if (new URL(e.url).host === serverHost) sockets.set(e.requestId, {});
    });
    cdp.on('Network.webSocketWillSendHandshakeRequest', (e) => {
      const socket = sockets.get(e.requestId);
      if (socket) socket.requestedAt = e.timestamp;
    });
    cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
      const socket = sockets.get(e.requestId);
      if (socket) socket.openAt = e.timestamp;
    });

    await page.goto(pageUrl);
    let out = await probe(page, 'connectedAt', 'connected', pageUrl);
    if (variant.open) {
      out = await probe(page, 'idleAt', 'idle', pageUrl);
      if (idleMarkAt === undefined) throw new Error(`load: ${pageUrl} idle, but its ${IDLE_MARK_PATH} request was not seen`);
      // Whatever a closed launcher still does after its badge connected counts before the first open.
      await page.waitForTimeout(LOAD.settleMs);
      await page.evaluate(() => {
        const load = (window as unknown as { __load: { openAt?: number } }).__load;
        load.openAt = performance.timeOrigin + performance.now();
      });
      await page.locator('chat-room').locator(variant.open.click).click();
      out = await probe(page, 'readyAt', 'ready after the click', pageUrl);
    }
    if (monotonicToEpochMs === undefined) throw new Error('load: no Network.requestWillBeSent seen');
    const toEpoch = (t: number): number => t * 1000 + monotonicToEpochMs!;
    const fromMark = (t: number): number => toEpoch(t) - out.markAt;

    const finished = [...responses.values()].filter((r) => r.finishedAt !== undefined);
    const downloads = await Promise.all(
      finished.map(async (r): Promise<Download & { requestedAt: number; finishedAt: number }> => {
        const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: r.requestId });
        return {
          path: new URL(r.url).pathname,
          encoding: r.encoding,
          sent: r.totalBytes! - r.headerBytes,
          decoded: r.decodedBytes,
          gzip: gzipSync(Buffer.from(body, base64Encoded ? 'base64' : 'utf8'), GZIP_OPTIONS).length,
          requestedMs: fromMark(r.requestedAt),
          finishedMs: fromMark(r.finishedAt!),
          requestedAt: toEpoch(r.requestedAt),
          finishedAt: toEpoch(r.finishedAt!),
        };
      }),
    );
    const sum = (keep: (d: (typeof downloads)[number]) => boolean): Bytes => {
      const files = downloads.filter(keep).sort((a, b) => a.requestedAt - b.requestedAt);
      return {
        sent: files.reduce((s, f) => s + f.sent, 0),
        decoded: files.reduce((s, f) => s + f.decoded, 0),
        gzip: files.reduce((s, f) => s + f.gzip, 0),
        files: files.map(({ requestedAt: _r, finishedAt: _f, ...d }) => d),
      };
    };
    const bytes: Partial<Record<Window, Bytes>> = { connected: sum((d) => d.finishedAt <= out.connectedAt) };
    if (variant.open) {
      const { openAt, readyAt } = out as Required<PageFigures>;
      const idleAt = toEpoch(idleMarkAt!);
      bytes.idle = sum((d) => d.requestedAt < idleAt);
      bytes.open = sum((d) => d.finishedAt <= openAt);
      bytes.opening = sum((d) => d.finishedAt > openAt && d.finishedAt <= readyAt);
      bytes.ready = sum((d) => d.finishedAt <= readyAt);
    }
    const first = [...sockets.values()][0];
    return {
      ...out,
      bytes,
      ...(out.readyAt !== undefined && out.clickAt !== undefined ? { readyMs: out.readyAt - out.clickAt } : {}),
      ...(first?.requestedAt !== undefined ? { wsRequestedMs: fromMark(first.requestedAt) } : {}),
      ...(first?.openAt !== undefined ? { wsOpenMs: fromMark(first.openAt) } : {}),
      webSockets: sockets.size,
    };
  } finally {
    await context.close();
  }
}
