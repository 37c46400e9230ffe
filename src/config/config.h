#pragma once
// parleyd's settings. Defaults make a useful loopback server; a TOML file
// changes them (docs/configuration.md), and flags override the file.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "core/hub.h"
#include "net/server.h"

namespace parley::config {

struct Config {
  std::string bind = "127.0.0.1";
  std::uint16_t text_port = 7000;
  std::string data_dir;  // empty: default_data_dir()
  unsigned threads = 0;  // 0: one per core
  core::HubLimits hub;
  net::ConnectionSettings text;
  net::ServerLimits server;
};

// A problem with the configuration, in words that name the file and key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads `path` over `base`. Throws ConfigError.
Config load_file(const std::string& path, Config base);
// $XDG_STATE_HOME/parley, else ~/.local/state/parley.
std::string default_data_dir();

}  // namespace parley::config
