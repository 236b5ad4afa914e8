/**
 * Renders timeline items with the rich renderers into a shadow root styled
 * like the chat view, without a server: for the formatting, avatar, quote,
 * reaction and action tests.
 */
import { html, render } from 'lit/html.js';
import type { ChatMessage, UserInfo } from '../../protocol/index.js';
import { sheet } from '../../widget/css.js';
import viewStyles from '../../widget/ui/chat-view.styles.js';
import { renderTimeline, type TimelineContext, type TimelineItem } from '../../widget/views/message-list.js';
import * as rich from '../../widget/views/rich.js';

export const alice: UserInfo = { id: 'g_alice', name: 'Alice Liddell', kind: 'guest' };
export const bob: UserInfo = { id: 'u_bob', name: 'Bob', kind: 'user' };

let seq = 0;

/** A stored message from `from` (Alice by default), sent just now. */
export function message(text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  seq++;
  return { id: `m${seq}`, room: 'r', seq, clientId: `c${seq}`, from: alice, text, at: Date.now(), ...extra };
}

export interface Rendered {
  root: ShadowRoot;
  ctx: TimelineContext;
  /** The message element of `id`. */
  el(id: string): HTMLElement;
  /** Renders again (what `host.requestUpdate()` does). */
  update(): void;
  remove(): void;
}

/** Renders `messages` (as others' unless `own` says so), the reader being `me`, with the hooks given. */
export async function renderMessages(
  messages: ChatMessage[],
  hooks: Partial<TimelineContext> = {},
  me: string = bob.id,
): Promise<Rendered> {
  const hostEl = document.createElement('div');
  hostEl.style.cssText = 'display:block;width:480px;height:600px';
  document.body.append(hostEl);
  const root = hostEl.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [sheet(viewStyles), sheet(rich.styles)];
  let pending = Promise.resolve();
  const host = {
    requestUpdate: () => {
      pending = Promise.resolve().then(() => void update());
    },
    get updateComplete() {
      return pending.then(() => true);
    },
  };
  const ctx: TimelineContext = {
    lang: 'en',
    online: true,
    remove: null,
    retry: () => undefined,
    discard: () => undefined,
    overflows: new Map(),
    unfolded: new Set(),
    toggleFold: () => undefined,
    noticeText: undefined,
    me,
    rich,
    host,
    ...hooks,
  };
  const items = (): TimelineItem[] =>
    messages.map((m) => ({ kind: 'message', key: m.id, message: m, own: m.from.id === me, grouped: false }));
  // The view's frame around the list, so its styles apply as in the element.
  const update = () =>
    render(html`<div class="base"><div class="body"><div class="messages">${renderTimeline(items(), ctx)}</div></div></div>`, root);
  update();
  return {
    root,
    ctx,
    el: (id) => root.querySelector<HTMLElement>(`[data-id="${id}"]`)!,
    update,
    remove: () => hostEl.remove(),
  };
}
