/**
 * The UI chunk: the chat view (lit-html templates, reactive controllers) that
 * the loader mounts into a `<chat-room>` once the chat is on screen.
 */
import { sheet } from '../css.js';
import { loadLanguage } from '../i18n.js';
import { ChatView } from './chat-view.js';
import styles from './chat-view.styles.js';
import type { LangOf, ViewSettings } from './view-settings.js';

export type { ChatView } from './chat-view.js';
export type { ViewSettings } from './view-settings.js';

let viewSheet: CSSStyleSheet | undefined;

/**
 * A view of `element`'s chat rendered into `container` (its shadow root or a
 * region of it), connected; once its language is loaded, so it never shows
 * English first.
 */
export async function mountView(element: ViewSettings, container: HTMLElement | DocumentFragment, lang: LangOf): Promise<ChatView> {
  // A catalogue that fails to load leaves the chat in English rather than not there.
  await loadLanguage(lang()).catch(() => undefined);
  const root = element.shadowRoot!;
  viewSheet ??= sheet(styles);
  if (!root.adoptedStyleSheets.includes(viewSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, viewSheet];
  const view = new ChatView(element, container, lang);
  view.setConnected(element.isConnected);
  return view;
}
