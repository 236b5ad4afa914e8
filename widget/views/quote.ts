/**
 * A reply's quote of its original, above the reply's text: author and first
 * line as plain text, or "Deleted message". Clicking it brings the original
 * into view (the `reveal` hook loads older history until it is there) and
 * highlights it.
 */
import { html } from 'lit/html.js';
import type { ChatMessage, ReplyQuote } from '../../protocol/index.js';
import type { TimelineContext } from './message-list.js';
import { plainExcerpt } from './message-body.js';
import { highlight } from './rich-state.js';
import { say } from './rich-strings.js';

/** Frames to wait for the original to render after `reveal` resolves. */
const FIND_FRAMES = 30;

/** Scrolls to the original of `quote` in the list holding `from`, and highlights it. */
async function jump(quote: ReplyQuote, from: HTMLElement, ctx: TimelineContext): Promise<void> {
  const list = from.closest('.messages');
  if (!list || (ctx.reveal && !(await ctx.reveal(quote)))) return;
  for (let frame = 0; frame < FIND_FRAMES; frame++) {
    const target = list.querySelector<HTMLElement>(`[data-id="${CSS.escape(quote.id)}"]`);
    if (target) {
      const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
      target.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
      highlight(ctx, quote.id);
      return;
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** The quote (part `quote`, with `deleted` once the original is). */
export function renderQuote(quote: ReplyQuote, reply: ChatMessage, ctx: TimelineContext) {
  const { lang } = ctx;
  const text = quote.deleted
    ? say(lang, 'deletedMessage')
    : plainExcerpt(quote.excerpt, { lang, mentions: reply.mentions, me: ctx.me }) || (quote.image ? say(lang, 'image') : '');
  const name = quote.deleted && !quote.from.name ? '' : quote.from.name;
  return html`<button
    part=${quote.deleted ? 'quote quote-deleted' : 'quote'}
    class="quote ${quote.deleted ? 'gone' : ''}"
    type="button"
    aria-label=${say(lang, 'quoteOf', { name, text })}
    @click=${(e: Event) => void jump(quote, e.currentTarget as HTMLElement, ctx)}
  >
    <span class="quote-author">${name}</span>
    <span class="quote-text">${text}</span>
  </button>`;
}
