/**
 * Script-tag entry (bundled as one classic script): the element's default
 * server is the origin this script was loaded from, and `<chat-room>` is
 * defined only when nobody else took the name.
 */
import { ChatRoom } from './chat-room.js';
import { setDefaultServer } from './defaults.js';

const TAG = 'chat-room';
const script = document.currentScript as HTMLScriptElement | null;
if (script?.src) {
  try {
    setDefaultServer(new URL(script.src, location.href).origin);
  } catch {
    /* keep the page's origin */
  }
}

if (customElements.get(TAG)) {
  console.warn(`chat-room: <${TAG}> is already defined; this chat-room.js does nothing.`);
} else {
  customElements.define(TAG, ChatRoom);
}
