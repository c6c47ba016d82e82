#include "store/maintenance.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/postgres/postgres_maintenance.hpp"
#include "store/sqlite/sqlite_maintenance.hpp"
#include "store/store.hpp"

namespace ita::store {

DatabaseSummary backup_database(const std::string& url, const std::string& file,
                                const MaintenanceOptions& options) {
  if (const auto path = sqlite_file(url)) return sqlite::backup(*path, file);
  return postgres::backup(url, file, options.pg_bin);
}

DatabaseSummary restore_database(const std::string& url, const std::string& file,
                                 const MaintenanceOptions& options) {
  if (const auto path = sqlite_file(url)) return sqlite::restore(*path, file, options.force);
  return postgres::restore(url, file, options.pg_bin, options.force);
}

std::string describe_database(const std::string& url) {
  if (const auto path = sqlite_file(url)) return "SQLite database " + *path;
  return postgres::describe(url);
}

namespace detail {

void sync_folder(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string folder = p.has_parent_path() ? p.parent_path().string() : ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const int failed = fd < 0 || ::fsync(fd) != 0 ? errno : 0;
  if (fd >= 0) ::close(fd);
  if (failed != 0)
    throw StoreError("syncing the folder " + folder + " of " + path + ": " + std::strerror(failed));
}

void keep_private(const std::string& path) {
  if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0)
    throw StoreError("making " + path + " private: " + std::strerror(errno));
}

}  // namespace detail

}  // namespace ita::store
