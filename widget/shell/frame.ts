/**
 * The element's own box and what the loader draws before the chat arrives:
 * the empty frame, with the same size, border, background and shadow as the
 * chat's, or the launcher's button without its icon, so nothing on the page
 * moves or flashes when the real one is swapped in.
 */
import { css } from '../css.js';

export const frameCss = css`
  :host {
    display: block;
    box-sizing: border-box;
    position: relative;
    width: var(--chat-room-width, auto);
    max-width: 100%;
    height: var(--chat-room-height, 480px);
    min-height: var(--chat-room-min-height, 240px);
  }
  :host([hidden]) {
    display: none !important;
  }
  /* A launcher takes no room in the page: its button and panel are fixed to the window. */
  :host([mode='launcher']) {
    height: 0;
    min-height: 0;
  }
  /* Where the launcher's button goes, until its part is in (widget/launcher/launcher.styles.ts). */
  .stub {
    position: fixed;
    z-index: var(--chat-room-launcher-z-index, 2147483000);
    right: var(--chat-room-launcher-right, 20px);
    left: var(--chat-room-launcher-left, auto);
    bottom: var(--chat-room-launcher-bottom, 20px);
    width: var(--chat-room-launcher-size, 56px);
    height: var(--chat-room-launcher-size, 56px);
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--chat-room-accent, #2563eb);
    box-shadow: var(--chat-room-shadow, 0 1px 3px #0001, 0 8px 24px #0001);
  }
  /* Light, or dark for theme="dark" and for "auto" under prefers-color-scheme: dark (as the chat's own frame). */
  :host {
    --_frame: #fff;
    --_edge: #dde1e6;
  }
  :host([theme='dark']) {
    --_frame: #16181c;
    --_edge: #33373e;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_frame: #16181c;
      --_edge: #33373e;
    }
  }
  .frame {
    box-sizing: border-box;
    height: 100%;
    background: var(--chat-room-background, var(--_frame));
    border: 1px solid var(--chat-room-border, var(--_edge));
    border-radius: var(--chat-room-radius, 12px);
    box-shadow: var(--chat-room-shadow, 0 1px 3px #0001, 0 8px 24px #0001);
  }
`;
