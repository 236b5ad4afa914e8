/** The "new messages" button, shown while the list is scrolled up and something arrived (never before connecting). */
import { html } from 'lit/html.js';
import { UNREAD_CAP } from '../../protocol/index.js';
import type { Conversation } from '../client/conversation.js';
import { say } from './rich-strings.js';

/** "12"; "99+" (or "40+") when the count is a lower bound, the server having stopped counting. */
function unreadLabel({ unread, unreadCapped }: Conversation): string {
  return unreadCapped ? `${Math.min(unread, UNREAD_CAP)}+` : String(unread);
}

export function renderJump(lang: string, conv: Conversation | null, jump: () => void) {
  return html`<button part="jump" class="jump" type="button" @click=${jump}>
    ${conv?.unread ? say(lang, 'newCount', { count: unreadLabel(conv) }) : say(lang, 'newMessages')} ↓
  </button>`;
}
