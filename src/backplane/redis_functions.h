#pragma once
// The Redis 7 Functions library parleyd loads (FUNCTION LOAD REPLACE) each
// time it connects: a Redis that restarted empty gets it back at once.
#include <string_view>

namespace parley::backplane {

// parley_say(KEYS: the room's sequence counter, its stream, its members
//            hash, its roles hash, its state key, the deciding node's rooms set;
//            ARGS: the room's channel, the stream's bound, the event, the room
//            key, then (op, owner, value) triples saying how the event changes
//            the room as Redis keeps it for nodes that start following it):
// in one atomic step, takes the room's next sequence number N, applies the
// ops, appends the event to the stream as entry "N-0" (trimming it to about
// the bound), and publishes "N FLAGS <event>" on the channel. Returns
// {N, FLAGS}. FLAGS is "." or, for an op "join-first" (a joiner its node made
// the room's operator), "o" when the room had no member (it runs the room)
// and "-" when it had (it does not). Ops: join/join-first OWNER IDENTITY,
// leave OWNER, ident OWNER IDENTITY (a rename), role OWNER +o|-o|+v|-v,
// state - STATE (the topic and settings as the deciding node had them: kept
// as the state hash's base only when it has none), field NAME VALUE (the
// topic, or one setting, as the event left it: a field of the state hash
// over the base). Fields rather than a node's whole copy, because two nodes
// changing the room at once each copy only their own change: the fields
// leave the room as every node has it after both, in the room's order.
// parley_room(KEYS: sequence counter, members, roles, state): the room as a
// node starting to follow it needs it, in one atomic read: {N, the state hash
// as a flat NAME VALUE list, members as a flat OWNER IDENTITY list, roles as
// a flat OWNER FLAGS list}.
//
// Names (one lease per folded name, held as "OWNER TOKEN" with an expiry):
// parley_claim(KEYS: the lease, the fencing counter, the node's names set;
// ARGS: owner, ms) takes the lease for OWNER (a node and its session) with a
// fresh fencing token from the counter, or extends OWNER's own; returns the
// token, 0 when another owner holds it. parley_renew and parley_release
// (KEYS: the lease; ARGS: "OWNER TOKEN"[, ms]) extend or drop it only while it
// is still that holder's: a holder whose lease expired and went to another
// cannot touch it.
//
// Liveness: parley_beat(KEYS: the nodes hash; ARGS: node, ms) records the
// node's heartbeat at Redis's own clock and returns 1 when it had none (its
// first, or the node was reaped meanwhile) or 0, then the nodes silent for
// longer than ms. parley_reap(KEYS: the nodes hash, the dead node's reaper
// lock, rooms set and names set; ARGS: dead node, reaper, lock ms): the first
// survivor to call it (SET NX on the lock) frees the dead node's name leases,
// forgets its heartbeat and returns its members as a flat ROOM OWNER
// IDENTITY list, for the reaper to announce their quits; later callers get
// nil (the reaper sets the lock to "REAPER done" once it has announced
// them). It also forgets the dead node's sessions' presence and inbox, and
// publishes each freed name on parley:names (wire.h NameNews).
//
// Private messages and presence: each node keeps its sessions' identities in
// the hash parley:node:NODE:users (OWNER -> identity) and reads its inbox, the
// stream parley:node:NODE:inbox, when told on parley:inbox:NODE (and every
// check). parley_pm(KEYS: the recipient's name lease; ARGS: the message, the
// inbox's bound) appends the message to the inbox of the node holding the
// lease and tells it, in one step; returns {OWNER, IDENTITY or ""}, or nil
// when nobody holds the name. parley_who(KEYS: a lease): the same answer,
// read only.
// parley_tell_all(KEYS: the nodes hash; ARGS: this node, a field name, the
// payload, the inbox's bound) appends the payload, under that field, to the
// inbox of every other node with a heartbeat, and tells each; returns how
// many (a private redaction goes to every node, since either account's
// sessions may be on any of them).
//
// Lookups (redis_lookups.cpp): parley_ask(KEYS: a lease; ARGS: the request,
// the asking node) publishes the request on parley:ask:NODE of the node
// holding the lease, unless that is the asker, and returns {OWNER, IDENTITY
// or "", how many subscribers heard it}, or nil when nobody holds the name.
// parley_ask_all(KEYS: the nodes hash; ARGS: the asking node, the request)
// publishes it on every other node's parley:ask:NODE; returns how many
// subscribers heard it (each answers once).
// parley_was(KEYS: the records of the names a user left, parley:was:KEY;
// ARGS: the record, how many to keep per name, ms): adds the record in front
// of each, keeps the newest, and lets each lapse ms after its last record.
inline constexpr std::string_view kFunctions = R"lua(#!lua name=parley
local function say(keys, args)
  local seq = redis.call('INCR', keys[1])
  local flags = '.'
  for i = 5, #args - 2, 3 do
    local op, owner, value = args[i], args[i + 1], args[i + 2]
    if op == 'join' or op == 'join-first' then
      if op == 'join-first' then
        if redis.call('HLEN', keys[3]) == 0 then flags = 'o' else flags = '-' end
      end
      redis.call('HSET', keys[3], owner, value)
      if flags == 'o' then redis.call('HSET', keys[4], owner, 'o') else redis.call('HDEL', keys[4], owner) end
      redis.call('SADD', keys[6], args[4])
    elseif op == 'leave' then
      redis.call('HDEL', keys[3], owner)
      redis.call('HDEL', keys[4], owner)
    elseif op == 'ident' then
      if redis.call('HEXISTS', keys[3], owner) == 1 then redis.call('HSET', keys[3], owner, value) end
    elseif op == 'role' then
      if redis.call('HEXISTS', keys[3], owner) == 1 then
        local letter = string.sub(value, 2, 2)
        local roles = string.gsub(redis.call('HGET', keys[4], owner) or '', letter, '')
        if string.sub(value, 1, 1) == '+' then roles = roles .. letter end
        if roles == '' then redis.call('HDEL', keys[4], owner) else redis.call('HSET', keys[4], owner, roles) end
      end
    elseif op == 'state' then
      redis.call('HSETNX', keys[5], 'base', value)
    elseif op == 'field' then
      redis.call('HSET', keys[5], owner, value)
    end
  end
  redis.call('XADD', keys[2], 'MAXLEN', '~', args[2], seq .. '-0', 'e', args[3], 'f', flags)
  redis.call('PUBLISH', args[1], seq .. ' ' .. flags .. ' ' .. args[3])
  return {seq, flags}
end
redis.register_function('parley_say', say)

local function claim(keys, args)
  local held = redis.call('GET', keys[1])
  if held then
    if string.sub(held, 1, #args[1] + 1) == args[1] .. ' ' then
      redis.call('PEXPIRE', keys[1], args[2])
      return tonumber(string.sub(held, #args[1] + 2))
    end
    return 0
  end
  local token = redis.call('INCR', keys[2])
  redis.call('SET', keys[1], args[1] .. ' ' .. token, 'PX', args[2])
  if keys[3] then redis.call('SADD', keys[3], keys[1]) end
  return token
end
redis.register_function('parley_claim', claim)

local function renew(keys, args)
  if redis.call('GET', keys[1]) == args[1] then
    redis.call('PEXPIRE', keys[1], args[2])
    return 1
  end
  return 0
end
redis.register_function('parley_renew', renew)

local function release(keys, args)
  if redis.call('GET', keys[1]) == args[1] then
    redis.call('DEL', keys[1])
    return 1
  end
  return 0
end
redis.register_function('parley_release', release)
local function room(keys, args)
  return {tonumber(redis.call('GET', keys[1]) or '0'), redis.call('HGETALL', keys[4]),
          redis.call('HGETALL', keys[2]), redis.call('HGETALL', keys[3])}
end
redis.register_function{function_name='parley_room', callback=room, flags={'no-writes'}}

local function beat(keys, args)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local answer = {redis.call('HSET', keys[1], args[1], now)}
  local all = redis.call('HGETALL', keys[1])
  for i = 1, #all, 2 do
    if now - tonumber(all[i + 1]) > tonumber(args[2]) then table.insert(answer, all[i]) end
  end
  return answer
end
redis.register_function('parley_beat', beat)

local function reap(keys, args)
  if not redis.call('SET', keys[2], args[2], 'NX', 'PX', args[3]) then return false end
  local prefix = args[1] .. '/'
  local users = 'parley:node:' .. args[1] .. ':users'
  for _, lease in ipairs(redis.call('SMEMBERS', keys[4])) do
    local held = redis.call('GET', lease)
    if held and string.sub(held, 1, #prefix) == prefix then
      redis.call('DEL', lease)
      local owner = string.sub(held, 1, string.find(held, ' ', 1, true) - 1)
      local key = string.sub(lease, 13)
      local who = redis.call('HGET', users, owner) or ''
      redis.call('PUBLISH', 'parley:names', '-' .. #args[1] .. ':' .. args[1] .. #key .. ':' .. key .. #who .. ':' .. who)
    end
  end
  redis.call('DEL', users, 'parley:node:' .. args[1] .. ':inbox')
  local gone = {}
  for _, room in ipairs(redis.call('SMEMBERS', keys[3])) do
    local members = redis.call('HGETALL', 'parley:room:' .. room .. ':members')
    for i = 1, #members, 2 do
      if string.sub(members[i], 1, #prefix) == prefix then
        table.insert(gone, room)
        table.insert(gone, members[i])
        table.insert(gone, members[i + 1])
      end
    end
  end
  redis.call('DEL', keys[3], keys[4])
  redis.call('HDEL', keys[1], args[1])
  return gone
end
redis.register_function('parley_reap', reap)

local function holder(lease)
  local held = redis.call('GET', lease)
  if not held then return nil end
  local owner = string.sub(held, 1, string.find(held, ' ', 1, true) - 1)
  local node = string.match(owner, '^(.*)/')
  return owner, node
end

local function pm(keys, args)
  local owner, node = holder(keys[1])
  if not owner then return false end
  local id = redis.call('XADD', 'parley:node:' .. node .. ':inbox', 'MAXLEN', '~', args[2], '*', 'e', args[1])
  redis.call('PUBLISH', 'parley:inbox:' .. node, id)
  return {owner, redis.call('HGET', 'parley:node:' .. node .. ':users', owner) or ''}
end
redis.register_function('parley_pm', pm)

local function who(keys, args)
  local owner, node = holder(keys[1])
  if not owner then return false end
  return {owner, redis.call('HGET', 'parley:node:' .. node .. ':users', owner) or ''}
end
redis.register_function{function_name='parley_who', callback=who, flags={'no-writes'}}

local function tell_all(keys, args)
  local told = 0
  for _, node in ipairs(redis.call('HKEYS', keys[1])) do
    if node ~= args[1] then
      local id = redis.call('XADD', 'parley:node:' .. node .. ':inbox', 'MAXLEN', '~', args[4], '*', args[2], args[3])
      redis.call('PUBLISH', 'parley:inbox:' .. node, id)
      told = told + 1
    end
  end
  return told
end
redis.register_function('parley_tell_all', tell_all)

local function ask(keys, args)
  local owner, node = holder(keys[1])
  if not owner then return false end
  local heard = 0
  if node ~= args[2] then heard = redis.call('PUBLISH', 'parley:ask:' .. node, args[1]) end
  return {owner, redis.call('HGET', 'parley:node:' .. node .. ':users', owner) or '', heard}
end
redis.register_function('parley_ask', ask)

local function ask_all(keys, args)
  local heard = 0
  for _, node in ipairs(redis.call('HKEYS', keys[1])) do
    if node ~= args[1] then heard = heard + redis.call('PUBLISH', 'parley:ask:' .. node, args[2]) end
  end
  return heard
end
redis.register_function('parley_ask_all', ask_all)

local function was(keys, args)
  for _, key in ipairs(keys) do
    redis.call('LPUSH', key, args[1])
    redis.call('LTRIM', key, 0, tonumber(args[2]) - 1)
    redis.call('PEXPIRE', key, args[3])
  end
  return #keys
end
redis.register_function('parley_was', was)
)lua";

}  // namespace parley::backplane
