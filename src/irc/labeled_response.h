#pragma once
// IRCv3 labeled-response: the lines a labelled command produced, gathered
// until the command is complete, then sent as one logical response:
//   no line    -> "@label=L :server ACK"
//   one line   -> that line with the label tag
//   more lines -> "@label=L :server BATCH +id labeled-response", each line
//                 tagged "batch=id", then ":server BATCH -id"
// (ircv3.net/specs/extensions/labeled-response). Pure: no I/O.
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::irc {

// The longest label accepted: "The value MUST NOT exceed 64 bytes."
inline constexpr std::size_t kMaxLabelBytes = 64;

class LabeledResponse {
 public:
  explicit LabeledResponse(std::string label) : label_(std::move(label)) {}

  const std::string& label() const { return label_; }
  // Whole lines ("...\r\n"), one or several.
  void add(std::string_view lines) { lines_ += lines; }
  // The response to send, for server `server_name`; `batch_id` names the
  // batch if one is needed.
  std::string finish(std::string_view server_name, std::string_view batch_id) const;

 private:
  std::string label_;
  std::string lines_;
};

// `line` ("...\r\n", with or without tags) with `tag` ("key=value", escaped)
// added first among its tags.
std::string with_tag(std::string_view line, std::string_view tag);

}  // namespace parley::irc
