/**
 * The launcher of `<chat-room mode="launcher">`: a floating button with an
 * unread badge that opens the chat as a panel anchored above it (the whole
 * visual viewport on phones). Plain DOM, no Lit: it is part of the loader and
 * draws at once, before the chat's chunks arrive. The shell owns the element
 * and appends the chat into `panel`.
 */

/** Texts the shell localizes; `count` is what the badge shows ("3", "99+"). */
export type LauncherLabel = 'open' | 'close' | 'unread' | 'dialog';

export interface LauncherOptions {
  /** English: open "Open chat", close "Close chat", unread "Open chat, {count} unread", dialog "Chat". */
  label(key: LauncherLabel, count?: string): string;
  /** The visitor opened or closed the panel (button, close button, Escape); not called for the `open` setter. */
  onOpenChange(open: boolean): void;
  /** First hover, focus or press on the button (at most once): time to start loading the chat. */
  onIntent(): void;
}

const SVG = 'http://www.w3.org/2000/svg';

function icon(className: string, d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  const path = document.createElementNS(SVG, 'path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', className);
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

const BUBBLE = 'M6 3h12a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4V5a2 2 0 0 1 2-2z';
const CROSS = 'M6 6l12 12M18 6L6 18';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, part: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  // Classes apart from the parts: the chat view's styles share this shadow root (its member list is a `.panel`).
  el.className = part === 'launcher' ? part : `launcher-${part}`;
  el.setAttribute('part', part);
  return el;
}

export class Launcher {
  /** The dialog region; the shell appends the chat element here. */
  readonly panel: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #badge: HTMLElement;
  readonly #close: HTMLButtonElement;
  readonly #root: ShadowRoot;
  readonly #options: LauncherOptions;
  #count = '';

  constructor(root: ShadowRoot, options: LauncherOptions) {
    this.#root = root;
    this.#options = options;
    const button = (this.#button = element('button', 'launcher'));
    const badge = (this.#badge = element('span', 'badge'));
    const panel = (this.panel = element('div', 'panel'));
    const close = (this.#close = element('button', 'close'));
    const bar = document.createElement('div');
    bar.className = 'launcher-bar';
    button.type = close.type = 'button';
    button.setAttribute('aria-controls', (panel.id = 'chat-room-panel'));
    // The count is in the button's label; the badge is only its picture.
    badge.setAttribute('aria-hidden', 'true');
    badge.hidden = panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.tabIndex = -1;
    button.append(icon('bubble', BUBBLE), icon('x', CROSS), badge);
    close.append(icon('x', CROSS));
    bar.append(close);
    panel.append(bar);
    root.append(button, panel);

    button.addEventListener('click', () => this.#toggle(!this.open));
    close.addEventListener('click', () => this.#toggle(false));
    for (const type of ['pointerenter', 'pointerdown', 'focus']) button.addEventListener(type, this.#intent);
    root.addEventListener('keydown', this.#handleKeydown);
    this.#update();
  }

  get open(): boolean {
    return !this.panel.hidden;
  }

  /** Shows or hides the panel without moving focus, unless focus was in the panel being hidden (it goes to the button). */
  set open(open: boolean) {
    if (open === this.open) return;
    const hadFocus = this.panel.matches(':focus-within');
    this.panel.hidden = !open;
    const viewport = globalThis.visualViewport;
    for (const type of ['resize', 'scroll']) viewport?.[open ? 'addEventListener' : 'removeEventListener'](type, this.#follow);
    if (open) this.#follow();
    this.#update();
    // After #update: on phones the button is hidden (unfocusable) while the panel is open.
    if (hadFocus) this.#button.focus();
  }

  /** The unread count on the badge: hidden at 0, "99+" when `capped` or over 99. */
  setBadge(count: number, capped: boolean): void {
    this.#count = capped || count > 99 ? '99+' : count > 0 ? String(count) : '';
    this.#update();
  }

  /** Focuses the button. */
  focus(): void {
    this.#button.focus();
  }

  /** Asks `label()` again for every text (after a change of language). */
  relabel(): void {
    this.#update();
  }

  /** Removes the button and the panel (with whatever the shell put in it): move the chat out first to keep it. */
  destroy(): void {
    this.open = false;
    this.#root.removeEventListener('keydown', this.#handleKeydown);
    this.#button.remove();
    this.panel.remove();
  }

  #update(): void {
    const { open } = this;
    const { label } = this.#options;
    this.#button.setAttribute('aria-expanded', String(open));
    this.#button.setAttribute('aria-label', open ? label('close') : this.#count ? label('unread', this.#count) : label('open'));
    this.panel.setAttribute('aria-label', label('dialog'));
    this.#close.setAttribute('aria-label', label('close'));
    this.#badge.textContent = this.#count;
    this.#badge.hidden = !this.#count;
  }

  /** A visitor's open or close: focus follows into the panel or back to the button. */
  #toggle(open: boolean): void {
    this.open = open;
    if (open && !this.panel.matches(':focus-within')) this.panel.focus();
    else if (!open) this.#button.focus();
    this.#options.onOpenChange(open);
  }

  #intent = (): void => {
    for (const type of ['pointerenter', 'pointerdown', 'focus']) this.#button.removeEventListener(type, this.#intent);
    this.#options.onIntent();
  };

  /** Escape closes the panel unless the chat inside already used it (closing a panel of its own) and said so with preventDefault(). */
  #handleKeydown = (event: Event): void => {
    const e = event as KeyboardEvent;
    if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing || !this.open) return;
    e.preventDefault();
    this.#toggle(false);
  };

  /** On phones the panel covers the visual viewport, which the on-screen keyboard shrinks and scrolls. */
  #follow = (): void => {
    const viewport = globalThis.visualViewport;
    if (!viewport) return;
    this.panel.style.setProperty('--_vv-top', `${viewport.offsetTop}px`);
    this.panel.style.setProperty('--_vv-height', `${viewport.height}px`);
  };
}
