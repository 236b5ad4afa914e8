/** Shared by the rich-message tests (protocol 4): a room with members, and terse sends. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Ack, ChatMessage, SendRequest, Session } from '../../protocol/index.js';
import { clientId, connect, demoSecret, nowSeconds, signToken, startServer } from './helpers.js';
import type { Client, ConnectOptions, Running } from './helpers.js';

export const ROOM = 'lobby';

export interface Member {
  socket: Client;
  session: Session;
}

export interface RichRoom extends Running {
  secret: string;
  /** A signed-in user of the demo site (a moderator with `role`), in `ROOM`. */
  user(sub: string, claims?: Record<string, unknown>, options?: ConnectOptions): Promise<Member>;
  /** A guest, in `ROOM`. */
  guest(options?: ConnectOptions): Promise<Member>;
}

export async function richRoom(t: TestContext, options: Parameters<typeof startServer>[1] = {}): Promise<RichRoom> {
  const running = await startServer(t, options);
  const secret = await demoSecret(running.server);
  const joined = async (member: Member): Promise<Member> => {
    const ack = await member.socket.emitWithAck('room:join', { room: ROOM });
    assert.ok(ack.ok, JSON.stringify(ack));
    return member;
  };
  return {
    ...running,
    secret,
    user: async (sub, claims = {}, connectOptions = {}) => {
      const token = signToken({ sub, name: sub, site: 'demo', exp: nowSeconds() + 300, ...claims }, secret);
      return joined(await connect(t, running.url, { ...connectOptions, token }));
    },
    guest: async (connectOptions = {}) => joined(await connect(t, running.url, connectOptions)),
  };
}

/** Sends to `ROOM` and answers the stored message (the ack must be ok). */
export async function say(socket: Client, text: string, extra: Partial<SendRequest> = {}): Promise<ChatMessage> {
  const ack = await socket.emitWithAck('message:send', { room: ROOM, text, clientId: clientId(), ...extra });
  assert.ok(ack.ok, JSON.stringify(ack));
  return ack.data.message;
}

/** The error code of a refused answer ('ok' when it was not refused). */
export function codeOf(ack: Ack<unknown>): string {
  return ack.ok ? 'ok' : ack.error.code;
}
