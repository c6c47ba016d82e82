#pragma once
// The editions a run knows: the built-in ones (embedded from editions/) plus user files.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"

namespace ita::io {

struct EmbeddedEdition {
  std::string id;
  std::string origin;  // "editions/2566.json"
  std::string json;
};

// Generated at build time by cmake/embed_editions.cmake.
const std::vector<EmbeddedEdition>& embedded_editions();

class EditionSet {
 public:
  // The built-in editions, parsed and checked.
  static EditionSet builtin();

  // Adds (or replaces, by id) an edition from a user file; returns it.
  const Edition& add_file(const std::string& path);
  void add(Edition e);

  const Edition* find(std::string_view id) const;
  // The edition `id`, or an InputError listing the known ids.
  const Edition& get(std::string_view id) const;
  std::vector<const Edition*> all() const;

 private:
  std::map<std::string, std::shared_ptr<const Edition>, std::less<>> editions_;
};

}  // namespace ita::io
