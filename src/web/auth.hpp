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

using service::hash_password;
using service::init_crypto;
using service::random_token;
using service::same_secret;
using service::sha256_hex;
using service::verify_password;

// Allows at most `max_failures` failed attempts per key (IP or e-mail) within `window`.
class LoginLimiter {
 public:
  LoginLimiter(int max_failures, std::chrono::seconds window)
      : max_(max_failures), window_(window) {}
  bool allowed(const std::string& key);
  void failed(const std::string& key);
  void succeeded(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point since;
  };
  int max_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace ita::web
