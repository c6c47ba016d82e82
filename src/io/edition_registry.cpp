#include "io/edition_registry.hpp"

#include "core/error.hpp"
#include "io/edition_json.hpp"

namespace ita::io {

EditionSet EditionSet::builtin() {
  static const EditionSet parsed = [] {
    EditionSet s;
    for (const auto& [name, text] : embedded_edition_files())
      s.add(parse_edition(text, "editions/" + name));
    return s;
  }();
  return parsed;
}

const Edition& EditionSet::add_file(const std::string& path) {
  Edition e = load_edition_file(path);
  const std::string id = e.id;
  add(std::move(e));
  return *editions_.at(id);
}

void EditionSet::add(Edition e) {
  const std::string id = e.id;
  editions_[id] = std::make_shared<const Edition>(std::move(e));
}

const Edition* EditionSet::find(std::string_view id) const {
  auto it = editions_.find(id);
  return it == editions_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const Edition> EditionSet::shared(std::string_view id) const {
  auto it = editions_.find(id);
  return it == editions_.end() ? nullptr : it->second;
}

const Edition& EditionSet::get(std::string_view id) const {
  if (const Edition* e = find(id)) return *e;
  std::string known;
  for (const auto& [k, _] : editions_) known += (known.empty() ? "" : ", ") + k;
  throw InputError("edition", "unknown edition \"" + std::string(id) + "\"; known editions: " +
                                  known + " (or load one with --edition-file)");
}

std::vector<const Edition*> EditionSet::all() const {
  std::vector<const Edition*> out;
  for (const auto& [_, e] : editions_) out.push_back(e.get());
  return out;
}

}  // namespace ita::io
