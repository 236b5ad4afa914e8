/**
 * Whether the launcher's panel was open, remembered per server and site across
 * page loads. Storage can throw (private mode, sandboxed frame, quota): then
 * the panel simply starts closed and nothing is remembered.
 */
const storageKey = (server: string, site: string): string => `chat-room:launcher-open:${server}|${site}`;

export function loadOpen(server: string, site: string): boolean {
  try {
    return localStorage.getItem(storageKey(server, site)) === '1';
  } catch {
    return false;
  }
}

export function saveOpen(server: string, site: string, open: boolean): void {
  try {
    localStorage.setItem(storageKey(server, site), open ? '1' : '0');
  } catch {
    /* private mode, quota or sandboxed frame: not remembered */
  }
}
