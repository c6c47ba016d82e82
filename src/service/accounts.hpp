#pragma once
// Accounts of the web application: e-mail addresses as the sign-in compares them, the password
// rule, and what `ita user add|passwd|disable`, `ita token create|list|revoke` and the web's
// password page do (the command-line messages name the commands' options; English).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace ita::service {

// `email` as the sign-in compares it and as a new user's address is stored: Unicode NFKC case
// folding (ICU's NFKC_Casefold: "Viewer@…", "VIEWER@…", full-width "Ｖｉｅｗｅｒ＠…" and "ß"/"ss"
// spellings become one; invisible characters such as U+200B and U+FEFF are dropped), then white
// space (Unicode White_Space: ASCII, U+00A0, U+3000…) trimmed at both ends. Bytes that are not
// UTF-8 are kept as they are, ASCII letters in lower case. Pure.
std::string normalize_email(std::string_view email);

// Why a new password is refused.
enum class PasswordProblem {
  TooShort,  // fewer than kMinPasswordLength characters (Unicode code points, not bytes)
  Common,    // on the bundled list of the 30,000 most common passwords, ignoring ASCII case
};
inline constexpr std::size_t kMinPasswordLength = 12;

// What is wrong with `password` as a new password, or nothing when it may be used. The common
// list is data/common-passwords.txt, compiled in (read on the first call). Pure otherwise.
std::optional<PasswordProblem> password_problem(std::string_view password);
// Throws Invalid when password_problem finds one: "the password must be at least 12 characters"
// or "the password is one of the most common passwords; choose another".
void check_password(std::string_view password);

// Checks a new user before anything is opened or stored: officers and viewers belong to an
// agency, then check_password. Throws Invalid ("--agency is required for the officer role", then
// the password's), in that order. Pure.
void check_new_user(store::Role role, const std::optional<std::int64_t>& agency,
                    const std::string& password);

// Adds user normalize_email(`email`) with `role` (and `agency`) who signs in with `password`
// (stored as an argon2id hash only); returns the stored user. Throws Invalid as check_new_user,
// for an address that is empty once trimmed, and as check_text for one that breaks the e-mail's
// text rule (kUserEmail: "อีเมล: …"); NotFound ("no agency with id 7") for an agency that does
// not exist, store::Conflict for an e-mail already taken; then nothing is stored. Needs
// init_crypto.
store::User add_user(store::Store& store, const std::string& email, store::Role role,
                     const std::optional<std::int64_t>& agency, const std::string& password);

// The user `email` (normalize_email'd), disabled or not. Throws NotFound ("no user with e-mail
// …").
store::User user_named(store::Store& store, const std::string& email);

// `ita user passwd`: gives user `email` the password `password` and ends all their sessions
// (their API tokens stay). Audited without an acting user. Throws NotFound as user_named, Invalid
// as check_password (checked first: nothing is stored then). Needs init_crypto.
void set_password(store::Store& store, const std::string& email, const std::string& password);

// What became of a signed-in user's own password change (the web's password page).
enum class OwnPasswordChange { Changed, WrongCurrent, TooShort, Common };
// Changes `user`'s password from `current` to `next` when `current` is their password and `next`
// passes password_problem; ends their other sessions, keeping the one whose token hash is
// `session_hash`. Anything but Changed changes nothing. Audited as the user's own act. Needs
// init_crypto.
OwnPasswordChange change_own_password(store::Store& store, const store::User& user,
                                      const std::string& current, const std::string& next,
                                      const std::string& session_hash);

// `ita user disable`: user `email` can no longer sign in; their sessions end and their API tokens
// are refused from now on. Audited without an acting user. Throws NotFound as user_named, Refused
// ("user … is disabled already").
void disable_user(store::Store& store, const std::string& email);

inline constexpr int kDefaultTokenDays = 90;
inline constexpr int kMaxTokenDays = 3650;

// A new API token: the secret (shown once) and what the store keeps about it.
struct NewApiToken {
  std::string secret;
  store::ApiToken token;
};
// Creates a bearer token for the API on behalf of user `email`, valid for `days` days. The store
// keeps only its SHA-256, so this is the only time the secret can be read. Audited without an
// acting user. Throws Invalid ("--days must be between 1 and 3650"), NotFound as user_named,
// Refused for a disabled user. Needs init_crypto.
NewApiToken create_api_token(store::Store& store, const std::string& email,
                             int days = kDefaultTokenDays);

// `ita token list`: the tokens of user `email` (everyone's when nothing), by id. Throws NotFound
// as user_named.
std::vector<store::ApiToken> api_tokens(store::Store& store,
                                        const std::optional<std::string>& email);

// `ita token revoke`: deletes token `id`, refused from now on. Audited without an acting user.
// Throws NotFound ("no API token with id 7").
void revoke_api_token(store::Store& store, std::int64_t id);

}  // namespace ita::service
