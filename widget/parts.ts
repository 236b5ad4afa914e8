/**
 * The parts of the widget loaded on demand. Here (bundler users, tests) they
 * are plain dynamic imports; the script-tag build replaces this module with
 * one that imports the built, content-hashed chunks of each part from the
 * chat server, all of a part's files at once (rollup.config.mjs, `lazyParts`).
 */
export const loadUi = (): Promise<typeof import('./ui/index.js')> => import('./ui/index.js');
export const loadBadge = (): Promise<typeof import('./badge/index.js')> => import('./badge/index.js');
export const loadNotify = (): Promise<typeof import('./notify/index.js')> => import('./notify/index.js');
export const loadLauncher = (): Promise<typeof import('./launcher/index.js')> => import('./launcher/index.js');
export const loadClient = (): Promise<typeof import('./client/preconnect.js')> => import('./client/preconnect.js');
export const loadOutdated = (): Promise<typeof import('./controllers/reload-when-quiet.js')> => import('./controllers/reload-when-quiet.js');
