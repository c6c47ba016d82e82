#include "service/accounts.hpp"

#include "service/errors.hpp"
#include "service/secrets.hpp"

namespace ita::service {

void check_new_user(store::Role role, const std::optional<std::int64_t>& agency,
                    const std::string& password) {
  if ((role == store::Role::Officer || role == store::Role::Viewer) && !agency) {
    throw Invalid("--agency is required for the " + store::role_code(role) + " role");
  }
  if (password.size() < 10) throw Invalid("the password must be at least 10 characters");
}

store::User add_user(store::Store& store, const std::string& email, store::Role role,
                     const std::optional<std::int64_t>& agency, const std::string& password) {
  check_new_user(role, agency, password);
  if (agency && !store.agency(*agency))
    throw NotFound("no agency with id " + std::to_string(*agency));
  return store.create_user({0, email, role, agency, hash_password(password)}, std::nullopt);
}

std::string create_api_token(store::Store& store, const std::string& email) {
  const auto u = store.user_by_email(email);
  if (!u) throw NotFound("no user with e-mail " + email);
  const std::string token = random_token(32);
  store.create_api_token(sha256_hex(token), u->id, u->id);
  return token;
}

}  // namespace ita::service
