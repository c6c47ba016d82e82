#include "web/auth.hpp"

#include <algorithm>
#include <cstdint>

namespace ita::web {

namespace {

using std::chrono::seconds;

// The whole seconds from `now` until `until`, at least one.
seconds until(LoginThrottle::Clock::time_point until, LoginThrottle::Clock::time_point now) {
  return std::max(seconds(1), std::chrono::ceil<seconds>(until - now));
}

}  // namespace

const LoginThrottle::Count* LoginThrottle::live(Counts& counts, const std::string& key,
                                                seconds keep, bool since_first,
                                                Clock::time_point now) {
  const auto it = counts.find(key);
  if (it == counts.end()) return nullptr;
  if (now - (since_first ? it->second.first : it->second.last) >= keep) {
    counts.erase(it);
    return nullptr;
  }
  return &it->second;
}

void LoginThrottle::add(Counts& counts, const std::string& key, seconds keep, bool since_first,
                        Clock::time_point now) {
  if (live(counts, key, keep, since_first, now) == nullptr) {
    if (counts.size() >= limits_.max_entries) {
      std::erase_if(counts, [&](const auto& entry) {
        return now - (since_first ? entry.second.first : entry.second.last) >= keep;
      });
      // Still full of live counts: a flood of distinct keys. Forgetting them all keeps memory
      // bounded; rule 2 limits how fast one client can fill the map again.
      if (counts.size() >= limits_.max_entries) counts.clear();
    }
    counts[key] = Count{0, now, now};
  }
  Count& c = counts[key];
  ++c.failures;
  c.last = now;
}

seconds LoginThrottle::delay(int account_failures) const {
  const int doublings = account_failures - limits_.free_failures;
  if (doublings >= 30) return limits_.max_delay;
  return std::min(limits_.max_delay, seconds(std::int64_t{1} << std::max(0, doublings)));
}

seconds LoginThrottle::wait(const std::string& account, const std::string& client,
                            Clock::time_point now) {
  std::lock_guard lock(mutex_);
  seconds longest(0);
  if (const Count* pair = live(pairs_, account + "\n" + client, limits_.window, true, now)) {
    if (pair->failures >= limits_.per_pair) {
      longest = until(pair->first + limits_.window, now);
    } else if (const Count* a = live(accounts_, account, limits_.account_memory, false, now);
               a != nullptr && a->failures >= limits_.free_failures &&
               a->last + delay(a->failures) > now) {
      longest = until(a->last + delay(a->failures), now);
    }
  }
  if (const Count* c = live(clients_, client, limits_.window, true, now);
      c != nullptr && c->failures >= limits_.per_client) {
    longest = std::max(longest, until(c->first + limits_.window, now));
  }
  return longest;
}

void LoginThrottle::failed(const std::string& account, const std::string& client,
                           Clock::time_point now) {
  std::lock_guard lock(mutex_);
  add(pairs_, account + "\n" + client, limits_.window, true, now);
  add(clients_, client, limits_.window, true, now);
  add(accounts_, account, limits_.account_memory, false, now);
}

void LoginThrottle::succeeded(const std::string& account, const std::string& client) {
  std::lock_guard lock(mutex_);
  pairs_.erase(account + "\n" + client);
  accounts_.erase(account);
}

}  // namespace ita::web
