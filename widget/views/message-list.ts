/** The timeline of a conversation as data, and its Lit templates. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { type ChatMessage, type UserId, type UserInfo } from '../../protocol/index.js';
import type { PendingSend } from '../client/outbox.js';
import type { Conversation } from '../client/conversation.js';
import type { Notice, TimelineNotice } from '../client/room-conversation.js';
import { dayKey, dayLabel, formatTime } from '../format.js';
import { errorText, t } from '../i18n.js';
import type { MessageHooks } from './timeline-hooks.js';

export type TimelineItem =
  | { kind: 'day'; key: string; at: number }
  | { kind: 'message'; key: string; message: ChatMessage; own: boolean; grouped: boolean; last?: boolean }
  | { kind: 'notice'; key: string; notice: Notice }
  | { kind: 'pending'; key: string; item: PendingSend }
  | { kind: 'unread'; key: string };

/** Consecutive messages of one author closer than this share one author line. */
const GROUP_MS = 5 * 60_000;

/**
 * Merges stored messages (by seq), live notices (by time: a notice can arrive
 * before the page of history it follows) and pending sends (last) into one list with day separators, and a
 * "new messages" divider before the first message of others after `readSeq`
 * (none when `readSeq` is null). The last own stored message is marked, to
 * show it as sent.
 */
export function buildTimeline(
  messages: readonly ChatMessage[],
  notices: readonly TimelineNotice[],
  pending: readonly PendingSend[],
  me: UserId | undefined,
  readSeq: number | null = null,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  let day = '';
  let prev: ChatMessage | null = null;
  const push = (at: number, item: TimelineItem, unreadFirst = false) => {
    const key = dayKey(at);
    if (key !== day) {
      day = key;
      prev = null;
      items.push({ kind: 'day', key: `day:${key}`, at });
    }
    if (unreadFirst) items.push({ kind: 'unread', key: 'unread' });
    items.push(item);
  };
  let n = 0;
  const flushNotices = (before: number) => {
    for (; n < notices.length && notices[n]!.notice.at < before; n++) {
      const { id, notice } = notices[n]!;
      push(notice.at, { kind: 'notice', key: `n:${id}`, notice });
      prev = null;
    }
  };
  let divider = readSeq !== null;
  let lastOwn: TimelineItem | undefined;
  for (const m of messages) {
    flushNotices(m.at);
    const own = m.from.id === me;
    const unreadFirst = divider && !own && m.seq > readSeq!;
    if (unreadFirst) divider = false;
    const p: ChatMessage | null = unreadFirst ? null : prev;
    const grouped = !!p && p.from.id === m.from.id && m.at - p.at < GROUP_MS && dayKey(m.at) === day;
    const item: TimelineItem = { kind: 'message', key: m.id, message: m, own, grouped };
    if (own) lastOwn = item;
    push(m.at, item, unreadFirst);
    prev = m;
  }
  if (lastOwn?.kind === 'message') lastOwn.last = true;
  flushNotices(Infinity);
  for (const item of pending) push(item.createdAt, { kind: 'pending', key: `p:${item.clientId}`, item });
  return items;
}

export type MessageItem = Extract<TimelineItem, { kind: 'message' }>;

/**
 * The rich renderers (views/rich.ts: formatting, avatars, quotes, reactions,
 * actions), loaded once connected: until they are in, texts render plain.
 */
export interface RichRenderer {
  renderMessage(item: MessageItem, ctx: TimelineContext): TemplateResult;
  /** A text's formatted content (a pending send's: no mentions resolved). */
  format(text: string, ctx: TimelineContext): unknown;
}

export interface TimelineContext extends MessageHooks {
  lang: string;
  /** The reader: their mentions are highlighted, their own messages have Edit and Delete. */
  me?: UserId | undefined;
  rich?: RichRenderer | undefined;
  /** The view: the rich renderers keep what is open (a card, a menu) per host and render it again. */
  host: { requestUpdate(): void; readonly updateComplete: Promise<unknown> };
  /** The site's edit window (default `EDIT_WINDOW_MS`). */
  editWindowMs?: number;
  /** False while the connection is down: pending messages wait rather than send. */
  online: boolean;
  /** Moderators only: deletes a stored message. */
  remove: ((messageId: string) => void) | null;
  retry(clientId: string): void;
  discard(clientId: string): void;
  /**
   * Long texts, by message id (pending: clientId): true when the text overflows its few folded lines,
   * false when it fits; not there yet, it renders folded with `data-fold` for the element to measure.
   */
  overflows: ReadonlyMap<string, boolean>;
  /** Texts the reader unfolded. */
  unfolded: ReadonlySet<string>;
  toggleFold(key: string, button: HTMLElement): void;
  /** A notice's words: undefined until views/activity.ts is in (the line renders again then). */
  noticeText: ((notice: Notice, lang: string) => string) | undefined;
}

/** A text bubble, folded to a few lines when it is longer, with a "Show more" / "Show less" button. */
export function renderBubble(key: string, content: unknown, ctx: TimelineContext) {
  const open = ctx.unfolded.has(key);
  const over = ctx.overflows.get(key);
  const fold = over === undefined ? key : nothing;
  return html`<div part="text" class="text ${open || over === false ? '' : 'folded'}" data-fold=${fold}>${content}</div>
    ${open || over
      ? html`<button
          part="more"
          class="more"
          type="button"
          aria-expanded=${open ? 'true' : 'false'}
          @click=${(e: Event) => ctx.toggleFold(key, e.currentTarget as HTMLElement)}
        >
          ${t(ctx.lang, open ? 'showLess' : 'showMore')}
        </button>`
      : nothing}`;
}

export function renderTime(at: number, lang: string) {
  return html`<time part="time" datetime=${new Date(at).toISOString()}>${formatTime(at, lang)}</time>`;
}

/** Set apart from guests, who may pick any free name: a user the site signed in. A badge no name can imitate. */
export function signedInMark(user: UserInfo, lang: string) {
  if (user.kind !== 'user') return nothing;
  const label = t(lang, 'signedIn');
  return html`<b part="signed-in" class="signed-in" role="img" aria-label=${label} title=${label}>✓</b>`;
}

function renderItem(item: TimelineItem, ctx: TimelineContext) {
  const { lang } = ctx;
  switch (item.kind) {
    case 'day': {
      const label = dayLabel(item.at, lang);
      return html`<div part="day" class="day" role="separator">
        ${label === 'today' || label === 'yesterday' ? t(lang, label) : label}
      </div>`;
    }
    case 'notice':
      return html`<div part="notice" class="notice">${ctx.noticeText?.(item.notice, lang)}</div>`;
    case 'unread':
      return html`<div part="unread-divider" class="unread-divider" role="separator">${t(lang, 'unreadDivider')}</div>`;
    case 'message': {
      if (ctx.rich) return ctx.rich.renderMessage(item, ctx);
      const { message: m, own, grouped, last } = item;
      return html`<div
        part=${own ? 'message message-own' : 'message'}
        class="message ${own ? 'own' : ''} ${grouped ? 'grouped' : ''}"
        data-id=${m.id}
        data-seq=${m.seq}
        data-state=${own ? 'sent' : nothing}
      >
        ${grouped
          ? html`<span class="sr-only">${m.from.name}:</span>`
          : html`<div class="meta">
              <span part="author" class="author">${m.from.name}</span>${signedInMark(m.from, lang)}${renderTime(m.at, lang)}
            </div>`}
        ${m.deleted
          ? html`<div part="text deleted" class="text deleted">${t(lang, 'deleted')}</div>`
          : renderBubble(m.id, m.text, ctx)}
        ${last ? html`<div part="delivery" class="delivery">${t(lang, 'sent')} ✓</div>` : nothing}
      </div>`;
    }
    case 'pending': {
      const p = item.item;
      const failed = p.state === 'failed';
      const reason = (failed && p.error && errorText(lang, p.error.code)) || '';
      return html`<div
        part="message message-own message-${p.state}"
        class="message own ${failed ? 'failed' : 'pending'}"
        data-client-id=${p.clientId}
        data-state=${p.state}
      >
        ${renderBubble(p.clientId, ctx.rich?.format(p.text, ctx) ?? p.text, ctx)}
        <div part="delivery" class="delivery" role=${failed ? 'alert' : nothing}>
          ${failed
            ? html`<span title=${reason}>${t(lang, 'failed')}</span>
                <button part="retry" type="button" @click=${() => ctx.retry(p.clientId)}>${t(lang, 'retry')}</button>
                <button part="discard" type="button" @click=${() => ctx.discard(p.clientId)}>
                  ${t(lang, 'discard')}
                </button>`
            : t(lang, p.error?.code === 'rate_limited' ? 'rate_limited' : ctx.online ? 'sending' : 'queued')}
        </div>
      </div>`;
    }
  }
}

/**
 * The timeline as templates. Not keyed (lit's `repeat` costs about 1 KB gzip):
 * Lit updates items in place by position; scroll restoration works on heights.
 */
export function renderTimeline(items: readonly TimelineItem[], ctx: TimelineContext) {
  return items.map((item) => renderItem(item, ctx));
}

export interface MessageListProps {
  lang: string;
  /** The conversation on screen, or null before there is one. */
  conv: Conversation | null;
  items: readonly TimelineItem[];
  label: string;
  /** New messages are announced (off while history lands). */
  live: boolean;
  /** A panel covers the list. */
  inert: boolean;
  scroll(): void;
  timeline: TimelineContext;
}

/** The scrolling list (`role="log"`): "load earlier messages" (or "no messages yet") above the timeline. */
export function renderMessageList({ lang, conv, items, label, live, inert, scroll, timeline }: MessageListProps) {
  const busy = !!conv && (conv.status === 'loading' || conv.loadingOlder);
  const top = !conv
    ? nothing
    : conv.log.hasMore
      ? html`<button part="load-older" class="hint" type="button" ?disabled=${conv.loadingOlder} @click=${() => void conv.loadOlder()}>
          ${t(lang, 'loadOlder')}
        </button>`
      : conv.loaded && !items.length
        ? html`<div class="hint">${t(lang, 'empty')}</div>`
        : nothing;
  return html`<div
    part="messages"
    class="messages"
    role="log"
    tabindex="0"
    aria-label=${label}
    aria-live=${live ? 'polite' : 'off'}
    aria-busy=${busy ? 'true' : 'false'}
    ?inert=${inert}
    @scroll=${scroll}
  >
    ${top} ${renderTimeline(items, timeline)}
  </div>`;
}
