#pragma once
// The Redis 7 Functions library parleyd loads (FUNCTION LOAD REPLACE) each
// time it connects: a Redis that restarted empty gets it back at once.
#include <string_view>

namespace parley::backplane {

// parley_say(KEYS: the room's sequence counter, the room's stream;
//            ARGS: the room's channel, the stream's bound, the event):
// in one atomic step, takes the room's next sequence number N, appends the
// event to the stream as entry "N-0" (trimming it to about the bound), and
// publishes "N <event>" on the channel. Returns N.
//
// Names (one lease per folded name, held as "OWNER TOKEN" with an expiry):
// parley_claim(KEYS: the lease, the fencing counter; ARGS: owner, ms) takes
// the lease for OWNER (a node and its session) with a fresh fencing token
// from the counter, or extends OWNER's own; returns the token, 0 when
// another owner holds it. parley_renew and parley_release (KEYS: the lease;
// ARGS: "OWNER TOKEN"[, ms]) extend or drop it only while it is still that
// holder's: a holder whose lease expired and went to another cannot touch it.
inline constexpr std::string_view kFunctions = R"lua(#!lua name=parley
local function say(keys, args)
  local seq = redis.call('INCR', keys[1])
  redis.call('XADD', keys[2], 'MAXLEN', '~', args[2], seq .. '-0', 'e', args[3])
  redis.call('PUBLISH', args[1], seq .. ' ' .. args[3])
  return seq
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
)lua";

}  // namespace parley::backplane
