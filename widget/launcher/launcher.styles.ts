/**
 * Styles of the launcher (the floating button, its badge and the panel),
 * adopted into the shell's shadow root as a constructable stylesheet (a strict
 * CSP forbids inline styles). Plain CSS in a string, written compactly since
 * it ships as it is: the loader has no Lit and no CSS minifier.
 *
 * - Everything is `position: fixed` inside the shadow root, so a page rule that
 *   matches the host element (`*`, `chat-room`), which beats `:host`, can change
 *   the host's own box but not where or how big the button and panel are; the
 *   text properties such a rule makes the host inherit are reset here.
 * - The panel is the frame: the chat inside loses the border, radius and shadow
 *   of its own `base` part, and stretches to fill the panel.
 * - Phones (≤ 480 px): the panel fills the visual viewport (`--_vv-top`,
 *   `--_vv-height`, set from `visualViewport`, which the on-screen keyboard
 *   shrinks and scrolls), shows its close bar, and the button hides behind it.
 */
export const launcherCss = `
[hidden]{display:none!important}
.launcher,.launcher-panel{
--_right:var(--chat-room-launcher-right,20px);--_left:var(--chat-room-launcher-left,auto);--_bottom:var(--chat-room-launcher-bottom,20px);--_size:var(--chat-room-launcher-size,56px);
--_bg:var(--chat-room-background,#fff);--_text:var(--chat-room-text,#1f2328);--_border:var(--chat-room-border,#dde1e6);--_accent:var(--chat-room-accent,#2563eb);
position:fixed;z-index:var(--chat-room-launcher-z-index,2147483000);right:var(--_right);left:var(--_left);box-sizing:border-box;margin:0;
font:600 12px/1 var(--chat-room-font,system-ui,sans-serif);writing-mode:horizontal-tb;visibility:visible;
color:var(--_text);box-shadow:var(--chat-room-shadow,0 1px 3px #0001,0 8px 24px #0001)}
@media (prefers-color-scheme:dark){:host(:not([theme=light])) .launcher-panel{--_bg:var(--chat-room-background,#16181c);--_text:var(--chat-room-text,#e6e8eb);--_border:var(--chat-room-border,#33373e)}}
:host([theme=dark]) .launcher-panel{--_bg:var(--chat-room-background,#16181c);--_text:var(--chat-room-text,#e6e8eb);--_border:var(--chat-room-border,#33373e)}
button{cursor:pointer;padding:0;border:0;display:flex;align-items:center;justify-content:center}
button:focus-visible{outline:none;box-shadow:var(--chat-room-focus-ring,0 0 0 3px color-mix(in srgb,var(--_accent) 40%,transparent))}
svg{width:24px;height:24px;fill:currentColor}
.x{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}
.launcher{bottom:var(--_bottom);width:var(--_size);height:var(--_size);border-radius:50%;background:var(--_accent);color:var(--chat-room-accent-text,#fff)}
[aria-expanded=true]>:is(.bubble,.launcher-badge),[aria-expanded=false]>.x{display:none}
.launcher-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:4px 5px;box-sizing:border-box;border-radius:10px;background:var(--chat-room-danger,#cf222e);color:#fff;font-variant-numeric:tabular-nums}
.launcher-panel{bottom:calc(var(--_bottom) + var(--_size) + 16px);width:var(--chat-room-panel-width,370px);height:var(--chat-room-panel-height,600px);
max-width:calc(100vw - 32px);max-height:calc(100vh - var(--_bottom) - var(--_size) - 32px);
display:flex;flex-direction:column;overflow:hidden;overscroll-behavior:contain;background:var(--_bg);border:1px solid var(--_border);border-radius:var(--chat-room-radius,12px);animation:chat-room-in .15s ease-out}
.launcher-panel:focus{outline:none}
.launcher-panel>:not(.launcher-bar){flex:1 1 auto;min-height:0;height:auto;width:auto}
.launcher-panel>.base{border:0;border-radius:0;box-shadow:none}
.launcher-bar{display:none;justify-content:flex-end;padding:0 4px;border-bottom:1px solid var(--_border)}
.launcher-close{width:44px;height:44px;border-radius:50%;background:none;color:inherit}
@keyframes chat-room-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.launcher-panel{animation:none}}
@media (max-width:480px){
.launcher-panel{left:0;right:0;top:var(--_vv-top,0);bottom:auto;width:auto;height:var(--_vv-height,100%);max-width:none;max-height:none;border:0;border-radius:0;box-shadow:none}
.launcher-bar{display:flex}
.launcher[aria-expanded=true]{visibility:hidden}}
`;
