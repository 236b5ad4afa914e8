/**
 * Long texts fold to their first lines: a text is rendered folded until
 * measured, and gets a "Show more" button only when it overflows. A new width
 * changes what fits, so texts are measured again (a widget hidden at first
 * measures once shown).
 */
import type { ReactiveController } from 'lit';
import type { TimelineContext } from '../views/message-list.js';
import type { ChatHost } from './host.js';

export class FoldController implements ReactiveController, Pick<TimelineContext, 'overflows' | 'unfolded'> {
  /** By message id (pending: clientId): true when the text overflows its folded lines, false when it fits. */
  readonly overflows = new Map<string, boolean>();
  /** Texts the reader unfolded. */
  readonly unfolded = new Set<string>();
  readonly #host: ChatHost;
  readonly #list: () => HTMLElement | null;
  #width = 0;
  #resize = new ResizeObserver(([entry]) => {
    const width = entry!.contentRect.width;
    if (width === this.#width) return;
    this.#width = width;
    this.overflows.clear();
    this.#host.requestUpdate();
  });

  constructor(host: ChatHost, list: () => HTMLElement | null) {
    this.#host = host;
    this.#list = list;
    host.addController(this);
  }

  /** Another conversation: nothing of the last one's measures or unfolding applies. */
  reset(): void {
    this.unfolded.clear();
    this.overflows.clear();
  }

  /** Folds or unfolds; true when the text was unfolded. */
  toggle(key: string, button: HTMLElement): boolean {
    const folding = this.unfolded.delete(key);
    if (!folding) this.unfolded.add(key);
    this.#host.requestUpdate();
    // Folding pulls the button up, maybe out of view.
    if (folding) void this.#host.updateComplete.then(() => button.scrollIntoView({ block: 'nearest' }));
    return !folding;
  }

  hostUpdated(): void {
    const list = this.#list();
    if (!list) return;
    this.#resize.observe(list);
    // Texts rendered folded before anyone knew their height: the button shows on those that overflow.
    const texts = list.clientHeight ? list.querySelectorAll<HTMLElement>('[data-fold]') : [];
    for (const text of texts) this.overflows.set(text.dataset.fold!, text.scrollHeight > text.clientHeight);
    if (texts.length) this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#resize.disconnect();
    this.#width = 0;
  }
}
