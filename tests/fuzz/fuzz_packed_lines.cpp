// History rows read back from disk (store/packed_lines.h): any bytes are
// either refused with a StoreError or give lines that pack and unpack to
// the same lines. A damaged database must never crash or over-read.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "store/packed_lines.h"
#include "store/store_error.h"

using namespace parley::store;

namespace {

bool same(const PackedLine& a, const PackedLine& b) {
  return a.seq == b.seq && a.ms == b.ms && a.kind == b.kind && a.sender == b.sender && a.msgid == b.msgid &&
         a.body == b.body && a.object_name == b.object_name && a.client_tags == b.client_tags;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view blob(reinterpret_cast<const char*>(data), size);
  std::vector<PackedLine> lines;
  try {
    lines = unpack_lines(blob);
  } catch (const StoreError&) {
    return 0;  // refused: what a damaged row must do
  }
  const std::string again = pack_lines(lines);  // lines read rise by seq, so packing them cannot throw
  const std::vector<PackedLine> back = unpack_lines(again);
  if (back.size() != lines.size()) std::abort();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!same(lines[i], back[i])) std::abort();
  return 0;
}
