/**
 * One cold load: a fresh browser context (empty cache, no open connections),
 * the page, and the Network domain of CDP counting what the measured server
 * sent (encoded body bytes: what came over the wire, compressed or not) until
 * the page reports connected, and what the same bodies weigh gzipped (the
 * targets are in gzip bytes, whichever encoding the server chose).
 */
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { LOAD } from '../config.js';
import type { PageFigures } from './pages.js';

export interface LoadSample extends PageFigures {
  /** Encoded (as sent) response body bytes from the measured server, finished before connected. */
  encodedBytes: number;
  /** The same bodies decoded. */
  decodedBytes: number;
  /** The same bodies, each gzipped at level 9. */
  gzipBytes: number;
  /** Their paths, with the Content-Encoding each came with and both sizes. */
  responses: string[];
}

interface Response {
  requestId: string;
  url: string;
  encoding: string;
  headerBytes: number;
  /** Monotonic seconds (CDP's clock). */
  finishedAt?: number;
  totalBytes?: number;
  decodedBytes: number;
}

export async function loadOnce(browser: Browser, pageUrl: string, serverUrl: string): Promise<LoadSample> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const responses = new Map<string, Response>();
    // CDP timestamps are monotonic seconds; requestWillBeSent pairs one with wall time.
    let monotonicToEpochMs: number | undefined;
    cdp.on('Network.requestWillBeSent', (e) => {
      monotonicToEpochMs ??= e.wallTime * 1000 - e.timestamp * 1000;
    });
    cdp.on('Network.responseReceived', (e) => {
      if (!e.response.url.startsWith(serverUrl + '/')) return;
      const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
      responses.set(e.requestId, { requestId: e.requestId, url: e.response.url, encoding, headerBytes: e.response.encodedDataLength, decodedBytes: 0 });
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = responses.get(e.requestId);
      if (r) r.decodedBytes += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = responses.get(e.requestId);
      if (r) Object.assign(r, { finishedAt: e.timestamp, totalBytes: e.encodedDataLength });
    });

    await page.goto(pageUrl);
    const figures = await page
      .waitForFunction(
        () => {
          const out = (window as unknown as { __load?: Partial<PageFigures> }).__load;
          return out?.connectedAt !== undefined || out?.error !== undefined ? out : undefined;
        },
        undefined,
        { timeout: LOAD.loadTimeoutMs, polling: 50 },
      )
      .catch(async (error: unknown) => {
        const state = await page.evaluate(() => JSON.stringify((window as unknown as { __load?: unknown }).__load));
        throw new Error(`load: ${pageUrl} not connected within ${LOAD.loadTimeoutMs / 1000} s (the probe says ${state}): ${String(error)}`);
      });
    const result = (await figures.jsonValue()) as PageFigures;
    if (result.error !== undefined) throw new Error(`load: ${pageUrl} did not connect: ${result.error}`);
    if (monotonicToEpochMs === undefined) throw new Error('load: no Network.requestWillBeSent seen');
    const before = [...responses.values()].filter(
      (r) => r.finishedAt !== undefined && r.finishedAt * 1000 + monotonicToEpochMs! <= result.connectedAt,
    );
    const sizes = await Promise.all(
      before.map(async (r) => {
        const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: r.requestId });
        const gzip = gzipSync(Buffer.from(body, base64Encoded ? 'base64' : 'utf8'), { level: 9 }).length;
        const sent = r.totalBytes! - r.headerBytes;
        return { sent, gzip, line: `${new URL(r.url).pathname} (${r.encoding}, ${sent} B sent, ${gzip} B gzip -9)` };
      }),
    );
    return {
      ...result,
      encodedBytes: sizes.reduce((sum, x) => sum + x.sent, 0),
      decodedBytes: before.reduce((sum, r) => sum + r.decodedBytes, 0),
      gzipBytes: sizes.reduce((sum, x) => sum + x.gzip, 0),
      responses: sizes.map((x) => x.line),
    };
  } finally {
    await context.close();
  }
}
