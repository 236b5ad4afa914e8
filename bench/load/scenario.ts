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
import { loadOnce, type Bytes, type LoadSample, type Window } from './measure.js';
import { BARE, INLINE, LAUNCHER_PAGE, servePages, type PageVariant } from './pages.js';

const bundle = fileURLToPath(new URL('../../dist/chat-room.js', import.meta.url));

export interface Spread {
  p50: number;
  p90: number;
}

/** One file of a window in any measured load, its sizes as in the first load that had it, its times medians over those that had it. */
export interface FileResult {
  path: string;
  encoding: string;
  sent: number;
  gzip: number;
  requestedMs: number;
  finishedMs: number;
}

export interface BytesResult {
  sent: Spread;
  decoded: Spread;
  /** The same bodies gzipped at level 9: the unit of the targets. */
  gzip: Spread;
  files: FileResult[];
}

/** Times in ms from the mark before the script tag (`readyMs`: from the click); see `PageFigures`. */
const TIMES = ['scriptMs', 'renderedMs', 'launcherMs', 'loadMs', 'idleMs', 'wsRequestedMs', 'wsOpenMs', 'connectedMs', 'readyMs'] as const;
type Time = (typeof TIMES)[number];

export type PageResult = {
  page: string;
  server: ServerKind;
  loads: number;
  /** Bytes from the page's server in each window of the load (`Window` in measure.ts). */
  bytes: Partial<Record<Window, BytesResult>>;
  /** The most WebSockets to the server one load opened. */
  webSockets: number;
  connectedMs: Spread;
} & Partial<Record<Time, Spread>>;

export interface LoadResult {
  pages: PageResult[];
}

/** The pages measured: the baseline, the inline widget, and a launcher (closed, then opened). */
const VARIANTS: readonly PageVariant[] = [BARE, INLINE, LAUNCHER_PAGE];

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9) };
}

function bytesResult(samples: Bytes[]): BytesResult {
  const median = (path: string, key: 'requestedMs' | 'finishedMs'): number =>
    spread(samples.flatMap((b) => b.files.filter((f) => f.path === path).map((f) => f[key]))).p50;
  // Every file any load had: one that came in some loads only is listed (and seen by the targets) too.
  const first = new Map<string, Bytes['files'][number]>();
  for (const f of samples.flatMap((b) => b.files)) if (!first.has(f.path)) first.set(f.path, f);
  return {
    sent: spread(samples.map((b) => b.sent)),
    decoded: spread(samples.map((b) => b.decoded)),
    gzip: spread(samples.map((b) => b.gzip)),
    files: [...first.values()].map((f) => ({
      path: f.path,
      encoding: f.encoding,
      sent: f.sent,
      gzip: f.gzip,
      requestedMs: median(f.path, 'requestedMs'),
      finishedMs: median(f.path, 'finishedMs'),
    })),
  };
}

function pageResult(variant: PageVariant, s: LoadSample[]): PageResult {
  const result: PageResult = {
    page: variant.name,
    server: variant.server,
    loads: s.length,
    bytes: {},
    webSockets: Math.max(...s.map((x) => x.webSockets)),
    connectedMs: spread(s.map((x) => x.connectedMs)),
  };
  for (const window of Object.keys(s[0]!.bytes) as Window[]) result.bytes[window] = bytesResult(s.map((x) => x.bytes[window]!));
  for (const key of TIMES) {
    const values = s.map((x) => x[key]);
    if (values.every((v): v is number => v !== undefined)) result[key] = spread(values);
  }
  return result;
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
          const sample = await loadOnce(browser, variant, pages.url(variant), urlOf(variant.server));
          if (variant.rendered && sample.renderedMs === undefined) throw new Error(`load: ${variant.name} connected, but ${variant.rendered} was never seen`);
          if (round >= LOAD.warmup) samples.get(variant)!.push(sample);
        }
      }
      return { pages: VARIANTS.map((variant) => pageResult(variant, samples.get(variant)!)) };
    } finally {
      await pages.close();
    }
  } finally {
    await browser.close();
    for (const server of servers.values()) await server.stop();
  }
}
