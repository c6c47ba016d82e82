#pragma once
// The editions a deployment knows: the built-in ones (and --edition-file) plus those an
// administrator published into the store (docs/editions.md, "Publishing an edition"). web and
// cli both read editions through it, so a round opened on a published edition is scored,
// exported and documented with the same edition everywhere.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "io/edition_registry.hpp"
#include "store/store.hpp"

namespace ita::service {

// `base` plus the newest version of every edition published in `store` (a published edition
// replaces a built-in one of the same id). Throws StoreError; a stored edition that no longer
// parses throws the io layer's FileError naming it.
io::EditionSet load_editions(store::Store& store, io::EditionSet base);

// Where an edition in force comes from.
struct EditionOrigin {
  bool published = false;  // false: built in (or loaded from a file at start)
  int version = 0;
  std::int64_t published_at = 0;
};

// Thread-safe view of the editions in force for a long-running server. Pointers it returns stay
// valid for its lifetime, also after the edition they point to is replaced by a newer version.
class EditionCatalog {
 public:
  EditionCatalog(store::Store& store, io::EditionSet base);

  // Reads the store's published editions again (other processes may have published).
  void refresh();
  // The edition `id`, or null; a miss refreshes once (another process may have published it).
  const Edition* find(std::string_view id);
  // Every edition in force, ordered by id.
  std::vector<const Edition*> all();
  EditionOrigin origin(std::string_view id);
  // A copy of the editions in force, for code that takes an io::EditionSet.
  io::EditionSet snapshot();
  // The edition in force with the largest fiscal year below `e`'s, or null (for a year-over-year
  // comparison).
  const Edition* previous_year(const Edition& e);

  // Publishes `e` (already parsed and checked) as the next version of its id and puts it in
  // force. Throws store::Conflict, changing nothing, when a round already uses its id.
  const Edition& publish(const Edition& e, std::int64_t by_user);

 private:
  void load_locked();

  store::Store& store_;
  std::mutex mutex_;  // guards set_, origins_ and kept_
  io::EditionSet set_;
  std::map<std::string, EditionOrigin, std::less<>> origins_;
  std::vector<std::shared_ptr<const Edition>> kept_;  // replaced editions, still pointed to
};

}  // namespace ita::service
