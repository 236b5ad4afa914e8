/**
 * Typing in big rooms, in Redis for a cluster. Keys (under `prefix`):
 * `typ:<site>:<room>:z` ZSET user id → when their typing expires,
 * `…:p` their profiles, `…:c` set when the typists changed since the last
 * summary, `…:n` the count of the last summary. Every key expires soon after
 * the last typing would.
 */
import type { Redis } from 'ioredis';
import type { UserInfo } from '../../protocol/index.js';
import { TYPING_TIMEOUT_MS } from '../../protocol/index.js';
import { decodeProfiles } from './redis-replies.js';
import type { TypingStore, TypingTake } from './typing-store.js';

const KEY_TTL_MS = TYPING_TIMEOUT_MS * 2;

/** KEYS typists, profiles, changed; ARGV id, profile, expiresAt ('' to stop), ttl. Answers 1 when the typists changed. */
const SET_TYPING = `
if ARGV[3] == '' then
  if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
  return 1
end
local added = redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if added == 1 then redis.call('SET', KEYS[3], '1', 'PX', ARGV[4]) end
return added`;

/**
 * KEYS typists, profiles, changed, sent; ARGV now, namedMax, ttl.
 * Answers { due, count, nextExpiry or false, profiles of the latest typists }.
 */
const TAKE_TYPING = `
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local count = redis.call('ZCARD', KEYS[1])
local changed = redis.call('DEL', KEYS[3])
local due = (changed == 1 or count ~= tonumber(redis.call('GET', KEYS[4]) or '0')) and 1 or 0
if count == 0 then redis.call('DEL', KEYS[4]) else redis.call('SET', KEYS[4], count, 'PX', ARGV[3]) end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local latest = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
local profiles = {}
if #latest > 0 then profiles = redis.call('HMGET', KEYS[2], unpack(latest)) end
return { due, count, first[2] or false, profiles }`;

export class RedisTyping implements TypingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async set(site: string, room: string, user: UserInfo, expiresAt: number | undefined): Promise<boolean> {
    const k = this.keys(site, room);
    const changed = await this.redis.eval(SET_TYPING, 3, k.typists, k.profiles, k.changed, user.id, JSON.stringify(user), expiresAt ?? '', KEY_TTL_MS);
    return changed === 1;
  }

  async take(site: string, room: string, now: number, namedMax: number): Promise<TypingTake> {
    const k = this.keys(site, room);
    const [due, count, first, profiles] = (await this.redis.eval(TAKE_TYPING, 4, k.typists, k.profiles, k.changed, k.sent, now, namedMax, KEY_TTL_MS)) as [
      number,
      number,
      string | null,
      Array<string | null>,
    ];
    return { due: due === 1, count, users: decodeProfiles(profiles), ...(first ? { nextExpiry: Number(first) } : {}) };
  }

  private keys(site: string, room: string) {
    const base = `${this.prefix}typ:${site}:${room}:`;
    return { typists: `${base}z`, profiles: `${base}p`, changed: `${base}c`, sent: `${base}n` };
  }
}
