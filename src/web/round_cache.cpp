#include "web/round_cache.hpp"

namespace ita::web {

std::optional<store::Round> RoundCache::fresh(std::int64_t id,
                                              std::chrono::steady_clock::time_point now) {
  auto it = rounds_.find(id);
  if (it == rounds_.end() || now - it->second.read >= keep_) return std::nullopt;
  return it->second.round;
}

void RoundCache::keep(const store::Round& round, std::chrono::steady_clock::time_point now) {
  if (rounds_.size() >= max_rounds_) {  // bounded: start again rather than track ages
    rounds_.clear();
    tokens_.clear();
  }
  rounds_.insert_or_assign(round.id, Entry{round, now});
  tokens_.insert_or_assign(round.iit_token, round.id);
  tokens_.insert_or_assign(round.eit_token, round.id);
}

std::optional<store::Round> RoundCache::by_id(std::int64_t id) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto r = fresh(id, now)) return r;
  }
  auto round = store_.round(id);  // outside the lock: the store serialises its own calls
  if (round) {
    std::lock_guard lock(mutex_);
    keep(*round, now);
  }
  return round;
}

void RoundCache::forget(std::int64_t id) {
  std::lock_guard lock(mutex_);
  rounds_.erase(id);  // its tokens_ entries find nothing fresh and are replaced when read again
}

std::optional<store::Round> RoundCache::by_token(const std::string& token) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = tokens_.find(token); it != tokens_.end()) {
      if (auto r = fresh(it->second, now)) return r;
    }
  }
  auto round = store_.round_by_token(token);
  if (round) {
    std::lock_guard lock(mutex_);
    keep(*round, now);
  }
  return round;
}

}  // namespace ita::web
