/**
 * The bar above the input while replying to or editing a message: what is
 * answered (author and first line) or "Editing message", and a cancel
 * button (Escape in the input cancels too). A lazy part: loaded the first
 * time a visitor replies or edits.
 */
import { html } from 'lit/html.js';
import { MENTION_PATTERN, type ChatMessage } from '../../protocol/index.js';
import { css } from '../css.js';
import { fill } from '../i18n.js';
import { uiLanguage, type UiLanguage } from '../lang.js';

const en = {
  replying: 'Replying to {name}',
  editing: 'Editing message',
  cancelReply: 'Cancel reply',
  cancelEdit: 'Cancel editing',
  image: 'Image',
};

const strings: Record<UiLanguage, Record<keyof typeof en, string>> = {
  en,
  zh: {
    replying: '回复 {name}',
    editing: '正在编辑消息',
    cancelReply: '取消回复',
    cancelEdit: '取消编辑',
    image: '图片',
  },
};

function say(lang: string, key: keyof typeof en, params?: Record<string, string>): string {
  return fill(strings[uiLanguage(lang)][key], params);
}

/** Code points of the original shown in the bar. */
export const EXCERPT_MAX = 80;

/** The composer is answering (`reply`) or rewriting (`edit`) `message`. */
export interface ComposeMode {
  kind: 'reply' | 'edit';
  message: ChatMessage;
}

/** The first line of a message, mentions as `@Name`, cut at `EXCERPT_MAX` code points. */
export function excerpt(message: ChatMessage): string {
  const names = new Map((message.mentions ?? []).map((u) => [u.id, u.name]));
  const line = (message.text.split('\n').find((l) => l.trim()) ?? '').replace(MENTION_PATTERN, (token, id: string) =>
    names.has(id) ? `@${names.get(id)}` : token,
  );
  const points = [...line.trim()];
  return points.length > EXCERPT_MAX ? `${points.slice(0, EXCERPT_MAX - 1).join('')}…` : points.join('');
}

export interface ReplyBarProps {
  lang: string;
  mode: ComposeMode;
  cancel(): void;
}

export function renderReplyBar({ lang, mode, cancel }: ReplyBarProps) {
  const reply = mode.kind === 'reply';
  const label = reply ? say(lang, 'replying', { name: mode.message.from.name }) : say(lang, 'editing');
  // An image without a caption is "Image".
  const line = excerpt(mode.message) || (mode.message.image ? say(lang, 'image') : '');
  return html`<div part="reply-bar" class="reply-bar" data-mode=${mode.kind} role="group" aria-label=${label}>
    <div class="reply-bar-text">
      <strong>${label}</strong>${reply ? html`<span part="reply-bar-excerpt" class="reply-bar-excerpt">${line}</span>` : ''}
    </div>
    <button part="reply-bar-cancel" class="reply-bar-cancel" type="button" aria-label=${say(lang, reply ? 'cancelReply' : 'cancelEdit')} @click=${cancel}>
      ✕
    </button>
  </div>`;
}

/**
 * @cssprop --chat-room-reply-bar-background - The reply / edit bar's background (default: `--chat-room-surface`).
 * @cssprop --chat-room-reply-bar-accent - The bar's leading stripe (default: `--chat-room-accent`).
 */
export const styles = css`
  .reply-bar {
    display: flex;
    align-items: center;
    gap: var(--_spacing);
    margin: var(--_spacing) calc(var(--_spacing) * 1.5) 0;
    padding: 6px 6px 6px 10px;
    border-inline-start: 3px solid var(--chat-room-reply-bar-accent, var(--_accent));
    border-radius: 4px;
    background: var(--chat-room-reply-bar-background, var(--_surface));
    font-size: 0.85em;
  }
  .reply-bar-text {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .reply-bar-excerpt {
    margin-inline-start: 0.5em;
    color: var(--_muted);
  }
  .reply-bar-cancel {
    flex: none;
    width: 32px;
    height: 32px;
  }
`;
