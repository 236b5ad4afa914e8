/**
 * What the composer does beyond plain messages, loaded the first time a
 * visitor replies, edits or types `@`: the reply / edit bar and its mode, the
 * `@` list, and turning the draft's `@Name`s into `<@userId>` tokens. The
 * composer controller (always loaded) forwards to it.
 */
import type { ReactiveController } from 'lit';
import { html, nothing } from 'lit/html.js';
import type { ChatMessage } from '../../protocol/index.js';
import type { Conversation } from '../client/conversation.js';
import { RoomConversation } from '../client/room-conversation.js';
import type { ComposerHooks } from '../controllers/composer-hooks.js';
import type { ChatHost } from '../controllers/host.js';
import { renderReplyBar, styles as barStyles, type ComposeMode } from '../views/reply-bar.js';
import { sheet } from '../css.js';
import { MentionAutocomplete } from './mention-autocomplete.js';
import { MentionMap } from './mention-text.js';
import { openEmojiPicker } from './open-emoji-picker.js';

/** What the composer controller lends: its input and its draft. */
export interface ComposerDraft {
  input(): HTMLTextAreaElement | null;
  /** Puts `draft` in the input and the draft. */
  fill(draft: string): void;
  /** The input's value changed: the draft follows. */
  changed(draft: string): void;
}

export class RichComposer implements ReactiveController {
  readonly #host: ChatHost;
  readonly #hooks: ComposerHooks;
  readonly #draft: ComposerDraft;
  readonly #map = new MentionMap();
  readonly #ac: MentionAutocomplete;
  #mode: ComposeMode | null = null;
  /** The draft put aside while editing, back once the edit is saved or cancelled. */
  #aside = '';

  constructor(host: ChatHost, hooks: ComposerHooks, draft: ComposerDraft) {
    this.#host = host;
    this.#hooks = hooks;
    this.#draft = draft;
    // `@` offers the members of the room on screen (none in a private chat), never yourself.
    const room = (): RoomConversation | null => {
      const conv = hooks.target();
      return conv instanceof RoomConversation ? conv : null;
    };
    this.#ac = new MentionAutocomplete(host, { room, me: () => hooks.target()?.conn.user?.id, replace: (value) => draft.changed(value) }, this.#map);
    const root = host.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet(barStyles)];
    host.addController(this);
  }

  /** The input is the `@` list's combobox (ARIA): its attributes follow the list after every render. */
  hostUpdated(): void {
    const input = this.#draft.input();
    if (!input) return;
    if (!input.hasAttribute('aria-autocomplete')) input.addEventListener('blur', () => this.#ac.close());
    const { expanded, activeId, controls } = this.#ac.combobox;
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', String(expanded));
    for (const [name, value] of [
      ['aria-controls', controls],
      ['aria-activedescendant', activeId],
    ] as const) {
      if (value) input.setAttribute(name, value);
      else input.removeAttribute(name);
    }
  }

  get mode(): ComposeMode | null {
    return this.#mode;
  }

  /** Opens the emoji picker by `button`; what is picked goes in at the caret. */
  openEmoji(button: HTMLElement): void {
    void openEmojiPicker(button, (emoji) => {
      const input = this.#draft.input();
      if (!input) return;
      input.focus();
      input.setRangeText(emoji, input.selectionStart, input.selectionEnd, 'end');
      this.#draft.changed(input.value);
    });
  }

  startReply(message: ChatMessage): void {
    if (this.#mode?.kind === 'edit') this.cancel();
    this.#start({ kind: 'reply', message });
  }

  startEdit(message: ChatMessage): void {
    if (this.#mode?.kind !== 'edit') this.#aside = this.#draft.input()?.value ?? '';
    this.#start({ kind: 'edit', message });
    this.#draft.fill(this.#map.decode(message.text, message.mentions));
  }

  /** Back to a plain message: a reply's draft stays, an edit's is dropped for the draft put aside. */
  cancel = (): void => {
    const editing = this.#mode?.kind === 'edit';
    this.#mode = null;
    this.#ac.close();
    if (editing) this.#draft.fill(this.#aside);
    this.#host.requestUpdate();
  };

  input(input: HTMLTextAreaElement): void {
    this.#ac.input(input);
  }

  /** The `@` list's keys, then Escape to leave a reply or edit; true when the key was ours. */
  keydown(e: KeyboardEvent): boolean {
    if (this.#ac.keydown(e, e.target as HTMLTextAreaElement)) return true;
    if (e.key !== 'Escape' || !this.#mode) return false;
    e.preventDefault();
    e.stopPropagation();
    this.cancel();
    return true;
  }

  /** The draft as sent: chosen `@Name`s as `<@userId>` tokens. */
  encode(draft: string): string {
    return this.#map.encode(draft);
  }

  /**
   * Sends `text` (the input was just emptied): as a reply while replying, as
   * the new text of the message edited while editing (nothing when unchanged).
   * A failed edit comes back to the input to try again.
   */
  submit(conv: Conversation, text: string, draft: string): Promise<unknown> | undefined {
    const mode = this.#mode;
    this.#mode = null;
    this.#ac.close();
    this.#host.requestUpdate();
    if (mode?.kind !== 'edit') {
      this.#hooks.sending();
      const replyTo = mode?.message.id;
      return this.#hooks.send ? this.#hooks.send(conv, text, { replyTo }) : conv.send(text, replyTo);
    }
    this.#draft.fill(this.#aside);
    if (text === mode.message.text) return undefined;
    return this.#edit(conv, mode.message.id, text).catch((e: unknown) => {
      if (!this.#mode) {
        this.#aside = this.#draft.input()?.value ?? '';
        this.#mode = mode;
        this.#draft.fill(draft);
      }
      throw e;
    });
  }

  render(lang: string) {
    const mode = this.#mode;
    return html`${mode ? renderReplyBar({ lang, mode, cancel: this.cancel }) : nothing}${this.#ac.render(lang, () => this.#draft.input()) ?? nothing}`;
  }

  async #edit(conv: Conversation, messageId: string, text: string): Promise<unknown> {
    return this.#hooks.edit ? this.#hooks.edit(conv, messageId, text) : (await conv.loadRich()).edit(messageId, text);
  }

  #start(mode: ComposeMode): void {
    this.#mode = mode;
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#draft.input()?.focus());
  }
}
