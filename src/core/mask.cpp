#include "core/mask.h"

#include <algorithm>
#include <vector>

#include "core/unicode.h"

namespace parley::core {
namespace {

// Room for a full nick!user@host with wildcards, and short enough that an IRC
// MODE line carrying one always fits in 512 bytes.
constexpr std::size_t kMaxMaskBytes = 200;

// Code points of valid UTF-8 (the folded forms are always valid).
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

// Iterative glob with single-star backtracking: linear in practice, never exponential.
bool glob(const std::vector<char32_t>& p, const std::vector<char32_t>& s) {
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == U'?' || p[pi] == s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == U'*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == U'*') ++pi;
  return pi == p.size();
}

}  // namespace

std::optional<std::string> normalize_mask(std::string_view mask) {
  if (mask.empty() || mask.size() > kMaxMaskBytes || !is_valid_utf8(mask) || has_unsafe_code_point(mask) ||
      has_space(mask))
    return std::nullopt;
  if (mask.find(',') != std::string_view::npos || mask.front() == ':') return std::nullopt;
  if (std::count(mask.begin(), mask.end(), '!') > 1 || std::count(mask.begin(), mask.end(), '@') > 1)
    return std::nullopt;
  const auto bang = mask.find('!');
  const auto at = mask.find('@');
  if (bang != std::string_view::npos && at != std::string_view::npos && at < bang) return std::nullopt;
  std::string nick, user, host;
  if (bang != std::string_view::npos) {
    nick = mask.substr(0, bang);
    if (at != std::string_view::npos) {
      user = mask.substr(bang + 1, at - bang - 1);
      host = mask.substr(at + 1);
    } else {
      user = mask.substr(bang + 1);
    }
  } else if (at != std::string_view::npos) {
    user = mask.substr(0, at);
    host = mask.substr(at + 1);
  } else {
    nick = mask;
  }
  auto part = [](std::string& s) {
    if (s.empty()) s.assign(1, '*');
  };
  part(nick);
  part(user);
  part(host);
  std::string out;
  out.reserve(nick.size() + user.size() + host.size() + 2);
  out.append(nick).append(1, '!').append(user).append(1, '@').append(host);
  return out;
}

bool mask_matches(std::string_view mask, std::string_view subject) {
  auto m = fold_key(mask);
  auto s = fold_key(subject);
  if (!m || !s) return false;
  return glob(code_points(*m), code_points(*s));
}

bool same_mask(std::string_view a, std::string_view b) {
  auto fa = fold_key(a);
  auto fb = fold_key(b);
  return fa && fb && *fa == *fb;
}

}  // namespace parley::core
