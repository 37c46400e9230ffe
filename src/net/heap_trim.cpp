#include "net/heap_trim.h"

#include <malloc.h>

namespace parley::net {

std::size_t HeapTrim::maybe_trim(Time now) {
  if (!time_to_look(now)) return 0;
  // Sums every arena (each loop thread allocates in its own).
  const std::size_t free_bytes = mallinfo2().fordblks;
  if (!worth_trimming(free_bytes)) return 0;
  malloc_trim(0);
  return free_bytes;
}

}  // namespace parley::net
