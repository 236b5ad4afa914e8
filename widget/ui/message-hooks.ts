/**
 * What a message's controls do in the chat view (`MessageHooks`): replies and
 * edits go to the composer, reactions, deletions, blocks and the reveal of a
 * quote's original to the conversation's rich part. Loaded with the rich
 * renderers once the room is connected, with what only shows from then on
 * (the jump to new messages, the live region's announcing, styles): none of it is in what an inline room loads before it connects.
 */
import { html } from 'lit/html.js';
import type { ClientError } from '../client/errors.js';
import type { Conversation } from '../client/conversation.js';
import type { RichConversation } from '../client/rich-conversation.js';
import { openEmojiPicker } from '../rich/open-emoji-picker.js';
import type { ImageComposer, ImageComposerHost } from '../rich/image-composer.js';
import type { MessageHooks } from '../views/timeline-hooks.js';
import { say } from '../views/rich-strings.js';

export { default as styles } from './connected.styles.js';
export { renderJump } from '../views/jump.js';
export { LiveRegionController } from '../controllers/live-region.js';

/** What the hooks need of the view. */
export interface MessageHooksHost {
  /** The conversation on screen. */
  conversation(): Conversation | null;
  startReply: NonNullable<MessageHooks['reply']>;
  startEdit: NonNullable<MessageHooks['edit']>;
  lang(): string;
  /** A refused action: its text shows where a failed send's does. */
  failed(error: ClientError): void;
  /** The timeline is about to scroll to a quote's original: the list stops following its end (a render would undo the scroll). */
  leaveEnd(): void;
  /** Moderators: deletes anyone's message (`mod:delete`). */
  moderatorDelete(messageId: string): Promise<unknown>;
  /** The view: its root takes pasted and dropped images, it renders the upload row. */
  view: Pick<ImageComposerHost, 'renderRoot' | 'requestUpdate'>;
}

export interface ViewMessageHooks extends MessageHooks {
  remove(messageId: string): void;
  /** In the composer, in a room: the attach button and, while an image uploads, its row. */
  attach(lang: string): unknown;
}

/** The types the server takes (by content: a declared type only decides what the widget offers to upload). */
const IMAGE_TYPES = 'image/png,image/jpeg,image/webp,image/gif';

/** The first image among `files`. */
function imageIn(files: FileList | undefined | null): File | undefined {
  return [...(files ?? [])].find((f) => f.type.startsWith('image/'));
}

/**
 * Images from the composer: the attach button, pasted and dropped images (listened for on the view's root
 * from now on); the upload's part (rich/image-composer.ts) loads on the first image.
 */
function imageHooks(host: MessageHooksHost): Pick<ViewMessageHooks, 'attach' | 'media'> {
  let composer: ImageComposer | undefined;
  let loading: Promise<ImageComposer> | undefined;
  const inRoom = (): boolean => {
    const conv = host.conversation();
    return !!conv && 'room' in conv.target;
  };
  const send = (file: File | undefined): void => {
    if (!file || !inRoom()) return;
    loading ??= import('../rich/image-composer.js').then(
      (m) => (composer = new m.ImageComposer({
          renderRoot: host.view.renderRoot,
          requestUpdate: () => host.view.requestUpdate(),
          conversation: host.conversation,
          failed: host.failed,
        })),
    );
    loading.then((c) => c.start(file)).catch((e: ClientError) => host.failed(e));
  };
  const root = host.view.renderRoot;
  // A pasted or dropped image is taken (anything else is left to the browser: pasted text goes in the input).
  const take = (e: Event): void => {
    const file = imageIn((e as ClipboardEvent).clipboardData?.files ?? (e as DragEvent).dataTransfer?.files);
    if (!file || !inRoom()) return;
    e.preventDefault();
    send(file);
  };
  root.addEventListener('paste', take);
  root.addEventListener('drop', take);
  root.addEventListener('dragover', (e) => {
    if ((e as DragEvent).dataTransfer?.types.includes('Files') && inRoom()) e.preventDefault();
  });
  const chosen = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    send(input.files?.[0]);
    input.value = '';
  };
  return {
    attach: (lang) =>
      inRoom()
        ? html`${composer?.render(lang)}<button
              part="attach"
              class="attach"
              type="button"
              aria-label=${say(lang, 'attach')}
              title=${say(lang, 'attach')}
              @click=${(e: Event) => ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()}
            >📎</button><input class="attach-input" type="file" accept=${IMAGE_TYPES} hidden @change=${chosen} />`
        : null,
    media: (path) => new URL(path, `${host.conversation()?.conn.server ?? location.origin}/`).href,
  };
}

export function messageHooks(host: MessageHooksHost): ViewMessageHooks {
  /** Runs `action` on the rich part of the conversation on screen; a refusal is shown. */
  const withRich = (action: (rich: RichConversation) => Promise<unknown>): void => {
    const conv = host.conversation();
    conv?.loadRich().then(action).catch((e: ClientError) => host.failed(e));
  };
  const react = (messageId: string, emoji: string, on: boolean): void => withRich((rich) => rich.react(messageId, emoji, on));
  return {
    reply: host.startReply,
    edit: host.startEdit,
    deleteOwn: (messageId) => withRich((rich) => rich.deleteMessage(messageId)),
    react,
    pickEmoji: (messageId, anchor) => void openEmojiPicker(anchor, (emoji) => react(messageId, emoji, true), { lang: host.lang() }),
    reveal: async (quote) => {
      const conv = host.conversation();
      const found = !!conv && (await conv.loadRich()).reveal(quote.seq);
      if (found) host.leaveEnd();
      return found;
    },
    block: (user) => withRich((rich) => rich.block(user.id)),
    remove: (messageId) => void host.moderatorDelete(messageId).catch((e: ClientError) => host.failed(e)),
    ...imageHooks(host),
  };
}
