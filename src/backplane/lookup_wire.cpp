#include "backplane/lookup_wire.h"

#include "backplane/wire_fields.h"

namespace parley::backplane {

using namespace wire_detail;

namespace {

// An identity with what the users hash leaves out but lookups show: the
// server operator's star, invisibility, and the address behind a cloak (sent
// only to an asker who may see it).
void put_full_identity(std::string& out, const core::Identity& who) {
  put_identity(out, who);
  put_flag(out, who.presence.invisible);
  put_flag(out, who.presence.server_operator);
  put(out, who.address);
}

core::Identity take_full_identity(Fields& f) {
  core::Identity who = read_identity(f);
  who.presence.invisible = f.flag();
  who.presence.server_operator = f.flag();
  who.address = f.next();
  return who;
}

}  // namespace

std::string encode_lookup_request(const LookupRequest& request) {
  std::string out;
  put(out, kVersion);
  put(out, std::string(1, static_cast<char>(request.kind)));
  put_number(out, static_cast<std::int64_t>(request.id));
  put(out, request.node);
  put_flag(out, request.asker.server_operator);
  put_number(out, static_cast<std::int64_t>(request.asker.room_keys.size()));
  for (const auto& key : request.asker.room_keys) put(out, key);
  put(out, request.subject);
  put_number(out, static_cast<std::int64_t>(request.max));
  return out;
}

std::optional<LookupRequest> decode_lookup_request(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  LookupRequest request;
  const std::string_view kind = f.next();
  if (kind == "d") request.kind = LookupRequest::Kind::details;
  else if (kind == "u") request.kind = LookupRequest::Kind::users;
  else if (kind == "r") request.kind = LookupRequest::Kind::rooms;
  else return std::nullopt;
  request.id = f.number<std::uint64_t>();
  request.node = f.next();
  request.asker.server_operator = f.flag();
  const auto rooms = f.number<std::size_t>();
  for (std::size_t i = 0; i < rooms && f.ok(); ++i) request.asker.room_keys.emplace_back(f.next());
  request.subject = f.next();
  request.max = f.number<std::size_t>();
  if (!f.done() || request.node.empty()) return std::nullopt;
  return request;
}

std::string encode_details_answer(std::uint64_t id, const std::optional<core::UserDetails>& details) {
  std::string out;
  put(out, kVersion);
  put(out, "d");
  put_number(out, static_cast<std::int64_t>(id));
  put_flag(out, details.has_value());
  if (!details) return out;
  put_full_identity(out, details->identity);
  put_number(out, ms_of(details->signed_on));
  put_number(out, ms_of(details->last_spoke));
  put_number(out, ms_of(details->now));
  put_number(out, static_cast<std::int64_t>(details->rooms.size()));
  for (const auto& room : details->rooms) {
    put(out, room.room);
    put_flag(out, room.op);
    put_flag(out, room.voice);
  }
  return out;
}

std::string encode_users_answer(std::uint64_t id, const std::vector<core::Identity>& users) {
  std::string out;
  put(out, kVersion);
  put(out, "u");
  put_number(out, static_cast<std::int64_t>(id));
  put_number(out, static_cast<std::int64_t>(users.size()));
  for (const auto& who : users) put_full_identity(out, who);
  return out;
}

std::string encode_rooms_answer(std::uint64_t id, const std::vector<core::RoomSummary>& rooms) {
  std::string out;
  put(out, kVersion);
  put(out, "r");
  put_number(out, static_cast<std::int64_t>(id));
  put_number(out, static_cast<std::int64_t>(rooms.size()));
  for (const auto& room : rooms) {
    put(out, room.room);
    put_number(out, static_cast<std::int64_t>(room.members));
    put(out, room.topic);
    put(out, room.key);
  }
  return out;
}

std::optional<LookupAnswer> decode_lookup_answer(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  const std::string_view kind = f.next();
  LookupAnswer answer;
  answer.id = f.number<std::uint64_t>();
  if (kind == "u") {
    const auto n = f.number<std::size_t>();
    for (std::size_t i = 0; i < n && f.ok(); ++i) answer.users.push_back(take_full_identity(f));
    if (!f.done()) return std::nullopt;
    return answer;
  }
  if (kind == "r") {
    const auto n = f.number<std::size_t>();
    for (std::size_t i = 0; i < n && f.ok(); ++i) {
      core::RoomSummary room;
      room.room = f.next();
      room.members = f.number<std::size_t>();
      room.topic = f.next();
      room.key = f.next();
      answer.rooms.push_back(std::move(room));
    }
    if (!f.done()) return std::nullopt;
    return answer;
  }
  if (kind != "d") return std::nullopt;
  if (f.flag()) {
    core::UserDetails details;
    details.identity = take_full_identity(f);
    details.signed_on = time_of(f);
    details.last_spoke = time_of(f);
    details.now = time_of(f);
    const auto rooms = f.number<std::size_t>();
    for (std::size_t i = 0; i < rooms && f.ok(); ++i) {
      core::UserDetails::InRoom room;
      room.room = f.next();
      room.op = f.flag();
      room.voice = f.flag();
      details.rooms.push_back(std::move(room));
    }
    answer.details = std::move(details);
  }
  if (!f.done()) return std::nullopt;
  return answer;
}

std::string encode_past(std::string_view node, const core::PastUser& past) {
  std::string out;
  put(out, kVersion);
  put(out, node);
  put_number(out, ms_of(past.left));
  put_identity(out, past.identity);
  return out;
}

std::optional<PastRecord> decode_past(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  PastRecord record;
  record.node = f.next();
  record.past.left = time_of(f);
  record.past.identity = read_identity(f);
  if (!f.done()) return std::nullopt;
  return record;
}

}  // namespace parley::backplane
