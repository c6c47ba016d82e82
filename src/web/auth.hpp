#pragma once
// Login rate limiting. Passwords, random tokens and token hashing are service/secrets.hpp, named
// here too for the web's code and tests.
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "service/secrets.hpp"

namespace ita::web {

using service::dummy_password_hash;
using service::hash_password;
using service::init_crypto;
using service::random_token;
using service::same_secret;
using service::sha256_hex;
using service::verify_password;

// The limits on failed logins (web/sign_in.cpp). An account is a key the caller chooses: a known
// user's id ("user:7"), else the normalised address typed (service::normalize_email), so that no
// spelling of an address gets a count of its own. A client is the address the request came from
// (behind --trusted-proxy, X-Forwarded-For's last entry). Three rules, in this order:
//
//  1. Per account and client: after `per_pair` failures (5) within `window` (15 min) of the
//     first, that client may not try that account again until the window has passed.
//  2. Per client: after `per_client` failures (50) over all accounts within `window`, that client
//     may not try any account until the window has passed (one client guessing many accounts).
//  3. Per account, growing delays: once the account has `free_failures` failures (5) from
//     anywhere, each further attempt from a client that has failed for it within `window` waits
//     2^(n-5) seconds after the account's last failure (n: its failures; 1 s, 2 s, 4 s, …, at most
//     `max_delay`, 15 min). The count is forgotten after `account_memory` (24 h) without a
//     failure, or at the account's next success.
//
// A client with no failure for the account is never held back by rules 1 and 3: the owner signs
// in from their own browser while others guess, and nobody who knows an address can lock its
// owner out. The price: an attacker with many addresses gets one try per fresh address (at most
// 50 per address per 15 minutes, rule 2); the password rule (12 characters, not a common one)
// makes those tries worthless. The counts live in this process's memory: N processes behind one
// proxy allow N times the attempts, and a restart forgets them.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    int per_pair = 5;
    int per_client = 50;
    int free_failures = 5;
    std::chrono::seconds window = std::chrono::minutes(15);
    std::chrono::seconds max_delay = std::chrono::minutes(15);
    std::chrono::seconds account_memory = std::chrono::hours(24);
    std::size_t max_entries = 100000;  // per map; past it, expired counts are dropped
  };

  explicit LoginThrottle(Limits limits) : limits_(limits) {}
  LoginThrottle() : LoginThrottle(Limits{}) {}

  // How long `client` must wait before it may try to sign in to `account`: zero when it may try
  // now, else at least one second. Changes nothing.
  std::chrono::seconds wait(const std::string& account, const std::string& client,
                            Clock::time_point now = Clock::now());
  // Counts a failed attempt of `client` on `account`.
  void failed(const std::string& account, const std::string& client,
              Clock::time_point now = Clock::now());
  // Forgets the failures of `client` on `account` and the account's count: the owner is in.
  void succeeded(const std::string& account, const std::string& client);

 private:
  struct Count {
    int failures = 0;
    Clock::time_point first;  // of the current window
    Clock::time_point last;
  };
  using Counts = std::map<std::string, Count>;
  // The live count of `key` in `counts` (expired ones are erased), or nullptr.
  const Count* live(Counts& counts, const std::string& key, std::chrono::seconds keep,
                    bool since_first, Clock::time_point now);
  void add(Counts& counts, const std::string& key, std::chrono::seconds keep, bool since_first,
           Clock::time_point now);
  std::chrono::seconds delay(int account_failures) const;

  const Limits limits_;
  std::mutex mutex_;  // guards pairs_, clients_ and accounts_
  Counts pairs_;      // "account\nclient"
  Counts clients_;
  Counts accounts_;
};

}  // namespace ita::web
