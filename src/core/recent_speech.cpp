#include "core/recent_speech.h"

#include <algorithm>
#include <utility>

namespace parley::core {

bool RecentSpeech::replayed(const RoomEvent& event) {
  const auto* said = event.as<RoomEvent::Said>();
  return said && said->audience == Audience::members && said->speech != Speech::tagged;
}

void RecentSpeech::add(EventPtr event, std::size_t capacity) {
  if (capacity == 0) return;
  // Trimming may drop it from added_ before the read is back; prime() must
  // still know it was said here, after the joins waiting.
  if (reading_) said_while_reading_.insert(event->id);
  added_.push_back({next_index_++, std::move(event)});
  ++added_since_forgotten_;
  trim(capacity);
}

void RecentSpeech::trim(std::size_t capacity) {
  // Older lines go first: they are older than every line added here.
  while (older_.size() + added_.size() > capacity && !older_.empty()) older_.erase(older_.begin());
  if (added_.size() > capacity) added_.erase(added_.begin(), added_.end() - static_cast<std::ptrdiff_t>(capacity));
}

void RecentSpeech::remove(std::string_view id) {
  std::erase_if(older_, [&](const HistoryLine& line) { return line.id == id; });
  std::erase_if(added_, [&](const Added& a) { return a.event->id == id; });
  if (!waiting_.empty()) removed_while_reading_.emplace_back(id);
}

void RecentSpeech::forget() {
  older_.clear();
  added_.clear();
  added_since_forgotten_ = 0;
  primed_ = false;
  if (!waiting_.empty()) forgotten_while_reading_ = true;
}

std::vector<HistoryLine> RecentSpeech::lines_before(std::uint64_t before, std::size_t capacity) const {
  std::vector<HistoryLine> lines;
  auto end = std::find_if(added_.begin(), added_.end(), [&](const Added& a) { return a.index >= before; });
  const auto from_added = static_cast<std::size_t>(end - added_.begin());
  const std::size_t from_older = from_added >= capacity ? 0 : std::min(older_.size(), capacity - from_added);
  lines.reserve(from_older + std::min(from_added, capacity));
  lines.insert(lines.end(), older_.end() - static_cast<std::ptrdiff_t>(from_older), older_.end());
  for (auto it = end - static_cast<std::ptrdiff_t>(std::min(from_added, capacity)); it != end; ++it) {
    if (auto line = history_line(*it->event)) lines.push_back(std::move(*line));
  }
  return lines;
}

RecentSpeech::~RecentSpeech() {
  for (auto& w : waiting_) w.waiter({});
}

RecentSpeech::Read RecentSpeech::wait(Waiter waiter) {
  waiting_.push_back({next_index_, std::move(waiter)});
  if (reading_) return {};
  reading_ = std::make_shared<const bool>(true);
  return reading_;
}

void RecentSpeech::prime(const Read& read, std::optional<std::vector<HistoryLine>> read_lines, std::size_t capacity) {
  if (!reading_ || read.lock() != reading_) return;
  reading_.reset();
  std::vector<Waiting> waiting = std::move(waiting_);
  waiting_.clear();
  std::vector<HistoryLine> latest = read_lines ? std::move(*read_lines) : std::vector<HistoryLine>{};
  std::erase_if(latest, [&](const HistoryLine& line) {
    return std::find(removed_while_reading_.begin(), removed_while_reading_.end(), line.id) !=
           removed_while_reading_.end();
  });
  removed_while_reading_.clear();
  const std::unordered_set<std::string> said_while_reading = std::exchange(said_while_reading_, {});
  if (std::exchange(forgotten_while_reading_, false)) {
    // Read for a room this node has stopped following since: each waiter gets what was read.
    if (latest.size() > capacity) latest.erase(latest.begin(), latest.end() - static_cast<std::ptrdiff_t>(capacity));
    for (auto& w : waiting) w.waiter(latest);
    return;
  }
  // Lines read that were also added here since the room was made here are
  // the newest of them; the rest are older than every line added. Those said
  // during the read are recognised even when more than `capacity` of them
  // pushed the first ones out of added_: else a busy room's joins would see
  // them twice, live and again as history.
  std::erase_if(latest, [&](const HistoryLine& line) {
    return said_while_reading.contains(line.id) ||
           std::any_of(added_.begin(), added_.end(), [&](const Added& a) { return a.event->id == line.id; });
  });
  older_ = std::move(latest);
  primed_ = read_lines.has_value();
  // Answered before trimming: a waiter sees the lines before its join, which
  // lines added since may have pushed out. (Only more than `capacity` lines
  // said while history was read leave it fewer than it should see.)
  for (auto& w : waiting) w.waiter(lines_before(w.before, capacity));
  trim(capacity);
}

}  // namespace parley::core
