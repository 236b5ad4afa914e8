/** The notify part: loaded only by elements with `title-badge`, `sound` or `notify`. */
export { Notifier, type NotifierHost, type NotifierOptions } from './notifier.js';
