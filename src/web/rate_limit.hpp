#pragma once
// A token bucket per key, for the public survey paths (web/survey.cpp, web/api.cpp): each key
// (a client address) may make `burst` requests at once, then `per_minute` a minute. The buckets
// live in this process's memory: N processes behind one proxy allow N times the rate, and a
// restart forgets them.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ita::web {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_minute` 0: unlimited (take() always allows). `max_keys` bounds the memory: past it, the
  // buckets that have refilled are forgotten (a full bucket is what a new key gets anyway), and if
  // that frees nothing, all of them.
  RateLimiter(double per_minute, double burst, std::size_t max_keys = 100000);

  // Takes one request from `key`'s bucket at `now`: zero when it may go on, else how long until
  // it may (at least one second, rounded up), taking nothing.
  std::chrono::seconds take(const std::string& key, Clock::time_point now = Clock::now());
  bool unlimited() const { return per_second_ <= 0; }
  std::size_t keys() const;  // the buckets kept now

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;  // when `tokens` was last brought up to date
  };
  double refilled(const Bucket& b, Clock::time_point now) const;
  void make_room(Clock::time_point now);

  double per_second_;
  double burst_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;  // guards buckets_
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace ita::web
