#include "store/store.hpp"

#include <filesystem>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ita::store {

namespace {
constexpr Role kRoles[] = {Role::Admin, Role::Officer, Role::Assessor, Role::Viewer};
}  // namespace

std::string role_code(Role r) {
  switch (r) {
    case Role::Admin:
      return "admin";
    case Role::Officer:
      return "officer";
    case Role::Assessor:
      return "assessor";
    case Role::Viewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(const std::string& code) {
  for (Role r : kRoles) {
    if (role_code(r) == code) return r;
  }
  return std::nullopt;
}

std::string round_status_code(RoundStatus s) {
  switch (s) {
    case RoundStatus::Open:
      return "open";
    case RoundStatus::Closed:
      return "closed";
  }
  return "closed";
}

std::optional<RoundStatus> parse_round_status(std::string_view code) {
  for (RoundStatus s : {RoundStatus::Open, RoundStatus::Closed}) {
    if (round_status_code(s) == code) return s;
  }
  return std::nullopt;
}

RoundStatus effective_status(const Round& r, std::chrono::year_month_day day) {
  if (r.status == RoundStatus::Closed) return RoundStatus::Closed;
  return r.closes_at && day > *r.closes_at ? RoundStatus::Closed : RoundStatus::Open;
}

std::optional<std::int64_t> response_cap(const Round& r, ToolId tool) {
  if (tool != ToolId::IIT || !r.response_cap_percent || r.staff_count <= 0) return std::nullopt;
  const std::int64_t percent = *r.response_cap_percent;
  return (std::int64_t{r.staff_count} * percent + 99) / 100;
}

std::optional<std::string> sqlite_file(const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return std::nullopt;
  std::string path = url;
  if (path.starts_with("sqlite://")) {
    path.erase(0, 9);  // sqlite:///var/ita.db → /var/ita.db
  } else if (path.starts_with("sqlite:")) {
    path.erase(0, 7);
  }
  if (path.empty()) {
    throw StoreError(
        "open store: no database given; expected postgresql://…, sqlite:PATH or a file path");
  }
  return path;
}

std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options) {
  const auto path = sqlite_file(url);
  if (path && options.must_exist && !std::filesystem::exists(*path)) {
    throw StoreError("no database at " + *path + " (see --db)");
  }
  return path ? open_sqlite_store(*path, options) : open_postgres_store(url, options);
}

}  // namespace ita::store
