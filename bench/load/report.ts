/** The load scenario's tables and its targets (issue 11). */
import { TARGETS } from '../config.js';
import type { TargetOutcome } from '../target.js';
import { num, table } from '../table.js';
import type { Window } from './measure.js';
import type { BytesResult, LoadResult, PageResult, Spread } from './scenario.js';

const ms = (s: Spread | undefined): string => (s ? `${num(s.p50, 1)} / ${num(s.p90, 1)}` : '—');
const kb = (bytes: number): string => `${num(bytes / 1024, 1)} KB`;

/** What each window means, in the tables. */
const WINDOW_LABEL: Record<Window, string> = {
  connected: 'before connected',
  idle: 'requested before idle',
  open: 'before the first open',
  opening: 'from open to ready',
  ready: 'before ready (total)',
};

const file = (f: BytesResult['files'][number]): string =>
  `${f.path} (${f.encoding}, ${f.sent} B sent, ${f.gzip} B gzip -9, ${num(f.requestedMs, 1)}→${num(f.finishedMs, 1)} ms)`;

export function loadSection(r: LoadResult): string {
  const bare = r.pages.find((p) => p.server === 'bare');
  const times = r.pages.map((p) => [
    p.page,
    ms(p.scriptMs),
    ms(p.renderedMs),
    ms(p.launcherMs),
    ms(p.idleMs),
    ms(p.wsOpenMs),
    ms(p.connectedMs),
    bare && p !== bare ? `${(p.connectedMs.p50 / bare.connectedMs.p50).toFixed(2)}×` : '',
    ms(p.readyMs),
  ]);
  const windows = r.pages.flatMap((p) =>
    (Object.entries(p.bytes) as [Window, BytesResult][]).map(([w, b]) => [
      p.page,
      WINDOW_LABEL[w],
      kb(b.sent.p50),
      kb(b.gzip.p50),
      kb(b.decoded.p50),
      String(b.files.length),
    ]),
  );
  return [
    `Page load: ${r.pages[0]?.loads ?? 0} cold loads per page (fresh browser context, cache disabled), pages taking turns; ` +
      'times from a mark just before the script tag (ready: from the click), median / p90',
    table(['page', 'script run ms', 'rendered ms', 'launcher ms', 'idle ms', 'socket open ms', 'connected ms', 'connected vs bare', 'ready after click ms'], times),
    '',
    'Bytes from the page\'s server (medians; launcher: badge connected = "before connected")',
    table(['page', 'window', 'sent', 'gzip -9', 'decoded', 'files'], windows),
    ...r.pages.flatMap((p) =>
      (Object.entries(p.bytes) as [Window, BytesResult][]).map(
        ([w, b]) => `  ${p.page}, ${WINDOW_LABEL[w]}: ${b.files.map(file).join(', ') || 'nothing'}`,
      ),
    ),
    ...r.pages.filter((p) => p.webSockets > 1).map((p) => `  ${p.page}: ${p.webSockets} WebSockets opened in one load`),
  ].join('\n');
}

export function loadTargets(r: LoadResult): TargetOutcome[] {
  const inline = r.pages.find((p) => p.page === 'inline');
  const launcher = r.pages.find((p) => p.page === 'launcher');
  const bare = r.pages.find((p) => p.server === 'bare');
  if (!inline || !bare) return [];
  const out: TargetOutcome[] = [loaderBytes(inline), windowBytes(inline, 'connected', 'inline ≤ {kb} gzip downloaded before connected', TARGETS.inlineGzipBytesBeforeConnected)];
  if (launcher) {
    out.push(beforeIdle(launcher), windowBytes(launcher, 'open', 'launcher page ≤ {kb} gzip before the first open', TARGETS.launcherGzipBytesBeforeOpen));
  }
  for (const page of [inline, launcher]) {
    if (!page?.renderedMs) continue;
    const rendered = page.renderedMs.p50;
    out.push({
      target: `${page.page} rendered ≤ ${TARGETS.renderedWithinMs} ms after the script tag (median)`,
      measured: `${num(rendered, 1)} ms`,
      pass: rendered <= TARGETS.renderedWithinMs,
    });
  }
  const ratio = inline.connectedMs.p50 / bare.connectedMs.p50;
  out.push({
    target: `inline connected ≤ ${TARGETS.connectedRatio}× the bare socket.io-client page (median)`,
    measured: `${ratio.toFixed(2)}× (${num(inline.connectedMs.p50, 1)} vs ${num(bare.connectedMs.p50, 1)} ms)`,
    pass: ratio <= TARGETS.connectedRatio,
  });
  if (launcher?.readyMs) {
    out.push({
      target: 'launcher: badge connected (waits for idle by design), chat ready after the click (no target)',
      measured: `badge ${num(launcher.connectedMs.p50, 1)} ms after the script tag (idle at ${num(launcher.idleMs?.p50, 1)}); ready ${num(launcher.readyMs.p50, 1)} ms after the click`,
      pass: null,
    });
  }
  return out;
}

/** The loader's own response on the inline page. */
function loaderBytes(inline: PageResult): TargetOutcome {
  const loader = inline.bytes.connected?.files.find((f) => f.path.endsWith('/chat-room.js'));
  return {
    target: `loader ≤ ${kb(TARGETS.loaderGzipBytes)} gzip`,
    measured: loader ? `${kb(loader.gzip)} gzip -9 (${kb(loader.sent)} sent, ${loader.encoding})` : 'not downloaded',
    pass: loader ? loader.gzip <= TARGETS.loaderGzipBytes : false,
  };
}

/** In gzip -9 bytes of what was downloaded (the target's unit), with what was actually sent beside it. */
function windowBytes(page: PageResult, window: Window, target: string, budget: number): TargetOutcome {
  const b = page.bytes[window];
  const gzip = b?.gzip.p50 ?? NaN;
  return {
    target: target.replace('{kb}', kb(budget)),
    measured: `${kb(gzip)} gzip -9 of what came (${kb(b?.sent.p50 ?? NaN)} as sent; ${kb(budget - gzip)} left)`,
    pass: gzip <= budget,
  };
}

/** "Nothing beyond the loader before the browser is idle": what was requested before the idle point, and how much more than the loader. */
function beforeIdle(launcher: PageResult): TargetOutcome {
  const b = launcher.bytes.idle;
  const files = b?.files ?? [];
  const beyond = files.filter((f) => !f.path.endsWith('/chat-room.js'));
  const extra = beyond.reduce((s, f) => s + f.gzip, 0);
  return {
    target: 'launcher page: nothing beyond the loader before the browser is idle',
    measured: beyond.length
      ? `${kb(b!.gzip.p50)} gzip requested: the loader and ${beyond.map((f) => f.path.replace(/^.*\//, '')).join(', ')} (${kb(extra)} gzip beyond the loader)`
      : `the loader only (${kb(b?.gzip.p50 ?? 0)} gzip)`,
    pass: beyond.length === 0,
  };
}
