/**
 * A message's own controls (part `actions`): Reply, React, Edit and Delete,
 * shown on hover and keyboard focus, and behind a visible menu button (part
 * `actions-menu`) on touch screens. Each shows only when its hook is there;
 * Edit only on one's own message within the edit window, Delete on one's own
 * (`deleteOwn`) or, for moderators, anyone's (`remove`). The server has the
 * final say on both.
 */
import { html, nothing } from 'lit/html.js';
import { EDIT_WINDOW_MS, type ChatMessage } from '../../protocol/index.js';
import type { TimelineContext } from './message-list.js';
import { renderQuickReactions } from './reactions.js';
import { openOn, toggle } from './rich-state.js';
import { say } from './rich-strings.js';

/** The message can still be edited by its author, as far as the widget knows (the server decides). */
export function canEdit(m: ChatMessage, own: boolean, ctx: TimelineContext, now = Date.now()): boolean {
  return own && !m.deleted && !!ctx.edit && now - m.at < (ctx.editWindowMs ?? EDIT_WINDOW_MS);
}

function action(part: string, label: string, icon: string, click: (e: Event) => void, expanded?: boolean) {
  return html`<button
    part=${part}
    class="action"
    type="button"
    aria-label=${label}
    title=${label}
    aria-expanded=${expanded === undefined ? nothing : expanded ? 'true' : 'false'}
    @click=${click}
  >
    <span aria-hidden="true">${icon}</span>
  </button>`;
}

export function renderActions(m: ChatMessage, own: boolean, ctx: TimelineContext) {
  if (m.deleted) return nothing;
  const { lang } = ctx;
  const open = openOn(ctx, m.id);
  const remove = own && ctx.deleteOwn ? ctx.deleteOwn : ctx.remove;
  const buttons = [
    ctx.reply ? action('reply', say(lang, 'reply'), '↩', () => ctx.reply!(m)) : null,
    ctx.react
      ? action(
          'react',
          say(lang, 'react'),
          '☺',
          (e) => {
            const row = (e.currentTarget as HTMLElement).closest('.message');
            toggle(ctx, m.id, open === 'react' ? null : 'react', () => row?.querySelector<HTMLElement>('.quick button')?.focus());
          },
          open === 'react',
        )
      : null,
    canEdit(m, own, ctx) ? action('edit', say(lang, 'edit'), '✎', () => ctx.edit!(m)) : null,
    remove ? action('delete', say(lang, 'delete'), '🗑', () => remove(m.id)) : null,
  ].filter((b) => b !== null);
  if (!buttons.length) return nothing;
  return html`<div part="actions" class="actions ${open ? 'open' : ''}" role="toolbar" aria-label=${say(lang, 'actions')}>
      ${buttons}
    </div>
    <button
      part="actions-menu"
      class="menu-button"
      type="button"
      aria-label=${say(lang, 'actions')}
      aria-expanded=${open === 'menu' ? 'true' : 'false'}
      @click=${() => toggle(ctx, m.id, 'menu')}
    >
      ⋯
    </button>
    ${open === 'react' ? renderQuickReactions(m, ctx) : nothing}`;
}
