/**
 * The app-level heartbeat: Engine.IO's own ping notices a dead link only after
 * its interval plus timeout (15 s here), and a tab waking from sleep or a
 * phone changing networks can sit on a half-open socket far longer. This pings
 * often, measures the round trip, and declares the link dead after a few
 * unanswered pings in a row. No DOM: the owner says when to check at once.
 */
import { PING_INTERVAL_MS, PING_MAX_MISSES, PING_TIMEOUT_MS } from '../../protocol/index.js';

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Unanswered pings in a row that make the link dead. */
  maxMisses: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = {
  intervalMs: PING_INTERVAL_MS,
  timeoutMs: PING_TIMEOUT_MS,
  maxMisses: PING_MAX_MISSES,
};

export interface HeartbeatHooks {
  /** Sends one ping; resolves true when the server answered within `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean>;
  rtt(ms: number): void;
  dead(): void;
}

export class Heartbeat {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #inFlight = false;
  #misses = 0;

  readonly #hooks: HeartbeatHooks;
  readonly #options: HeartbeatOptions;

  constructor(hooks: HeartbeatHooks, options: HeartbeatOptions = DEFAULT_HEARTBEAT) {
    this.#hooks = hooks;
    this.#options = options;
  }

  /** Starts beating (on connect). */
  start(): void {
    this.#running = true;
    this.#misses = 0;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  /** Pings now instead of at the next beat: the tab woke up or the network changed. */
  checkNow(): void {
    if (!this.#running || this.#inFlight) return;
    clearTimeout(this.#timer);
    void this.#beat();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#beat(), this.#options.intervalMs);
  }

  async #beat(): Promise<void> {
    if (!this.#running || this.#inFlight) return;
    this.#inFlight = true;
    const started = performance.now();
    const answered = await this.#hooks.ping(this.#options.timeoutMs);
    this.#inFlight = false;
    if (!this.#running) return;
    if (answered) {
      this.#misses = 0;
      this.#hooks.rtt(Math.round(performance.now() - started));
      this.#schedule();
    } else if (++this.#misses >= this.#options.maxMisses) {
      this.stop();
      this.#hooks.dead();
    } else {
      // One miss may be a slow moment; ask again at once so a dead link is known quickly.
      void this.#beat();
    }
  }
}
