/**
 * What the rich controls have open, per view: one popup at a time (an author
 * card, the quick reactions, the touch menu) and the message highlighted
 * after a jump to it. Kept here, by host, so the view holds no state for them.
 */
import type { TimelineContext } from './message-list.js';

export type PopupKind = 'card' | 'react' | 'menu';

interface RichUi {
  open: { id: string; kind: PopupKind } | null;
  highlight: string | null;
  timer?: ReturnType<typeof setTimeout>;
  /** Stops listening for a press outside the open popup. */
  unlisten?: () => void;
}

/** A press on these keeps the popup open (they toggle it themselves, or are in it). */
const INSIDE = '.author-card, .quick, .actions, .menu-button, .author, .avatar-button';

/** Closes the open popup on a press anywhere outside it (in the page or the widget). */
function closeOutside(ctx: Pick<TimelineContext, 'host'>, ui: RichUi): void {
  const press = (e: Event) => {
    if (e.composedPath().some((n) => n instanceof Element && n.matches(INSIDE))) return;
    ui.open = null;
    ui.unlisten?.();
    ctx.host.requestUpdate();
  };
  document.addEventListener('pointerdown', press, true);
  ui.unlisten = () => {
    document.removeEventListener('pointerdown', press, true);
    ui.unlisten = undefined;
  };
}

const states = new WeakMap<object, RichUi>();

/** How long a message stays highlighted after a jump to it (the CSS animation's length). */
export const HIGHLIGHT_MS = 2000;

export function uiOf(ctx: Pick<TimelineContext, 'host'>): RichUi {
  let ui = states.get(ctx.host);
  if (!ui) states.set(ctx.host, (ui = { open: null, highlight: null }));
  return ui;
}

/** The popup of `kind` open on message `id`, or null. */
export function openOn(ctx: Pick<TimelineContext, 'host'>, id: string): PopupKind | null {
  const { open } = uiOf(ctx);
  return open?.id === id ? open.kind : null;
}

/** Opens the popup (closing any other), or closes it when it is the one open; `focus` runs after the render. */
export function toggle(ctx: Pick<TimelineContext, 'host'>, id: string, kind: PopupKind | null, focus?: () => void): void {
  const ui = uiOf(ctx);
  ui.open = kind && (ui.open?.id !== id || ui.open.kind !== kind) ? { id, kind } : null;
  ui.unlisten?.();
  if (ui.open) closeOutside(ctx, ui);
  ctx.host.requestUpdate();
  if (focus) void ctx.host.updateComplete.then(focus);
}

/** Highlights message `id` for a moment. */
export function highlight(ctx: Pick<TimelineContext, 'host'>, id: string): void {
  const ui = uiOf(ctx);
  clearTimeout(ui.timer);
  ui.highlight = id;
  ctx.host.requestUpdate();
  ui.timer = setTimeout(() => {
    ui.highlight = null;
    ctx.host.requestUpdate();
  }, HIGHLIGHT_MS);
}
