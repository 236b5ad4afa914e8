/**
 * The load scenario (`--only load`, `npm run bench:load`): both servers up,
 * one Chromium, every page loaded `LOAD.loads` times cold, the pages taking
 * turns so background load falls on all alike. Needs the built widget
 * (`npm run build`): the project server serves dist/chat-room.js.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LOAD } from '../config.js';
import { startBenchServer, type BenchServer } from '../server-process.js';
import { launchBrowser } from '../support/browser.js';
import type { ServerKind } from '../target.js';
import { loadOnce, type LoadSample } from './measure.js';
import { BARE, INLINE, servePages, type PageVariant } from './pages.js';

const bundle = fileURLToPath(new URL('../../dist/chat-room.js', import.meta.url));

export interface Spread {
  p50: number;
  p90: number;
}

export interface PageResult {
  page: string;
  server: ServerKind;
  loads: number;
  /** Encoded (as downloaded) and decoded body bytes from the page's server before connected. */
  encodedBytes: Spread;
  decodedBytes: Spread;
  /** The same bodies gzipped at level 9: the unit of the targets. */
  gzipBytes: Spread;
  /** What those downloads were (the first measured load's). */
  responses: string[];
  scriptMs: Spread;
  renderedMs?: Spread;
  connectedMs: Spread;
}

export interface LoadResult {
  pages: PageResult[];
}

/**
 * The pages measured: the baseline and the inline widget. Launcher pages go
 * here when launcher mode exists; `PageVariant` then grows what they need: an
 * end point other than connected before the first open (idle, or the badge's
 * connection) and, after open, the click that opens it.
 */
const VARIANTS: readonly PageVariant[] = [BARE, INLINE];

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9) };
}

export async function loadScenario(log: (line: string) => void): Promise<LoadResult> {
  if (!existsSync(bundle)) throw new Error('load: dist/chat-room.js is missing: run `npm run build` first (`npm run bench:load` does)');
  const kinds = [...new Set(VARIANTS.map((v) => v.server))];
  const servers = new Map<ServerKind, BenchServer>();
  const browser = await launchBrowser();
  try {
    for (const kind of kinds) servers.set(kind, await startBenchServer(kind));
    const urlOf = (kind: ServerKind): string => servers.get(kind)!.url;
    const pages = await servePages(VARIANTS, urlOf);
    try {
      const samples = new Map<PageVariant, LoadSample[]>(VARIANTS.map((v) => [v, []]));
      const rounds = LOAD.warmup + LOAD.loads;
      log(`load: ${VARIANTS.map((v) => v.name).join(', ')}; ${LOAD.warmup} warm-up + ${LOAD.loads} measured cold loads each, taking turns…`);
      for (let round = 0; round < rounds; round++) {
        // Alternate which page goes first, as the server scenarios alternate servers.
        const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) {
          const sample = await loadOnce(browser, pages.url(variant), urlOf(variant.server));
          if (variant.rendered && sample.renderedMs === undefined) throw new Error(`load: ${variant.name} connected, but ${variant.rendered} was never seen`);
          if (round >= LOAD.warmup) samples.get(variant)!.push(sample);
        }
      }
      return {
        pages: VARIANTS.map((variant) => {
          const s = samples.get(variant)!;
          return {
            page: variant.name,
            server: variant.server,
            loads: s.length,
            encodedBytes: spread(s.map((x) => x.encodedBytes)),
            decodedBytes: spread(s.map((x) => x.decodedBytes)),
            gzipBytes: spread(s.map((x) => x.gzipBytes)),
            responses: s[0]!.responses,
            scriptMs: spread(s.map((x) => x.scriptMs)),
            ...(variant.rendered ? { renderedMs: spread(s.map((x) => x.renderedMs!)) } : {}),
            connectedMs: spread(s.map((x) => x.connectedMs)),
          };
        }),
      };
    } finally {
      await pages.close();
    }
  } finally {
    await browser.close();
    for (const server of servers.values()) await server.stop();
  }
}
