/** The typing line and the composer: textarea, Send, and the line that says why it cannot send. */
import { html, nothing } from 'lit/html.js';
import { MESSAGE_MAX_LENGTH, type UserInfo } from '../../protocol/index.js';
import { codePointLength } from '../client/errors.js';
import { t } from '../i18n.js';

/** Why the composer cannot send now; with `queue`, what is written is kept and sent once it can. */
export type Reason = { text: string; error?: boolean; fatal?: boolean; connect?: boolean; queue?: boolean; retry?: boolean };

/** The typing line (its words come from views/activity.ts): always there, so it takes its room before anyone types. */
export function renderTyping(text: string) {
  return html`<div part="typing" class="typing" aria-hidden=${text ? 'false' : 'true'}>${text}</div>`;
}

export interface ComposerProps {
  lang: string;
  /** Why it cannot send, or null. */
  reason: Reason | null;
  draft: string;
  /** The last send's error, cleared by typing. */
  error: string;
  /** The peer of the private chat on screen, or null in the room. */
  dmPeer: UserInfo | null;
  /** Above the input: the reply / edit bar and the `@` list (controllers/composer.ts). */
  above: unknown;
  /** By the input, once connected: the attach button and an image's upload row (ui/message-hooks.ts). */
  attach?: unknown;
  input(e: InputEvent): void;
  keydown(e: KeyboardEvent): void;
  emoji(e: Event): void;
  send(): void;
  connect(): void;
  retry(): void;
}

export function renderComposer(p: ComposerProps) {
  const { lang, reason, draft } = p;
  const length = codePointLength(draft.trim());
  const tooLong = length > MESSAGE_MAX_LENGTH;
  const status: Reason | null =
    reason ??
    (tooLong
      ? { text: t(lang, 'tooLong', { length, max: MESSAGE_MAX_LENGTH }), error: true }
      : p.error
        ? { text: p.error, error: true }
        : null);
  const placeholder = p.dmPeer ? t(lang, 'dmTitle', { name: p.dmPeer.name }) : t(lang, 'placeholder');
  return html`<div part="composer" data-can-send=${reason ? 'false' : 'true'}>
    ${p.above}
    <div class="composer">
      <textarea
        part="input"
        class="input"
        rows="1"
        aria-label=${placeholder}
        aria-describedby="composer-status"
        aria-invalid=${tooLong ? 'true' : 'false'}
        placeholder=${placeholder}
        enterkeyhint="send"
        ?disabled=${!!reason?.fatal}
        @input=${p.input}
        @keydown=${p.keydown}
      ></textarea>
      ${p.attach}
      <button part="emoji-button" class="emoji" type="button" aria-label=${t(lang, 'emoji')} aria-haspopup="dialog" @click=${p.emoji}>🙂</button>
      <button part="send" class="send" type="button" ?disabled=${(!!reason && !reason.queue) || tooLong || !draft.trim()} @click=${p.send}>
        ${t(lang, 'send')}
      </button>
    </div>
    <div part="composer-status" id="composer-status" class="status-line ${status?.error ? 'error' : ''}" role="status" ?hidden=${!status}>
      ${status?.text}
      ${status?.connect || status?.retry
        ? html`<button type="button" @click=${() => (status.retry ? p.retry() : p.connect())}>${t(lang, status.retry ? 'retry' : 'connect')}</button>`
        : nothing}
    </div>
  </div>`;
}
