/**
 * `@` in the composer: a list of the room's members whose name starts with
 * what follows (a small room's from its presence, a big room's from the
 * server's member search), driven from the input as an ARIA combobox
 * (Up/Down move, Enter/Tab choose, Escape closes). Choosing writes `@Name`
 * into the draft and remembers whom it stands for (rich/mention-text.ts).
 * A lazy part: loaded the first time an `@` is typed.
 */
import { MENTIONS_MAX, type UserInfo } from '../../protocol/index.js';
import { MemberDirectory } from '../client/member-directory.js';
import type { RoomConversation } from '../client/room-conversation.js';
import { sheet } from '../css.js';
import { mentionQuery, type MentionMap } from './mention-text.js';
import { MENTION_LIST_ID, optionId, renderMentionList, styles } from '../views/mention-list.js';
import type { ChatHost } from '../controllers/host.js';

/** People shown at once. */
export const MENTION_OPTIONS_MAX = 8;

export interface MentionHooks {
  /** The room whose members can be mentioned; null in a private chat. */
  room(): RoomConversation | null;
  /** You (never offered). */
  me(): string | undefined;
  /** The draft changed: `value`, with the caret at `caret`. */
  replace(value: string, caret: number): void;
}

/** What the input carries for the combobox pattern. */
export interface ComboboxState {
  expanded: boolean;
  activeId: string | undefined;
  controls: string | undefined;
}

const fold = (s: string): string => s.toLocaleLowerCase();

/** Best first: the name starts with the query, then a later word of it does; then by name. */
export function matchMembers(members: readonly UserInfo[], query: string, me?: string): UserInfo[] {
  const q = fold(query);
  const rank = (u: UserInfo): number => {
    const name = fold(u.name);
    return name.startsWith(q) ? 0 : name.split(/\s+/).some((w) => w.startsWith(q)) ? 1 : 2;
  };
  return members
    .filter((u) => u.id !== me && rank(u) < 2)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
    .slice(0, MENTION_OPTIONS_MAX);
}

export class MentionAutocomplete {
  readonly #host: ChatHost;
  readonly #hooks: MentionHooks;
  readonly #map: MentionMap;
  #at: { start: number; query: string } | null = null;
  #active = 0;
  #dir: MemberDirectory | null = null;
  #dirRoom: RoomConversation | null = null;

  constructor(host: ChatHost, hooks: MentionHooks, map: MentionMap) {
    this.#host = host;
    this.#hooks = hooks;
    this.#map = map;
    const root = host.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet(styles)];
  }

  get open(): boolean {
    return this.#at !== null;
  }

  get combobox(): ComboboxState {
    const options = this.open ? this.#options() : [];
    return {
      expanded: this.open,
      activeId: options.length ? optionId(Math.min(this.#active, options.length - 1)) : undefined,
      controls: this.open ? MENTION_LIST_ID : undefined,
    };
  }

  /** The draft or the caret moved: opens, follows or closes the list. */
  input(input: HTMLTextAreaElement): void {
    const room = this.#hooks.room();
    const at = room && input.selectionStart === input.selectionEnd ? mentionQuery(input.value, input.selectionStart) : null;
    // Once MENTIONS_MAX people are mentioned, another would go out as plain text: offer none.
    const next = at && this.#map.count(input.value) < MENTIONS_MAX ? at : null;
    if (next?.query !== this.#at?.query) this.#active = 0;
    this.#at = next;
    if (next && room) this.#search(room, next.query);
    this.#host.requestUpdate();
  }

  /** Keys while the list is open; true when the key was the list's. */
  keydown(e: KeyboardEvent, input: HTMLTextAreaElement): boolean {
    if (!this.open || e.isComposing) return false;
    const options = this.#options();
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!options.length) return false;
        this.#active = (this.#active + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
        break;
      case 'Enter':
      case 'Tab': {
        const user = options[Math.min(this.#active, options.length - 1)];
        if (!user || e.shiftKey) return false;
        this.choose(user, input);
        break;
      }
      case 'Escape':
        this.close();
        break;
      default:
        return false;
    }
    e.preventDefault();
    e.stopPropagation();
    this.#host.requestUpdate();
    return true;
  }

  /** Writes `@Name ` over the `@query` typed. */
  choose(user: UserInfo, input: HTMLTextAreaElement): void {
    const at = this.#at;
    if (!at) return;
    const shown = `${this.#map.add(user)} `;
    const caret = input.selectionStart;
    const value = input.value.slice(0, at.start) + shown + input.value.slice(caret);
    input.value = value;
    const end = at.start + shown.length;
    input.setSelectionRange(end, end);
    this.close();
    this.#hooks.replace(value, end);
    input.focus();
  }

  close(): void {
    this.#at = null;
    this.#dir?.stop();
    this.#host.requestUpdate();
  }

  render(lang: string, input: () => HTMLTextAreaElement | null) {
    if (!this.open) return undefined;
    return renderMentionList({
      lang,
      options: this.#options(),
      active: this.#active,
      loading: !!this.#dir?.loading,
      choose: (user) => {
        const el = input();
        if (el) this.choose(user, el);
      },
    });
  }

  /** A big room (fewer members known than are in it) asks the server, one request per pause in typing. */
  #search(room: RoomConversation, query: string): void {
    if (!this.#big(room)) return;
    if (this.#dirRoom !== room) {
      this.#dir?.stop();
      this.#dir = new MemberDirectory(room.conn, room.room);
      this.#dirRoom = room;
      this.#dir.on('change', () => this.#host.requestUpdate());
    }
    this.#dir!.type(query);
  }

  #big(room: RoomConversation): boolean {
    const p = room.presence;
    return !!p && p.members.length < p.count;
  }

  #options(): UserInfo[] {
    const room = this.#hooks.room();
    if (!room || !this.#at) return [];
    const members = this.#big(room) && this.#dirRoom === room ? (this.#dir?.members ?? []) : (room.presence?.members ?? []);
    return matchMembers(members, this.#at.query, this.#hooks.me());
  }
}
