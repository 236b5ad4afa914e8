/**
 * The full-size image viewer, loaded the first time a thumbnail is clicked:
 * a modal `<dialog>` (the rest of the page inert, focus kept in it) inside the
 * chat's themed box. Escape, its close button or a click beside the image
 * closes it; focus goes back to the thumbnail.
 */
import { css, sheet } from '../css.js';
import { say } from './rich-strings.js';

const styles = css`
  .image-viewer {
    box-sizing: border-box;
    max-width: 100vw;
    max-height: 100dvh;
    width: 100vw;
    height: 100dvh;
    margin: 0;
    padding: 0;
    border: 0;
    background: transparent;
    display: flex;
    align-items: center;
    justify-content: center;
  }
  .image-viewer:not([open]) {
    display: none;
  }
  .image-viewer::backdrop {
    background: var(--chat-room-viewer-backdrop, #000c);
  }
  .image-viewer img {
    max-width: calc(100vw - 16px);
    max-height: calc(100dvh - 64px);
    width: auto;
    height: auto;
    object-fit: contain;
    background: var(--_surface, #fff);
  }
  .image-viewer .viewer-close {
    position: fixed;
    top: 8px;
    right: 8px;
    min-width: 44px;
    min-height: 44px;
    border: 0;
    border-radius: 50%;
    font-size: 1.4rem;
    line-height: 1;
    color: #fff;
    background: #0009;
    cursor: pointer;
  }
  .image-viewer .viewer-close:focus-visible {
    outline: 3px solid var(--chat-room-accent, #2563eb);
  }
`;

let styleSheet: CSSStyleSheet | undefined;
const adopted = new WeakSet<Document | ShadowRoot>();

export interface ViewerImage {
  url: string;
  alt: string;
  width: number;
  height: number;
}

/** Opens the viewer for `image` above everything; `opener` gets focus back when it closes. */
export function openImageViewer(opener: HTMLElement, image: ViewerImage, lang: string): HTMLDialogElement {
  const root = opener.getRootNode() as Document | ShadowRoot;
  if (!adopted.has(root)) {
    adopted.add(root);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, (styleSheet ??= sheet(styles))];
  }
  const dialog = document.createElement('dialog');
  dialog.className = 'image-viewer';
  dialog.setAttribute('part', 'image-viewer');
  dialog.setAttribute('aria-label', image.alt);
  const img = document.createElement('img');
  img.src = image.url;
  img.alt = image.alt;
  img.width = image.width;
  img.height = image.height;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'viewer-close';
  close.setAttribute('part', 'image-viewer-close');
  close.setAttribute('aria-label', say(lang, 'close'));
  close.textContent = '×';
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (the dialog itself, around the image) closes it.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  // The close button is its only control: Tab stays on it.
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Tab') {
      e.preventDefault();
      close.focus();
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener.focus();
  });
  dialog.append(img, close);
  // Inside the chat's themed box, so its --chat-room-* values apply; the top layer keeps it unclipped.
  (opener.closest('[part~="base"]') ?? (root instanceof ShadowRoot ? root : document.body)).append(dialog);
  dialog.showModal();
  close.focus();
  return dialog;
}
