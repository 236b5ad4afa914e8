/**
 * What a message's controls do in the chat view (`MessageHooks`): replies and
 * edits go to the composer, reactions, deletions, blocks and the reveal of a
 * quote's original to the conversation's rich part. Loaded with the rich
 * renderers once the room is connected, with what only shows from then on
 * (the jump to new messages, the live region's announcing, styles): none of it is in what an inline room loads before it connects.
 */
import type { ClientError } from '../client/errors.js';
import type { Conversation } from '../client/conversation.js';
import type { RichConversation } from '../client/rich-conversation.js';
import { openEmojiPicker } from '../rich/open-emoji-picker.js';
import type { MessageHooks } from '../views/timeline-hooks.js';

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
}

export interface ViewMessageHooks extends MessageHooks {
  remove(messageId: string): void;
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
  };
}
