#pragma once
// The schema migrations compiled into the binary from src/store/migrations/{sqlite,postgres}/
// (see cmake/embed_sql.cmake), in version order.
#include <string_view>
#include <vector>

namespace ita::store {

struct Migration {
  int version = 0;
  std::string_view name;  // file name, e.g. "0001_init.sql"
  std::string_view sql;
};

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();

}  // namespace ita::store
