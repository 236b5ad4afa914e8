/**
 * The full emoji picker: a popover with a search box, one tab per group (and
 * the visitor's recent emoji) and a grid of emoji. Focus stays in the search
 * box, which controls the grid as a combobox: arrow keys move through the
 * grid, Enter picks, Escape closes; a click outside closes it too. A lazy
 * part (with its emoji list, served by the chat server): loaded on first use.
 */
import { html, render } from 'lit/html.js';
import { css, sheet } from '../css.js';
import { fill } from '../i18n.js';
import { uiLanguage, type UiLanguage } from '../lang.js';
import type { EmojiGroup } from '../rich/emoji-data.js';
import { findEmoji, groupEmoji, searchEmoji, type Emoji } from '../rich/emoji-search.js';
import { readRecent, rememberRecent } from '../rich/recent-emoji.js';

type Tab = EmojiGroup | 'recent';

const en = {
  label: 'Emoji',
  search: 'Search emoji',
  none: 'No emoji found',
  results: '{count} emoji found',
  recent: 'Recently used',
  smileys: 'Smileys & emotion',
  people: 'People & body',
  animals: 'Animals & nature',
  food: 'Food & drink',
  activities: 'Activities',
  travel: 'Travel & places',
  objects: 'Objects',
  symbols: 'Symbols',
  flags: 'Flags',
};

const strings: Record<UiLanguage, Record<keyof typeof en, string>> = {
  en,
  zh: {
    label: '表情',
    search: '搜索表情（英文）',
    none: '没有找到表情',
    results: '找到 {count} 个表情',
    recent: '最近使用',
    smileys: '笑脸与情感',
    people: '人物与身体',
    animals: '动物与自然',
    food: '食物与饮料',
    activities: '活动',
    travel: '旅行与地点',
    objects: '物品',
    symbols: '符号',
    flags: '旗帜',
  },
};

const TABS: [Tab, string][] = [
  ['recent', '🕘'],
  ['smileys', '😀'],
  ['people', '👋'],
  ['animals', '🐻'],
  ['food', '🍔'],
  ['activities', '⚽'],
  ['travel', '🚗'],
  ['objects', '💡'],
  ['symbols', '🔣'],
  ['flags', '🏁'],
];

/** Emoji per row of the grid: what Up and Down move by. */
export const COLUMNS = 8;

export interface EmojiPickerOptions {
  /** The UI language (`en`, `zh`…); default the page's. */
  lang?: string;
  /** Called once the picker closed: picked, Escape, a click outside, or `close()`. */
  onClose?(): void;
}

export interface EmojiPickerHandle {
  /** The picker's popover element (`part="emoji-picker"`). */
  readonly element: HTMLElement;
  close(): void;
}

const adopted = new WeakSet<Document | ShadowRoot>();
let styleSheet: CSSStyleSheet | undefined;
let open: Picker | undefined;
let instances = 0;

/**
 * Opens the picker by `anchor` (a bottom sheet on a narrow window); `onPick`
 * gets the emoji chosen, after the picker closed. One picker is open at a time:
 * opening another closes the first.
 */
export function openEmojiPicker(anchor: HTMLElement, onPick: (emoji: string) => void, options: EmojiPickerOptions = {}): EmojiPickerHandle {
  open?.close();
  open = new Picker(anchor, onPick, options);
  return open;
}

class Picker implements EmojiPickerHandle {
  readonly element = document.createElement('div');
  readonly #anchor: HTMLElement;
  readonly #onPick: (emoji: string) => void;
  readonly #options: EmojiPickerOptions;
  readonly #lang: UiLanguage;
  readonly #id = `emoji-picker-${++instances}`;
  #recent = readRecent((e) => !!findEmoji(e));
  #tab: Tab = this.#recent.length ? 'recent' : 'smileys';
  #query = '';
  #active = -1;
  #picked: string | null = null;

  constructor(anchor: HTMLElement, onPick: (emoji: string) => void, options: EmojiPickerOptions) {
    this.#anchor = anchor;
    this.#onPick = onPick;
    this.#options = options;
    this.#lang = uiLanguage(options.lang ?? (anchor.closest('[lang]')?.getAttribute('lang') || navigator.language));
    const root = anchor.getRootNode() as Document | ShadowRoot;
    if (!adopted.has(root)) {
      adopted.add(root);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, (styleSheet ??= sheet(styles))];
    }
    const el = this.element;
    el.setAttribute('part', 'emoji-picker');
    el.className = 'emoji-picker';
    el.popover = 'auto';
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-label', this.#say('label'));
    el.addEventListener('toggle', (e) => {
      if ((e as ToggleEvent).newState === 'closed') this.#closed();
    });
    // Inside the chat's themed box, so its --chat-room-* values apply; the popover's top layer keeps it unclipped.
    (anchor.closest('[part~="base"]') ?? (root instanceof ShadowRoot ? root : document.body)).append(el);
    this.#render();
    el.showPopover();
    this.#place();
    el.querySelector('input')?.focus();
  }

  close(): void {
    if (this.element.matches(':popover-open')) this.element.hidePopover();
  }

  #say(key: keyof typeof en, params?: Record<string, number>): string {
    return fill(strings[this.#lang][key], params);
  }

  /** What the grid shows now: search results, or the tab's emoji. */
  #shown(): Emoji[] {
    if (this.#query.trim()) return searchEmoji(this.#query);
    if (this.#tab === 'recent') return this.#recent.map((e) => findEmoji(e)!);
    return groupEmoji(this.#tab);
  }

  #pick(emoji: string): void {
    this.#recent = rememberRecent(emoji, this.#recent);
    this.#picked = emoji;
    this.close();
  }

  #closed(): void {
    const picked = this.#picked;
    const hadFocus = this.element.contains((this.element.getRootNode() as Document | ShadowRoot).activeElement);
    this.element.remove();
    if (open === this) open = undefined;
    if (picked === null && hadFocus) this.#anchor.focus();
    this.#options.onClose?.();
    if (picked !== null) this.#onPick(picked);
  }

  #keydown = (e: KeyboardEvent): void => {
    if (e.isComposing) return;
    const shown = this.#shown();
    const last = shown.length - 1;
    let active = this.#active;
    switch (e.key) {
      case 'ArrowDown':
        active = active < 0 ? 0 : Math.min(last, active + COLUMNS);
        break;
      case 'ArrowUp':
        active = active - COLUMNS;
        if (active < 0) active = -1;
        break;
      case 'ArrowRight':
      case 'ArrowLeft':
        // Before the grid is entered, the arrows move the caret in the search text.
        if (active < 0) return;
        active = Math.max(0, Math.min(last, active + (e.key === 'ArrowRight' ? 1 : -1)));
        break;
      case 'Home':
      case 'End':
        if (active < 0) return;
        active = e.key === 'Home' ? 0 : last;
        break;
      case 'Enter': {
        const chosen = shown[active < 0 ? 0 : active];
        if (chosen) this.#pick(chosen.emoji);
        e.preventDefault();
        return;
      }
      case 'Escape':
        // The popover closes itself on Escape; the chat's own Escape handling must not also act.
        e.stopPropagation();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.#active = last < 0 ? -1 : active;
    this.#render();
    this.element.querySelector(`#${this.#id}-${this.#active}`)?.scrollIntoView({ block: 'nearest' });
  };

  #search = (e: Event): void => {
    this.#query = (e.target as HTMLInputElement).value;
    this.#active = -1;
    this.#render();
  };

  #selectTab(tab: Tab): void {
    this.#tab = tab;
    this.#query = '';
    this.#active = -1;
    const input = this.element.querySelector('input');
    if (input) input.value = '';
    this.#render();
    this.element.querySelector('.emoji-grid')?.scrollTo(0, 0);
  }

  #render(): void {
    const shown = this.#shown();
    const searching = !!this.#query.trim();
    const id = this.#id;
    const gridLabel = searching ? this.#say('results', { count: shown.length }) : this.#say(this.#tab);
    render(
      html`<input
          part="emoji-picker-search"
          class="emoji-search"
          type="search"
          role="combobox"
          aria-expanded="true"
          aria-autocomplete="list"
          aria-controls="${id}-grid"
          aria-activedescendant=${this.#active >= 0 ? `${id}-${this.#active}` : ''}
          aria-label=${this.#say('search')}
          placeholder=${this.#say('search')}
          autocomplete="off"
          enterkeyhint="done"
          @input=${this.#search}
          @keydown=${this.#keydown}
        />
        <div class="emoji-tabs" role="tablist" aria-label=${this.#say('label')}>
          ${TABS.filter(([tab]) => tab !== 'recent' || this.#recent.length).map(
            ([tab, icon]) =>
              html`<button
                part="emoji-picker-tab"
                class="emoji-tab"
                type="button"
                role="tab"
                aria-selected=${!searching && tab === this.#tab ? 'true' : 'false'}
                aria-label=${this.#say(tab)}
                title=${this.#say(tab)}
                @click=${() => this.#selectTab(tab)}
              >
                ${icon}
              </button>`,
          )}
        </div>
        <div part="emoji-picker-grid" class="emoji-grid" id="${id}-grid" role="listbox" aria-label=${gridLabel}>
          ${shown.map(
            (e, i) =>
              html`<span
                part="emoji-picker-option"
                class="emoji-option"
                id="${id}-${i}"
                role="option"
                aria-selected=${i === this.#active ? 'true' : 'false'}
                aria-label=${e.name}
                title=${e.name}
                @mousedown=${(ev: Event) => ev.preventDefault()}
                @click=${() => this.#pick(e.emoji)}
                >${e.emoji}</span
              >`,
          )}
        </div>
        <div class="emoji-status" role="status">${searching ? (shown.length ? gridLabel : this.#say('none')) : ''}</div>`,
      this.element,
    );
  }

  /** By the anchor, above it when there is room, inside the window; a bottom sheet on a narrow window. */
  #place(): void {
    const style = this.element.style;
    if (innerWidth < 480) {
      style.left = '0';
      style.bottom = '0';
      return;
    }
    const a = this.#anchor.getBoundingClientRect();
    const box = this.element.getBoundingClientRect();
    const left = Math.max(8, Math.min(a.right - box.width, innerWidth - box.width - 8));
    const top = a.top - box.height - 4 >= 8 ? a.top - box.height - 4 : Math.min(a.bottom + 4, innerHeight - box.height - 8);
    style.left = `${Math.round(left)}px`;
    style.top = `${Math.round(Math.max(8, top))}px`;
  }
}

/**
 * @cssprop --chat-room-emoji-picker-background - The picker's background (default: `--chat-room-background`).
 * @cssprop --chat-room-emoji-picker-width - The picker's width on a wide window (default: 22rem).
 * @cssprop --chat-room-emoji-size - The size of the emoji in the picker (default: 1.5rem).
 */
export const styles = css`
  .emoji-picker {
    position: fixed;
    inset: auto;
    margin: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
    box-sizing: border-box;
    width: min(var(--chat-room-emoji-picker-width, 22rem), calc(100vw - 16px));
    height: min(25rem, calc(100vh - 16px));
    padding: 8px;
    border: 1px solid var(--_border, #dde1e6);
    border-radius: var(--_radius, 12px);
    background: var(--chat-room-emoji-picker-background, var(--_background, #fff));
    color: var(--_text, #1f2328);
    box-shadow: var(--_shadow, 0 8px 24px #0002);
    font: 15px / 1.4 var(--_font, system-ui, sans-serif);
  }
  @media (max-width: 479px) {
    .emoji-picker {
      width: 100vw;
      height: min(60vh, 25rem);
      border-radius: var(--_radius, 12px) var(--_radius, 12px) 0 0;
    }
  }
  .emoji-search {
    width: 100%;
    box-sizing: border-box;
    padding: 8px 10px;
    border: 1px solid var(--_border, #dde1e6);
    border-radius: 8px;
    background: var(--_input-background, transparent);
    color: inherit;
    font: inherit;
    font-size: max(16px, 1em);
  }
  .emoji-tabs {
    display: flex;
    justify-content: space-between;
  }
  .emoji-tab {
    min-width: 32px;
    height: 36px;
    border: 0;
    border-radius: 8px;
    background: none;
    font-size: 1.15rem;
    cursor: pointer;
  }
  .emoji-tab[aria-selected='true'] {
    background: var(--_surface, #f1f3f5);
    box-shadow: inset 0 -2px var(--_accent, #2563eb);
  }
  .emoji-grid {
    flex: 1;
    display: grid;
    grid-template-columns: repeat(${COLUMNS}, 1fr);
    align-content: start;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .emoji-option {
    display: grid;
    place-items: center;
    aspect-ratio: 1;
    border-radius: 8px;
    font-size: var(--chat-room-emoji-size, 1.5rem);
    line-height: 1;
    cursor: pointer;
    user-select: none;
  }
  .emoji-option:hover,
  .emoji-option[aria-selected='true'] {
    background: var(--_surface, #f1f3f5);
  }
  .emoji-option[aria-selected='true'] {
    box-shadow: inset 0 0 0 2px var(--_accent, #2563eb);
  }
  .emoji-status {
    min-height: 1.2em;
    color: var(--_muted, #5f6b76);
    font-size: 0.8em;
  }
  .emoji-status:empty {
    display: none;
  }
`;
