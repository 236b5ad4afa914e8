/**
 * Every client event a site socket may send, routed to its handler (files
 * named for the event's domain: `room:*` in room.ts, …). Sockets share the
 * routes: a handler is made from a context when its event arrives, so an
 * idle socket holds no handler, closure or logger of its own.
 */
import type { Ack } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { ChatSocket } from '../socket-types.js';
import type { ClientEvent } from '../validate.js';
import type { HandlerContext } from './context.js';
import { directHistory, sendDirect } from './dm.js';
import { mediaTicket } from './media.js';
import { messageHistory, sendMessage } from './message.js';
import { deleteMessage, editMessage, messageChanges, reactToMessage } from './message-changes.js';
import { moderatorBan, moderatorDelete, moderatorErase } from './moderation.js';
import { listPresence } from './presence.js';
import { setPrivacy } from './privacy.js';
import { ackRoom, joinRoom, leaveAllRooms, leaveRoom } from './room.js';
import { ping, renewSession } from './session.js';
import { setTyping } from './typing.js';
import { renameUser } from './user.js';

/** A handler factory; its handler takes the request as the event guard parsed it, and the ack. */
type Route = (ctx: HandlerContext) => (request: never, ack: never) => unknown;
type Handler = (request: unknown, ack: ((response: Ack<never>) => void) | undefined) => unknown;

const ROUTES: { readonly [E in ClientEvent]: Route } = {
  'room:join': joinRoom,
  'room:leave': leaveRoom,
  'room:ack': ackRoom,
  'message:send': sendMessage,
  'message:history': messageHistory,
  'message:edit': editMessage,
  'message:delete': deleteMessage,
  'message:react': reactToMessage,
  'message:changes': messageChanges,
  'session:ping': ping,
  'session:renew': renewSession,
  'presence:list': listPresence,
  'typing:set': setTyping,
  'user:rename': renameUser,
  'user:privacy': setPrivacy,
  'media:ticket': mediaTicket,
  'dm:send': sendDirect,
  'dm:history': directHistory,
  'mod:delete': moderatorDelete,
  'mod:ban': moderatorBan,
  'mod:erase': moderatorErase,
};

/** Handlers that keep state of their socket between events (typing's relay throttle): made once per socket, at its first such event. */
const PER_SOCKET: ReadonlySet<ClientEvent> = new Set(['typing:set']);
const kept = new WeakMap<ChatSocket, Map<ClientEvent, Handler>>();

/** What the server gives every handler context. */
export interface HandlerBase {
  services: Services;
  logger: Logger;
}

/** A context for one event (or the connection) of `socket`; its logger carries the site, socket and user. */
export function contextOf(socket: ChatSocket, { services, logger }: HandlerBase): HandlerContext {
  const { site, user } = socket.data;
  return { nsp: socket.nsp, socket, services, logger: logger.child({ site: site.id, socket: socket.id, user: user.id }) };
}

/** Runs the handler of an event the guard admitted. */
export function dispatch(socket: ChatSocket, base: HandlerBase, event: ClientEvent, request: unknown, ack: ((response: Ack<never>) => void) | undefined): void {
  handlerOf(socket, base, event)(request, ack);
}

/** On disconnect: every room the socket was in is left. */
export function disconnected(socket: ChatSocket, base: HandlerBase): void {
  void leaveAllRooms(contextOf(socket, base))();
}

function handlerOf(socket: ChatSocket, base: HandlerBase, event: ClientEvent): Handler {
  if (!PER_SOCKET.has(event)) return ROUTES[event](contextOf(socket, base)) as Handler;
  let handlers = kept.get(socket);
  if (!handlers) kept.set(socket, (handlers = new Map()));
  let handler = handlers.get(event);
  if (!handler) handlers.set(event, (handler = ROUTES[event](contextOf(socket, base)) as Handler));
  return handler;
}
