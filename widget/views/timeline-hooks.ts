/**
 * What a message's own controls ask of the element: one optional callback
 * per action, passed to the timeline in its context (`TimelineContext`). A
 * control whose hook is missing is not shown. Types only.
 */
import type { ChatMessage, ReplyQuote, UserInfo } from '../../protocol/index.js';

export interface MessageHooks {
  /** Reply: the composer starts a reply to `message`. */
  reply?: (message: ChatMessage) => void;
  /** Edit one's own message: the composer takes its text (shown within the edit window; the server decides). */
  edit?: (message: ChatMessage) => void;
  /** Delete one's own message (`message:delete`). Moderators delete others' through `remove`. */
  deleteOwn?: (messageId: string) => void;
  /** Add (`on`) or remove one of one's own reactions. */
  react?: (messageId: string, emoji: string, on: boolean) => void;
  /** The full emoji picker for `messageId`, anchored at `anchor` (it calls `react` with the choice). */
  pickEmoji?: (messageId: string, anchor: HTMLElement) => void;
  /**
   * Brings a quote's original into the timeline, loading older history until
   * it is there; resolves true once it is rendered-able, false when it cannot
   * be found. The timeline then scrolls to it and highlights it.
   */
  reveal?: (quote: ReplyQuote) => Promise<boolean>;
  /** Opens the private conversation with `user` (the author card's "Private message"). */
  openDirect?: (user: UserInfo) => void;
  /** Blocks `user` (the author card's "Block"). */
  block?: (user: UserInfo) => void;
  /** The URL of a path on the chat server (an image's `url` and `thumbUrl`). */
  media?: (path: string) => string;
}
