/**
 * The member list and the rename form: which one is open, the control that
 * opened it, and where focus goes after the next render. Focus moves into a
 * panel when it opens; Escape, anywhere in the widget, closes the top layer
 * (rename form or member list, then a private chat) and returns focus to the
 * opener.
 */
import type { ReactiveController } from 'lit';
import type { ChatHost } from './host.js';

/** A selector or an element to focus once rendered; '' for none, null for an unknown opener (the composer). */
type FocusTarget = string | HTMLElement | null;

export class PanelController implements ReactiveController {
  readonly #host: ChatHost;
  /** Closes the private chat if one is open; false when none is. */
  readonly #leaveDirect: () => boolean;
  #membersOpen = false;
  /** Grows with every opening of the member list (a big room's list is fetched afresh then). */
  membersOpened = 0;
  #renaming = false;
  #renameError = '';
  #focusAfterUpdate: FocusTarget = '';
  /** The control that opened the member list, rename form or private chat: Escape returns focus there. */
  #opener: HTMLElement | null = null;

  constructor(host: ChatHost, leaveDirect: () => boolean) {
    this.#host = host;
    this.#leaveDirect = leaveDirect;
    host.addController(this);
  }

  get membersOpen(): boolean {
    return this.#membersOpen;
  }

  get renaming(): boolean {
    return this.#renaming;
  }

  /** Why the last rename failed, shown in the form. */
  get renameError(): string {
    return this.#renameError;
  }

  set renameError(error: string) {
    this.#renameError = error;
    this.#host.requestUpdate();
  }

  /** Focuses `target` once rendered; `null`: the opener (or the composer, if it is gone). */
  focusAfterUpdate(target: FocusTarget): void {
    this.#focusAfterUpdate = target;
    this.#host.requestUpdate();
  }

  /** Remembers the focused control as the opener; a member button leaves with its list, whose opener stays. */
  setOpener(): void {
    const at = (this.#host.renderRoot as ShadowRoot).activeElement as HTMLElement | null;
    if (!at?.closest('.panel')) this.#opener = at;
  }

  /** A private chat opened (from the member list or by code): no panel stays over it. */
  closeAll(): void {
    this.#membersOpen = false;
    this.#renaming = false;
    this.#host.requestUpdate();
  }

  toggleMembers(): void {
    this.setOpener();
    if ((this.#membersOpen = !this.#membersOpen)) this.membersOpened++;
    this.#renaming = false;
    // A big room's list starts with its search box; a small room's with its first member.
    this.focusAfterUpdate(this.#membersOpen ? '[part="member-search"],[part="member"]' : '');
  }

  openRename(): void {
    this.setOpener();
    this.#renaming = true;
    this.#renameError = '';
    this.#membersOpen = false;
    this.focusAfterUpdate('.rename input');
  }

  closeRename(): void {
    this.#renaming = false;
    this.focusAfterUpdate(this.#opener);
  }

  handleEscape(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || e.isComposing) return;
    if (this.#renaming) this.#renaming = false;
    else if (this.#membersOpen) this.#membersOpen = false;
    else if (!this.#leaveDirect()) return;
    // Handled: a dialog around the widget stays open.
    e.preventDefault();
    e.stopPropagation();
    this.focusAfterUpdate(this.#opener);
  }

  hostUpdated(): void {
    const focus = this.#focusAfterUpdate;
    if (focus === '') return;
    // An opener gone meanwhile (or none: opened from code) hands focus to the composer.
    const root = this.#host.renderRoot;
    const target = typeof focus === 'string' ? root.querySelector<HTMLElement>(focus) : focus?.isConnected ? focus : root.querySelector<HTMLElement>('.input');
    // A panel whose module is still loading is not rendered yet: focus it once it is.
    if (!target && typeof focus === 'string') return;
    target?.focus();
    this.#focusAfterUpdate = '';
  }
}
