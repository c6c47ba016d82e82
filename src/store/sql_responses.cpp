// SqlStore: survey responses. A batch is checked response by response and stored in one
// transaction (group commit); answers are read back per round through the answer layouts
// (store/answers_json.hpp).
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "core/thai.hpp"
#include "store/answers_json.hpp"
#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

using Refusal = SubmitOutcome::Refusal;

// 128 bits from the kernel's CSPRNG as 32 lowercase hex digits. Random, so the ids say nothing
// about who answered or when.
std::string random_id() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError(std::string("response.submit: reading random bytes (getrandom) failed: ") +
                       std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * sizeof bytes);
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 0x0f];
  }
  return id;
}

// What is wrong with a response as the store's rules see it (a known tool; answers of a unit
// code and an option code, both given, as UTF-8), or nothing. Checked here rather than left to
// the schema so that one bad response is refused alone instead of failing its whole batch. The
// web checks far more, against the edition. The message names the rule, never an answer.
std::optional<std::string> malformed(const NewResponse& r) {
  if (r.tool != ToolId::IIT && r.tool != ToolId::EIT)
    return "response_tool_known: the tool must be IIT or EIT";
  for (const auto& [unit, option] : r.answers) {
    if (unit.empty()) return "answer_unit_given: an answer has no unit code";
    if (option.empty()) return "answer_option_given: an answer has no option code";
    if (first_invalid_utf8(unit) || first_invalid_utf8(option))
      return "answer_codes_utf8: an answer's codes are not UTF-8 text";
  }
  return std::nullopt;
}

// A response's answer units (its layout) or options, as stored (store/answers_json.hpp).
std::string units_of(const NewResponse& r) {
  std::vector<std::string_view> codes;
  codes.reserve(r.answers.size());
  for (const auto& [unit, _] : r.answers) codes.push_back(unit);
  std::string out;
  answers_json::encode(out, codes);
  return out;
}
std::string options_of(const NewResponse& r) {
  std::vector<std::string_view> options;
  options.reserve(r.answers.size());
  for (const auto& [_, option] : r.answers) options.push_back(option);
  std::string out;
  answers_json::encode(out, options);
  return out;
}

// What a batch needs to know of a round: whether it is open, whether IIT needs an access code.
struct RoundGate {
  RoundStatus status = RoundStatus::Closed;
  bool codes_required = false;
};

std::optional<RoundGate> round_gate(Connection& db, const std::string& op, std::int64_t round_id) {
  std::optional<RoundGate> gate;
  db.run(op, "SELECT status, access_codes_required FROM rounds WHERE id = $1", {round_id},
         [&](const Row& row) {
           const std::string status = row.text(0);
           const auto parsed = parse_round_status(status);
           if (!parsed) throw StoreError(op + ": a round has the unknown status '" + status + "'");
           gate = RoundGate{*parsed, row.boolean(1)};
         });
  return gate;
}

struct Refused {
  Refusal reason = Refusal::None;
  std::string message;
};

// Why `r` is refused before its access code is looked at (`gate`: its round, if it exists;
// `bad`: what malformed() found), or nothing. The checks go in this order.
std::optional<Refused> refusal(const NewResponse& r, const std::optional<RoundGate>& gate,
                               const std::optional<std::string>& bad) {
  const std::string round = "round " + std::to_string(r.round_id);
  if (!gate) return Refused{Refusal::RoundUnknown, round + " does not exist"};
  if (gate->status != RoundStatus::Open) {
    return Refused{Refusal::RoundClosed, round + " is " + round_status_code(gate->status) +
                                             "; it accepts no more responses"};
  }
  if (gate->codes_required && r.tool == ToolId::IIT && !r.access_code_hash)
    return Refused{Refusal::AccessCodeMissing,
                   round + " requires an access code for the IIT survey"};
  if (bad) return Refused{Refusal::Malformed, *bad};
  return std::nullopt;
}

// Inside the write transaction of submit_responses: checks each response of `batch` in order and
// consumes the access codes of those that pass. Returns their indices; `out` says why each other
// one was refused.
std::vector<std::size_t> admit(Connection& db, const std::vector<NewResponse>& batch,
                               const std::vector<std::optional<std::string>>& bad,
                               std::vector<SubmitOutcome>& out) {
  const std::string op = "response.submit";
  // Rounds do not change inside this transaction: read each once.
  std::map<std::int64_t, std::optional<RoundGate>> rounds;
  std::set<std::int64_t> rounds_with_codes_used;
  std::vector<std::size_t> stored;
  stored.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const NewResponse& r = batch[i];
    const auto [found, fresh] = rounds.try_emplace(r.round_id);
    if (fresh) found->second = round_gate(db, op, r.round_id);
    std::optional<Refused> why = refusal(r, found->second, bad[i]);
    // The check and the consumption are one statement: a code used earlier in this batch, or by
    // anyone before, changes no row.
    if (!why && r.access_code_hash &&
        db.run(op,
               "UPDATE access_codes SET used = TRUE WHERE code_hash = $1 AND round_id = $2 AND "
               "NOT used",
               {*r.access_code_hash, r.round_id}) == 0) {
      why = Refused{Refusal::AccessCodeUnknownOrUsed, "access code unknown or already used"};
    }
    if (why) {
      out[i].status = SubmitOutcome::Status::Refused;
      out[i].refusal = why->reason;
      out[i].message = std::move(why->message);
      continue;
    }
    if (r.access_code_hash) rounds_with_codes_used.insert(r.round_id);
    out[i].status = SubmitOutcome::Status::Stored;
    stored.push_back(i);
  }
  // Rewrite every used code of those rounds in this transaction, so PostgreSQL's hidden row
  // versions (xmin) cannot pair a response with the code it consumed.
  for (const std::int64_t round_id : rounds_with_codes_used)
    db.run(op, "UPDATE access_codes SET used = TRUE WHERE round_id = $1 AND used", {round_id});
  return stored;
}

// A fresh random id for each response of `pending` (indices into `batch`), in `out`, keyed by
// its slot: in slot order, neither the table nor its log shows the order the batch arrived in.
std::map<std::int64_t, std::size_t> fresh_slots(const std::vector<NewResponse>& batch,
                                                const std::vector<std::size_t>& pending,
                                                std::vector<SubmitOutcome>& out) {
  std::map<std::int64_t, std::size_t> by_slot;
  for (const std::size_t i : pending) {
    for (;;) {
      out[i].id = random_id();
      const std::int64_t slot = answers_json::slot_of(batch[i].round_id, out[i].id);
      if (slot < 0)
        throw StoreError("response.submit: round " + std::to_string(batch[i].round_id) +
                         " is beyond the ids the responses table can key");
      if (by_slot.emplace(slot, i).second) break;
    }
  }
  return by_slot;
}

}  // namespace

std::string SqlStore::submit_response(const NewResponse& r) {
  auto outcome = submit_responses({r}, {}).front();
  if (outcome.status != SubmitOutcome::Status::Stored) throw Conflict(outcome.message);
  return outcome.id;
}

std::vector<SubmitOutcome> SqlStore::submit_responses(const std::vector<NewResponse>& batch,
                                                      const std::function<void()>& before_commit) {
  if (batch.empty()) return {};
  // Each well-formed response's set of answer units, as its layout (store/answers_json.hpp).
  std::vector<std::optional<std::string>> bad(batch.size());
  std::vector<std::string> units(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    bad[i] = malformed(batch[i]);
    if (!bad[i]) units[i] = units_of(batch[i]);
  }
  const std::vector<std::int64_t> layouts = layout_ids(units);
  return write([&] {
    std::vector<SubmitOutcome> out(batch.size());
    const std::vector<std::size_t> stored = admit(*db_, batch, bad, out);
    insert_responses(batch, layouts, stored, out);
    if (before_commit) before_commit();
    return out;
  });
}

std::vector<std::int64_t> SqlStore::layout_ids(const std::vector<std::string>& units) {
  std::vector<std::int64_t> ids(units.size(), 0);
  std::vector<std::size_t> missing;
  {
    std::lock_guard lock(layouts_mutex_);
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (units[i].empty()) continue;  // no layout wanted (a refused response)
      auto it = layout_by_units_.find(units[i]);
      if (it == layout_by_units_.end()) {
        missing.push_back(i);
      } else {
        ids[i] = it->second;
      }
    }
  }
  if (missing.empty()) return ids;
  // New sets of units: added in a transaction of their own (a layout is no one's answer), then
  // remembered. Another process may add the same one at the same time: the UNIQUE key keeps one.
  std::map<std::string, std::int64_t> added;
  write([&] {
    for (const std::size_t i : missing) {
      if (added.contains(units[i])) continue;
      db_->run("layout.add",
               "INSERT INTO answer_layouts (units) VALUES ($1) ON CONFLICT (units) DO NOTHING",
               {units[i]});
      std::int64_t id = 0;
      db_->run("layout.add", "SELECT id FROM answer_layouts WHERE units = $1", {units[i]},
               [&](const Row& row) { id = row.integer(0); });
      added.emplace(units[i], id);
    }
  });
  std::lock_guard lock(layouts_mutex_);
  for (const auto& [text, id] : added) layout_by_units_.emplace(text, id);
  for (const std::size_t i : missing) ids[i] = added.at(units[i]);
  return ids;
}

// Inside the write transaction of submit_responses: the rows of the responses `stored` (indices
// into `batch`), each under a fresh random id. A slot already taken (two ids of one round
// sharing their first 40 bits: about once in 10^7 submissions to a round of 100,000) gets
// another id; nothing else is retried.
void SqlStore::insert_responses(const std::vector<NewResponse>& batch,
                                const std::vector<std::int64_t>& layouts,
                                const std::vector<std::size_t>& stored,
                                std::vector<SubmitOutcome>& out) {
  const std::string op = "response.submit";
  std::vector<std::string> answers(batch.size());
  for (const std::size_t i : stored) answers[i] = options_of(batch[i]);
  std::vector<std::size_t> pending = stored;
  for (int attempt = 0; !pending.empty(); ++attempt) {
    if (attempt == 8)
      throw StoreError(op + ": random response ids keep colliding; the random source is broken");
    const std::map<std::int64_t, std::size_t> by_slot = fresh_slots(batch, pending, out);
    std::set<std::int64_t> inserted;
    auto it = by_slot.begin();
    while (it != by_slot.end()) {
      std::string sql =
          "INSERT INTO responses (slot, round_id, id, tool, day, layout, answers) VALUES ";
      Params params;
      for (std::size_t n = 0; n < kRowsPerInsert && it != by_slot.end(); ++n, ++it) {
        const std::size_t i = it->second;
        const NewResponse& r = batch[i];
        sql += n == 0 ? "(" : ", (";
        for (int c = 0; c < 7; ++c)
          sql += (c == 0 ? "$" : ", $") + std::to_string(params.size() + c + 1);
        sql += ")";
        params.insert(params.end(),
                      {it->first, r.round_id, out[i].id, std::string(tool_code(r.tool)), r.day,
                       layouts[i], answers[i]});
      }
      sql += " ON CONFLICT (slot) DO NOTHING RETURNING slot";
      db_->run(op, sql, params, [&](const Row& row) { inserted.insert(row.integer(0)); });
    }
    pending.clear();
    for (const auto& [slot, i] : by_slot) {
      if (!inserted.contains(slot)) pending.push_back(i);
    }
  }
}

std::map<ToolId, int> SqlStore::response_counts(std::int64_t round_id) {
  return read([&] {
    std::map<ToolId, int> counts{{ToolId::IIT, 0}, {ToolId::EIT, 0}};
    const auto [first, end] = answers_json::slots_of_round(round_id);
    db_->run("response.count",
             "SELECT tool, COUNT(*) FROM responses WHERE slot >= $1 AND slot < $2 GROUP BY tool",
             {first, end}, [&](const Row& row) {
               counts[stored_tool("response.count", row.text(0))] =
                   static_cast<int>(row.integer(1));
             });
    return counts;
  });
}

const std::vector<std::string>& SqlStore::layout_units(std::int64_t id) {
  {
    std::lock_guard lock(layouts_mutex_);
    if (auto it = units_by_layout_.find(id); it != units_by_layout_.end()) return it->second;
  }
  std::optional<std::string> text;
  db_->run("layout.read", "SELECT units FROM answer_layouts WHERE id = $1", {id},
           [&](const Row& row) { text = row.text(0); });
  if (!text)
    throw StoreError("layout.read: answer layout " + std::to_string(id) + " does not exist");
  answers_json::Decoder decoder;
  const auto* codes = decoder.decode(*text);
  if (codes == nullptr) {
    throw StoreError("layout.read: answer layout " + std::to_string(id) +
                     " is not a JSON array of strings");
  }
  std::lock_guard lock(layouts_mutex_);
  // A node-based map: the reference stays valid as other layouts are added.
  return units_by_layout_.try_emplace(id, codes->begin(), codes->end()).first->second;
}

void SqlStore::for_each_answer(std::int64_t round_id,
                               const std::function<void(const AnswerRow&)>& fn) {
  read([&] {
    answers_json::Decoder decoder;
    const auto [first, end] = answers_json::slots_of_round(round_id);
    // The round's layouts first: a connection may stream rows, and runs one statement at a time.
    std::map<std::int64_t, const std::vector<std::string>*> layouts;
    std::vector<std::int64_t> ids;
    db_->run("answers.read", "SELECT DISTINCT layout FROM responses WHERE slot >= $1 AND slot < $2",
             {first, end}, [&](const Row& row) { ids.push_back(row.integer(0)); });
    for (const std::int64_t id : ids) layouts.emplace(id, &layout_units(id));
    db_->run("answers.read",
             "SELECT tool, id, layout, answers FROM responses WHERE slot >= $1 AND slot < $2 "
             "ORDER BY slot",
             {first, end}, [&](const Row& row) {
               AnswerRow a{stored_tool("answers.read", row.text(0)), row.text(1), {}, {}};
               auto layout = layouts.find(row.integer(2));
               if (layout == layouts.end()) {  // cannot happen: both statements see one snapshot
                 throw StoreError("answers.read: a response of round " + std::to_string(round_id) +
                                  " has a layout the round's responses did not show");
               }
               const std::vector<std::string>& units = *layout->second;
               const std::string text = row.text(3);
               const auto* options = decoder.decode(text);
               if (options == nullptr || options->size() != units.size()) {
                 throw StoreError("answers.read: the answers of response " + a.response_id +
                                  " are not a JSON array of strings, one per unit of its layout");
               }
               // By unit (a layout's units are in byte order), as one row per answer was read
               // before schema version 3.
               for (std::size_t k = 0; k < units.size(); ++k) {
                 a.unit = units[k];
                 a.option = (*options)[k];
                 fn(a);
               }
             });
  });
}

}  // namespace ita::store::sql
