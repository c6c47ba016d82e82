#pragma once
// The SQLite backend: one database file in WAL mode with synchronous=FULL (a committed
// transaction survives a killed process and a power cut: COMMIT returns after the WAL is synced),
// foreign keys on, and a 5 s busy timeout when another process holds the write lock.
//
// Checkpoints. SQLite's automatic checkpoint copies the write-ahead log into the database file,
// and syncs it, inside the COMMIT that crosses its threshold: every survey submission waiting
// for the next batch waits for that too (≈ 80 ms for 40 MiB on the development machine, where a
// batch takes 3 ms). A store opened with StoreOptions::continuous_writes instead has a thread
// with its own connection copy the log into the file and sync it in the background (a PASSIVE
// checkpoint: it takes no lock the writer needs) every 2,000 new pages. Once the log holds
// 16,000 pages (≈ 64 MiB), right after such a pass, the writer copies the few pages committed
// meanwhile itself, so that every page is in the file and SQLite starts the log again from its
// beginning. If the thread falls behind, the writer waits for it once the log holds 50,000 pages
// (≈ 200 MiB), so the log stays bounded.
#include <memory>
#include <string>

#include "store/store.hpp"

namespace ita::store {

// Opens (creating if needed) the database file at `path` and brings its schema up to date.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options = {});

}  // namespace ita::store
