#pragma once
// The PostgreSQL backend on libpq: one connection, re-established between transactions when
// the server dropped it.
#include <memory>
#include <string>

#include "store/store.hpp"

namespace ita::store {

// Connects with a libpq URL ("postgresql://user@host:port/db?…") and brings the schema up to
// date (unless options.migrate is false). A connect_timeout of 10 s applies unless the URL sets
// one.
std::unique_ptr<Store> open_postgres_store(const std::string& url,
                                           const StoreOptions& options = {});

}  // namespace ita::store
