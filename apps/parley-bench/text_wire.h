#pragma once
// parleyd's plain-text protocol (docs/text-protocol.md): lines, a greeting,
// the name as the first line, every member in the default room.

#include <memory>

#include "wire.h"

namespace parley::bench {

std::unique_ptr<Protocol> make_text_protocol();

}  // namespace parley::bench
