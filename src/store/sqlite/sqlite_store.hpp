#pragma once
// The SQLite backend: one database file in WAL mode with synchronous=NORMAL (a killed process
// loses no committed transaction; a power cut may lose the last few), foreign keys on, and a
// 5 s busy timeout when another process holds the write lock.
#include <memory>
#include <string>

#include "store/store.hpp"

namespace ita::store {

// Opens (creating if needed) the database file at `path` and brings its schema up to date.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

}  // namespace ita::store
