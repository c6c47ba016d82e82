#include "io/dataset_scoring.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "io/dataset_reader.hpp"

namespace ita::io {

namespace {

namespace fs = std::filesystem;

// agencies.csv and oit.csv, read and checked: what every answers.csv thread shares, read-only.
struct Frame {
  const national::EditionTables* tables = nullptr;
  std::vector<DatasetAgency> agencies;                  // in file order
  std::unordered_map<std::int64_t, std::size_t> index;  // CSV id → position in `agencies`
  std::vector<std::int8_t> verdicts;  // agencies × OIT items: -1 none, 0 fail, 1 pass
  std::size_t oit_verdicts = 0;

  bool known(std::int64_t id) const { return index.contains(id); }
};

void read_agencies(const fs::path& path, Frame& frame) {
  LineReader in(path.string());
  expect_header(in, "id,name,district,province,type,staff_count,service_users");
  for_each_row(in, [&](const std::vector<std::string_view>& f) {
    const AgencyRow row = check_agency_row(in, f);
    if (!frame.index.emplace(row.id, frame.agencies.size()).second)
      in.fail("agency id " + std::string(f[0]) + " appears twice");
    frame.agencies.push_back({row.id, std::string(row.name), std::string(row.district),
                              std::string(row.province), std::string(row.type)});
  });
}

void read_verdicts(const fs::path& path, Frame& frame) {
  const national::EditionTables& tables = *frame.tables;
  frame.verdicts.assign(frame.agencies.size() * tables.oit_items(), -1);
  LineReader in(path.string());
  expect_header(in, "agency,item,verdict");
  OitRowChecker checker(tables, [&](std::int64_t id) { return frame.known(id); });
  for_each_row(in, [&](const std::vector<std::string_view>& f) {
    const OitRow row = checker.check(in, f);
    frame.verdicts[frame.index.at(row.agency) * tables.oit_items() + row.item] = row.pass ? 1 : 0;
    ++frame.oit_verdicts;
  });
}

// Where each thread's range of answers.csv starts: at `size * k / jobs`, moved on to the next
// line whose agency field differs from the line before it, so no agency spans two ranges.
std::vector<std::uint64_t> range_starts(const std::string& path, std::uint64_t size,
                                        unsigned jobs) {
  std::vector<std::uint64_t> starts{0};
  for (unsigned k = 1; k < jobs; ++k) {
    const std::uint64_t target = std::max(size * k / jobs, starts.back());
    LineReader in(path, target, size);
    std::string_view line;
    if (target > 0) in.next(line);        // the rest of a line the target cut
    std::optional<std::string> previous;  // the agency field of the line before
    std::uint64_t at = in.offset();
    while (in.next(line)) {
      const std::string_view agency = line.substr(0, line.find(','));
      if (previous && agency != *previous) break;  // `at` is where this line starts
      previous = std::string(agency);
      at = in.offset();
    }
    starts.push_back(std::min(at, size));
  }
  starts.push_back(size);
  return starts;
}

// What one thread made of its range of answers.csv.
struct RangeResult {
  std::vector<std::pair<std::size_t, national::RoundOutcome>> outcomes;  // agency position
  std::vector<std::pair<std::int64_t, std::size_t>> runs;  // each agency and its first line
  std::size_t responses = 0, answers = 0;
  std::optional<DatasetError> error;  // the first bad row (lines counted from the range start)
  std::exception_ptr failure;         // anything else
};

// The verdicts of the agency at `position` set into its tally, which is then finished.
national::RoundOutcome finish(const Frame& frame, national::RoundTally& tally,
                              std::size_t position) {
  const std::size_t items = frame.tables->oit_items();
  for (std::size_t k = 0; k < items; ++k) {
    const std::int8_t v = frame.verdicts[position * items + k];
    if (v >= 0) tally.oit(static_cast<std::uint32_t>(k), v == 1);
  }
  return tally.finish(/*with_items=*/false);
}

void score_range(const Frame& frame, const std::string& path, std::uint64_t begin,
                 std::uint64_t end, RangeResult& out) {
  LineReader in(path, begin, end);
  if (begin == 0) expect_header(in, "agency,tool,respondent,item,answer");
  AnswerRowChecker checker(*frame.tables, [&](std::int64_t id) { return frame.known(id); });
  national::RoundTally tally(*frame.tables);
  std::optional<std::size_t> current;  // the position of the agency being counted
  for_each_row(in, [&](const std::vector<std::string_view>& f) {
    const AnswerRow row = checker.check(in, f);
    if (row.new_agency) {
      if (current) out.outcomes.emplace_back(*current, finish(frame, tally, *current));
      tally.clear();
      current = frame.index.at(row.agency);
      out.runs.emplace_back(row.agency, in.line_number());
    }
    if (row.new_respondent) {
      tally.respondent(row.tool);
      ++out.responses;
    }
    tally.answer(row.unit, row.points);
    ++out.answers;
  });
  if (current) out.outcomes.emplace_back(*current, finish(frame, tally, *current));
}

// The number of '\n' in the first `bytes` bytes of the file.
std::size_t lines_before(const std::string& path, std::uint64_t bytes) {
  LineReader in(path, 0, bytes);
  std::string_view line;
  std::size_t n = 0;
  while (in.next(line)) ++n;
  return n;  // a range start is a line start: the last line read ended with its '\n'
}

// The first bad row of answers.csv in file order, if any: a thread's own, or an agency whose
// rows are in two ranges (which one thread alone cannot see).
std::optional<DatasetError> first_error(const std::string& path,
                                        const std::vector<std::uint64_t>& starts,
                                        const std::vector<RangeResult>& ranges) {
  std::unordered_map<std::int64_t, std::size_t> range_of;
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    std::optional<DatasetError> error = ranges[k].error;
    for (const auto& [agency, line] : ranges[k].runs) {
      const auto [it, fresh] = range_of.emplace(agency, k);
      if (fresh || it->second == k) continue;
      if (!error || line < error->line())
        error = DatasetError(
            path, line,
            "field agency: the rows of agency " + std::to_string(agency) + " are not together");
      break;
    }
    if (!error) continue;
    if (k == 0 || error->line() == 0) return error;
    return DatasetError(path, error->line() + lines_before(path, starts[k]), error->detail());
  }
  return std::nullopt;
}

unsigned threads_for(unsigned jobs) {
  if (jobs != 0) return jobs;
  return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

}  // namespace

DatasetScoreStats score_dataset(const std::string& dir_name, const EditionLookup& editions,
                                const std::function<void(DatasetRound&&)>& on_round,
                                unsigned jobs) {
  const fs::path dir(dir_name);
  const Edition& edition = dataset_edition(dir, editions);
  const national::EditionTables tables(edition);
  Frame frame;
  frame.tables = &tables;
  read_agencies(dir / "agencies.csv", frame);
  read_verdicts(dir / "oit.csv", frame);

  const std::string answers = (dir / "answers.csv").string();
  std::error_code ec;
  const std::uint64_t size = fs::file_size(answers, ec);
  if (ec) throw DatasetError(answers + ": cannot open the file: " + ec.message());
  const std::vector<std::uint64_t> starts = range_starts(answers, size, threads_for(jobs));
  std::vector<RangeResult> ranges(starts.size() - 1);
  {
    std::vector<std::jthread> threads;
    for (std::size_t k = 0; k < ranges.size(); ++k) {
      threads.emplace_back([&, k] {
        try {
          score_range(frame, answers, starts[k], starts[k + 1], ranges[k]);
        } catch (const DatasetError& e) {
          ranges[k].error = e;
        } catch (...) {
          ranges[k].failure = std::current_exception();
        }
      });
    }
  }  // the threads join here
  for (const RangeResult& r : ranges)
    if (r.failure) std::rethrow_exception(r.failure);
  if (auto error = first_error(answers, starts, ranges)) throw *error;

  DatasetScoreStats stats;
  stats.edition = edition.id;
  stats.agencies = frame.agencies.size();
  stats.oit_verdicts = frame.oit_verdicts;
  stats.streams = static_cast<unsigned>(ranges.size());
  std::vector<std::optional<national::RoundOutcome>> outcomes(frame.agencies.size());
  for (RangeResult& r : ranges) {
    stats.responses += r.responses;
    stats.answers += r.answers;
    for (auto& [position, outcome] : r.outcomes) outcomes[position] = std::move(outcome);
  }
  national::RoundTally empty(tables);  // an agency without answers: its verdicts alone
  for (std::size_t i = 0; i < frame.agencies.size(); ++i) {
    if (!outcomes[i]) {
      empty.clear();
      outcomes[i] = finish(frame, empty, i);
    }
    on_round({std::move(frame.agencies[i]), std::move(*outcomes[i])});
  }
  return stats;
}

}  // namespace ita::io
