/** The header bar (title or private-chat title, online count, connection state, your name) and the rename form under it. */
import { html, nothing } from 'lit/html.js';
import type { UserInfo } from '../../protocol/index.js';
import type { ConnectionState } from '../client/link.js';
import { t } from '../i18n.js';

export interface HeaderProps {
  lang: string;
  roomName: string;
  /** The peer of the private chat on screen, or null in the room. */
  dmPeer: UserInfo | null;
  state: ConnectionState;
  /** Why the room refused the join (a refused join is not "online"), or null. */
  refused: string | null;
  /** Still connecting, but the server has not answered for a while. */
  unreachable: boolean;
  wasConnected: boolean;
  rtt: number | null;
  onlineCount: number;
  /** The count is the last one seen before the connection dropped. */
  stale: boolean;
  membersOpen: boolean;
  /** Unread private messages, all peers together. */
  dmUnread: number;
  user: UserInfo | null;
  back(): void;
  toggleMembers(): void;
  openRename(): void;
}

function stateText(p: HeaderProps): string {
  if (p.refused) return p.refused;
  const { lang, state } = p;
  if (state === 'connected') return t(lang, 'online');
  if (state !== 'connecting' || p.unreachable) return t(lang, 'disconnected');
  return t(lang, p.wasConnected ? 'reconnecting' : 'connecting');
}

export function renderHeader(p: HeaderProps) {
  const { lang, roomName, dmPeer, rtt, stale, user } = p;
  const text = stateText(p);
  return html`<header part="header" class="header">
    ${dmPeer
      ? html`<button
            part="back"
            class="back"
            type="button"
            aria-label=${t(lang, 'back', { room: roomName })}
            title=${t(lang, 'back', { room: roomName })}
            @click=${p.back}
          >
            ←
          </button>
          <h2 part="title" class="title">${t(lang, 'dmTitle', { name: dmPeer.name })}</h2>`
      : html`<h2 part="title" class="title" title=${roomName}>${roomName}</h2>`}
    <button
      part="online"
      class="chip online"
      type="button"
      aria-expanded=${p.membersOpen ? 'true' : 'false'}
      aria-controls="members"
      data-stale=${stale ? 'true' : 'false'}
      title=${stale ? t(lang, 'lastKnown') : nothing}
      @click=${p.toggleMembers}
    >
      ${t(lang, 'onlineCount', { count: p.onlineCount })}${stale ? html`<span class="sr-only">, ${t(lang, 'lastKnown')}</span>` : nothing}
      ${p.dmUnread ? html`<span class="badge">${p.dmUnread}</span>` : nothing}
    </button>
    <div
      part="status"
      class="chip status"
      data-state=${p.refused ? 'error' : p.unreachable ? 'unreachable' : p.state}
      title=${rtt === null ? text : t(lang, 'rtt', { ms: rtt })}
    >
      <span class="dot" aria-hidden="true"></span><span class="label" role="status">${text}</span>
      ${rtt === null ? nothing : html`<span part="rtt" class="rtt" aria-hidden="true">${rtt} ms</span>`}
    </div>
    ${user
      ? html`<button
          part="user"
          class="chip user"
          type="button"
          title=${t(lang, 'rename')}
          aria-label=${`${user.name}: ${t(lang, 'rename')}`}
          @click=${p.openRename}
        >
          ${user.name}
        </button>`
      : nothing}
  </header>`;
}
