// SqlStore: agencies, users, sessions and API tokens.
#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

// ---- agencies ----

Agency SqlStore::create_agency(const Agency& a, std::optional<std::int64_t> by_user) {
  return write([&] {
    Agency created = a;
    created.id = insert_returning_id("agency.create",
                                     "INSERT INTO agencies (name, district, province, type, "
                                     "website) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                     {a.name, a.district, a.province, a.type, a.website});
    audit(by_user, "agency.create", "agency:" + std::to_string(created.id),
          json_text({{"name", a.name}, {"province", a.province}, {"website", a.website}}));
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

Agency SqlStore::set_agency_website(std::int64_t agency_id, const std::string& website,
                                    std::optional<std::int64_t> by_user) {
  return write([&] {
    std::optional<Agency> before;
    db_->run(
        "agency.website",
        "SELECT " + kAgencyColumns + " FROM agencies WHERE id = $1" + std::string(db_->row_lock()),
        {agency_id}, [&](const Row& row) { before = agency_from(row); });
    if (!before) throw Conflict("agency " + std::to_string(agency_id) + " does not exist");
    db_->run("agency.website", "UPDATE agencies SET website = $1 WHERE id = $2",
             {website, agency_id});
    audit(by_user, "agency.website", "agency:" + std::to_string(agency_id),
          json_text({{"before", before->website}, {"after", website}}));
    Agency after = *before;
    after.website = website;
    return after;
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

bool SqlStore::disable_user(std::int64_t id, std::int64_t now,
                            std::optional<std::int64_t> by_user) {
  return write([&] {
    const auto changed = db_->run(
        "user.disable", "UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL",
        {now, id});
    if (changed == 0) return false;
    const auto sessions = db_->run("user.disable", "DELETE FROM sessions WHERE user_id = $1", {id});
    audit(by_user, "user.disable", user_target(id), json_text({{"sessions_ended", sessions}}));
    return true;
  });
}

bool SqlStore::set_password_hash(std::int64_t id, const std::string& password_hash,
                                 const std::optional<std::string>& keep_session,
                                 std::optional<std::int64_t> by_user) {
  return write([&] {
    const auto changed = db_->run(
        "user.password", "UPDATE users SET password_hash = $1 WHERE id = $2", {password_hash, id});
    if (changed == 0) return false;
    const auto sessions =
        db_->run("user.password", "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                 {id, keep_session.value_or("")});
    audit(by_user, "user.password", user_target(id), json_text({{"sessions_ended", sessions}}));
    return true;
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

ApiToken SqlStore::create_api_token(const std::string& token_hash, std::int64_t user_id,
                                    std::int64_t expires_at, std::optional<std::int64_t> by_user) {
  return write([&] {
    const std::int64_t now = now_seconds();
    std::int64_t id = 0;
    try {
      id = insert_returning_id("api_token.create",
                               "INSERT INTO api_tokens (token_hash, user_id, created_at, "
                               "expires_at) VALUES ($1, $2, $3, $4) RETURNING id",
                               {token_hash, user_id, now, expires_at});
    } catch (const UniqueViolation&) {
      throw Conflict("this API token is already registered; generate a new one");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(user_id) + " does not exist");
    }
    audit(by_user, "api_token.create", user_target(user_id),
          json_text({{"token_id", id}, {"expires_at", expires_at}}));
    ApiToken created;
    db_->run("api_token.create",
             "SELECT " + kApiTokenColumns +
                 " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
             {id}, [&](const Row& row) { created = api_token_from(row); });
    return created;
  });
}

std::optional<User> SqlStore::user_by_api_token(const std::string& token_hash, std::int64_t now) {
  struct Found {
    User user;
    std::int64_t token_id = 0;
    std::optional<std::int64_t> last_used_at;
  };
  const auto found = read([&] {
    std::optional<Found> f;
    db_->run("api_token.read",
             "SELECT t.id, t.last_used_at, t.user_id FROM api_tokens t "
             "WHERE t.token_hash = $1 AND t.expires_at > $2",
             {token_hash, now}, [&](const Row& row) {
               f = Found{User{}, row.integer(0), std::nullopt};
               if (!row.is_null(1)) f->last_used_at = row.integer(1);
               f->user.id = row.integer(2);
             });
    if (!f) return f;
    std::optional<User> u;
    db_->run("api_token.read",
             "SELECT " + kUserColumns + " FROM users WHERE id = $1 AND disabled_at IS NULL",
             {f->user.id}, [&](const Row& row) { u = user_from(row); });
    if (!u) return std::optional<Found>();
    f->user = std::move(*u);
    return f;
  });
  if (!found) return std::nullopt;
  // The last use to the hour: one write an hour per token, not one per request.
  constexpr std::int64_t kHour = 3600;
  if (!found->last_used_at || *found->last_used_at + kHour <= now) {
    write([&] {
      db_->run("api_token.use", "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
               {now - now % kHour, found->token_id});
    });
  }
  return found->user;
}

std::vector<ApiToken> SqlStore::api_tokens(std::optional<std::int64_t> user_id) {
  return read([&] {
    std::vector<ApiToken> all;
    const std::string sql = "SELECT " + kApiTokenColumns +
                            " FROM api_tokens t JOIN users u ON u.id = t.user_id" +
                            (user_id ? " WHERE t.user_id = $1" : "") + " ORDER BY t.id";
    db_->run("api_token.list", sql, user_id ? Params{*user_id} : Params{},
             [&](const Row& row) { all.push_back(api_token_from(row)); });
    return all;
  });
}

bool SqlStore::revoke_api_token(std::int64_t id, std::optional<std::int64_t> by_user) {
  return write([&] {
    std::optional<std::int64_t> user_id;
    db_->run("api_token.revoke", "SELECT user_id FROM api_tokens WHERE id = $1", {id},
             [&](const Row& row) { user_id = row.integer(0); });
    if (!user_id) return false;
    db_->run("api_token.revoke", "DELETE FROM api_tokens WHERE id = $1", {id});
    audit(by_user, "api_token.revoke", user_target(*user_id), json_text({{"token_id", id}}));
    return true;
  });
}

}  // namespace ita::store::sql
