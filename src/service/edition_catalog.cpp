#include "service/edition_catalog.hpp"

#include "io/edition_json.hpp"

namespace ita::service {

namespace {

Edition parse_published(const store::PublishedEdition& p) {
  return io::parse_edition(p.json, "edition " + p.id + " version " + std::to_string(p.version) +
                                       " (published in the database)");
}

}  // namespace

io::EditionSet load_editions(store::Store& store, io::EditionSet base) {
  for (const auto& p : store.published_editions()) base.add(parse_published(p));
  return base;
}

EditionCatalog::EditionCatalog(store::Store& store, io::EditionSet base)
    : store_(store), set_(std::move(base)) {
  std::lock_guard lock(mutex_);
  load_locked();
}

void EditionCatalog::load_locked() {
  for (const auto& p : store_.published_editions()) {
    auto known = origins_.find(p.id);
    if (known != origins_.end() && known->second.version == p.version) continue;
    Edition e = parse_published(p);
    if (auto old = set_.shared(p.id)) kept_.push_back(std::move(old));
    set_.add(std::move(e));
    origins_[p.id] = EditionOrigin{true, p.version, p.published_at};
  }
}

void EditionCatalog::refresh() {
  std::lock_guard lock(mutex_);
  load_locked();
}

const Edition* EditionCatalog::find(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (const Edition* e = set_.find(id)) return e;
  load_locked();
  return set_.find(id);
}

std::vector<const Edition*> EditionCatalog::all() {
  std::lock_guard lock(mutex_);
  return set_.all();
}

EditionOrigin EditionCatalog::origin(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto it = origins_.find(id);
  return it == origins_.end() ? EditionOrigin{} : it->second;
}

io::EditionSet EditionCatalog::snapshot() {
  std::lock_guard lock(mutex_);
  return set_;
}

const Edition* EditionCatalog::previous_year(const Edition& e) {
  std::lock_guard lock(mutex_);
  const Edition* best = nullptr;
  for (const Edition* other : set_.all()) {
    if (other->fiscal_year < e.fiscal_year && (!best || other->fiscal_year > best->fiscal_year)) {
      best = other;
    }
  }
  return best;
}

const Edition& EditionCatalog::publish(const Edition& e, std::int64_t by_user) {
  const std::string json = io::edition_to_json(e);
  const store::PublishedEdition stored = store_.publish_edition(e.id, json, by_user);
  std::lock_guard lock(mutex_);
  if (auto old = set_.shared(e.id)) kept_.push_back(std::move(old));
  set_.add(parse_published(stored));
  origins_[e.id] = EditionOrigin{true, stored.version, stored.published_at};
  return *set_.find(e.id);
}

}  // namespace ita::service
