#pragma once
// The editions a run knows: the built-in ones (embedded from editions/) plus user files.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"

namespace ita::io {

// The files of editions/ by file name ("2566.json"). Generated at build time (cmake/Embed.cmake).
const std::map<std::string, std::string>& embedded_edition_files();

class EditionSet {
 public:
  // The built-in editions, parsed and checked.
  static EditionSet builtin();

  // Adds (or replaces, by id) an edition from a user file; returns it.
  const Edition& add_file(const std::string& path);
  void add(Edition e);

  const Edition* find(std::string_view id) const;
  // The edition `id` as shared ownership (it outlives a later add() of the same id), or null.
  std::shared_ptr<const Edition> shared(std::string_view id) const;
  // The edition `id`, or an InputError listing the known ids.
  const Edition& get(std::string_view id) const;
  std::vector<const Edition*> all() const;

 private:
  std::map<std::string, std::shared_ptr<const Edition>, std::less<>> editions_;
};

}  // namespace ita::io
