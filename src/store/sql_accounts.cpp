// SqlStore: agencies, users, sessions and API tokens.
#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

// ---- agencies ----

Agency SqlStore::create_agency(const Agency& a, std::optional<std::int64_t> by_user) {
  return write([&] {
    Agency created = a;
    created.id = insert_returning_id("agency.create",
                                     "INSERT INTO agencies (name, district, province, type) VALUES "
                                     "($1, $2, $3, $4) RETURNING id",
                                     {a.name, a.district, a.province, a.type});
    audit(by_user, "agency.create", "agency:" + std::to_string(created.id),
          json_text({{"name", a.name}, {"province", a.province}}));
    return created;
  });
}

std::optional<Agency> SqlStore::agency(std::int64_t id) {
  return read([&] {
    std::optional<Agency> found;
    db_->run("agency.read", "SELECT " + kAgencyColumns + " FROM agencies WHERE id = $1", {id},
             [&](const Row& row) { found = agency_from(row); });
    return found;
  });
}

std::vector<Agency> SqlStore::agencies() {
  return read([&] {
    std::vector<Agency> all;
    db_->run("agency.list", "SELECT " + kAgencyColumns + " FROM agencies ORDER BY id", {},
             [&](const Row& row) { all.push_back(agency_from(row)); });
    return all;
  });
}

// ---- users, sessions, API tokens ----

User SqlStore::create_user(const User& u, std::optional<std::int64_t> by_user) {
  return write([&] {
    User created = u;
    try {
      created.id = insert_returning_id(
          "user.create",
          "INSERT INTO users (email, role, agency_id, password_hash) VALUES ($1, $2, $3, $4) "
          "RETURNING id",
          {u.email, role_code(u.role), optional_value(u.agency_id), u.password_hash});
    } catch (const UniqueViolation&) {
      throw Conflict("a user with the e-mail address " + u.email + " already exists");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("agency " + std::to_string(u.agency_id.value_or(0)) + " does not exist");
    }
    audit(by_user, "user.create", user_target(created.id),
          json_text({{"email", u.email},
                     {"role", role_code(u.role)},
                     {"agency_id", optional_json(u.agency_id)}}));
    return created;
  });
}

std::optional<User> SqlStore::user_by_email(const std::string& email) {
  return read([&] {
    std::optional<User> found;
    db_->run("user.read",
             "SELECT " + kUserColumns + " FROM users WHERE lower(email) = lower(CAST($1 AS TEXT))",
             {email}, [&](const Row& row) { found = user_from(row); });
    return found;
  });
}

std::optional<User> SqlStore::user(std::int64_t id) {
  return read([&] {
    std::optional<User> found;
    db_->run("user.read", "SELECT " + kUserColumns + " FROM users WHERE id = $1", {id},
             [&](const Row& row) { found = user_from(row); });
    return found;
  });
}

void SqlStore::create_session(const Session& s) {
  write([&] {
    try {
      db_->run("session.create",
               "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) "
               "VALUES ($1, $2, $3, $4)",
               {s.token_hash, s.user_id, s.csrf_token, s.expires_at});
    } catch (const UniqueViolation&) {
      throw Conflict("a session with this token already exists");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(s.user_id) + " does not exist");
    }
    audit(s.user_id, "session.create", user_target(s.user_id),
          json_text({{"expires_at", s.expires_at}}));
  });
}

std::optional<Session> SqlStore::session(const std::string& token_hash, std::int64_t now) {
  const auto found = read([&] {
    std::optional<Session> s;
    db_->run("session.read", "SELECT " + kSessionColumns + " FROM sessions WHERE token_hash = $1",
             {token_hash}, [&](const Row& row) { s = session_from(row); });
    return s;
  });
  if (!found || found->expires_at > now) return found;
  // Expired sessions never come back: drop this one now that someone presented it.
  write([&] {
    db_->run("session.expire", "DELETE FROM sessions WHERE token_hash = $1 AND expires_at <= $2",
             {token_hash, now});
  });
  return std::nullopt;
}

void SqlStore::delete_session(const std::string& token_hash) {
  write([&] {
    db_->run("session.delete", "DELETE FROM sessions WHERE token_hash = $1", {token_hash});
  });
}

void SqlStore::create_api_token(const std::string& token_hash, std::int64_t user_id,
                                std::int64_t by_user) {
  write([&] {
    try {
      db_->run("api_token.create",
               "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
               {token_hash, user_id, now_seconds()});
    } catch (const UniqueViolation&) {
      throw Conflict("this API token is already registered; generate a new one");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(user_id) + " does not exist");
    }
    audit(by_user, "api_token.create", user_target(user_id), "{}");
  });
}

std::optional<User> SqlStore::user_by_api_token(const std::string& token_hash) {
  return read([&] {
    std::optional<User> found;
    db_->run("api_token.read",
             "SELECT u.id, u.email, u.role, u.agency_id, u.password_hash FROM api_tokens t "
             "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
             {token_hash}, [&](const Row& row) { found = user_from(row); });
    return found;
  });
}

}  // namespace ita::store::sql
