/** A switchable TCP proxy to the test server (see `chat-proxy` in web-test-runner.config.mjs): take the server away, bring it back. */
import { executeServerCommand } from '@web/test-runner-commands';

export interface Proxy {
  /** `http://127.0.0.1:<port>`: use it as the element's `server`. */
  url: string;
  up(): Promise<void>;
  down(): Promise<void>;
}

/** A proxy on a free port, closed: nothing listens there until `up()`. */
export async function openProxy(): Promise<Proxy> {
  const { url, port } = (await executeServerCommand<{ url: string; port: number }, unknown>('chat-proxy', { action: 'open' }))!;
  const send = async (action: 'up' | 'down') => void (await executeServerCommand('chat-proxy', { action, port }));
  return { url, up: () => send('up'), down: () => send('down') };
}
