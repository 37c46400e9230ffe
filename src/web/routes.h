#pragma once
// What the HTTP port answers to a plain request (not a WebSocket upgrade):
// the web client's files, /healthz, /metrics; 404 and 405 otherwise. No I/O
// here, so unit tests check every answer.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::web {

struct Reply {
  unsigned status = 200;
  std::string body;  // empty for 304 and for HEAD (content_length still says the GET's length)
  std::size_t content_length = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type among them
};

// The Prometheus text page, built when asked (the metrics module provides it).
using MetricsPage = std::function<std::string()>;

// `if_none_match`: the request's If-None-Match header ("" if none).
Reply route(std::string_view method, std::string_view target, std::string_view if_none_match,
            const MetricsPage& metrics);

// The Content-Type for a file name, by its extension.
std::string_view content_type_for(std::string_view path);

}  // namespace parley::web
