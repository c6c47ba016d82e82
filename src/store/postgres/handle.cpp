#include "store/postgres/handle.hpp"

#include <vector>

namespace ita::store::postgres {

namespace {

constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kForeignKeyViolation = "23503";

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Handle::Handle(const std::string& url, const ConnectOptions& options)
    : constraints_(options.constraints) {
  std::vector<const char*> keys = {"connect_timeout", "client_encoding"};
  std::vector<const char*> values = {"10", "UTF8"};
  if (!options.settings.empty()) {
    keys.push_back("options");
    values.push_back(options.settings.c_str());
  }
  keys.insert(keys.end(), {"dbname", nullptr});
  values.insert(values.end(), {url.c_str(), nullptr});
  conn_.reset(PQconnectdbParams(keys.data(), values.data(), 1));
  if (!conn_) throw StoreError("connecting to PostgreSQL: out of memory");
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    throw StoreError("connecting to " + where() + ": " + last_error());
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
}

std::string Handle::where() const {
  const char* db = PQdb(conn_.get());
  const char* host = PQhost(conn_.get());
  const char* port = PQport(conn_.get());
  return std::string("PostgreSQL database ") + (db ? db : "?") + " on " + (host ? host : "?") +
         ":" + (port ? port : "?");
}

std::string Handle::last_error() const {
  return trimmed(PQerrorMessage(conn_.get()));
}

void Handle::fail(std::string_view op, const PGresult* r) const {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string text = std::string(op) + ": " + (primary ? std::string(primary) : last_error());
  const std::string_view code = state ? state : "";
  if (constraints_ == sql::Constraints::AsConflicts) {
    if (code == kUniqueViolation) throw sql::UniqueViolation(text);
    if (code == kForeignKeyViolation) throw sql::ForeignKeyViolation(text);
  }
  throw StoreError(text + (code.empty() ? "" : " (SQLSTATE " + std::string(code) + ")") + " [" +
                   where() + "]");
}

Result Handle::exec(std::string_view op, const std::string& sql) {
  Result r(PQexec(conn_.get(), sql.c_str()));
  const ExecStatusType status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(op, r.get());
  return r;
}

void Handle::exec_quietly(const char* sql) noexcept {
  Result(PQexec(conn_.get(), sql));
}

std::string Handle::literal(std::string_view text) {
  char* quoted = PQescapeLiteral(conn_.get(), text.data(), text.size());
  if (quoted == nullptr) fail("quote", nullptr);
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

void Handle::reconnect_if_lost() {
  if (PQstatus(conn_.get()) == CONNECTION_OK) return;
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    throw StoreError("reconnecting to " + where() + ": " + last_error());
}

void not_an_integer(std::string_view text) {
  throw StoreError("PostgreSQL returned '" + std::string(text) + "' where an integer was expected");
}

}  // namespace ita::store::postgres
