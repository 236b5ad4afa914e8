/**
 * The small card an author's name or avatar opens (part `author-card`): the
 * avatar, name, what they are (signed in or guest; "Moderator" when it is
 * the reader and they are one), "Private message" and "Block" for others.
 */
import { html, nothing } from 'lit/html.js';
import type { UserInfo } from '../../protocol/index.js';
import { renderAvatar } from './avatar.js';
import type { TimelineContext } from './message-list.js';
import { toggle } from './rich-state.js';
import { say } from './rich-strings.js';

/** Closes the card and gives focus back to the author button that opened it. */
function close(e: Event, ctx: TimelineContext, messageId: string): void {
  const back = (e.currentTarget as HTMLElement).closest('.message')?.querySelector<HTMLElement>('[part~="author"]');
  toggle(ctx, messageId, null, () => back?.focus());
}

export function renderAuthorCard(user: UserInfo, messageId: string, ctx: TimelineContext) {
  const { lang } = ctx;
  const self = user.id === ctx.me;
  const what = [self ? say(lang, 'you') : '', say(lang, user.kind === 'user' ? 'signedIn' : 'guest'), self && ctx.remove ? say(lang, 'moderator') : '']
    .filter(Boolean)
    .join(' · ');
  return html`<div
    part="author-card"
    class="author-card"
    role="dialog"
    aria-label=${user.name}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      close(e, ctx, messageId);
    }}
  >
    ${renderAvatar(user, true)}
    <div class="card-who">
      <strong class="card-name">${user.name}</strong>
      <span class="card-kind">${what}</span>
    </div>
    <div class="card-actions">
      ${!self && ctx.openDirect
        ? html`<button part="card-dm" type="button" class="card-button" @click=${() => ctx.openDirect!(user)}>
            ${say(lang, 'privateMessage')}
          </button>`
        : nothing}
      ${!self && ctx.block
        ? html`<button part="card-block" type="button" class="card-button danger" @click=${(e: Event) => {
            ctx.block!(user);
            close(e, ctx, messageId);
          }}>
            ${say(lang, 'block')}
          </button>`
        : nothing}
      <button part="card-close" type="button" class="card-close" aria-label=${say(lang, 'close')} @click=${(e: Event) => close(e, ctx, messageId)}>
        ×
      </button>
    </div>
  </div>`;
}
