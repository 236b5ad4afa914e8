/**
 * The Lua scripts of the Redis presence store: each change of a room's
 * members, its sorted index and its pending changes happens in one step, so
 * nodes racing on one room never see half of it. Key roles are named in
 * `redis-presence.ts`. Lua cannot case-fold Unicode, so sort keys come from
 * the caller and each member's current one is kept in the `k` hash.
 */

/**
 * Marks the room changed (unannounced changes expire if no node ever takes
 * them: a node died); keeps a member's place in the sorted index; takes a
 * removed member out of it, and an emptied room out of the site's rooms.
 */
const CHANGED = `
local function changed(joins, leaves, dirty, ttl)
  redis.call('SET', dirty, '1', 'PX', ttl)
  redis.call('PEXPIRE', joins, ttl)
  redis.call('PEXPIRE', leaves, ttl)
end
local function resort(keys, index, id, key)
  local old = redis.call('HGET', keys, id)
  if old == key then return end
  if old then redis.call('ZREM', index, old) end
  redis.call('ZADD', index, 0, key)
  redis.call('HSET', keys, id, key)
end
local function unlisted(members, keys, index, rooms, version, id, room)
  local key = redis.call('HGET', keys, id)
  if key then redis.call('ZREM', index, key) end
  redis.call('HDEL', keys, id)
  if redis.call('HLEN', members) == 0 then
    redis.call('SREM', rooms, room)
    redis.call('DEL', version)
  else
    redis.call('INCR', version)
  end
end
`;

/** Count, version and, in a room of at most `listMax`, the members in list order. */
const LISTED = `
local function listed(members, index, version, listMax)
  local count = redis.call('HLEN', members)
  local profiles = {}
  if count > 0 and count <= listMax then
    local ids = {}
    for i, key in ipairs(redis.call('ZRANGE', index, 0, -1)) do
      ids[i] = string.sub(key, string.find(key, '\\0', 1, true) + 1)
    end
    if #ids > 0 then profiles = redis.call('HMGET', members, unpack(ids)) end
  end
  return count, tonumber(redis.call('GET', version) or '0'), profiles
end
`;

/**
 * KEYS members, sortKeys, index, sockets, rooms, userRooms, nodeSockets, version, joins, leaves, dirty;
 * ARGV id, profile, sortKey, socket, room, nodeEntry, firstVersion, ttl. Answers 1 when the user was a member.
 */
export const ADD_SOCKET = `${CHANGED}
local was = redis.call('HEXISTS', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
resort(KEYS[2], KEYS[3], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('SADD', KEYS[5], ARGV[5])
redis.call('SADD', KEYS[6], ARGV[5])
redis.call('SADD', KEYS[7], ARGV[6])
redis.call('SET', KEYS[8], ARGV[7], 'NX')
redis.call('INCR', KEYS[8])
if was == 0 then
  if redis.call('HDEL', KEYS[10], ARGV[1]) == 0 then redis.call('HSET', KEYS[9], ARGV[1], ARGV[2]) end
  changed(KEYS[9], KEYS[10], KEYS[11], ARGV[8])
end
return was`;

/**
 * Removes the member when none of their sockets is left; answers the profile
 * removed. The last member takes the room's version with it: an empty room
 * keeps no key but its pending changes, which the next update takes.
 * KEYS sockets, members, userRooms, rooms, version, sortKeys, index, joins, leaves, dirty; ARGV id, room, ttl.
 */
export const REMOVE_IF_IDLE = `${CHANGED}
if redis.call('SCARD', KEYS[1]) > 0 then return false end
local user = redis.call('HGET', KEYS[2], ARGV[1])
if not user then return false end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[2])
unlisted(KEYS[2], KEYS[6], KEYS[7], KEYS[4], KEYS[5], ARGV[1], ARGV[2])
if redis.call('HDEL', KEYS[8], ARGV[1]) == 0 then redis.call('HSET', KEYS[9], ARGV[1], user) end
changed(KEYS[8], KEYS[9], KEYS[10], ARGV[3])
return user`;

/**
 * Replaces a member's profile if they are still a member; answers the room's
 * member count (0: not a member, and nothing written).
 * KEYS members, version, sortKeys, index, joins, leaves, dirty; ARGV id, profile, sortKey, ttl.
 */
export const UPDATE_IF_MEMBER = `${CHANGED}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
resort(KEYS[3], KEYS[4], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
if redis.call('HEXISTS', KEYS[5], ARGV[1]) == 1 then redis.call('HSET', KEYS[5], ARGV[1], ARGV[2]) end
changed(KEYS[5], KEYS[6], KEYS[7], ARGV[4])
return redis.call('HLEN', KEYS[1])`;

/**
 * Removes the member and their sockets whatever is left (an erase), naming
 * nobody: their unannounced join or leave is dropped. Answers 1 when they were a member.
 * KEYS sockets, members, rooms, version, sortKeys, index, joins, leaves, dirty; ARGV id, room, ttl.
 */
export const FORGET = `${CHANGED}
if redis.call('HDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1])
unlisted(KEYS[2], KEYS[5], KEYS[6], KEYS[3], KEYS[4], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('HDEL', KEYS[8], ARGV[1])
changed(KEYS[7], KEYS[8], KEYS[9], ARGV[3])
return 1`;

/** KEYS members, index, version; ARGV listMax. Answers { count, version, profiles }. */
export const SNAPSHOT = `${LISTED}
local count, version, profiles = listed(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]))
return { count, version, profiles }`;

/**
 * Takes the room's changes: nothing (nil) when no node marked it changed since
 * the last take. Profiles of joins and leaves are read only when they may be
 * named. KEYS dirty, joins, leaves, members, index, version; ARGV listMax, namedMax.
 * Answers { count, version, profiles, joinCount, joinProfiles, leaveCount, leaveProfiles }.
 */
export const TAKE_CHANGES = `${LISTED}
if redis.call('DEL', KEYS[1]) == 0 then return false end
local listMax, namedMax = tonumber(ARGV[1]), tonumber(ARGV[2])
local count, version, profiles = listed(KEYS[4], KEYS[5], KEYS[6], listMax)
local function take(key)
  local n = redis.call('HLEN', key)
  local named = {}
  if n > 0 and n <= namedMax and count <= listMax then named = redis.call('HVALS', key) end
  redis.call('DEL', key)
  return n, named
end
local joins, joined = take(KEYS[2])
local leaves, left = take(KEYS[3])
return { count, version, profiles, joins, joined, leaves, left }`;
