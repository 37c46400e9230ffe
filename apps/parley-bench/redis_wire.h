#pragma once
// Redis pub/sub as a lean fan-out anchor: each client is a subscriber
// connection (SUBSCRIBE room; deliveries are "message" pushes) and each
// sender publishes through one extra connection (PUBLISH room payload).

#include <memory>

#include "wire.h"

namespace parley::bench {

std::unique_ptr<Protocol> make_redis_protocol();

}  // namespace parley::bench
