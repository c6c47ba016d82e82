#include "store/national_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include "core/thai.hpp"
#include "store/answers_json.hpp"
#include "store/national_source.hpp"

namespace ita::store {

void national_source::read_round_state(RoundInfo& r, std::string_view status,
                                       std::string_view closes_at) {
  const auto parsed = parse_round_status(status);
  if (!parsed)
    throw StoreError("rounds.status holds the unknown status '" + std::string(status) + "'");
  r.status = *parsed;
  if (closes_at.empty()) return;
  r.closes_at = parse_iso_date(closes_at);
  if (!r.closes_at)
    throw StoreError("rounds.closes_at holds '" + std::string(closes_at) + "', not a date");
}

namespace {

using national_source::ResponseView;
using national_source::RoundInfo;

constexpr std::uint32_t kNoRound = 0xFFFFFFFFu;

// Round id → position in the rounds list: a plain array when the ids are dense enough (they
// are sequential in a store), a hash table otherwise.
class RoundIndex {
 public:
  explicit RoundIndex(const std::vector<RoundInfo>& rounds) {
    if (rounds.empty()) return;
    std::int64_t lo = rounds.front().round_id, hi = lo;
    for (const auto& r : rounds) {
      lo = std::min(lo, r.round_id);
      hi = std::max(hi, r.round_id);
    }
    if (hi - lo < static_cast<std::int64_t>(4 * rounds.size() + 1024)) {
      base_ = lo;
      dense_.assign(static_cast<std::size_t>(hi - lo + 1), kNoRound);
      for (std::size_t i = 0; i < rounds.size(); ++i)
        dense_[static_cast<std::size_t>(rounds[i].round_id - lo)] = static_cast<std::uint32_t>(i);
    } else {
      for (std::size_t i = 0; i < rounds.size(); ++i)
        sparse_.emplace(rounds[i].round_id, static_cast<std::uint32_t>(i));
    }
  }
  std::uint32_t find(std::int64_t round_id) const {
    if (!dense_.empty()) {
      const std::int64_t k = round_id - base_;
      return k >= 0 && k < static_cast<std::int64_t>(dense_.size())
                 ? dense_[static_cast<std::size_t>(k)]
                 : kNoRound;
    }
    auto it = sparse_.find(round_id);
    return it == sparse_.end() ? kNoRound : it->second;
  }

 private:
  std::int64_t base_ = 0;
  std::vector<std::uint32_t> dense_;
  std::unordered_map<std::int64_t, std::uint32_t> sparse_;
};

// The answer layouts of the store (store/answers_json.hpp), decoded once; and, per edition, the
// edition's index of each of a layout's units.
class Layouts {
 public:
  struct Mapped {
    std::vector<std::uint32_t> units;  // national::kNoIndex: a code the edition does not know
    bool repeats = false;              // a unit twice: no respondent's answers
  };

  void add(std::int64_t id, std::string_view text) {
    answers_json::Decoder decoder;
    const auto* codes = decoder.decode(text);
    Entry& e = entries_[id];
    e.valid = codes != nullptr;
    if (codes != nullptr) e.codes.assign(codes->begin(), codes->end());
  }
  // The layout's codes, or nullptr when it is unknown or not an array of strings.
  const std::vector<std::string>* codes(std::int64_t id) const {
    auto it = entries_.find(id);
    return it == entries_.end() || !it->second.valid ? nullptr : &it->second.codes;
  }
  // The layout mapped onto `tables`, or nullptr as for codes(). Not thread-safe: build every
  // mapping before the streams start (map_all).
  const Mapped* mapped(std::int64_t id, const national::EditionTables* tables) const {
    auto it = entries_.find(id);
    if (it == entries_.end() || !it->second.valid) return nullptr;
    auto m = it->second.mapped.find(tables);
    return m == it->second.mapped.end() ? nullptr : &m->second;
  }
  void map_all(const std::vector<const national::EditionTables*>& tables) {
    for (auto& [id, e] : entries_) {
      if (!e.valid) continue;
      for (const auto* t : tables) {
        if (t == nullptr || e.mapped.contains(t)) continue;
        Mapped m;
        std::vector<std::uint8_t> seen(t->units(), 0);
        national::UnitInterner interner(*t);
        for (const auto& code : e.codes) {
          const std::uint32_t unit = interner.find(code);
          if (unit != national::kNoIndex && seen[unit]++ != 0) m.repeats = true;
          m.units.push_back(unit);
        }
        e.mapped.emplace(t, std::move(m));
      }
    }
  }

 private:
  struct Entry {
    bool valid = false;
    std::vector<std::string> codes;
    std::map<const national::EditionTables*, Mapped> mapped;
  };
  std::unordered_map<std::int64_t, Entry> entries_;
};

// What one responses() stream accumulates: every round's counts (created on first use).
class Stream final : public national_source::ResponseConsumer {
 public:
  Stream(const std::vector<const national::EditionTables*>& round_tables, const RoundIndex& index,
         const Layouts& layouts)
      : round_tables_(round_tables),
        index_(index),
        layouts_(layouts),
        tallies_(round_tables.size()) {}

  void response(const ResponseView& r) override {
    ++responses_;
    const std::uint32_t round = index_.find(answers_json::round_of_slot(r.slot));
    if (round == kNoRound) {
      ++orphans_;  // a round created after the rounds were read
      return;
    }
    const national::EditionTables* tables = round_tables_[round];
    if (tables == nullptr) return;  // the round's edition is not loaded: reported per round
    auto& t = tallies_[round];
    if (!t) t = std::make_unique<national::RoundTally>(*tables);
    national::RoundTally& tally = *t;
    ToolId tool = ToolId::IIT;
    if (r.tool == "EIT") {
      tool = ToolId::EIT;
    } else if (r.tool != "IIT") {
      tally.problem("a response of unknown tool '" + std::string(r.tool) + "'");
      return;
    }
    const Layouts::Mapped* layout = layouts_.mapped(r.layout, tables);
    // The usual response, all one-character options, is counted without a view per option.
    if (const std::string* chars = decoder_.decode_chars(r.answers);
        chars != nullptr && layout != nullptr && !layout->repeats && !chars->empty() &&
        count_chars(tally, *tables, tool, *layout, *chars)) {
      return;
    }
    const auto* options = decoder_.decode(r.answers);
    if (layout == nullptr || options == nullptr || options->size() != layout->units.size()) {
      tally.problem(
          "the answers of a response are not a JSON array of strings, one per unit of its layout");
      return;
    }
    if (options->empty()) return;  // no answers: not a respondent, as for the per-round engine
    if (layout->repeats) {
      tally.problem("a respondent answered a unit twice");
      return;
    }
    tally.respondent(tool);
    answers_ += options->size();
    for (std::size_t k = 0; k < options->size(); ++k) {
      const std::uint32_t unit = layout->units[k];
      const std::string_view option = (*options)[k];
      if (unit != national::kNoIndex && tables->unit_tool(unit) == tool) {
        const double p = tables->points(unit, option);
        if (!std::isnan(p)) {
          tally.answer(unit, p);
          continue;
        }
      }
      tally.answer(tool, unit, (*layouts_.codes(r.layout))[k], option);  // records what is wrong
    }
  }

  national::RoundTally* tally(std::size_t round) const { return tallies_[round].get(); }

  // Counts a response whose options are the characters of `chars`, one per unit of `layout`;
  // false, counting nothing, when any of them is not plainly valid (the general path then
  // reports what is wrong).
  bool count_chars(national::RoundTally& tally, const national::EditionTables& tables, ToolId tool,
                   const Layouts::Mapped& layout, const std::string& chars) {
    const std::size_t n = chars.size();
    if (n != layout.units.size()) return false;
    points_.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t unit = layout.units[k];
      if (unit == national::kNoIndex || tables.unit_tool(unit) != tool) return false;
      points_[k] = tables.points(unit, std::string_view(&chars[k], 1));
      if (std::isnan(points_[k])) return false;
    }
    tally.respondent(tool);
    answers_ += n;
    for (std::size_t k = 0; k < n; ++k) tally.answer(layout.units[k], points_[k]);
    return true;
  }
  std::size_t responses() const { return responses_; }
  std::size_t answers() const { return answers_; }
  std::size_t orphans() const { return orphans_; }

 private:
  const std::vector<const national::EditionTables*>& round_tables_;
  const RoundIndex& index_;
  const Layouts& layouts_;
  std::vector<std::unique_ptr<national::RoundTally>> tallies_;
  answers_json::Decoder decoder_;
  std::vector<double> points_;  // count_chars: the points of one response, checked first
  std::size_t responses_ = 0;
  std::size_t answers_ = 0;
  std::size_t orphans_ = 0;
};

bool is_postgres(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

// The round-id ranges [from, to) of n streams: each gets an equal share of the rounds (their
// sizes even out over thousands of rounds); the first starts at the smallest id there can be
// and the last ends past the largest, so a response of a round created meanwhile is still read
// (and counted as an orphan).
std::vector<std::pair<std::int64_t, std::int64_t>> round_ranges(
    const std::vector<RoundInfo>& rounds, unsigned n) {
  std::vector<std::int64_t> ids;
  ids.reserve(rounds.size());
  for (const auto& r : rounds) ids.push_back(r.round_id);
  std::sort(ids.begin(), ids.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  std::int64_t from = std::numeric_limits<std::int64_t>::min();
  for (unsigned k = 1; k <= n; ++k) {
    const std::size_t cut = ids.size() * k / n;
    const std::int64_t to =
        k == n || cut >= ids.size() ? std::numeric_limits<std::int64_t>::max() : ids[cut];
    out.emplace_back(from, std::max(from, to));
    from = std::max(from, to);
  }
  return out;
}

}  // namespace

NationalStats score_all_rounds(const std::string& url, const EditionLookup& editions,
                               const std::function<void(NationalRound&&)>& on_round, unsigned jobs,
                               bool with_items) {
  // Brings the schema up to date first, as every other way of opening a store does (a store of
  // schema version 2 still has one row per answer: migration 0003 packs them).
  open_store(url);
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
  const RoundIndex round_index(rounds);
  for (std::size_t i = 0; i < rounds.size(); ++i) {
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
    const std::uint32_t round = round_index.find(round_id);
    if (round == kNoRound || round_tables[round] == nullptr) return;
    const auto* t = round_tables[round];
    const std::uint32_t k = t->oit_index(item);
    if (k == national::kNoIndex) return;  // not an item of the edition: the engine ignores it too
    auto& v = verdicts[round];
    if (v.empty()) v.assign(t->oit_items(), -1);
    v[k] = pass ? 1 : 0;
  });

  // The answer layouts, mapped onto every edition in use.
  Layouts layouts;
  source->layouts([&](std::int64_t id, std::string_view units) { layouts.add(id, units); });
  {
    std::vector<const national::EditionTables*> all;
    for (const auto& [id, t] : tables_by_edition) all.push_back(t.get());
    layouts.map_all(all);
  }

  // The responses with their answers, in `n` parallel streams over disjoint ranges of rounds.
  unsigned n = jobs != 0 ? jobs
                         : std::min(source->parallel_streams(),
                                    std::max(1u, std::thread::hardware_concurrency()));
  n = std::clamp(n, 1u, 16u);
  stats.streams = n;
  std::vector<std::unique_ptr<Stream>> streams;
  for (unsigned k = 0; k < n; ++k)
    streams.push_back(std::make_unique<Stream>(round_tables, round_index, layouts));
  const auto ranges = round_ranges(rounds, n);
  if (n == 1) {
    source->responses(ranges[0].first, ranges[0].second, *streams[0]);
  } else {
    std::vector<std::unique_ptr<national_source::Source>> others;
    for (unsigned k = 1; k < n; ++k) others.push_back(source->another());
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    for (unsigned k = 1; k < n; ++k) {
      threads.emplace_back([&, k] {
        try {
          others[k - 1]->responses(ranges[k].first, ranges[k].second, *streams[k]);
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    }
    try {
      source->responses(ranges[0].first, ranges[0].second, *streams[0]);
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
  for (const auto& s : streams) {
    stats.responses += s->responses();
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
    r.status = rounds[i].status;
    r.closes_at = rounds[i].closes_at;
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
