import { css } from '../css.js';

/**
 * Theme tokens of rich messages, `[name, default]`, each `--_name` read from the
 * public `--chat-room-name`. Colours mix the base tokens, so the dark theme
 * follows without values of its own.
 */
const tokens: [string, string][] = [
  ['avatar-size', '28px'],
  // Initials in dark text on light pastels: 4.5:1 or more at every hue (test/widget/rich-avatar.test.ts).
  ['avatar-saturation', '60%'],
  ['avatar-lightness', '82%'],
  ['avatar-text', '#1f2328'],
  ['mention-background', 'color-mix(in srgb,currentColor 14%,transparent)'],
  ['mention-me-background', 'color-mix(in srgb,var(--_warning) 30%,transparent)'],
  ['mentioned-background', 'color-mix(in srgb,var(--_warning) 12%,transparent)'],
  ['mentioned-border', 'var(--_warning)'],
  ['highlight-background', 'color-mix(in srgb,var(--_accent) 28%,transparent)'],
  ['quote-border', 'var(--_accent)'],
  ['code-background', 'color-mix(in srgb,currentColor 12%,transparent)'],
  ['code-font', "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace"],
  ['reaction-background', 'var(--_surface)'],
  ['reaction-mine-background', 'color-mix(in srgb,var(--_accent) 18%,var(--_background))'],
  ['reaction-mine-border', 'var(--_accent)'],
];

export default css`
  .base {
    ${tokens.map(([name, value]) => `--_${name}:var(--chat-room-${name},${value});`).join('')}
  }
  .rich {
    position: relative;
  }
  .with-avatar {
    padding-left: calc(var(--_avatar-size) + var(--_spacing));
  }
  .avatar-button {
    position: absolute;
    left: 0;
    top: 0;
    border-radius: 50%;
  }
  .avatar {
    position: relative;
    display: inline-flex;
    flex: none;
    align-items: center;
    justify-content: center;
    width: var(--_avatar-size);
    height: var(--_avatar-size);
    border-radius: 50%;
    overflow: hidden;
    background: hsl(var(--_hue) var(--_avatar-saturation) var(--_avatar-lightness));
    color: var(--_avatar-text);
    font-size: calc(var(--_avatar-size) * 0.4);
    font-weight: 600;
    line-height: 1;
    user-select: none;
  }
  .avatar.large {
    --_avatar-size: 44px;
  }
  .avatar img {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .meta .author {
    padding: 0;
    border-radius: 4px;
    font-weight: 600;
  }
  .meta .author:hover {
    text-decoration: underline;
  }
  .author-card {
    position: absolute;
    z-index: 3;
    top: 1.6em;
    left: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_spacing);
    min-width: 14em;
    max-width: 100%;
    padding: var(--_spacing);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
    color: var(--_text);
    box-shadow: var(--_shadow);
  }
  .card-who {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-width: 0;
  }
  .card-kind {
    color: var(--_muted);
    font-size: 0.82em;
  }
  .card-actions {
    display: flex;
    gap: 4px;
    width: 100%;
  }
  .card-button {
    padding: 4px 10px;
    border: 1px solid var(--_border);
    font-size: 0.85em;
  }
  .card-button.danger {
    color: var(--_danger);
  }
  .card-close {
    margin-left: auto;
    padding: 0 8px;
    color: var(--_muted);
  }
  .image-button {
    display: block;
    max-width: min(100%, 320px);
    margin: 2px 0;
    padding: 0;
    border: 0;
    border-radius: var(--_radius, 12px);
    overflow: hidden;
    background: var(--_surface);
    cursor: zoom-in;
  }
  .own > .image-button {
    margin-inline-start: auto;
  }
  .image {
    display: block;
    max-width: 100%;
    height: auto;
  }
  .quote {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-width: 100%;
    margin: 2px 0;
    padding: 2px 8px;
    border-left: 3px solid var(--_quote-border);
    border-radius: 4px;
    font-size: 0.85em;
    color: var(--_muted);
    text-align: start;
  }
  .quote-author {
    font-weight: 600;
    color: var(--_text);
  }
  .quote-text {
    max-width: 100%;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .quote.gone .quote-text {
    font-style: italic;
  }
  .text code {
    padding: 0 3px;
    border-radius: 4px;
    background: var(--_code-background);
    font: 0.9em var(--_code-font);
  }
  /* Line clamping does not reach into a code block: a folded text stops at its six lines' height all the same. */
  .rich .folded {
    max-height: calc(6lh + 14px);
  }
  .text pre {
    margin: 4px 0;
    padding: 6px 8px;
    border-radius: 6px;
    background: var(--_code-background);
    overflow-x: auto;
    white-space: pre;
  }
  .text pre code {
    padding: 0;
    background: none;
  }
  .mention {
    padding: 0 2px;
    border-radius: 4px;
    background: var(--_mention-background);
    font-weight: 600;
  }
  .mention.me {
    background: var(--_mention-me-background);
  }
  .mentioned {
    background: var(--_mentioned-background);
    box-shadow: inset 3px 0 var(--_mentioned-border);
    border-radius: 4px;
  }
  .highlight {
    animation: chat-room-highlight 2s ease-out;
  }
  @keyframes chat-room-highlight {
    from,
    40% {
      background: var(--_highlight-background);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .highlight {
      animation: none;
      outline: 2px solid var(--_accent);
    }
  }
  .edited {
    margin: 0 4px;
    color: var(--_muted);
    font-size: 0.75em;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-top: 3px;
  }
  .reaction {
    display: inline-flex;
    gap: 4px;
    align-items: center;
    padding: 1px 8px;
    border: 1px solid var(--_border);
    background: var(--_reaction-background);
    font-size: 0.85em;
  }
  .reaction.mine {
    border-color: var(--_reaction-mine-border);
    background: var(--_reaction-mine-background);
  }
  .reaction:disabled {
    opacity: 1;
  }
  .count {
    font-variant-numeric: tabular-nums;
  }
  .actions,
  .quick {
    position: absolute;
    z-index: 2;
    display: flex;
    gap: 2px;
    padding: 2px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
    box-shadow: var(--_shadow);
  }
  .actions {
    top: -12px;
    right: 0;
    opacity: 0;
    pointer-events: none;
  }
  .own .actions,
  .own .quick,
  .own .menu-button {
    right: auto;
    left: 0;
  }
  .quick {
    top: 20px;
    right: 0;
  }
  .rich:hover .actions,
  .actions:focus-within,
  .actions.open {
    opacity: 1;
    pointer-events: auto;
  }
  .action,
  .emoji {
    min-width: 28px;
    height: 28px;
    padding: 0 4px;
  }
  .action:hover,
  .emoji:hover,
  .emoji[aria-pressed='true'] {
    background: var(--_surface);
  }
  .menu-button {
    display: none;
    position: absolute;
    top: 0;
    right: 0;
    padding: 0 8px;
    color: var(--_muted);
  }
  /* Touch screens have no hover: a visible button opens the actions. */
  @media (hover: none) {
    .menu-button {
      display: block;
    }
    .rich:hover .actions:not(.open, :focus-within) {
      opacity: 0;
      pointer-events: none;
    }
  }
`;
