#pragma once
// Accounts of the web application made from the command line: `ita user add` and
// `ita token create` (the messages name the command's options).
#include <cstdint>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace ita::service {

// Checks a new user before anything is opened or stored: officers and viewers belong to an
// agency, and a password has at least 10 characters. Throws Invalid ("--agency is required for
// the officer role", "the password must be at least 10 characters"), in that order. Pure.
void check_new_user(store::Role role, const std::optional<std::int64_t>& agency,
                    const std::string& password);

// Adds user `email` with `role` (and `agency`) who signs in with `password` (stored as an argon2id
// hash only); returns the stored user. Throws Invalid as check_new_user, NotFound ("no agency with
// id 7") for an agency that does not exist, store::Conflict for an e-mail already taken; then
// nothing is stored. Needs init_crypto.
store::User add_user(store::Store& store, const std::string& email, store::Role role,
                     const std::optional<std::int64_t>& agency, const std::string& password);

// Creates a bearer token for the API on behalf of user `email` and returns it; the store keeps
// only its SHA-256, so this is the only time it can be read. Throws NotFound ("no user with e-mail
// …") when there is no such user. Needs init_crypto.
std::string create_api_token(store::Store& store, const std::string& email);

}  // namespace ita::service
