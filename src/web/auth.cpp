#include "web/auth.hpp"

namespace ita::web {

bool LoginLimiter::allowed(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return true;
  if (std::chrono::steady_clock::now() - it->second.since > window_) {
    entries_.erase(it);
    return true;
  }
  return it->second.failures < max_;
}

void LoginLimiter::failed(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto& e = entries_[key];
  const auto now = std::chrono::steady_clock::now();
  if (e.failures == 0 || now - e.since > window_) e = Entry{0, now};
  ++e.failures;
}

void LoginLimiter::succeeded(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

}  // namespace ita::web
