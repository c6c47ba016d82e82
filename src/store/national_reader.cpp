#include "store/national_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include "store/national_source.hpp"

namespace ita::store {

namespace {

using national_source::AnswerView;
using national_source::RoundInfo;

constexpr std::uint32_t kNoRound = 0xFFFFFFFFu;

// A response id (32 lowercase hex digits) as two 64-bit halves; false when it is not one.
bool parse_id(std::string_view hex, std::uint64_t& hi, std::uint64_t& lo) {
  if (hex.size() != 32) return false;
  std::uint64_t half[2] = {0, 0};
  for (std::size_t i = 0; i < 32; ++i) {
    const char c = hex[i];
    unsigned v = 0;
    if (c >= '0' && c <= '9') {
      v = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v = static_cast<unsigned>(c - 'a' + 10);
    } else {
      return false;
    }
    half[i / 16] = (half[i / 16] << 4) | v;
  }
  hi = half[0];
  lo = half[1];
  return true;
}

// Every response: id → (round index, tool), sorted by id. Lookups remember where the last one
// ended, so a stream in id order (SQLite) costs one comparison a response.
class ResponseIndex {
 public:
  struct Entry {
    std::uint64_t hi = 0, lo = 0;
    std::uint32_t round = kNoRound;
    ToolId tool = ToolId::IIT;
    bool operator<(const Entry& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
  };

  void add(const Entry& e) { entries_.push_back(e); }
  void seal() {
    if (!std::is_sorted(entries_.begin(), entries_.end()))
      std::sort(entries_.begin(), entries_.end());
    answered_.assign(entries_.size(), 0);
  }
  std::size_t size() const { return entries_.size(); }

  // The entry's position, or size() when the id is not there. `hint`: the last position found.
  std::size_t find(std::uint64_t hi, std::uint64_t lo, std::size_t hint) const {
    const Entry key{hi, lo, kNoRound, ToolId::IIT};
    if (hint + 1 < entries_.size() && same(entries_[hint + 1], key)) return hint + 1;
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key);
    return it != entries_.end() && same(*it, key) ? static_cast<std::size_t>(it - entries_.begin())
                                                  : entries_.size();
  }
  const Entry& operator[](std::size_t i) const { return entries_[i]; }
  // True the first time a response is marked: it has answers (counted as a respondent). Streams
  // cover disjoint id ranges, so no two threads mark the same element.
  bool mark(std::size_t i) { return answered_[i]++ == 0; }

 private:
  static bool same(const Entry& a, const Entry& b) { return a.hi == b.hi && a.lo == b.lo; }
  std::vector<Entry> entries_;
  std::vector<std::uint8_t> answered_;
};

// What one answers() stream accumulates: every round's counts (created on first use).
class Stream final : public national_source::AnswerConsumer {
 public:
  Stream(const std::vector<const national::EditionTables*>& round_tables, ResponseIndex& responses)
      : round_tables_(round_tables), responses_(responses), tallies_(round_tables.size()) {}

  void row(const AnswerView& a) override {
    ++answers_;
    if (!same_id(a.response_id)) next_response(a.response_id);
    if (tally_ == nullptr) return;
    const std::uint32_t unit = interner_->find(a.unit);
    if (unit != national::kNoIndex && tables_->unit_tool(unit) == tool_) {
      const double p = tables_->points(unit, a.option);
      if (!std::isnan(p)) {
        tally_->answer(unit, p);
        return;
      }
    }
    tally_->answer(tool_, unit, a.unit, a.option);  // records what is wrong
  }

  national::RoundTally* tally(std::size_t round) const { return tallies_[round].get(); }
  std::size_t answers() const { return answers_; }
  std::size_t orphans() const { return orphans_; }

 private:
  // Whether `id` is the id of the previous row: 32 bytes compared as four words.
  bool same_id(std::string_view id) const {
    if (id.size() != 32 || last_id_.size() != 32) return id == last_id_;
    std::uint64_t a[4], b[4];
    std::memcpy(a, id.data(), 32);
    std::memcpy(b, last_id_.data(), 32);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
  }

  void next_response(std::string_view id) {
    last_id_.assign(id);
    tally_ = nullptr;
    std::uint64_t hi = 0, lo = 0;
    const std::size_t i = parse_id(id, hi, lo) ? responses_.find(hi, lo, hint_) : responses_.size();
    if (i == responses_.size()) {
      ++orphans_;  // not in the index: written after it was read
      return;
    }
    hint_ = i;
    const auto& entry = responses_[i];
    const national::EditionTables* tables = round_tables_[entry.round];
    if (tables == nullptr) return;  // the round's edition is not loaded: reported per round
    auto& t = tallies_[entry.round];
    if (!t) t = std::make_unique<national::RoundTally>(*tables);
    tally_ = t.get();
    tool_ = entry.tool;
    if (tables != tables_) {
      tables_ = tables;
      auto& interner = interners_[tables];
      if (!interner) interner = std::make_unique<national::UnitInterner>(*tables);
      interner_ = interner.get();
    }
    interner_->restart();
    if (responses_.mark(i)) tally_->respondent(tool_);
  }

  const std::vector<const national::EditionTables*>& round_tables_;
  ResponseIndex& responses_;
  std::vector<std::unique_ptr<national::RoundTally>> tallies_;
  std::map<const national::EditionTables*, std::unique_ptr<national::UnitInterner>> interners_;
  std::string last_id_;
  std::size_t hint_ = 0;
  national::RoundTally* tally_ = nullptr;
  const national::EditionTables* tables_ = nullptr;
  national::UnitInterner* interner_ = nullptr;
  ToolId tool_ = ToolId::IIT;
  std::size_t answers_ = 0;
  std::size_t orphans_ = 0;
};

bool is_postgres(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

// The id range [from, to) of stream k of n, as first hex digits ("g": past the last id).
std::pair<std::string, std::string> id_range(unsigned k, unsigned n) {
  static constexpr char digits[] = "0123456789abcdefg";
  return {std::string(1, digits[16 * k / n]), std::string(1, digits[16 * (k + 1) / n])};
}

}  // namespace

NationalStats score_all_rounds(const std::string& url, const EditionLookup& editions,
                               const std::function<void(NationalRound&&)>& on_round, unsigned jobs,
                               bool with_items) {
  std::unique_ptr<national_source::Source> source;
  if (is_postgres(url)) {
    source = national_source::open_postgres_source(url);
  } else {
    std::string path = url;
    if (path.starts_with("sqlite://")) {
      path.erase(0, 9);
    } else if (path.starts_with("sqlite:")) {
      path.erase(0, 7);
    }
    source = national_source::open_sqlite_source(path);
  }
  NationalStats stats;
  std::vector<RoundInfo> rounds = source->rounds();
  stats.rounds = rounds.size();

  // Editions, as tables, per round.
  std::map<std::string, std::unique_ptr<national::EditionTables>, std::less<>> tables_by_edition;
  std::vector<const national::EditionTables*> round_tables(rounds.size(), nullptr);
  std::unordered_map<std::int64_t, std::uint32_t> round_index;
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    round_index.emplace(rounds[i].round_id, static_cast<std::uint32_t>(i));
    auto it = tables_by_edition.find(rounds[i].edition_id);
    if (it == tables_by_edition.end()) {
      const Edition* e = editions(rounds[i].edition_id);
      it = tables_by_edition
               .emplace(rounds[i].edition_id,
                        e ? std::make_unique<national::EditionTables>(*e) : nullptr)
               .first;
    }
    round_tables[i] = it->second.get();
  }

  // OIT verdicts: per round, per item of its edition (-1: not judged).
  std::vector<std::vector<std::int8_t>> verdicts(rounds.size());
  source->oit_verdicts([&](std::int64_t round_id, std::string_view item, bool pass) {
    auto it = round_index.find(round_id);
    if (it == round_index.end() || round_tables[it->second] == nullptr) return;
    const auto* t = round_tables[it->second];
    const std::uint32_t k = t->oit_index(item);
    if (k == national::kNoIndex) return;  // not an item of the edition: the engine ignores it too
    auto& v = verdicts[it->second];
    if (v.empty()) v.assign(t->oit_items(), -1);
    v[k] = pass ? 1 : 0;
  });

  // The responses index.
  ResponseIndex responses;
  source->responses([&](std::string_view id, std::int64_t round_id, std::string_view tool) {
    auto it = round_index.find(round_id);
    std::uint64_t hi = 0, lo = 0;
    if (it == round_index.end() || !parse_id(id, hi, lo)) return;
    responses.add({hi, lo, it->second, tool == "EIT" ? ToolId::EIT : ToolId::IIT});
  });
  responses.seal();
  stats.responses = responses.size();

  // The answers, in `n` parallel streams over disjoint id ranges.
  unsigned n = jobs != 0 ? jobs
                         : std::min(source->parallel_streams(),
                                    std::max(1u, std::thread::hardware_concurrency()));
  n = std::clamp(n, 1u, 16u);
  stats.streams = n;
  std::vector<std::unique_ptr<Stream>> streams;
  for (unsigned k = 0; k < n; ++k)
    streams.push_back(std::make_unique<Stream>(round_tables, responses));
  if (n == 1) {
    source->answers("0", "g", *streams[0]);
  } else {
    std::vector<std::unique_ptr<national_source::Source>> others;
    for (unsigned k = 1; k < n; ++k) others.push_back(source->another());
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    for (unsigned k = 1; k < n; ++k) {
      threads.emplace_back([&, k] {
        try {
          const auto [from, to] = id_range(k, n);
          others[k - 1]->answers(from, to, *streams[k]);
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    }
    try {
      const auto [from, to] = id_range(0, n);
      source->answers(from, to, *streams[0]);
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
  for (const auto& s : streams) {
    stats.answers += s->answers();
    stats.orphans += s->orphans();
  }

  // Each round: its streams' counts merged, its verdicts, aggregated and graded.
  std::map<const national::EditionTables*, std::unique_ptr<national::RoundTally>> empty;
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    NationalRound r;
    r.round_id = rounds[i].round_id;
    r.agency = std::move(rounds[i].agency);
    r.edition_id = std::move(rounds[i].edition_id);
    if (round_tables[i] == nullptr) {
      r.outcome.missing.push_back("edition " + r.edition_id + " is not loaded");
    } else {
      national::RoundTally* tally = nullptr;
      for (const auto& s : streams) {
        national::RoundTally* t = s->tally(i);
        if (t == nullptr) continue;
        if (tally == nullptr) {
          tally = t;
        } else {
          tally->merge(*t);
        }
      }
      if (tally == nullptr) {  // no answers at all
        auto& e = empty[round_tables[i]];
        if (!e) e = std::make_unique<national::RoundTally>(*round_tables[i]);
        e->clear();
        tally = e.get();
      }
      const auto& v = verdicts[i];
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (v[k] >= 0) tally->oit(static_cast<std::uint32_t>(k), v[k] == 1);
      }
      r.outcome = tally->finish(with_items);
    }
    on_round(std::move(r));
  }
  return stats;
}

}  // namespace ita::store
