// The national data set reader (`ita import DIR`, store/bulk_import.*) on a SQLite store.
// The input is the data set's four files separated by NUL bytes: dataset.json, agencies.csv,
// answers.csv, oit.csv (a file missing from the input is missing from the folder). Each run
// imports into a fresh copy of a migrated database holding one agency, then checks the contract:
//   - a bad data set is an ImportError and nothing is stored;
//   - a good one stores exactly the agencies, rounds and responses the summary counts, and
//     importing it again is recognised and stores nothing more.
// Any other exception, a crash or UB is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/edition_registry.hpp"
#include "store/bulk_import.hpp"
#include "store/store.hpp"

namespace {

namespace fs = std::filesystem;

struct World {
  ita::io::EditionSet editions = ita::io::EditionSet::builtin();
  fs::path dir;       // the data set folder, rewritten for each input
  fs::path empty_db;  // migrated once, with one agency
  fs::path db;        // a copy of empty_db for each input
};

World& world() {
  static World* w = [] {
    auto* nw = new World;
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    const fs::path root = base / ("ita-fuzz-import-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "dataset");
    nw->dir = root / "dataset";
    nw->empty_db = root / "empty.sqlite";
    nw->db = root / "work.sqlite";
    // An agency is there already, as in a store that is in use: the data set's ids come after.
    ita::store::open_store(nw->empty_db.string())
        ->create_agency({0, "มีอยู่แล้ว", "", "", ""}, std::nullopt);
    return nw;
  }();
  return *w;
}

void remove_db(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  static const char* const kFiles[] = {"dataset.json", "agencies.csv", "answers.csv", "oit.csv"};
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() < 4) {
    const std::size_t nul = in.find('\0', start);
    parts.push_back(in.substr(start, nul == std::string_view::npos ? nul : nul - start));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    const fs::path p = w.dir / kFiles[i];
    fs::remove(p);
    if (i < parts.size()) {
      std::ofstream(p, std::ios::binary)
          .write(parts[i].data(), static_cast<std::streamsize>(parts[i].size()));
    }
  }
  remove_db(w.db);
  fs::copy_file(w.empty_db, w.db);

  const auto lookup = [&](std::string_view id) { return w.editions.find(std::string(id)); };
  bool imported = false;
  ita::store::ImportSummary summary;
  try {
    summary = ita::store::bulk_import(w.dir.string(), w.db.string(), lookup);
    imported = true;
  } catch (const ita::store::ImportError&) {
  }

  auto st = ita::store::open_store(w.db.string());
  const auto agencies = st->agencies();
  if (!imported) {
    if (agencies.size() != 1) __builtin_trap();  // a bad data set stored something
    return 0;
  }
  if (agencies.size() != 1 + summary.agencies) __builtin_trap();
  std::size_t responses = 0;
  for (const auto& a : agencies) {
    for (const auto& r : st->rounds_of_agency(a.id)) {
      for (const auto& [tool, n] : st->response_counts(r.id))
        responses += static_cast<std::size_t>(n);
    }
  }
  if (responses != summary.responses) __builtin_trap();
  // The same data set again is recognised and changes nothing.
  const auto again = ita::store::bulk_import(w.dir.string(), w.db.string(), lookup);
  if (!again.already_imported || again.agencies != summary.agencies ||
      again.first_agency_id != summary.first_agency_id ||
      ita::store::open_store(w.db.string())->agencies().size() != agencies.size())
    __builtin_trap();
  return 0;
}
