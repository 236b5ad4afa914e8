/**
 * The composer's behaviour: the draft and the last send error, Enter to send
 * (Shift+Enter for a new line, never while an IME composes), the textarea's
 * growth where CSS cannot size it, and the widget kept above an on-screen
 * keyboard.
 */
import type { ReactiveController } from 'lit';
import type { Conversation } from '../client/conversation.js';
import { checkMessageText, type ChatRoomError, type ClientError } from '../client/errors.js';
import type { Reason } from '../views/composer.js';
import type { ChatHost } from './host.js';

export interface ComposerHooks {
  /** The conversation a message goes to. */
  target(): Conversation | null;
  /** Why it cannot send now, or null. */
  reason(): Reason | null;
  /** What you write is (or is no longer) "typing…" for the room. */
  typing(active: boolean): void;
  /** A message is on its way: the list follows it to the end. */
  sending(): void;
  /** The keyboard resized the widget. */
  resized(): void;
  errorText(error: ClientError): string;
  reportError(error: ClientError): void;
}

export class ComposerController implements ReactiveController {
  readonly #host: ChatHost;
  readonly #hooks: ComposerHooks;
  #draft = '';
  #error = '';

  constructor(host: ChatHost, hooks: ComposerHooks) {
    this.#host = host;
    this.#hooks = hooks;
    host.addController(this);
  }

  get draft(): string {
    return this.#draft;
  }

  /** Why the last send failed, until you type again. */
  get error(): string {
    return this.#error;
  }

  get #input(): HTMLTextAreaElement | null {
    return this.#host.renderRoot.querySelector('.input');
  }

  hostConnected(): void {
    globalThis.visualViewport?.addEventListener('resize', this.#handleViewport);
  }

  hostDisconnected(): void {
    globalThis.visualViewport?.removeEventListener('resize', this.#handleViewport);
  }

  handleInput = (e: InputEvent): void => {
    const input = e.target as HTMLTextAreaElement;
    this.#set(input.value, '');
    this.#hooks.typing(input.value.trim() !== '');
    if (!CSS.supports('field-sizing', 'content')) {
      input.style.height = 'auto';
      input.style.height = `${input.scrollHeight + 2}px`;
    }
  };

  handleKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    this.send();
  };

  send = (): void => {
    const conv = this.#hooks.target();
    const reason = this.#hooks.reason();
    if (!conv || (reason && !reason.queue)) return;
    const invalid = checkMessageText(this.#draft);
    if (invalid) {
      if (invalid.code !== 'message_empty') this.#set(this.#draft, this.#hooks.errorText(invalid));
      return;
    }
    const text = this.#draft;
    this.#set('', this.#error);
    const input = this.#input;
    if (input) {
      input.value = '';
      input.style.removeProperty('height');
    }
    this.#hooks.sending();
    conv.send(text).catch((e: ChatRoomError) => {
      this.#set(this.#draft, this.#hooks.errorText(e));
      this.#hooks.reportError(e);
    });
  };

  #set(draft: string, error: string): void {
    if (draft === this.#draft && error === this.#error) return;
    this.#draft = draft;
    this.#error = error;
    this.#host.requestUpdate();
  }

  /** Keeps the composer above the on-screen keyboard when the visual viewport shrinks. */
  #handleViewport = (): void => {
    const vv = globalThis.visualViewport;
    const base = this.#host.renderRoot.querySelector<HTMLElement>('.base');
    if (!vv || !base) return;
    const typing = (this.#host.renderRoot as ShadowRoot).activeElement === this.#input;
    if (typing && vv.height < innerHeight - 80) {
      const available = vv.offsetTop + vv.height - this.#host.getBoundingClientRect().top;
      base.style.maxHeight = `${Math.max(160, Math.round(available))}px`;
    } else base.style.removeProperty('max-height');
    this.#hooks.resized();
  };
}
