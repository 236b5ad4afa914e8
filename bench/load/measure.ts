/**
 * One cold load: a fresh browser context (empty cache, no open connections),
 * the page, and the Network domain of CDP counting what the measured server
 * sent (encoded body bytes: what came over the wire, compressed or not) until
 * the page reports connected.
 */
import type { Browser } from 'playwright-core';
import { LOAD } from '../config.js';
import type { PageFigures } from './pages.js';

export interface LoadSample extends PageFigures {
  /** Encoded (as sent) response body bytes from the measured server, finished before connected. */
  encodedBytes: number;
  /** The same bodies decoded. */
  decodedBytes: number;
  /** Their paths, with the Content-Encoding each came with. */
  responses: string[];
}

interface Response {
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
      responses.set(e.requestId, { url: e.response.url, encoding, headerBytes: e.response.encodedDataLength, decodedBytes: 0 });
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
    const figures = await page.waitForFunction(
      () => {
        const out = (window as unknown as { __load?: Partial<PageFigures> }).__load;
        return out?.connectedAt !== undefined ? out : undefined;
      },
      undefined,
      { timeout: LOAD.loadTimeoutMs, polling: 50 },
    );
    const result = (await figures.jsonValue()) as PageFigures;
    if (monotonicToEpochMs === undefined) throw new Error('load: no Network.requestWillBeSent seen');
    const before = [...responses.values()].filter(
      (r) => r.finishedAt !== undefined && r.finishedAt * 1000 + monotonicToEpochMs! <= result.connectedAt,
    );
    return {
      ...result,
      encodedBytes: before.reduce((sum, r) => sum + (r.totalBytes! - r.headerBytes), 0),
      decodedBytes: before.reduce((sum, r) => sum + r.decodedBytes, 0),
      responses: before.map((r) => `${new URL(r.url).pathname} (${r.encoding})`),
    };
  } finally {
    await context.close();
  }
}
