/** The load scenario's table and its targets (issue 11). */
import { TARGETS } from '../config.js';
import type { TargetOutcome } from '../report.js';
import { num, table } from '../table.js';
import type { LoadResult, PageResult, Spread } from './scenario.js';

const ms = (s: Spread | undefined): string => (s ? `${num(s.p50, 1)} / ${num(s.p90, 1)}` : '—');
const kb = (bytes: number): string => `${num(bytes / 1024, 1)} KB`;

export function loadSection(r: LoadResult): string {
  const bare = r.pages.find((p) => p.server === 'bare');
  const rows = r.pages.map((p) => [
    p.page,
    `${kb(p.encodedBytes.p50)} (${kb(p.gzipBytes.p50)} gzip -9, ${kb(p.decodedBytes.p50)} decoded)`,
    ms(p.scriptMs),
    ms(p.renderedMs),
    ms(p.connectedMs),
    bare && p !== bare ? `${(p.connectedMs.p50 / bare.connectedMs.p50).toFixed(2)}×` : '',
  ]);
  return [
    `Page load: ${r.pages[0]?.loads ?? 0} cold loads per page (fresh browser context, cache disabled), pages taking turns; ` +
      'times from a mark just before the script tag, median / p90',
    table(['page', 'sent before connected (median)', 'script run ms', 'rendered ms', 'connected ms', 'connected vs bare'], rows),
    ...r.pages.map((p) => `  ${p.page}: ${p.responses.join(', ') || 'nothing'}`),
  ].join('\n');
}

export function loadTargets(r: LoadResult): TargetOutcome[] {
  const inline = r.pages.find((p) => p.page === 'inline');
  const bare = r.pages.find((p) => p.server === 'bare');
  if (!inline || !bare) return [];
  const out: TargetOutcome[] = [
    { target: `loader ≤ ${kb(TARGETS.loaderGzipBytes)} gzip`, measured: 'no loader yet: the whole widget is one script', pass: null },
    inlineBytes(inline),
  ];
  const rendered = inline.renderedMs!.p50;
  out.push({
    target: `inline rendered ≤ ${TARGETS.renderedWithinMs} ms after the script tag (median)`,
    measured: `${num(rendered, 1)} ms`,
    pass: rendered <= TARGETS.renderedWithinMs,
  });
  const ratio = inline.connectedMs.p50 / bare.connectedMs.p50;
  out.push({
    target: `inline connected ≤ ${TARGETS.connectedRatio}× the bare socket.io-client page (median)`,
    measured: `${ratio.toFixed(2)}× (${num(inline.connectedMs.p50, 1)} vs ${num(bare.connectedMs.p50, 1)} ms)`,
    pass: ratio <= TARGETS.connectedRatio,
  });
  return out;
}

/** In gzip -9 bytes of what was downloaded (the target's unit), with what was actually sent beside it. */
function inlineBytes(inline: PageResult): TargetOutcome {
  const gzip = inline.gzipBytes.p50;
  return {
    target: `inline ≤ ${kb(TARGETS.inlineGzipBytesBeforeConnected)} gzip downloaded before connected`,
    measured: `${kb(gzip)} gzip -9 of what came (${kb(inline.encodedBytes.p50)} as sent)`,
    pass: gzip <= TARGETS.inlineGzipBytesBeforeConnected,
  };
}
