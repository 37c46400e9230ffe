#pragma once
#include <stdexcept>

namespace parley::store {

// Storage that cannot be used, in words for the person running the server:
// which file, what is wrong, and what to do about it.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace parley::store
