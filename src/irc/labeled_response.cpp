#include "irc/labeled_response.h"

#include <fmt/format.h>

#include <vector>

#include "irc/message.h"

namespace parley::irc {

std::string with_tag(std::string_view line, std::string_view tag) {
  if (line.starts_with('@')) return fmt::format("@{};{}", tag, line.substr(1));
  return fmt::format("@{} {}", tag, line);
}

namespace {

bool in_a_batch(std::string_view line) {
  if (!line.starts_with('@')) return false;
  const std::string_view tags = line.substr(1, line.find(' ') - 1);
  return tags.starts_with("batch=") || tags.find(";batch=") != std::string_view::npos;
}

}  // namespace

std::string LabeledResponse::finish(std::string_view server_name, std::string_view batch_id) const {
  const std::string label_tag = "label=" + escape_tag_value(label_);
  std::vector<std::string_view> lines;
  for (std::string_view rest = lines_; !rest.empty();) {
    const auto end = rest.find("\r\n");
    const std::size_t len = end == std::string_view::npos ? rest.size() : end + 2;
    lines.push_back(rest.substr(0, len));
    rest.remove_prefix(len);
  }
  if (lines.empty()) return fmt::format("@{} :{} ACK\r\n", label_tag, server_name);
  if (lines.size() == 1) return with_tag(lines.front(), label_tag);
  std::string out = fmt::format("@{} :{} BATCH +{} labeled-response\r\n", label_tag, server_name, batch_id);
  const std::string batch_tag = fmt::format("batch={}", batch_id);
  for (std::string_view line : lines) {
    // A line of a batch nested in this one (a CHATHISTORY answer) belongs to
    // that batch only; its BATCH lines carry ours.
    out += in_a_batch(line) ? std::string(line) : with_tag(line, batch_tag);
  }
  out += fmt::format(":{} BATCH -{}\r\n", server_name, batch_id);
  return out;
}

}  // namespace parley::irc
