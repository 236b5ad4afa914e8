/** What every handler factory is given. */
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { ChatNamespace, ChatSocket } from '../socket-types.js';

export interface HandlerContext {
  nsp: ChatNamespace;
  socket: ChatSocket;
  services: Services;
  /** Already carries the socket's site, user and socket id. */
  logger: Logger;
}
