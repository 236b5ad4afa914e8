/**
 * The composer's behaviour: the draft and the last send error, Enter to send
 * (Shift+Enter for a new line, never while an IME composes), the textarea's
 * growth where CSS cannot size it, and the widget kept above an on-screen
 * keyboard. Replying and editing (a bar above the input), `@` mentions and the
 * emoji picker load their parts on first use.
 */
import type { ReactiveController } from 'lit';
import type { ChatMessage } from '../../protocol/index.js';
import { checkMessageText, type ClientError } from '../client/errors.js';
import type { RichComposer } from '../rich/rich-composer.js';
import type { ComposerHooks } from './composer-hooks.js';
import type { ChatHost } from './host.js';

export class ComposerController implements ReactiveController {
  readonly #host: ChatHost & { track(loading: Promise<unknown>): void };
  readonly #hooks: ComposerHooks;
  #draft = '';
  #error = '';
  #rich: RichComposer | undefined;

  constructor(host: ChatHost & { track(loading: Promise<unknown>): void }, hooks: ComposerHooks) {
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

  /** The next message answers `message` (the draft stays); a bar above the input says so. */
  startReply(message: ChatMessage): void {
    this.#withRich((r) => r.startReply(message));
  }

  /** The input holds `message`'s text (mentions as `@Name`), Enter saves it; the draft is put aside until then. */
  startEdit(message: ChatMessage): void {
    this.#withRich((r) => r.startEdit(message));
  }

  /** Back to a plain message (Escape in the input does it too). */
  cancel(): void {
    this.#rich?.cancel();
  }

  /** The reply / edit bar and the `@` list, once their part is in. */
  renderAbove(lang: string): unknown {
    return this.#rich?.render(lang);
  }

  handleInput = (e: InputEvent): void => {
    const input = e.target as HTMLTextAreaElement;
    this.#set(input.value, '');
    this.#hooks.typing(input.value.trim() !== '');
    this.#grow(input);
    if (this.#rich || input.value.includes('@')) this.#withRich((r) => r.input(input));
  };

  handleKeydown = (e: KeyboardEvent): void => {
    if (this.#rich?.keydown(e) || e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    this.send();
  };

  /** The emoji button: the picker inserts what is picked at the caret. */
  openEmoji = (e: Event): void => {
    const button = e.currentTarget as HTMLElement;
    this.#withRich((r) => r.openEmoji(button));
  };

  send = (): void => {
    const conv = this.#hooks.target();
    const reason = this.#hooks.reason();
    if (!conv || (reason && !reason.queue)) return;
    const draft = this.#draft;
    const text = this.#rich?.encode(draft) ?? draft;
    const invalid = checkMessageText(text);
    if (invalid) {
      if (invalid.code !== 'message_empty') this.#set(draft, this.#hooks.errorText(invalid));
      return;
    }
    this.#fill('');
    const sent = this.#rich ? this.#rich.submit(conv, text, draft) : (this.#hooks.sending(), conv.send(text));
    sent?.catch(this.showError);
  };

  /** A refused send or action (a reaction, a deletion…): its text shows under the input until you type again. */
  showError = (e: ClientError): void => {
    this.#set(this.#draft, this.#hooks.errorText(e));
    this.#hooks.reportError(e);
  };

  /** Runs `use` with the rich part, loading it first if it is not in yet. */
  #withRich(use: (rich: RichComposer) => void): void {
    if (this.#rich) return use(this.#rich);
    this.#host.track(
      import('../rich/rich-composer.js').then((m) => {
        this.#rich ??= new m.RichComposer(this.#host, this.#hooks, {
          input: () => this.#input,
          fill: (draft) => this.#fill(draft),
          changed: (draft) => this.#set(draft, ''),
        });
        use(this.#rich);
      }),
    );
  }

  /** Puts `draft` in the input (and the draft). */
  #fill(draft: string): void {
    this.#set(draft, this.#error);
    const input = this.#input;
    if (input) {
      input.value = draft;
      input.style.removeProperty('height');
      this.#grow(input);
    }
  }

  #grow(input: HTMLTextAreaElement): void {
    if (!CSS.supports('field-sizing', 'content')) {
      input.style.height = 'auto';
      input.style.height = `${input.scrollHeight + 2}px`;
    }
  }

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
