#pragma once
// Passwords (argon2id via libsodium), random tokens, token hashing and login rate limiting.
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace ita::web {

// Initialises libsodium; call once before anything below (idempotent).
void init_crypto();

std::string hash_password(std::string_view password);  // argon2id, libsodium's string format
bool verify_password(std::string_view hash, std::string_view password);

std::string random_token(std::size_t bytes = 32);  // lower-case hex
std::string sha256_hex(std::string_view s);
// Constant-time comparison of two strings of equal length.
bool same_secret(std::string_view a, std::string_view b);

// Allows at most `max_failures` failed attempts per key (IP or e-mail) within `window`.
class LoginLimiter {
 public:
  LoginLimiter(int max_failures, std::chrono::seconds window) : max_(max_failures), window_(window) {}
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
