#pragma once
// The web client's files, built into parleyd (static_files.cpp is generated
// from web/public by cmake/embed_files.cmake), so the binary alone serves it.
#include <span>
#include <string_view>

namespace parley::web {

struct StaticFile {
  std::string_view path;  // "/index.html"
  std::string_view etag;  // a hash of the bytes, quoted: "\"3f2a...\""
  std::string_view body;
};

std::span<const StaticFile> static_files();

}  // namespace parley::web
