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
inline constexpr std::string_view kFunctions = R"lua(#!lua name=parley
local function say(keys, args)
  local seq = redis.call('INCR', keys[1])
  redis.call('XADD', keys[2], 'MAXLEN', '~', args[2], seq .. '-0', 'e', args[3])
  redis.call('PUBLISH', args[1], seq .. ' ' .. args[3])
  return seq
end
redis.register_function('parley_say', say)
)lua";

}  // namespace parley::backplane
