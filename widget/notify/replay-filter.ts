/**
 * Tells replayed room messages from live ones, from the element's events
 * alone. After a reconnect the element reloads the room and fires
 * `chat-room-message` for what it missed: the latest page first, in one
 * synchronous burst, then any older gap. So the first burst after a reconnect
 * is replay, and so is anything of that room up to the burst's highest seq.
 * Limit: a live message in the first seconds after a reconnect that missed
 * nothing counts as replay (no notification for it).
 */
import type { ChatMessage } from '../../protocol/index.js';
import type { ConnectionState } from '../client/link.js';

/** How long after a reconnect the reload's burst is waited for. */
const RELOAD_WINDOW_MS = 10_000;

export class ReplayFilter {
  #connected: boolean;
  /** Connected before and lost it: the next connect reloads and replays. */
  #lost = false;
  #armedUntil = 0;
  #inBurst = false;
  #room = '';
  #ceiling = 0;

  constructor(connected: boolean) {
    this.#connected = connected;
  }

  state(state: ConnectionState): void {
    if (state === 'connected') {
      if (this.#lost) {
        this.#armedUntil = Date.now() + RELOAD_WINDOW_MS;
        this.#ceiling = 0;
      }
      this.#lost = false;
    } else if (state === 'disconnected') {
      // Left on purpose: a later connect starts the room afresh (nothing replayed).
      this.#lost = false;
    } else if (this.#connected) this.#lost = true;
    this.#connected = state === 'connected';
  }

  /** True for a message the element replayed after a reconnect (call for every `chat-room-message`, own ones too). */
  replayed(message: ChatMessage): boolean {
    if (this.#inBurst || this.#armedUntil > Date.now()) {
      this.#armedUntil = 0;
      if (!this.#inBurst) {
        this.#inBurst = true;
        queueMicrotask(() => (this.#inBurst = false));
      }
      if (message.room !== this.#room) this.#ceiling = 0;
      this.#room = message.room;
      this.#ceiling = Math.max(this.#ceiling, message.seq);
      return true;
    }
    return message.room === this.#room && message.seq <= this.#ceiling;
  }
}
