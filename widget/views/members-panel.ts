/**
 * The member list panel: one button per member with their avatar (private
 * chat, or rename for yourself), Mute and Ban for moderators. The avatar's
 * styles come with the rich part (views/rich.styles.ts), loaded once connected. A small room's members come with
 * every presence update; a big room's (`members.length < count`) are asked
 * for page by page (`presence:list`) when the panel opens, with a search by
 * name and "Show more people" (or scrolling to the end) for the next page.
 */
import { html, nothing } from 'lit/html.js';
import type { UserId, UserInfo } from '../../protocol/index.js';
import { MemberDirectory } from '../client/member-directory.js';
import type { RoomConversation } from '../client/room-conversation.js';
import { css } from '../css.js';
import { errorText, fill, t } from '../i18n.js';
import { uiLanguage, type UiLanguage } from '../lang.js';
import { renderAvatar } from './avatar.js';
import { signedInMark } from './message-list.js';

const en = {
  members: 'People in {room}',
  mute: 'Mute 15 min',
  ban: 'Ban 1 day',
  search: 'Find people by name',
  more: 'Show more people',
  loading: 'Loading…',
  none: 'Nobody by that name is here.',
};

const strings: Record<UiLanguage, Record<keyof typeof en, string>> = {
  en,
  zh: {
    members: '{room} 的成员',
    mute: '禁言 15 分钟',
    ban: '封禁 1 天',
    search: '按昵称查找',
    more: '显示更多成员',
    loading: '加载中…',
    none: '这里没有这个昵称的人。',
  },
};

function say(lang: string, key: keyof typeof en, params?: Record<string, string>): string {
  return fill(strings[uiLanguage(lang)][key], params);
}

/** How close to the end of the list (px) scrolling asks for the next page. */
const MORE_MARGIN = 80;

export interface MembersProps {
  lang: string;
  roomName: string;
  /** The room's conversation: its presence, and `presence:list` for a big room. */
  room: RoomConversation | null;
  /** Grows with every opening of the panel: a big room's list is fetched afresh then (not on every presence update). */
  opened: number;
  /** The members shown are the last ones seen before the connection dropped. */
  stale: boolean;
  me: UserId | undefined;
  /** Unread private messages by sender. */
  dmUnread: ReadonlyMap<string, number>;
  moderator: boolean;
  /** Renders the view again (a page came in). */
  update(): void;
  openRename(): void;
  openDirect(peer: UserInfo): void;
  /** Mutes (15 minutes) or bans (a day) a member: moderators only. */
  ban(user: UserInfo, kind: 'mute' | 'ban', durationMs: number): void;
}

/** A big room's directory, one per conversation, and the opening of the panel it last listed. */
interface Directory {
  dir: MemberDirectory;
  opened: number;
}

const directories = new WeakMap<RoomConversation, Directory>();

/** The room's directory; it renders the view again whenever it changes. */
function directory(room: RoomConversation, update: () => void): Directory {
  let d = directories.get(room);
  if (!d) {
    const dir = new MemberDirectory(room.conn, room.room);
    dir.on('change', () => update());
    directories.set(room, (d = { dir, opened: 0 }));
  }
  return d;
}

function renderMember(p: MembersProps, m: UserInfo) {
  const { lang, me } = p;
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
      ${renderAvatar(m)}<span class="name">${m.name}</span>${signedInMark(m, lang)} ${m.id === me ? html`<b class="you">✎</b>` : nothing}
      ${unread ? html`<b class="badge">${unread}</b>` : nothing}
    </button>
    ${p.moderator && m.id !== me
      ? html`<button part="mute" class="mod" type="button" @click=${() => p.ban(m, 'mute', 15 * 60_000)}>${say(lang, 'mute')}</button
          ><button part="ban" class="mod" type="button" @click=${() => p.ban(m, 'ban', 24 * 3600_000)}>${say(lang, 'ban')}</button>`
      : nothing}
  </li>`;
}

/** A big room's part of the panel: the search box, the pages found so far, and what follows them. */
function renderDirectory(p: MembersProps, dir: MemberDirectory) {
  const { lang } = p;
  const status = dir.loading ? say(lang, 'loading') : dir.error ? (errorText(lang, dir.error.code) ?? dir.error.message) : dir.loaded && !dir.members.length ? say(lang, 'none') : '';
  return html`<input
      part="member-search"
      class="search"
      type="search"
      .value=${dir.query}
      maxlength="32"
      autocomplete="off"
      placeholder=${say(lang, 'search')}
      aria-label=${say(lang, 'search')}
      aria-controls="member-list"
      @input=${(e: InputEvent) => dir.type((e.target as HTMLInputElement).value)}
      @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void dir.search((e.target as HTMLInputElement).value)}
    />
    <ul part="member-list" id="member-list" aria-busy=${dir.loading ? 'true' : 'false'}>
      ${dir.members.map((m) => renderMember(p, m))}
    </ul>
    <div part="members-status" class="members-status" role="status" ?hidden=${!status}>${status}</div>
    ${dir.hasMore
      ? html`<button part="load-more" class="load-more" type="button" ?disabled=${dir.loading} @click=${() => void dir.more()}>
          ${say(lang, 'more')}
        </button>`
      : nothing}`;
}

export function renderMembers(p: MembersProps) {
  const { lang, stale, room } = p;
  const presence = room?.presence;
  const count = presence?.count ?? 0;
  const members = presence?.members ?? [];
  const d = room ? directory(room, p.update) : null;
  const big = !!d && members.length < count;
  if (big) {
    // Every opening lists the room afresh, from the top; so does a room that grew big while the panel was open.
    if (d.opened !== p.opened || (!d.dir.loaded && !d.dir.loading && !d.dir.error)) void d.dir.search('');
    d.opened = p.opened;
  }
  const label = say(lang, 'members', { room: p.roomName });
  return html`<section
    part="members"
    id="members"
    class="panel"
    aria-label=${label}
    data-stale=${stale ? 'true' : 'false'}
    data-big=${big ? 'true' : 'false'}
    @scroll=${(e: Event) => {
      const s = e.currentTarget as HTMLElement;
      if (big && s.scrollHeight - s.scrollTop - s.clientHeight < MORE_MARGIN) void d.dir.more();
    }}
  >
    <h2>${label} (${count}${stale ? `, ${t(lang, 'lastKnown')}` : ''})</h2>
    ${big ? renderDirectory(p, d.dir) : html`<ul part="member-list">${members.map((m) => renderMember(p, m))}</ul>`}
  </section>`;
}

/** The member list's own styles, adopted when it first loads (the view's sheet has the shared ones: .messages; widget/ui/connected.styles.ts .badge). */
export const styles = css`
  .mod {
    padding: 2px 8px;
    color: var(--_danger);
    font-size: 0.78em;
  }
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
  .member .name {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    text-align: start;
  }
  .member .avatar {
    --_avatar-size: 24px;
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
  .search {
    margin-bottom: var(--_spacing);
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_input-background);
    color: var(--_text);
    /* At least 16px: smaller inputs make iOS zoom the page. */
    font-size: max(16px, var(--_font-size));
  }
  .members-status {
    margin: var(--_spacing) 0;
    color: var(--_muted);
    font-size: 0.85em;
    text-align: center;
  }
  .load-more {
    align-self: center;
    margin: var(--_spacing) 0;
    padding: 4px 10px;
    color: var(--_accent);
  }
`;
