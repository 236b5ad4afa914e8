/**
 * The reactions under a message: a chip per emoji with its count, pressed
 * when the reader reacted with it (a click toggles it), naming who reacted
 * on hover and to screen readers; and the quick row of `QUICK_REACTIONS`
 * with a "more" button for the full picker.
 */
import { html, nothing } from 'lit/html.js';
import { QUICK_REACTIONS, type ChatMessage, type Reaction } from '../../protocol/index.js';
import type { TimelineContext } from './message-list.js';
import { toggle } from './rich-state.js';
import { say } from './rich-strings.js';

/** "Alice, Bob" or "Alice, Bob and 3 more": who reacted, as far as the message names them. */
export function reactedBy(r: Reaction, lang: string): string {
  const names = r.users.map((u) => u.name).join(', ');
  const more = r.count - r.users.length;
  return more > 0 ? say(lang, 'andMore', { names, count: more }) : names;
}

/** The chips (part `reactions`, each `reaction`, `reaction-mine` when pressed); nothing without reactions. */
export function renderReactions(m: ChatMessage, ctx: TimelineContext) {
  const { lang, react } = ctx;
  const list = m.reactions ?? [];
  if (!list.length || m.deleted) return nothing;
  const mine = new Set(m.myReactions);
  return html`<div part="reactions" class="reactions" role="group" aria-label=${say(lang, 'reactions')}>
    ${list.map((r) => {
      const pressed = mine.has(r.emoji);
      const who = reactedBy(r, lang);
      return html`<button
        part=${pressed ? 'reaction reaction-mine' : 'reaction'}
        class="reaction ${pressed ? 'mine' : ''}"
        type="button"
        aria-pressed=${pressed ? 'true' : 'false'}
        aria-label=${say(lang, 'reactedBy', { emoji: r.emoji, count: r.count, names: who })}
        title=${who}
        ?disabled=${!react}
        @click=${() => react?.(m.id, r.emoji, !pressed)}
      >
        <span aria-hidden="true">${r.emoji}</span><span class="count" aria-hidden="true">${r.count}</span>
      </button>`;
    })}
  </div>`;
}

/** The React button of the message holding `el`: focus goes back to it when the row closes. */
const opener = (el: EventTarget | null) => (el as HTMLElement | null)?.closest('.message')?.querySelector<HTMLElement>('[part~="react"]') ?? null;

/** Moves focus along the quick row with the arrow keys; Escape closes it. */
function rowKeys(e: KeyboardEvent, close: (from: EventTarget | null) => void): void {
  const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
  const at = buttons.indexOf(e.target as HTMLButtonElement);
  const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
  if (e.key === 'Escape') {
    e.stopPropagation();
    close(e.currentTarget);
  } else if (step && at >= 0) {
    e.preventDefault();
    buttons[(at + step + buttons.length) % buttons.length]!.focus();
  }
}

/** The quick reactions row (part `quick-reactions`), open under the message's actions. */
export function renderQuickReactions(m: ChatMessage, ctx: TimelineContext) {
  const { lang, react, pickEmoji } = ctx;
  const mine = new Set(m.myReactions);
  const close = (from: EventTarget | null) => {
    const back = opener(from);
    toggle(ctx, m.id, null, () => back?.focus());
  };
  return html`<div part="quick-reactions" class="quick" role="group" aria-label=${say(lang, 'react')} @keydown=${(e: KeyboardEvent) => rowKeys(e, close)}>
    ${QUICK_REACTIONS.map(
      (emoji) => html`<button
        type="button"
        class="emoji"
        aria-pressed=${mine.has(emoji) ? 'true' : 'false'}
        aria-label=${emoji}
        @click=${(e: Event) => {
          react?.(m.id, emoji, !mine.has(emoji));
          close(e.currentTarget);
        }}
      >
        ${emoji}
      </button>`,
    )}
    ${pickEmoji
      ? html`<button
          part="more-emoji"
          type="button"
          class="emoji more-emoji"
          aria-label=${say(lang, 'moreEmoji')}
          title=${say(lang, 'moreEmoji')}
          @click=${(e: Event) => {
            const anchor = opener(e.currentTarget) ?? (e.currentTarget as HTMLElement);
            toggle(ctx, m.id, null);
            pickEmoji(m.id, anchor);
          }}
        >
          …
        </button>`
      : nothing}
  </div>`;
}
