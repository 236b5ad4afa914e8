/** What the composer asks of the element: where a message goes, why it cannot go, and how replies and edits are sent. */
import type { Conversation } from '../client/conversation.js';
import type { ClientError } from '../client/errors.js';
import type { Reason } from '../views/composer.js';

/** How a new message goes out: `replyTo` is the id of the message it answers. */
export interface SendOptions {
  replyTo?: string;
}

export interface ComposerHooks {
  /** The conversation a message goes to. */
  target(): Conversation | null;
  /** Why it cannot send now, or null. */
  reason(): Reason | null;
  /**
   * Sends a reply or a message with mentions: `text` has them as `<@userId>`
   * tokens; a pending (queued) send must keep its `replyTo`. Default:
   * `conv.send(text, replyTo)` (through the outbox, which keeps `replyTo` while queued).
   */
  send?(conv: Conversation, text: string, options: SendOptions): Promise<unknown>;
  /** Saves new `text` for one's own message `messageId`; rejects with a `ChatRoomError`. Default: the conversation's rich part's `edit` (applies the answer at once). */
  edit?(conv: Conversation, messageId: string, text: string): Promise<unknown>;
  /** What you write is (or is no longer) "typing…" for the room. */
  typing(active: boolean): void;
  /** A message is on its way: the list follows it to the end. */
  sending(): void;
  /** The keyboard resized the widget. */
  resized(): void;
  errorText(error: ClientError): string;
  reportError(error: ClientError): void;
}
