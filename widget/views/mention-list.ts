/** The list of people an `@` being typed can mention: a listbox the input controls (ARIA combobox pattern). */
import { html, nothing } from 'lit/html.js';
import type { UserInfo } from '../../protocol/index.js';
import { css } from '../css.js';
import { fill } from '../i18n.js';
import { uiLanguage, type UiLanguage } from '../lang.js';

const en = {
  label: 'People to mention',
  none: 'Nobody by that name is here.',
  loading: 'Searching…',
};

const strings: Record<UiLanguage, Record<keyof typeof en, string>> = {
  en,
  zh: {
    label: '可提及的成员',
    none: '这里没有这个昵称的人。',
    loading: '搜索中…',
  },
};

export function say(lang: string, key: keyof typeof en, params?: Record<string, string | number>): string {
  return fill(strings[uiLanguage(lang)][key], params);
}

/** The listbox's id, for the input's `aria-controls`. */
export const MENTION_LIST_ID = 'mention-list';

/** The id of option `index`, for the input's `aria-activedescendant`. */
export const optionId = (index: number): string => `mention-option-${index}`;

export interface MentionListProps {
  lang: string;
  options: readonly UserInfo[];
  active: number;
  loading: boolean;
  choose(user: UserInfo): void;
}

export function renderMentionList(p: MentionListProps) {
  const { lang } = p;
  return html`<div part="mention-list" class="mention-list">
    <ul id=${MENTION_LIST_ID} role="listbox" aria-label=${say(lang, 'label')}>
      ${p.options.map(
        (u, i) =>
          html`<li
            part="mention-option${i === p.active ? ' mention-option-active' : ''}"
            id=${optionId(i)}
            role="option"
            aria-selected=${i === p.active ? 'true' : 'false'}
            @mousedown=${(e: Event) => e.preventDefault()}
            @click=${() => p.choose(u)}
          >
            <span class="mention-name">${u.name}</span>${u.kind === 'user' ? html` <span aria-hidden="true">✓</span>` : nothing}
          </li>`,
      )}
    </ul>
    ${p.options.length ? nothing : html`<div class="mention-empty" role="status">${say(lang, p.loading ? 'loading' : 'none')}</div>`}
  </div>`;
}

/**
 * @cssprop --chat-room-mention-list-background - The mention list's background (default: the chat's `--chat-room-background`).
 * @cssprop --chat-room-mention-list-active-background - The highlighted person's background (default: `--chat-room-surface`).
 */
export const styles = css`
  [part~='composer'] {
    position: relative;
  }
  .mention-list {
    position: absolute;
    inset-inline: var(--_spacing);
    bottom: 100%;
    z-index: 3;
    max-height: min(50vh, 320px);
    overflow-y: auto;
    background: var(--chat-room-mention-list-background, var(--_background));
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: 8px;
    box-shadow: var(--_shadow);
  }
  .mention-list ul {
    list-style: none;
    margin: 0;
    padding: 4px 0;
  }
  .mention-list li {
    padding: 10px 12px;
    cursor: pointer;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .mention-list li[aria-selected='true'] {
    background: var(--chat-room-mention-list-active-background, var(--_surface));
    box-shadow: inset 3px 0 var(--_accent);
  }
  .mention-empty {
    padding: 10px 12px;
    color: var(--_muted);
  }
`;
