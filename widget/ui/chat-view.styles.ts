import { css } from '../css.js';

/**
 * Theme tokens: `[name, light default, dark default]`. Each becomes an internal
 * `--_name` resolved from the public `--chat-room-name` (documented on the
 * class), so a host page overrides any of them without `!important`.
 */
const tokens: [string, string, string?][] = [
  ['accent', '#2563eb', '#4c8dff'],
  // Dark text on the lighter dark-theme accent: white on it is 3.2:1, under WCAG's 4.5:1.
  ['accent-text', '#fff', '#16181c'],
  ['background', '#fff', '#16181c'],
  ['surface', '#f1f3f5', '#24272d'],
  ['text', '#1f2328', '#e6e8eb'],
  ['muted', '#5f6b76', '#9aa4af'],
  ['border', '#dde1e6', '#33373e'],
  ['own-background', 'var(--_accent)'],
  ['own-text', 'var(--_accent-text)'],
  ['other-background', 'var(--_surface)'],
  ['other-text', 'var(--_text)'],
  ['header-background', 'var(--_background)'],
  ['input-background', 'var(--_background)'],
  ['success', '#1a7f37', '#3fb950'],
  ['warning', '#b35900', '#d29922'],
  ['danger', '#cf222e', '#f85149'],
  ['signed-in', 'var(--_success)'],
  ['focus-ring', '0 0 0 3px color-mix(in srgb,var(--_accent) 40%,transparent)'],
  ['shadow', '0 1px 3px #0001,0 8px 24px #0001', '0 1px 3px #0006,0 8px 24px #0005'],
  ['radius', '12px'],
  ['spacing', '8px'],
  ['font', "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','PingFang SC','Microsoft YaHei',sans-serif"],
  ['font-size', '15px'],
];

const vars = (dark: boolean): string =>
  tokens
    .filter((t) => !dark || t[2])
    .map(([name, light, darkValue]) => `--_${name}:var(--chat-room-${name},${dark ? darkValue : light});`)
    .join('') + `color-scheme:${dark ? 'dark' : 'light'};`;

/** The chat view's styles; the element's own box (`:host`) is the loader's (widget/shell/frame.ts). */
export default css`
  [hidden] {
    display: none !important;
  }
  *,
  ::before,
  ::after {
    box-sizing: inherit;
  }
  button,
  input,
  textarea {
    font: inherit;
    color: inherit;
    letter-spacing: inherit;
    margin: 0;
  }
  button {
    cursor: pointer;
    background: none;
    border: 0;
    padding: 0;
    border-radius: 999px;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--_focus-ring);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  /* Tokens live on .base (dark ones further down, for theme="dark" and for "auto" under prefers-color-scheme: dark). */
  /*
   * Sealed against the host page. Page rules that match the element itself
   * ("*", "chat-room") beat :host, so every inherited text property is reset
   * here, on the frame inside the shadow root, where no page rule reaches
   * (only custom properties and ::part do); "font" below resets the rest.
   */
  .base {
    font-feature-settings: normal;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-transform: none;
    text-shadow: none;
    white-space: normal;
    word-break: normal;
    overflow-wrap: anywhere;
    hyphens: manual;
    direction: ltr;
    writing-mode: horizontal-tb;
    visibility: visible;
    cursor: auto;
    quotes: auto;
    tab-size: 8;
    -webkit-font-smoothing: antialiased;
    ${vars(false)}
    color: var(--_text);
    font: var(--_font-size) / 1.4 var(--_font);
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    background: var(--_background);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    container-type: inline-size;
  }
  /* The dark theme: theme="dark", or "auto" (the default) under prefers-color-scheme: dark; CSS alone, no script. */
  :host([theme='dark']) .base {
    ${vars(true)}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) .base {
      ${vars(true)}
    }
  }
  .header {
    display: flex;
    align-items: center;
    gap: var(--_spacing);
    padding: var(--_spacing) calc(var(--_spacing) * 1.5);
    background: var(--_header-background);
    border-bottom: 1px solid var(--_border);
  }
  /* The title keeps its width (up to two lines); chips that do not fit go to a second row, packed to the end. */
  .header {
    min-height: 48px;
    flex-wrap: wrap;
    justify-content: flex-end;
    row-gap: 4px;
  }
  .title {
    flex: 1 1 auto;
    min-width: 0;
    margin: 0;
    font-size: 1em;
    font-weight: 600;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }
  .typing {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /*
   * Targets: 44 px where fingers tap (narrow widgets, coarse pointers); a
   * mouse on a wide widget gets 32 px chips and a 40 px composer.
   */
  button.chip {
    min-height: var(--_target, 32px);
    min-width: var(--_target, 32px);
  }
  .input,
  .send,
  .emoji {
    min-height: var(--_target, 40px);
  }
  .emoji {
    min-width: var(--_target, 40px);
    font-size: 1.25em;
  }
  @media (pointer: coarse) {
    .header,
    .composer {
      --_target: 44px;
    }
  }
  .chip {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    padding: 4px 10px;
    color: var(--_muted);
    font-size: 0.85em;
    white-space: nowrap;
  }
  button.chip:hover {
    background: var(--_surface);
    color: var(--_text);
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_danger);
  }
  [data-state='connected'] .dot {
    background: var(--_success);
  }
  [data-state='connecting'] .dot {
    background: var(--_warning);
  }
  /* Developer information: a page shows it with chat-room::part(rtt) { display: inline }. */
  .rtt {
    display: none;
    font-variant-numeric: tabular-nums;
  }
  .header .user {
    display: block;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .signed-in {
    padding: 0 4px;
    border: 1px solid;
    border-radius: 9px;
    color: var(--_signed-in);
    font-size: 0.75em;
    line-height: 1.3;
  }
  .body {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
  }
  .messages,
  .panel {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--_spacing) calc(var(--_spacing) * 1.5);
    display: flex;
    flex-direction: column;
  }
  .hint,
  .day {
    align-self: center;
    margin: var(--_spacing) 0;
    color: var(--_muted);
    font-size: 0.82em;
    text-align: center;
  }
  button.hint {
    color: var(--_accent);
    padding: 4px 10px;
  }
  .day {
    padding: 2px 10px;
    border-radius: 999px;
    background: var(--_surface);
    font-weight: 600;
  }
  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-width: 85%;
    margin-top: var(--_spacing);
  }
  .grouped {
    margin-top: 2px;
  }
  .own {
    align-self: flex-end;
    align-items: flex-end;
  }
  .meta,
  .delivery,
  .more {
    display: flex;
    gap: var(--_spacing);
    align-items: baseline;
    margin: 2px 4px;
    font-size: 0.78em;
    color: var(--_muted);
  }
  .author {
    font-weight: 600;
    color: var(--_text);
  }
  .text {
    padding: 7px 11px;
    border-radius: var(--_radius);
    background: var(--_other-background);
    color: var(--_other-text);
    white-space: pre-wrap;
  }
  /* A long text shows its first 6 lines, whole lines whatever the line height a page gives ::part(text); part "more" unfolds it. */
  .folded {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 6;
    line-clamp: 6;
    /* Clipped at the content box: the seventh line does not peek through the bottom padding. */
    overflow: clip;
    overflow-clip-margin: content-box;
  }
  .own .text {
    background: var(--_own-background);
    color: var(--_own-text);
  }
  .text a {
    color: inherit;
  }
  .failed .text {
    outline: 1px solid var(--_danger);
  }
  .failed .delivery {
    color: var(--_danger);
  }
  .delivery button,
  .status-line button,
  .more {
    color: var(--_accent);
    text-decoration: underline;
  }
  .input {
    flex: 1;
    min-width: 0;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_input-background);
    /* At least 16px: smaller inputs make iOS zoom the page. */
    font-size: max(16px, var(--_font-size));
  }
  .send {
    padding: 8px 14px;
    border-radius: 8px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  .typing {
    min-height: 1.4em;
    padding: 0 calc(var(--_spacing) * 1.5);
    color: var(--_muted);
    font-size: 0.8em;
    font-style: italic;
  }
  .composer {
    display: flex;
    align-items: flex-end;
    gap: var(--_spacing);
    padding: var(--_spacing) calc(var(--_spacing) * 1.5);
    border-top: 1px solid var(--_border);
  }
  .input {
    max-height: 8.5em;
    resize: none;
    line-height: 1.4;
    field-sizing: content;
  }
  .input::placeholder {
    color: var(--_muted);
  }
  .status-line {
    display: flex;
    gap: var(--_spacing);
    padding: 0 calc(var(--_spacing) * 1.5) var(--_spacing);
    color: var(--_muted);
    font-size: 0.8em;
  }
  .error {
    color: var(--_danger);
  }
  @container (max-width: 360px) {
    .header,
    .composer {
      --_target: 44px;
    }
    .chip {
      padding-inline: 8px;
    }
    /* Only the dot shows; screen readers still hear the state. */
    .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  }
`;
