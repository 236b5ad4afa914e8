/** Every client event a site socket may send, routed to its handler (files named for the event's domain: `room:*` in room.ts, …). */
import type { HandlerContext } from './context.js';
import { directHistory, sendDirect } from './dm.js';
import { messageHistory, sendMessage } from './message.js';
import { moderatorBan, moderatorDelete, moderatorErase } from './moderation.js';
import { listPresence } from './presence.js';
import { ackRoom, joinRoom, leaveAllRooms, leaveRoom } from './room.js';
import { ping, renewSession } from './session.js';
import { setTyping } from './typing.js';
import { renameUser } from './user.js';

export function routeEvents(ctx: HandlerContext): void {
  const { socket } = ctx;
  socket.on('room:join', joinRoom(ctx));
  socket.on('room:leave', leaveRoom(ctx));
  socket.on('room:ack', ackRoom(ctx));
  socket.on('message:send', sendMessage(ctx));
  socket.on('message:history', messageHistory(ctx));
  socket.on('session:ping', ping(ctx));
  socket.on('session:renew', renewSession(ctx));
  socket.on('presence:list', listPresence(ctx));
  socket.on('typing:set', setTyping(ctx));
  socket.on('user:rename', renameUser(ctx));
  socket.on('dm:send', sendDirect(ctx));
  socket.on('dm:history', directHistory(ctx));
  socket.on('mod:delete', moderatorDelete(ctx));
  socket.on('mod:ban', moderatorBan(ctx));
  socket.on('mod:erase', moderatorErase(ctx));
  socket.on('disconnect', leaveAllRooms(ctx));
}
