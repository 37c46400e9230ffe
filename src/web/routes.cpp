#include "web/routes.h"

#include "web/static_files.h"

namespace parley::web {

namespace {

// Scripts and styles only from our own files: text a user typed can never run
// as script, even if it reached the page as markup. Connections only to this
// server (its WebSocket included: 'self' covers ws: on the same host in
// current browsers; ws: and wss: are listed for older ones).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Reply text_reply(unsigned status, std::string body) {
  Reply r;
  r.status = status;
  r.content_length = body.size();
  r.body = std::move(body);
  r.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}};
  return r;
}

const StaticFile* find_file(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const StaticFile& f : static_files()) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  if (ends_with(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with(path, ".svg")) return "image/svg+xml";
  if (ends_with(path, ".png")) return "image/png";
  if (ends_with(path, ".ico")) return "image/x-icon";
  if (ends_with(path, ".json") || ends_with(path, ".webmanifest")) return "application/manifest+json";
  return "application/octet-stream";
}

Reply route(std::string_view method, std::string_view target, std::string_view if_none_match,
            const MetricsPage& metrics) {
  const bool head = method == "HEAD";
  if (method != "GET" && !head) {
    Reply r = text_reply(405, "Only GET and HEAD are served here.\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  const std::string_view path = target.substr(0, target.find('?'));
  Reply r;
  if (path == "/healthz") {
    r = text_reply(200, "ok\n");
  } else if (path == "/metrics") {
    r = text_reply(200, metrics ? metrics() : std::string("# no metrics are collected\n"));
    r.headers[0].second = "text/plain; version=0.0.4; charset=utf-8";
  } else if (const StaticFile* file = find_file(path)) {
    r.content_length = file->body.size();
    r.headers = {{"Content-Type", std::string(content_type_for(file->path))},
                 // Revalidated on each load (a cheap 304): a new parleyd's client is used at once.
                 {"Cache-Control", "no-cache"},
                 {"ETag", std::string(file->etag)},
                 {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"}};
    if (!if_none_match.empty() && if_none_match == file->etag) {
      r.status = 304;
      r.content_length = 0;
      return r;
    }
    r.body = std::string(file->body);
  } else {
    r = text_reply(404, "Not found.\n");
  }
  if (head) r.body.clear();
  return r;
}

}  // namespace parley::web
