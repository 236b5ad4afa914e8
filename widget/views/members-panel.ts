/** The member list panel: one button per member (private chat, or rename for yourself), Mute and Ban for moderators. */
import { html, nothing } from 'lit/html.js';
import { css } from '../css.js';
import type { UserId, UserInfo } from '../../protocol/index.js';
import { t } from '../i18n.js';
import { signedInMark } from './message-list.js';

export interface MembersProps {
  lang: string;
  roomName: string;
  members: readonly UserInfo[];
  count: number;
  /** The members shown are the last ones seen before the connection dropped. */
  stale: boolean;
  me: UserId | undefined;
  /** Unread private messages by sender. */
  dmUnread: ReadonlyMap<string, number>;
  moderator: boolean;
  openRename(): void;
  openDirect(peer: UserInfo): void;
  /** Mutes (15 minutes) or bans (a day) a member: moderators only. */
  ban(user: UserInfo, kind: 'mute' | 'ban', durationMs: number): void;
}

export function renderMembers(p: MembersProps) {
  const { lang, me, stale } = p;
  const label = t(lang, 'members', { room: p.roomName });
  return html`<section part="members" id="members" class="panel" aria-label=${label} data-stale=${stale ? 'true' : 'false'}>
    <h2>${label} (${p.count}${stale ? `, ${t(lang, 'lastKnown')}` : ''})</h2>
    <ul>
      ${p.members.map((m) => {
        const unread = p.dmUnread.get(m.id) ?? 0;
        return html`<li>
          <button
            part="member"
            class="member"
            type="button"
            data-user-id=${m.id}
            title=${m.id === me ? t(lang, 'rename') : t(lang, 'dmTitle', { name: m.name })}
            @click=${() => (m.id === me ? p.openRename() : p.openDirect(m))}
          >
            <span>${m.name}</span>${signedInMark(m, lang)}
            ${m.id === me ? html`<b class="you">✎</b>` : nothing}
            ${unread ? html`<b class="badge">${unread}</b>` : nothing}
          </button>
          ${p.moderator && m.id !== me
            ? html`<button part="mute" class="mod" type="button" @click=${() => p.ban(m, 'mute', 15 * 60_000)}>${t(lang, 'mute')}</button
                ><button part="ban" class="mod" type="button" @click=${() => p.ban(m, 'ban', 24 * 3600_000)}>${t(lang, 'ban')}</button>`
            : nothing}
        </li>`;
      })}
    </ul>
  </section>`;
}

/** The member list's own styles, adopted when it first loads (the view's sheet has the shared ones: .messages, .badge, .mod). */
export const styles = css`
  .panel {
    position: absolute;
    inset: 0;
    background: var(--_background);
  }
  .panel h2 {
    margin: var(--_spacing) 0;
    font-size: 0.85em;
    color: var(--_muted);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: flex;
    align-items: center;
  }
  .member {
    display: flex;
    align-items: center;
    gap: var(--_spacing);
    width: 100%;
    padding: 8px 10px;
    border-radius: 8px;
  }
  .member span {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    text-align: start;
  }
  .member:hover {
    background: var(--_surface);
    color: var(--_text);
  }
  .panel[data-stale='true'] .member {
    color: var(--_muted);
  }
  .you {
    color: var(--_muted);
  }
`;
