/**
 * The launcher part, loaded at once by `<chat-room mode="launcher">` (the
 * loader draws a stand-in of the button meanwhile), so inline pages never pay
 * for it: the floating button, its badge and panel, and the launcher's
 * behaviour around the chat.
 */
export { Launcher, type LauncherLabel, type LauncherOptions } from './launcher.js';
export { LauncherMode, type LauncherHooks, type LauncherHost } from './launcher-mode.js';
export { launcherCss } from './launcher.styles.js';
