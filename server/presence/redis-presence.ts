/**
 * Presence shared by every node of a cluster, in Redis. Each node keeps a
 * heartbeat key with a TTL and a set of the sockets it holds; when a node dies
 * its heartbeat expires, and the next node to look reaps its sockets, so the
 * members it held leave presence within `NODE_TTL_MS` plus the presence
 * service's reaping interval (2 s): 8 s.
 *
 * Keys (all under `prefix`): `pres:<site>:<room>:m` hash of members
 * (user id → profile), `pres:<site>:<room>:v` its version (deleted with the last member), `pres:<site>:<room>:s:<user>` set of that member's
 * sockets (`<node>/<socket>`), `pres:<site>:rooms` rooms with members,
 * `pres:<site>:u:<user>` rooms of a user, `node:<id>` heartbeat,
 * `node:<id>:s` the node's socket entries, `nodes` known nodes.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { UserId, UserInfo } from '../../protocol/index.js';
import { firstVersion } from './presence.js';
import type { DepartedMember, PresenceSnapshot, PresenceStore } from './presence.js';

/** A node that has not refreshed its heartbeat for this long is dead (the presence service looks every 2 s). */
export const NODE_TTL_MS = 6000;
const HEARTBEAT_MS = 2000;

/**
 * Removes the member when none of their sockets is left; answers the profile
 * removed. The last member takes the room's version with it: an empty room
 * keeps no key (its other keys are emptied sets and hashes, which Redis drops).
 */
const REMOVE_IF_IDLE = `
if redis.call('SCARD', KEYS[1]) > 0 then return false end
local user = redis.call('HGET', KEYS[2], ARGV[1])
if not user then return false end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[2])
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('SREM', KEYS[4], ARGV[2])
  redis.call('DEL', KEYS[5])
else
  redis.call('INCR', KEYS[5])
end
return user`;

/** Replaces a member's profile if they are still a member (no version key for a room they left). */
const UPDATE_IF_MEMBER = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[2])
return 1`;

/** Removes the member and their sockets whatever is left (an erase); answers 1 when they were a member. */
const FORGET = `
if redis.call('HDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[2])
  redis.call('DEL', KEYS[4])
else
  redis.call('INCR', KEYS[4])
end
return 1`;

export class RedisPresence implements PresenceStore {
  readonly nodeId = randomUUID();
  readonly #redis: Redis;
  readonly #prefix: string;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(redis: Redis, prefix = 'chat-room:') {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** Announces this node and keeps its heartbeat fresh until `close()`. */
  async start(): Promise<void> {
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat().catch(() => undefined), HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Stops the heartbeat and forgets this node (its sockets are gone with it). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#redis.multi().del(this.#key(`node:${this.nodeId}`), this.#key(`node:${this.nodeId}:s`)).srem(this.#key('nodes'), this.nodeId).exec();
  }

  async addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean }> {
    const k = this.#roomKeys(site, room, user.id);
    const result = await this.#redis
      .multi()
      .hexists(k.members, user.id)
      .hset(k.members, user.id, JSON.stringify(user))
      .sadd(k.sockets, this.#socket(socketId))
      .sadd(k.rooms, room)
      .sadd(k.userRooms, room)
      .sadd(this.#key(`node:${this.nodeId}:s`), entry(site, room, user.id, this.#socket(socketId)))
      .set(k.version, firstVersion(), 'NX')
      .incr(k.version)
      .exec();
    return { wasMember: result?.[0]?.[1] === 1 };
  }

  async removeSocket(site: string, room: string, userId: UserId, socketId: string): Promise<{ remaining: number }> {
    const k = this.#roomKeys(site, room, userId);
    const result = await this.#redis
      .multi()
      .srem(k.sockets, this.#socket(socketId))
      .srem(this.#key(`node:${this.nodeId}:s`), entry(site, room, userId, this.#socket(socketId)))
      .scard(k.sockets)
      .exec();
    return { remaining: Number(result?.[2]?.[1] ?? 0) };
  }

  async removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined> {
    const k = this.#roomKeys(site, room, userId);
    const removed = (await this.#redis.eval(REMOVE_IF_IDLE, 5, k.sockets, k.members, k.userRooms, k.rooms, k.version, userId, room)) as
      | string
      | null;
    return removed ? (JSON.parse(removed) as UserInfo) : undefined;
  }

  async updateUser(site: string, user: UserInfo): Promise<string[]> {
    const rooms = await this.#redis.smembers(this.#key(`pres:${site}:u:${user.id}`));
    const profile = JSON.stringify(user);
    const kept: string[] = [];
    for (const room of rooms) {
      const k = this.#roomKeys(site, room, user.id);
      if (await this.#redis.eval(UPDATE_IF_MEMBER, 2, k.members, k.version, user.id, profile)) kept.push(room);
    }
    return kept;
  }

  async forget(site: string, userId: UserId): Promise<string[]> {
    const userRooms = this.#key(`pres:${site}:u:${userId}`);
    const rooms: string[] = [];
    for (const room of await this.#redis.smembers(userRooms)) {
      const k = this.#roomKeys(site, room, userId);
      if (await this.#redis.eval(FORGET, 4, k.sockets, k.members, k.rooms, k.version, userId, room)) rooms.push(room);
    }
    await this.#redis.del(userRooms);
    return rooms;
  }

  async snapshot(site: string, room: string, limit: number): Promise<PresenceSnapshot> {
    const k = this.#roomKeys(site, room, '');
    // One transaction: the members and the version they are at.
    const [values, version] = (await this.#redis.multi().hvals(k.members).get(k.version).exec()) ?? [];
    const members = ((values?.[1] as string[] | undefined) ?? []).map((json) => JSON.parse(json) as UserInfo);
    members.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { count: members.length, members: members.slice(0, limit), version: Number(version?.[1] ?? 0) };
  }

  async rooms(site: string): Promise<Array<{ room: string; count: number }>> {
    const rooms = await this.#redis.smembers(this.#key(`pres:${site}:rooms`));
    const counts = await Promise.all(rooms.map((room) => this.#redis.hlen(this.#roomKeys(site, room, '').members)));
    return rooms
      .map((room, i) => ({ room, count: counts[i]! }))
      .filter((r) => r.count > 0)
      .sort((a, b) => a.room.localeCompare(b.room));
  }

  /**
   * Forgets the sockets of nodes whose heartbeat expired; answers the members
   * left with no socket in a room, for the presence service to announce.
   */
  async reapDeadNodes(): Promise<DepartedMember[]> {
    const departed: DepartedMember[] = [];
    for (const node of await this.#redis.smembers(this.#key('nodes'))) {
      if (node === this.nodeId || (await this.#redis.exists(this.#key(`node:${node}`)))) continue;
      // One reaper per dead node, or its members would be announced gone twice.
      if (!(await this.#redis.set(this.#key(`reap:${node}`), this.nodeId, 'PX', NODE_TTL_MS, 'NX'))) continue;
      for (const item of await this.#redis.smembers(this.#key(`node:${node}:s`))) {
        const [site, room, userId, socket] = item.split('\0') as [string, string, string, string];
        const sockets = this.#roomKeys(site, room, userId).sockets;
        const [, remaining] = (await this.#redis.multi().srem(sockets, socket).scard(sockets).exec()) ?? [];
        if (Number(remaining?.[1]) === 0) departed.push({ site, room, userId });
      }
      await this.#redis.multi().del(this.#key(`node:${node}:s`)).srem(this.#key('nodes'), node).exec();
    }
    return departed;
  }

  async #beat(): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#key(`node:${this.nodeId}`), String(Date.now()), 'PX', NODE_TTL_MS)
      .sadd(this.#key('nodes'), this.nodeId)
      .exec();
  }

  #socket(socketId: string): string {
    return `${this.nodeId}/${socketId}`;
  }

  #key(name: string): string {
    return this.#prefix + name;
  }

  #roomKeys(site: string, room: string, userId: UserId) {
    return {
      members: this.#key(`pres:${site}:${room}:m`),
      version: this.#key(`pres:${site}:${room}:v`),
      sockets: this.#key(`pres:${site}:${room}:s:${userId}`),
      rooms: this.#key(`pres:${site}:rooms`),
      userRooms: this.#key(`pres:${site}:u:${userId}`),
    };
  }
}

function entry(site: string, room: string, userId: UserId, socket: string): string {
  return [site, room, userId, socket].join('\0');
}
