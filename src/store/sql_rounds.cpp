// SqlStore: rounds, their access codes, and the editions administrators publish (with the
// drafts they review first).
#include "core/thai.hpp"
#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

constexpr std::int64_t kDraftSeconds = 24 * 3600;  // how long an uploaded draft is kept

// A closing date for the audit log: "YYYY-MM-DD", or null for none.
nlohmann::json closing_date_json(const std::optional<std::chrono::year_month_day>& d) {
  return d ? nlohmann::json(format_iso_date(*d)) : nlohmann::json(nullptr);
}

}  // namespace

// ---- rounds ----

Round SqlStore::create_round(const Round& r, std::int64_t by_user) {
  return write([&] {
    Round created = r;
    // The UNIQUE constraints hold per column; a link token must also not be the other tool's.
    bool token_taken = false;
    db_->run("round.create",
             "SELECT 1 FROM rounds WHERE iit_token IN ($1, $2) OR eit_token IN ($1, $2)",
             {r.iit_token, r.eit_token}, [&](const Row&) { token_taken = true; });
    try {
      if (token_taken) throw UniqueViolation("round.create: link token taken");
      created.id = insert_returning_id(
          "round.create",
          "INSERT INTO rounds (agency_id, edition_id, staff_count, service_users, iit_token, "
          "eit_token, "
          "access_codes_required, status, practice, closes_at, response_cap_percent) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
          {r.agency_id, r.edition_id, std::int64_t{r.staff_count}, std::int64_t{r.service_users},
           r.iit_token, r.eit_token, r.access_codes_required, round_status_code(created.status),
           r.practice, optional_value(r.closes_at),
           optional_value(r.response_cap_percent
                              ? std::optional<std::int64_t>(*r.response_cap_percent)
                              : std::nullopt)});
      created.closed_at = std::nullopt;
    } catch (const UniqueViolation&) {
      throw Conflict(
          "a survey link token of the new round is already used by another round; "
          "generate new tokens");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("agency " + std::to_string(r.agency_id) + " does not exist");
    }
    audit(by_user, "round.create", round_target(created.id),
          json_text({{"agency_id", r.agency_id},
                     {"edition_id", r.edition_id},
                     {"staff_count", r.staff_count},
                     {"service_users", r.service_users},
                     {"access_codes_required", r.access_codes_required},
                     {"status", round_status_code(created.status)},
                     {"practice", r.practice},
                     {"closes_at", closing_date_json(r.closes_at)},
                     {"response_cap_percent", r.response_cap_percent
                                                  ? nlohmann::json(*r.response_cap_percent)
                                                  : nlohmann::json(nullptr)}}));
    return created;
  });
}

std::optional<Round> SqlStore::round(std::int64_t id) {
  return read([&] {
    std::optional<Round> found;
    db_->run("round.read", "SELECT " + kRoundColumns + " FROM rounds WHERE id = $1", {id},
             [&](const Row& row) { found = round_from(row); });
    return found;
  });
}

std::optional<Round> SqlStore::round_by_token(const std::string& token) {
  return read([&] {
    std::optional<Round> found;
    db_->run("round.read",
             "SELECT " + kRoundColumns + " FROM rounds WHERE iit_token = $1 OR eit_token = $1",
             {token}, [&](const Row& row) { found = round_from(row); });
    return found;
  });
}

Round SqlStore::change_round(std::int64_t id, RoundChange change,
                             std::optional<std::chrono::year_month_day> closes_at,
                             std::optional<std::int64_t> by_user) {
  return write([&] {
    std::optional<Round> before;
    db_->run(
        "round.change",
        "SELECT " + kRoundColumns + " FROM rounds WHERE id = $1" + std::string(db_->row_lock()),
        {id}, [&](const Row& row) { before = round_from(row); });
    if (!before) throw Conflict("round " + std::to_string(id) + " does not exist");
    Round after = *before;
    after.closes_at = closes_at;
    const char* action = "round.closing_date";
    if (change == RoundChange::Close) {
      after.status = RoundStatus::Closed;
      after.closed_at = now_seconds();
      action = "round.close";
    } else if (change == RoundChange::Reopen) {
      after.status = RoundStatus::Open;
      after.closed_at = std::nullopt;
      action = "round.reopen";
    }
    db_->run("round.change",
             "UPDATE rounds SET status = $1, closes_at = $2, closed_at = $3 WHERE id = $4",
             {round_status_code(after.status), optional_value(closes_at),
              optional_value(after.closed_at), id});
    auto state = [](const Round& r) {
      return nlohmann::json{{"status", round_status_code(r.status)},
                            {"closes_at", closing_date_json(r.closes_at)}};
    };
    audit(by_user, action, round_target(id),
          json_text({{"before", state(*before)}, {"after", state(after)}}));
    return after;
  });
}

std::vector<Round> SqlStore::rounds_of_agency(std::int64_t agency_id) {
  return read([&] {
    std::vector<Round> all;
    db_->run("round.list",
             "SELECT " + kRoundColumns + " FROM rounds WHERE agency_id = $1 ORDER BY id",
             {agency_id}, [&](const Row& row) { all.push_back(round_from(row)); });
    return all;
  });
}

std::vector<Round> SqlStore::rounds() {
  return read([&] {
    std::vector<Round> all;
    db_->run("round.list_all", "SELECT " + kRoundColumns + " FROM rounds ORDER BY id", {},
             [&](const Row& row) { all.push_back(round_from(row)); });
    return all;
  });
}

// ---- access codes ----

void SqlStore::add_access_codes(std::int64_t round_id, const std::vector<std::string>& code_hashes,
                                std::int64_t by_user) {
  write([&] { insert_access_codes(round_id, code_hashes, by_user); });
}

bool SqlStore::add_access_codes_once(std::int64_t round_id, const std::string& form_token_hash,
                                     const std::vector<std::string>& code_hashes,
                                     std::int64_t by_user) {
  return write([&] {
    bool taken = false;
    db_->run("access_codes.once",
             "DELETE FROM survey_form_tokens WHERE token_hash = $1 AND round_id = $2 "
             "RETURNING expires_at",
             {form_token_hash, round_id}, [&](const Row&) { taken = true; });
    if (taken) insert_access_codes(round_id, code_hashes, by_user);
    return taken;
  });
}

// Inside a write transaction: the rows of add_access_codes, audited.
void SqlStore::insert_access_codes(std::int64_t round_id,
                                   const std::vector<std::string>& code_hashes,
                                   std::int64_t by_user) {
  std::vector<Params> rows;
  rows.reserve(code_hashes.size());
  for (const auto& hash : code_hashes) rows.push_back({hash, round_id});
  try {
    insert_rows("access_codes.add", "INSERT INTO access_codes (code_hash, round_id) VALUES ", 2,
                rows);
  } catch (const UniqueViolation&) {
    throw Conflict(
        "an access code of this batch is already registered (or repeated in it); "
        "generate a new batch");
  } catch (const ForeignKeyViolation&) {
    throw Conflict("round " + std::to_string(round_id) + " does not exist");
  }
  audit(by_user, "access_codes.add", round_target(round_id),
        json_text({{"count", code_hashes.size()}}));
}

std::pair<int, int> SqlStore::access_code_counts(std::int64_t round_id) {
  return read([&] {
    std::pair<int, int> counts{0, 0};
    db_->run(
        "access_codes.count",
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN used THEN 1 ELSE 0 END), 0) FROM access_codes "
        "WHERE round_id = $1",
        {round_id}, [&](const Row& row) {
          counts = {static_cast<int>(row.integer(0)), static_cast<int>(row.integer(1))};
        });
    return counts;
  });
}

// ---- published editions ----

PublishedEdition SqlStore::publish_edition(const std::string& id, const std::string& json,
                                           std::optional<std::int64_t> by_user) {
  return write([&] {
    int used = 0;
    db_->run("edition.publish", "SELECT COUNT(*) FROM rounds WHERE edition_id = $1", {id},
             [&](const Row& row) { used = static_cast<int>(row.integer(0)); });
    if (used > 0) {
      throw Conflict("edition " + id + " is used by " + std::to_string(used) +
                     " round(s) and can no longer change; publish it under a new id");
    }
    PublishedEdition e{id, 1, json, by_user, now_seconds()};
    db_->run("edition.publish", "SELECT COALESCE(MAX(version), 0) FROM editions WHERE id = $1",
             {id}, [&](const Row& row) { e.version = static_cast<int>(row.integer(0)) + 1; });
    db_->run("edition.publish",
             "INSERT INTO editions (id, version, edition_json, published_by, published_at) "
             "VALUES ($1, $2, $3, $4, $5)",
             {id, std::int64_t{e.version}, json, optional_value(by_user), e.published_at});
    audit(by_user, "edition.publish", "edition:" + id,
          json_text({{"id", id}, {"version", e.version}, {"bytes", json.size()}}));
    return e;
  });
}

std::vector<PublishedEdition> SqlStore::published_editions() {
  return read([&] {
    std::vector<PublishedEdition> all;
    db_->run("edition.list",
             "SELECT e.id, e.version, e.edition_json, e.published_by, e.published_at "
             "FROM editions e WHERE e.version = "
             "(SELECT MAX(n.version) FROM editions n WHERE n.id = e.id) ORDER BY e.id",
             {}, [&](const Row& row) {
               PublishedEdition e;
               e.id = row.text(0);
               e.version = static_cast<int>(row.integer(1));
               e.json = row.text(2);
               if (!row.is_null(3)) e.published_by = row.integer(3);
               e.published_at = row.integer(4);
               all.push_back(std::move(e));
             });
    return all;
  });
}

int SqlStore::rounds_using_edition(const std::string& id) {
  return read([&] {
    int used = 0;
    db_->run("edition.used", "SELECT COUNT(*) FROM rounds WHERE edition_id = $1", {id},
             [&](const Row& row) { used = static_cast<int>(row.integer(0)); });
    return used;
  });
}

void SqlStore::save_edition_draft(const std::string& token, const std::string& json,
                                  std::int64_t by_user) {
  write([&] {
    const std::int64_t now = now_seconds();
    db_->run("edition.draft", "DELETE FROM edition_drafts WHERE uploaded_at < $1",
             {now - kDraftSeconds});
    db_->run("edition.draft",
             "INSERT INTO edition_drafts (token, edition_json, uploaded_by, uploaded_at) "
             "VALUES ($1, $2, $3, $4)",
             {token, json, by_user, now});
  });
}

std::optional<std::string> SqlStore::edition_draft(const std::string& token, std::int64_t user) {
  return read([&] {
    std::optional<std::string> found;
    db_->run("edition.draft",
             "SELECT edition_json FROM edition_drafts "
             "WHERE token = $1 AND uploaded_by = $2 AND uploaded_at >= $3",
             {token, user, now_seconds() - kDraftSeconds},
             [&](const Row& row) { found = row.text(0); });
    return found;
  });
}

}  // namespace ita::store::sql
