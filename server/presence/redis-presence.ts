/**
 * Presence shared by every node of a cluster, in Redis. Each node keeps a
 * heartbeat key with a TTL and a set of the sockets it holds; when a node dies
 * its heartbeat expires, and the next node to look reaps its sockets, so the
 * members it held leave presence within `NODE_TTL_MS` plus the presence
 * service's reaping interval (2 s): 8 s.
 *
 * Keys (all under `prefix`): `pres:<site>:<room>:m` hash of members
 * (user id → profile), `…:z` the members in list order (ZSET of score 0,
 * members `<folded name>\0<id>`, see member-order.ts), `…:k` each member's
 * entry in it, `…:v` the version (deleted with the last member),
 * `…:s:<user>` set of that member's sockets (`<node>/<socket>`), `…:cj` and
 * `…:cl` joins and leaves not yet announced and `…:cu` members updated
 * (id → profile), `…:cd` set when the room has unannounced changes, `…:cb`
 * the version those changes apply to and `…:va` the version of the room's
 * last update (see redis-scripts.ts); `pres:<site>:rooms` rooms with members,
 * `pres:<site>:u:<user>` rooms of a user, `node:<id>` heartbeat,
 * `node:<id>:s` the node's socket entries, `nodes` known nodes.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { UserId, UserInfo } from '../../protocol/index.js';
import { decodeProfiles } from './redis-replies.js';
import { idOfKey, sortKey } from './member-order.js';
import type { MemberPage, MemberQuery } from './member-order.js';
import { announced, delta, firstVersion } from './presence.js';
import type { DepartedMember, ListingLimits, PresenceChangeSet, PresenceSnapshot, PresenceStore } from './presence.js';
import { ADD_SOCKET, FORGET, REMOVE_IF_IDLE, SNAPSHOT, TAKE_CHANGES, UPDATE_IF_MEMBER } from './redis-scripts.js';

/** A node that has not refreshed its heartbeat for this long is dead (the presence service looks every 2 s). */
export const NODE_TTL_MS = 6000;
const HEARTBEAT_MS = 2000;
/** Unannounced changes no node took within this long are dropped (their node died before its flush). */
const PENDING_TTL_MS = 10_000;

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

  async addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean; changed: boolean }> {
    const k = this.#roomKeys(site, room, user.id);
    const socket = this.#socket(socketId);
    const nodeSockets = this.#key(`node:${this.nodeId}:s`);
    const keys = [k.members, k.sortKeys, k.index, k.sockets, k.rooms, k.userRooms, nodeSockets, k.version, ...pendingKeys(k)];
    const args = [user.id, JSON.stringify(user), sortKey(user), socket, room, entry(site, room, user.id, socket), firstVersion(), PENDING_TTL_MS];
    const was = Number(await this.#redis.eval(ADD_SOCKET, keys.length, ...keys, ...args));
    return { wasMember: was > 0, changed: was !== 1 };
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
    const keys = [k.sockets, k.members, k.userRooms, k.rooms, k.version, k.sortKeys, k.index, ...pendingKeys(k)];
    const removed = (await this.#redis.eval(REMOVE_IF_IDLE, keys.length, ...keys, userId, room, PENDING_TTL_MS)) as string | null;
    return removed ? (JSON.parse(removed) as UserInfo) : undefined;
  }

  async updateUser(site: string, user: UserInfo): Promise<Array<{ room: string; count: number }>> {
    const rooms = await this.#redis.smembers(this.#key(`pres:${site}:u:${user.id}`));
    const profile = JSON.stringify(user);
    const key = sortKey(user);
    const kept: Array<{ room: string; count: number }> = [];
    for (const room of rooms) {
      const k = this.#roomKeys(site, room, user.id);
      const keys = [k.members, k.version, k.sortKeys, k.index, ...pendingKeys(k)];
      const count = Number(await this.#redis.eval(UPDATE_IF_MEMBER, keys.length, ...keys, user.id, profile, key, PENDING_TTL_MS));
      if (count > 0) kept.push({ room, count });
    }
    return kept;
  }

  async forget(site: string, userId: UserId): Promise<string[]> {
    const userRooms = this.#key(`pres:${site}:u:${userId}`);
    const rooms: string[] = [];
    for (const room of await this.#redis.smembers(userRooms)) {
      const k = this.#roomKeys(site, room, userId);
      const keys = [k.sockets, k.members, k.rooms, k.version, k.sortKeys, k.index, ...pendingKeys(k)];
      if (await this.#redis.eval(FORGET, keys.length, ...keys, userId, room, PENDING_TTL_MS)) rooms.push(room);
    }
    await this.#redis.del(userRooms);
    return rooms;
  }

  async snapshot(site: string, room: string, listMax: number): Promise<PresenceSnapshot> {
    const k = this.#roomKeys(site, room, '');
    // One script: the members and the version they are at.
    const [count, version, profiles] = (await this.#redis.eval(SNAPSHOT, 3, k.members, k.index, k.version, listMax)) as [number, number, Array<string | null>];
    return { count, members: decodeProfiles(profiles), version };
  }

  count(site: string, room: string): Promise<number> {
    return this.#redis.hlen(this.#roomKeys(site, room, '').members);
  }

  async hasChanges(site: string, room: string): Promise<boolean> {
    return (await this.#redis.exists(this.#roomKeys(site, room, '').dirty)) === 1;
  }

  async takeChanges(site: string, room: string, { listMax, namedMax }: ListingLimits): Promise<PresenceChangeSet | undefined> {
    const k = this.#roomKeys(site, room, '');
    const keys = [...pendingKeys(k), k.members, k.index, k.version];
    const taken = (await this.#redis.eval(TAKE_CHANGES, keys.length, ...keys, listMax, namedMax)) as
      | [number, number, number, number, Array<string | null>, number, string[], number, string[], string[]]
      | null;
    if (!taken) return undefined;
    const [isDelta, count, version, base, profiles, joins, joined, leaves, left, updated] = taken;
    if (isDelta) return delta(count, version, base, decodeProfiles(joined), decodeProfiles(left), decodeProfiles(updated));
    const listed = count <= listMax;
    return {
      count,
      version,
      members: decodeProfiles(profiles),
      joined: announced(decodeProfiles(joined), joins, listed, namedMax),
      left: announced(decodeProfiles(left), leaves, listed, namedMax),
    };
  }

  async page(site: string, room: string, { prefix, after, limit }: MemberQuery): Promise<MemberPage> {
    const k = this.#roomKeys(site, room, '');
    // Inclusive from the prefix, or exclusive after the cursor when it is past it; up to the prefix followed by 0xFF, above any UTF-8.
    const from = after !== undefined && Buffer.compare(Buffer.from(after), Buffer.from(prefix)) >= 0 ? `(${after}` : `[${prefix}`;
    const to = prefix === '' ? '+' : Buffer.concat([Buffer.from(`[${prefix}`), Buffer.from([0xff])]);
    const [range, count] = (await this.#redis.multi().zrangebylex(k.index, from, to, 'LIMIT', 0, limit + 1).hlen(k.members).exec()) ?? [];
    const keys = (range?.[1] as string[] | undefined) ?? [];
    const more = keys.length > limit;
    if (more) keys.pop();
    const members = keys.length > 0 ? decodeProfiles(await this.#redis.hmget(k.members, ...keys.map(idOfKey))) : [];
    return { count: Number(count?.[1] ?? 0), members, ...(more ? { last: keys.at(-1)! } : {}) };
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
    const base = this.#key(`pres:${site}:${room}:`);
    return {
      members: `${base}m`,
      index: `${base}z`,
      sortKeys: `${base}k`,
      version: `${base}v`,
      joins: `${base}cj`,
      leaves: `${base}cl`,
      updates: `${base}cu`,
      dirty: `${base}cd`,
      base: `${base}cb`,
      announced: `${base}va`,
      sockets: `${base}s:${userId}`,
      rooms: this.#key(`pres:${site}:rooms`),
      userRooms: this.#key(`pres:${site}:u:${userId}`),
    };
  }
}

/** The six keys of a room's pending changes, in the order the scripts take them. */
function pendingKeys(k: { joins: string; leaves: string; updates: string; dirty: string; base: string; announced: string }): string[] {
  return [k.joins, k.leaves, k.updates, k.dirty, k.base, k.announced];
}

function entry(site: string, room: string, userId: UserId, socket: string): string {
  return [site, room, userId, socket].join('\0');
}
