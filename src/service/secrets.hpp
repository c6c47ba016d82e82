#pragma once
// Passwords (argon2id via libsodium), random tokens and SHA-256 hashes: what the web's sign-in,
// sessions and access codes and the cli's `ita user add` / `ita token create` share.
#include <cstddef>
#include <string>
#include <string_view>

namespace ita::service {

// Initialises libsodium; call once before anything below (idempotent). Throws std::runtime_error
// when libsodium cannot be initialised.
void init_crypto();

// An argon2id hash of `password` in libsodium's string format. Throws std::runtime_error when
// out of memory.
std::string hash_password(std::string_view password);
// Whether `password` matches `hash` (from hash_password).
bool verify_password(std::string_view hash, std::string_view password);
// A hash_password hash of a random password nobody knows, made once per process (the first call
// costs one hash; later calls nothing). A sign-in for an address with no user verifies against it,
// so that it costs as much as one for a real user and does not tell whether the user exists.
const std::string& dummy_password_hash();

// `bytes` random bytes as lower-case hex (twice as many characters).
std::string random_token(std::size_t bytes = 32);
// The SHA-256 of `s` as lower-case hex.
std::string sha256_hex(std::string_view s);
// Whether `a` and `b` are equal, in time that depends only on their length.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace ita::service
