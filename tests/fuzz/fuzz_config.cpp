// The TOML configuration loader: any file is a Config or a ConfigError,
// nothing else (no other exception, no crash).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/parley-fuzz-config-" + std::to_string(::getpid()) + ".toml";
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    return 0;
  }
  try {
    (void)parley::config::load_file(path, parley::config::Config{});
  } catch (const parley::config::ConfigError&) {
  }
  return 0;
}
