#include "service/accounts.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/secrets.hpp"
#include "service/text_fields.hpp"

namespace ita::service {

// data/common-passwords.txt and nothing else, compiled in by src/CMakeLists.txt.
const std::map<std::string, std::string>& embedded_service_files();

namespace {

const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> list = [] {
    std::unordered_set<std::string> words;
    const std::string& text = embedded_service_files().at("common-passwords.txt");
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] != '#') words.insert(std::move(line));
      start = end + 1;
    }
    return words;
  }();
  return list;
}

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

std::string normalize_email(std::string_view email) {
  UErrorCode status = U_ZERO_ERROR;
  std::int32_t units = 0;
  // Preflight: the length in UTF-16, and whether the bytes are UTF-8 at all.
  u_strFromUTF8(nullptr, 0, &units, email.data(), static_cast<std::int32_t>(email.size()), &status);
  if (status == U_INVALID_CHAR_FOUND) {
    // Not UTF-8: no address is spelt so, and it matches nobody; only ASCII is folded.
    std::string out(email);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  status = U_ZERO_ERROR;
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString folded;
  if (U_SUCCESS(status)) {
    folded = fold->normalize(
        icu::UnicodeString::fromUTF8(icu::StringPiece(email.data(), email.size())), status);
  }
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU cannot fold an e-mail address: ") +
                             u_errorName(status));
  std::int32_t first = 0, end = folded.length();
  while (first < end && u_isUWhiteSpace(folded.char32At(first)))
    first = folded.moveIndex32(first, 1);
  while (end > first && u_isUWhiteSpace(folded.char32At(folded.moveIndex32(end, -1))))
    end = folded.moveIndex32(end, -1);
  std::string out;
  folded.tempSubStringBetween(first, end).toUTF8String(out);
  return out;
}

std::optional<PasswordProblem> password_problem(std::string_view password) {
  std::size_t code_points = 0;
  for (const char c : password) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (code_points < kMinPasswordLength) return PasswordProblem::TooShort;
  if (common_passwords().contains(ascii_lower(std::string(password))))
    return PasswordProblem::Common;
  return std::nullopt;
}

void check_password(std::string_view password) {
  const auto problem = password_problem(password);
  if (!problem) return;
  switch (*problem) {
    case PasswordProblem::TooShort:
      throw Invalid("the password must be at least " + std::to_string(kMinPasswordLength) +
                    " characters");
    case PasswordProblem::Common:
      throw Invalid("the password is one of the most common passwords; choose another");
  }
}

void check_new_user(store::Role role, const std::optional<std::int64_t>& agency,
                    const std::string& password) {
  if ((role == store::Role::Officer || role == store::Role::Viewer) && !agency) {
    throw Invalid("--agency is required for the " + store::role_code(role) + " role");
  }
  check_password(password);
}

store::User add_user(store::Store& store, const std::string& email, store::Role role,
                     const std::optional<std::int64_t>& agency, const std::string& password) {
  check_new_user(role, agency, password);
  const std::string address = normalize_email(email);
  if (address.empty()) throw Invalid("the e-mail address is empty");
  // As typed: folding drops invisible characters (an unpaired U+202E among them) that the text
  // rule refuses, and the address as stored must still pass it.
  check_text(kUserEmail, email);
  check_text(kUserEmail, address);
  if (agency && !store.agency(*agency))
    throw NotFound("no agency with id " + std::to_string(*agency));
  store::User u{0, address, role, agency, hash_password(password)};
  return store.create_user(u, std::nullopt);
}

store::User user_named(store::Store& store, const std::string& email) {
  auto u = store.user_by_email(normalize_email(email));
  if (!u) throw NotFound("no user with e-mail " + email);
  return std::move(*u);
}

void set_password(store::Store& store, const std::string& email, const std::string& password) {
  check_password(password);
  const store::User u = user_named(store, email);
  if (!store.set_password_hash(u.id, hash_password(password), std::nullopt, std::nullopt))
    throw NotFound("no user with e-mail " + email);
}

OwnPasswordChange change_own_password(store::Store& store, const store::User& user,
                                      const std::string& current, const std::string& next,
                                      const std::string& session_hash) {
  if (!verify_password(user.password_hash, current)) return OwnPasswordChange::WrongCurrent;
  if (const auto problem = password_problem(next)) {
    return *problem == PasswordProblem::TooShort ? OwnPasswordChange::TooShort
                                                 : OwnPasswordChange::Common;
  }
  store.set_password_hash(user.id, hash_password(next), session_hash, user.id);
  return OwnPasswordChange::Changed;
}

void disable_user(store::Store& store, const std::string& email) {
  const store::User u = user_named(store, email);
  if (!store.disable_user(u.id, unix_now(), std::nullopt))
    throw Refused("user " + u.email + " is disabled already");
}

NewApiToken create_api_token(store::Store& store, const std::string& email, int days) {
  if (days < 1 || days > kMaxTokenDays)
    throw Invalid("--days must be between 1 and " + std::to_string(kMaxTokenDays));
  const store::User u = user_named(store, email);
  if (u.disabled_at) throw Refused("user " + u.email + " is disabled");
  NewApiToken t{random_token(32), {}};
  t.token = store.create_api_token(sha256_hex(t.secret), u.id,
                                   unix_now() + std::int64_t{days} * 86400, std::nullopt);
  return t;
}

std::vector<store::ApiToken> api_tokens(store::Store& store,
                                        const std::optional<std::string>& email) {
  if (!email) return store.api_tokens(std::nullopt);
  return store.api_tokens(user_named(store, *email).id);
}

void revoke_api_token(store::Store& store, std::int64_t id) {
  if (!store.revoke_api_token(id, std::nullopt))
    throw NotFound("no API token with id " + std::to_string(id));
}

}  // namespace ita::service
