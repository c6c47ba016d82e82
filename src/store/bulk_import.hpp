#pragma once
// `ita import DIR --db URL`: loads a national data set (io/national_dataset.hpp, format
// "ita-national-dataset/1") into the store's schema in one transaction, bypassing the Store
// interface for speed (docs/scaling.md):
//
//   - each agency of agencies.csv becomes an agency (id = the largest id already stored + its
//     CSV id) with one closed round of the data set's edition (fresh random link tokens);
//   - each respondent of answers.csv becomes a response with a random 128-bit hex id, a
//     random day in April–May of the edition's fiscal year and its answers (one row, in the
//     stored form of store/answers_json.hpp);
//   - each row of oit.csv becomes a confirmed OIT entry (review and final verdict alike);
//   - the data set itself is recorded (imports table) by the SHA-256 of its four files.
//
// Idempotent: a data set already recorded is not loaded again — the summary of the first
// import comes back with `already_imported` set and nothing is written.
//
// The store is migrated first (open_store), so the result is a store `ita serve` opens.
// SQLite: one transaction of prepared statements, synchronous=OFF on the loading connection
// only (the setting is per connection; it is set back to NORMAL before the final checkpoint,
// which writes everything to the database file and syncs it). PostgreSQL: COPY FROM STDIN
// (PQputCopyData) in one transaction.
//
// Every row is checked against the edition (known answer unit of the row's tool, option in its
// scale, no unit twice for a respondent, rows grouped by agency and respondent); the first bad
// row aborts the import and nothing is stored.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/edition.hpp"
#include "io/dataset_reader.hpp"

namespace ita::store {

// Bad data set: names the file and line (the reader's error, io/dataset_reader.hpp).
using ImportError = io::DatasetError;

struct ImportSummary {
  std::string edition;
  std::size_t agencies = 0;
  std::size_t rounds = 0;
  std::size_t responses = 0;
  std::size_t answers = 0;
  std::size_t oit_entries = 0;
  std::int64_t first_agency_id = 0;
  std::int64_t first_round_id = 0;
  std::string dataset_sha256;     // of dataset.json, agencies.csv, answers.csv and oit.csv
  bool already_imported = false;  // this data set was loaded before: nothing was written now
};

using EditionLookup = io::EditionLookup;

// Throws ImportError for a bad data set or an unknown edition, StoreError when the database
// refuses (nothing is stored then).
ImportSummary bulk_import(const std::string& dir, const std::string& url,
                          const EditionLookup& editions);

}  // namespace ita::store
