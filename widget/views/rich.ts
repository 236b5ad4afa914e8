/**
 * The rich renderers of the timeline, one lazy chunk loaded once the view is
 * connected (views/message-list.ts renders plain text until then): a
 * message with its avatar, author card, reply quote, formatted text, edited
 * marker, reactions and actions, and their styles.
 */
import { html, nothing } from 'lit/html.js';
import { ERASED_AUTHOR } from '../../protocol/index.js';
import { t } from '../i18n.js';
import { renderAuthorCard } from './author-card.js';
import { renderAvatar } from './avatar.js';
import { renderImage } from './image.js';
import { mentionsReader, renderFormatted } from './message-body.js';
import { renderActions } from './message-actions.js';
import { renderBubble, renderTime, signedInMark, type MessageItem, type TimelineContext } from './message-list.js';
import { renderQuote } from './quote.js';
import { renderReactions } from './reactions.js';
import { openOn, toggle, uiOf } from './rich-state.js';
import { say } from './rich-strings.js';

export { default as styles } from './rich.styles.js';

/** A pending send's text, formatted (its mentions are not resolved yet: they show as typed). */
export function format(text: string, ctx: TimelineContext) {
  return renderFormatted(text, { lang: ctx.lang, me: ctx.me });
}

/** Opens or closes the author card of message `id`; focus goes into it. */
function toggleCard(e: Event, ctx: TimelineContext, id: string): void {
  const row = (e.currentTarget as HTMLElement).closest('.message');
  toggle(ctx, id, 'card', () => row?.querySelector<HTMLElement>('.author-card button')?.focus());
}

export function renderMessage(item: MessageItem, ctx: TimelineContext) {
  const { message: m, own, grouped, last } = item;
  const { lang } = ctx;
  const mentioned = mentionsReader(m, ctx.me);
  const lit = uiOf(ctx).highlight === m.id;
  const card = openOn(ctx, m.id) === 'card';
  const erased = m.from.id === ERASED_AUTHOR.id;
  const part = `message${own ? ' message-own' : ''}${mentioned ? ' mentioned' : ''}${lit ? ' highlight' : ''}`;
  // An edit changes the text: its fold is measured again.
  const foldKey = m.editedAt ? `${m.id}@${m.editedAt}` : m.id;
  return html`<div
    part=${part}
    class="message rich ${own ? 'own' : 'with-avatar'} ${grouped ? 'grouped' : ''} ${mentioned ? 'mentioned' : ''} ${lit ? 'highlight' : ''}"
    data-id=${m.id}
    data-seq=${m.seq}
    data-state=${own ? 'sent' : nothing}
  >
    ${grouped
      ? html`<span class="sr-only">${m.from.name}:</span>`
      : html`<div class="meta">
          ${own || erased
            ? nothing
            : html`<button class="avatar-button" type="button" tabindex="-1" aria-hidden="true" @click=${(e: Event) => toggleCard(e, ctx, m.id)}>
                ${renderAvatar(m.from)}
              </button>`}
          ${erased
            ? html`<span part="author" class="author">${m.from.name}</span>`
            : html`<button
                part="author"
                class="author"
                type="button"
                aria-haspopup="dialog"
                aria-expanded=${card ? 'true' : 'false'}
                @click=${(e: Event) => toggleCard(e, ctx, m.id)}
              >${m.from.name}</button>`}${signedInMark(m.from, lang)}${renderTime(m.at, lang)}
        </div>`}
    ${card ? renderAuthorCard(m.from, m.id, ctx) : nothing}
    ${m.replyTo && !m.deleted ? renderQuote(m.replyTo, m, ctx) : nothing}
    ${m.image && !m.deleted ? renderImage(m, m.image, ctx) : nothing}
    ${m.deleted
      ? html`<div part="text deleted" class="text deleted">${t(lang, 'deleted')}</div>`
      : m.image && !m.text
        ? nothing
        : renderBubble(foldKey, renderFormatted(m.text, { lang, mentions: m.mentions, me: ctx.me }), ctx)}
    ${m.editedAt && !m.deleted
      ? html`<span part="edited" class="edited" title=${say(lang, 'editedAt', { time: new Date(m.editedAt).toLocaleString(lang) })}>${say(lang, 'edited')}</span>`
      : nothing}
    ${renderReactions(m, ctx)} ${renderActions(m, own, ctx)}
    ${last ? html`<div part="delivery" class="delivery">${t(lang, 'sent')} ✓</div>` : nothing}
  </div>`;
}
