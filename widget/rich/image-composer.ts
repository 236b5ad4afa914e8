/**
 * Sending an image from the composer, loaded on the first image pasted,
 * dropped or chosen: the text typed so far becomes its caption, the upload
 * shows as a row above the input (a preview, a progress bar, Cancel), and a
 * refusal shows under the input like a refused send's (the caption comes back).
 */
import { html, nothing } from 'lit/html.js';
import type { ClientError } from '../client/errors.js';
import type { Conversation } from '../client/conversation.js';
import { css, sheet } from '../css.js';
import { say } from '../views/rich-strings.js';

/** What the image composer needs of the view. */
export interface ImageComposerHost {
  readonly renderRoot: ShadowRoot;
  requestUpdate(): void;
  /** The conversation on screen (images go to rooms only). */
  conversation(): Conversation | null;
  /** A refused upload or send: its text shows under the input. */
  failed(error: ClientError): void;
}

interface Upload {
  preview: string;
  sent: number;
  total: number;
  abort: AbortController;
}

const styles = css`
  .upload {
    order: -1;
    flex: 1 0 100%;
    display: flex;
    align-items: center;
    gap: var(--_spacing);
    min-width: 0;
  }
  .upload-preview {
    width: 40px;
    height: 40px;
    object-fit: cover;
    border-radius: 6px;
    background: var(--_surface);
  }
  .upload-progress {
    flex: 1;
    min-width: 0;
    height: 6px;
    accent-color: var(--_accent);
  }
`;

export class ImageComposer {
  readonly #host: ImageComposerHost;
  #upload: Upload | null = null;

  constructor(host: ImageComposerHost) {
    this.#host = host;
    const root = host.renderRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet(styles)];
  }

  get #input(): HTMLTextAreaElement | null {
    return this.#host.renderRoot.querySelector('.input');
  }

  /** Uploads `file` and sends it with the text typed so far as its caption (one upload at a time: a new one replaces it). */
  start(file: Blob): void {
    const conv = this.#host.conversation();
    if (!conv) return;
    this.cancel();
    const input = this.#input;
    const caption = input?.value.trim() ?? '';
    if (input && caption) this.#setInput(input, '');
    const upload: Upload = { preview: URL.createObjectURL(file), sent: 0, total: file.size, abort: new AbortController() };
    this.#upload = upload;
    this.#host.requestUpdate();
    const done = (): void => {
      URL.revokeObjectURL(upload.preview);
      if (this.#upload !== upload) return;
      this.#upload = null;
      this.#host.requestUpdate();
    };
    conv
      .loadRich()
      .then((rich) =>
        rich.sendImage(file, caption, {
          signal: upload.abort.signal,
          progress: (sent, total) => {
            upload.sent = sent;
            upload.total = total;
            this.#host.requestUpdate();
          },
          // Uploaded: the message is pending in the list from here (the outbox retries it).
          uploaded: done,
        }),
      )
      .catch((e: ClientError) => {
        if (e.code === 'aborted') return;
        // The caption comes back to try again, unless something else was typed meanwhile.
        const now = this.#input;
        if (now && caption && !now.value) this.#setInput(now, caption);
        this.#host.failed(e);
      })
      .finally(done);
  }

  /** Aborts the upload on its way: no message is sent. */
  cancel = (): void => {
    this.#upload?.abort.abort();
  };

  /** The upload row (parts `upload`, `upload-progress`, `upload-cancel`), while one is on its way. */
  render(lang: string) {
    const upload = this.#upload;
    if (!upload) return nothing;
    const percent = upload.total ? Math.min(100, Math.round((upload.sent / upload.total) * 100)) : 0;
    const label = say(lang, 'uploading', { percent });
    return html`<div part="upload" class="upload">
      <img class="upload-preview" src=${upload.preview} alt="" />
      <progress
        part="upload-progress"
        class="upload-progress"
        role="progressbar"
        max="100"
        .value=${percent}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent}
        aria-label=${label}
        title=${label}
      ></progress>
      <button part="upload-cancel" class="upload-cancel" type="button" @click=${this.cancel}>${say(lang, 'cancelUpload')}</button>
    </div>`;
  }

  /** Sets the input's text the way typing does, so the composer's draft follows. */
  #setInput(input: HTMLTextAreaElement, value: string): void {
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  }
}
