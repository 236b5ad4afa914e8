/**
 * The element's own box and the empty frame the loader draws before the chat
 * arrives: the same size, border, background and shadow as the chat's frame,
 * so nothing on the page moves or flashes when it is swapped in.
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
  .frame {
    box-sizing: border-box;
    height: 100%;
    background: var(--chat-room-background, #fff);
    border: 1px solid var(--chat-room-border, #dde1e6);
    border-radius: var(--chat-room-radius, 12px);
    box-shadow: var(--chat-room-shadow, 0 1px 3px #0001, 0 8px 24px #0001);
  }
  :host([theme='dark']) .frame {
    background: var(--chat-room-background, #16181c);
    border-color: var(--chat-room-border, #33373e);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) .frame {
      background: var(--chat-room-background, #16181c);
      border-color: var(--chat-room-border, #33373e);
    }
  }
`;
