#include "raw_db.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdexcept>

namespace ita::test {
namespace {

class RawSqlite final : public RawDb {
 public:
  explicit RawSqlite(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      throw std::runtime_error("raw sqlite open " + path + ": " + sqlite3_errmsg(db_));
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawSqlite() override { sqlite3_close_v2(db_); }

  RawRows query(const std::string& sql) override {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error("raw sqlite: " + std::string(sqlite3_errmsg(db_)) + " in " + sql);
    }
    RawRows rows;
    int rc = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      auto& row = rows.emplace_back();
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
        row.push_back(text ? std::optional<std::string>(text) : std::nullopt);
      }
    }
    const std::string error = sqlite3_errmsg(db_);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) throw std::runtime_error("raw sqlite: " + error + " in " + sql);
    return rows;
  }

  bool succeeds(const std::string& sql) override {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  std::set<std::string> columns(const std::string& table) override {
    std::set<std::string> names;
    for (const auto& row : query("PRAGMA table_info(" + table + ")"))
      names.insert(row.at(1).value_or(""));
    return names;
  }

 private:
  sqlite3* db_ = nullptr;
};

class RawPostgres final : public RawDb {
 public:
  explicit RawPostgres(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK)
      throw std::runtime_error("raw postgres connect: " + std::string(PQerrorMessage(conn_)));
  }
  ~RawPostgres() override { PQfinish(conn_); }

  RawRows query(const std::string& sql) override { return query(sql, {}); }

  bool succeeds(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }

  std::set<std::string> columns(const std::string& table) override {
    std::set<std::string> names;
    for (const auto& row : query("SELECT column_name FROM information_schema.columns "
                                 "WHERE table_schema = current_schema() AND table_name = $1",
                                 {table})) {
      names.insert(row.at(0).value_or(""));
    }
    return names;
  }

 private:
  RawRows query(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      const std::string error = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("raw postgres: " + error + " in " + sql);
    }
    RawRows rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      auto& row = rows.emplace_back();
      for (int c = 0; c < PQnfields(r); ++c) {
        row.push_back(PQgetisnull(r, i, c) ? std::nullopt
                                           : std::optional<std::string>(PQgetvalue(r, i, c)));
      }
    }
    PQclear(r);
    return rows;
  }

  PGconn* conn_;
};

}  // namespace

std::unique_ptr<RawDb> open_raw_sqlite(const std::string& path) {
  return std::make_unique<RawSqlite>(path);
}
std::unique_ptr<RawDb> open_raw_postgres(const std::string& url) {
  return std::make_unique<RawPostgres>(url);
}

}  // namespace ita::test
