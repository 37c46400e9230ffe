#include "account_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "auth/base64.h"

namespace parley::daemon {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

}  // namespace

AccountFile::Records AccountFile::load() const {
  Records records;
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return records;  // no accounts yet
    throw std::runtime_error(fmt::format("cannot read {}: {}", path_, std::strerror(errno)));
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto f = split_tabs(line);
    auto salt = f.size() == 8 ? auth::base64_decode(f[3]) : std::nullopt;
    auto stored = f.size() == 8 ? auth::base64_decode(f[5]) : std::nullopt;
    auto server = f.size() == 8 ? auth::base64_decode(f[6]) : std::nullopt;
    if (!salt || !stored || !server) throw std::runtime_error(fmt::format("{}:{}: not an account line", path_, number));
    auth::AccountRecord r{f[0], f[1], f[2], {*salt, static_cast<std::uint32_t>(std::stoul(f[4])), *stored, *server},
                          std::stoll(f[7])};
    records.emplace(r.key, std::move(r));
  }
  return records;
}

void AccountFile::save(const Records& records) const {
  const std::string temporary = path_ + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    for (const auto& [key, r] : records) {
      out << r.key << '\t' << r.name << '\t' << r.password_hash << '\t' << auth::base64_encode(r.scram.salt) << '\t'
          << r.scram.iterations << '\t' << auth::base64_encode(r.scram.stored_key) << '\t'
          << auth::base64_encode(r.scram.server_key) << '\t' << r.created << '\n';
    }
    out.flush();
    // Hashes are secrets too: only the server's user may read them.
    std::error_code ignored;
    std::filesystem::permissions(temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ignored);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", temporary, std::strerror(errno)));
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(fmt::format("cannot replace {}: {}", path_, std::strerror(errno)));
}

std::optional<auth::AccountRecord> AccountFile::find(const std::string& key) {
  const Records records = load();
  const auto it = records.find(key);
  if (it == records.end()) return std::nullopt;
  return it->second;
}

bool AccountFile::insert(const auth::AccountRecord& record) {
  Records records = load();
  if (!records.emplace(record.key, record).second) return false;
  save(records);
  return true;
}

bool AccountFile::update(const auth::AccountRecord& record) {
  Records records = load();
  const auto it = records.find(record.key);
  if (it == records.end()) return false;
  it->second = record;
  save(records);
  return true;
}

bool AccountFile::remove(const std::string& key) {
  Records records = load();
  if (records.erase(key) == 0) return false;
  save(records);
  return true;
}

}  // namespace parley::daemon
