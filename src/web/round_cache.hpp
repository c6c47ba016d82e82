#pragma once
// The rounds the survey paths look up on every submission, kept for a few seconds so that a
// national collection does not read the same round from the database thousands of times a
// second. Safe to serve a little stale: a round's edition and link tokens never change, and its
// status and access-code rule are checked again by the store inside the transaction that stores
// a response (Store::submit_responses). Only rounds that exist are kept; an unknown id or token
// always asks the database.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/store.hpp"

namespace ita::web {

class RoundCache {
 public:
  RoundCache(store::Store& store, std::chrono::steady_clock::duration keep,
             std::size_t max_rounds = 50000)
      : store_(store), keep_(keep), max_rounds_(max_rounds) {}

  std::optional<store::Round> by_id(std::int64_t id);
  std::optional<store::Round> by_token(const std::string& token);  // IIT or EIT link token
  // Drops round `id`, so the next lookup reads it again: after this process closed or reopened it
  // (another process's change shows within the keeping time).
  void forget(std::int64_t id);

 private:
  struct Entry {
    store::Round round;
    std::chrono::steady_clock::time_point read;
  };
  std::optional<store::Round> fresh(std::int64_t id, std::chrono::steady_clock::time_point now);
  void keep(const store::Round& round, std::chrono::steady_clock::time_point now);

  store::Store& store_;
  std::chrono::steady_clock::duration keep_;
  std::size_t max_rounds_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Entry> rounds_;
  std::unordered_map<std::string, std::int64_t> tokens_;
};

}  // namespace ita::web
