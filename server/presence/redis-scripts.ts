/**
 * The Lua scripts of the Redis presence store: each change of a room's
 * members, its sorted index and its pending changes happens in one step, so
 * nodes racing on one room never see half of it. Key roles are named in
 * `redis-presence.ts`. Lua cannot case-fold Unicode, so sort keys come from
 * the caller and each member's current one is kept in the `k` hash.
 */

/**
 * A room's pending changes are six keys, passed last (from `KEYS[i]`): net
 * joins, net leaves and `updates` (members listed before and after the window
 * whose profile changed or who left and came back), each id → profile; the
 * `dirty` mark; the window's `base` (the version of the room's last update,
 * while that update listed it); `announced`, that version between windows.
 * Every change of a window has the TTL of pending changes: when no node takes
 * them (a node died), the base goes too, and the next update lists the room.
 * Each user is in at most one of the three hashes: a join and a leave of one
 * user within a window cancel out. `changed` comes before a change is
 * recorded: it opens the window (moving `announced` to `base`) on the first.
 *
 * Also: keeping a member's place in the sorted index; taking a removed member
 * out of it, and an emptied room out of the site's rooms.
 */
const CHANGED = `
local function pending(i)
  return { joins = KEYS[i], leaves = KEYS[i + 1], updates = KEYS[i + 2], dirty = KEYS[i + 3], base = KEYS[i + 4], announced = KEYS[i + 5] }
end
local function changed(p, ttl)
  if redis.call('SET', p.dirty, '1', 'PX', ttl, 'NX') then
    local v = redis.call('GET', p.announced)
    redis.call('DEL', p.announced)
    if v then redis.call('SET', p.base, v, 'PX', ttl) end
  else
    redis.call('PEXPIRE', p.dirty, ttl)
    redis.call('PEXPIRE', p.base, ttl)
  end
  redis.call('PEXPIRE', p.joins, ttl)
  redis.call('PEXPIRE', p.leaves, ttl)
  redis.call('PEXPIRE', p.updates, ttl)
end
local function joinedNow(p, id, profile)
  if redis.call('HDEL', p.leaves, id) == 1 then redis.call('HSET', p.updates, id, profile)
  else redis.call('HSET', p.joins, id, profile) end
end
local function leftNow(p, id, profile)
  if redis.call('HDEL', p.joins, id) == 1 then
    -- Joined and gone within the window: a delta cannot name it.
    redis.call('DEL', p.base)
  else
    redis.call('HDEL', p.updates, id)
    redis.call('HSET', p.leaves, id, profile)
  end
end
local function profileNow(p, id, profile)
  if redis.call('HEXISTS', p.joins, id) == 1 then redis.call('HSET', p.joins, id, profile)
  else redis.call('HSET', p.updates, id, profile) end
end
local function resort(keys, index, id, key)
  local old = redis.call('HGET', keys, id)
  if old == key then return end
  if old then redis.call('ZREM', index, old) end
  redis.call('ZADD', index, 0, key)
  redis.call('HSET', keys, id, key)
end
local function unlisted(members, keys, index, rooms, version, p, id, room)
  local key = redis.call('HGET', keys, id)
  if key then redis.call('ZREM', index, key) end
  redis.call('HDEL', keys, id)
  if redis.call('HLEN', members) == 0 then
    redis.call('SREM', rooms, room)
    redis.call('DEL', version, p.announced)
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
 * KEYS members, sortKeys, index, sockets, rooms, userRooms, nodeSockets, version, then the six pending keys;
 * ARGV id, profile, sortKey, socket, room, nodeEntry, firstVersion, ttl.
 * Answers 0 (a new member), 1 (a member already), 2 (a member already, with a new profile).
 */
export const ADD_SOCKET = `${CHANGED}
local p = pending(9)
local old = redis.call('HGET', KEYS[1], ARGV[1])
local was = old and 1 or 0
if old ~= ARGV[2] then changed(p, ARGV[8]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
resort(KEYS[2], KEYS[3], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('SADD', KEYS[5], ARGV[5])
redis.call('SADD', KEYS[6], ARGV[5])
redis.call('SADD', KEYS[7], ARGV[6])
redis.call('SET', KEYS[8], ARGV[7], 'NX')
redis.call('INCR', KEYS[8])
if not old then
  joinedNow(p, ARGV[1], ARGV[2])
elseif old ~= ARGV[2] then
  profileNow(p, ARGV[1], ARGV[2])
  return 2
end
return was`;

/**
 * Removes the member when none of their sockets is left; answers the profile
 * removed. The last member takes the room's version with it: an empty room
 * keeps no key but its pending changes, which the next update takes.
 * KEYS sockets, members, userRooms, rooms, version, sortKeys, index, then the six pending keys; ARGV id, room, ttl.
 */
export const REMOVE_IF_IDLE = `${CHANGED}
if redis.call('SCARD', KEYS[1]) > 0 then return false end
local user = redis.call('HGET', KEYS[2], ARGV[1])
if not user then return false end
local p = pending(8)
changed(p, ARGV[3])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[2])
unlisted(KEYS[2], KEYS[6], KEYS[7], KEYS[4], KEYS[5], p, ARGV[1], ARGV[2])
leftNow(p, ARGV[1], user)
return user`;

/**
 * Replaces a member's profile if they are still a member; answers the room's
 * member count (0: not a member, and nothing written).
 * KEYS members, version, sortKeys, index, then the six pending keys; ARGV id, profile, sortKey, ttl.
 */
export const UPDATE_IF_MEMBER = `${CHANGED}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local p = pending(5)
changed(p, ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
resort(KEYS[3], KEYS[4], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
profileNow(p, ARGV[1], ARGV[2])
return redis.call('HLEN', KEYS[1])`;

/**
 * Removes the member and their sockets whatever is left (an erase), naming
 * nobody: their unannounced join or leave is dropped, and the window cannot
 * be a delta. Answers 1 when they were a member.
 * KEYS sockets, members, rooms, version, sortKeys, index, then the six pending keys; ARGV id, room, ttl.
 */
export const FORGET = `${CHANGED}
if redis.call('HDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
local p = pending(7)
changed(p, ARGV[3])
redis.call('DEL', KEYS[1])
unlisted(KEYS[2], KEYS[5], KEYS[6], KEYS[3], KEYS[4], p, ARGV[1], ARGV[2])
redis.call('HDEL', p.joins, ARGV[1])
redis.call('HDEL', p.leaves, ARGV[1])
redis.call('HDEL', p.updates, ARGV[1])
redis.call('DEL', p.base)
return 1`;

/** KEYS members, index, version; ARGV listMax. Answers { count, version, profiles }. */
export const SNAPSHOT = `${LISTED}
local count, version, profiles = listed(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]))
return { count, version, profiles }`;

/**
 * Takes the room's changes: nothing (nil) when no node marked it changed since
 * the last take. A delta when the window has a base, the room is listed and
 * every change may be named (no list is read then); else the list (in a
 * listed room) and the joins and leaves, named when few. A listed room's
 * version becomes the next window's base.
 * KEYS the six pending keys, members, index, version; ARGV listMax, namedMax.
 * Answers { delta (1/0), count, version, base, profiles, joinCount, joinProfiles, leaveCount, leaveProfiles, updateProfiles }.
 */
export const TAKE_CHANGES = `${LISTED}
local joinsKey, leavesKey, updatesKey, dirty, baseKey, announced = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
if redis.call('DEL', dirty) == 0 then return false end
local listMax, namedMax = tonumber(ARGV[1]), tonumber(ARGV[2])
local count = redis.call('HLEN', KEYS[7])
local version = tonumber(redis.call('GET', KEYS[9]) or '0')
local base = redis.call('GET', baseKey)
local joins, leaves, updates = redis.call('HLEN', joinsKey), redis.call('HLEN', leavesKey), redis.call('HLEN', updatesKey)
local isListed = count <= listMax
redis.call('DEL', baseKey)
if isListed and count > 0 then redis.call('SET', announced, version) else redis.call('DEL', announced) end
local delta = base and isListed and joins <= namedMax and leaves <= namedMax and updates <= namedMax
local profiles, updated = {}, {}
if delta then
  updated = redis.call('HVALS', updatesKey)
else
  count, version, profiles = listed(KEYS[7], KEYS[8], KEYS[9], listMax)
end
local function take(key, n)
  local named = {}
  if n > 0 and n <= namedMax and isListed then named = redis.call('HVALS', key) end
  return named
end
local joined, left = take(joinsKey, joins), take(leavesKey, leaves)
redis.call('DEL', joinsKey, leavesKey, updatesKey)
return { delta and 1 or 0, count, version, tonumber(base or '0'), profiles, joins, joined, leaves, left, updated }`;
