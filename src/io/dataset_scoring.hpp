#pragma once
// `ita score --dataset DIR`: a national data set (io/national_dataset.hpp) scored straight from
// its files, without loading it into a store — the whole path from an analyst's files to every
// agency's result (docs/scaling.md).
//
// Every row is checked as `ita import` checks it (io/dataset_reader.hpp): the same files are
// refused with the same messages, naming the file and line. answers.csv is read by `jobs`
// threads, each a range of whole agencies (ranges end where a line's agency differs from the
// line before), so no agency's counts are split; whether an agency's rows are together across
// ranges is checked after the threads end. Each agency's counts (core/national.hpp RoundTally)
// are finished as soon as its rows end, so memory does not grow with the number of answers.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/edition.hpp"
#include "core/national.hpp"
#include "io/dataset_reader.hpp"  // EditionLookup

namespace ita::io {

// An agency of agencies.csv, as the results need it.
struct DatasetAgency {
  std::int64_t id = 0;  // its id in agencies.csv
  std::string name, district, province, type;
};

struct DatasetRound {
  DatasetAgency agency;
  national::RoundOutcome outcome;  // a result, or why there is none
};

struct DatasetScoreStats {
  std::string edition;
  std::size_t agencies = 0;
  std::size_t responses = 0;
  std::size_t answers = 0;
  std::size_t oit_verdicts = 0;
  unsigned streams = 1;  // threads that read answers.csv
};

// Scores every agency of the data set in DIR, calling `on_round` once per agency in the order
// of agencies.csv, after every file has been read and checked (so a bad row anywhere means no
// call at all). `jobs`: threads reading answers.csv (0: one per core, at most 8). Throws
// DatasetError for a bad data set or an edition `editions` does not know; the files are only
// read.
DatasetScoreStats score_dataset(const std::string& dir, const EditionLookup& editions,
                                const std::function<void(DatasetRound&&)>& on_round,
                                unsigned jobs = 0);

}  // namespace ita::io
