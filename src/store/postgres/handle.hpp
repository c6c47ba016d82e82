#pragma once
// The one place that connects to PostgreSQL through libpq, runs statements without parameters
// and reports failures. Used by the store's connection (postgres_store.cpp) and by the bulk
// loader's sink and the national scorer's source (postgres_national.cpp), each on its own
// connection.
#include <libpq-fe.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/sql_store.hpp"

namespace ita::store::postgres {

struct ClearResult {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

struct ConnectOptions {
  // Server settings for the session, as libpq's "options" ("-c name=value …"); empty for none.
  std::string settings;
  sql::Constraints constraints = sql::Constraints::AsStoreErrors;
};

class Handle {
 public:
  // Connects with a libpq URL, which comes last, so its own settings win over these defaults: a
  // connect_timeout of 10 s, UTF8. Notices ("relation already exists, skipping") are dropped.
  // StoreError when it cannot connect.
  Handle(const std::string& url, const ConnectOptions& options);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  PGconn* get() const { return conn_.get(); }

  // Names the server ("PostgreSQL database D on H:P") without the password the URL may hold.
  std::string where() const;
  // libpq's last error message, without its trailing newline.
  std::string last_error() const;

  // Throws what the failed result `r` (nullptr: the connection's last error) of operation `op`
  // means: a constraint violation as options.constraints says, anything else a StoreError with
  // the SQLSTATE and where(). Only the primary message: DETAIL lines quote row values, which may
  // be answers.
  [[noreturn]] void fail(std::string_view op, const PGresult* r) const;

  // Runs statements without parameters and returns the last result; fails unless it is
  // PGRES_COMMAND_OK or PGRES_TUPLES_OK.
  Result exec(std::string_view op, const std::string& sql);
  // Runs a statement without caring whether it works (ROLLBACK, COMMIT in a destructor).
  void exec_quietly(const char* sql) noexcept;
  // `text` as an SQL string literal, quoted and escaped for this connection.
  std::string literal(std::string_view text);

  // Re-establishes a connection the server dropped; StoreError when that fails.
  void reconnect_if_lost();

 private:
  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };

  std::unique_ptr<PGconn, Finish> conn_;
  sql::Constraints constraints_;
};

[[noreturn]] void not_an_integer(std::string_view text);

// An integer PostgreSQL sent as text; StoreError when it is not one. Inline: the national
// reader parses two per response.
inline std::int64_t parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) not_an_integer(text);
  return value;
}

}  // namespace ita::store::postgres
