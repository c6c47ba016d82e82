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

// What a batch needs to know of a round: its status and closing date (effective_status), whether
// IIT needs an access code.
std::optional<Round> round_gate(Connection& db, const std::string& op, std::int64_t round_id) {
  std::optional<Round> gate;
  db.run(op, "SELECT " + kRoundColumns + " FROM rounds WHERE id = $1", {round_id},
         [&](const Row& row) { gate = round_from(row); });
  return gate;
}

struct Refused {
  Refusal reason = Refusal::None;
  std::string message;
};

// Why `r` is refused before its access code is looked at (`gate`: its round, if it exists;
// `bad`: what malformed() found), or nothing. The checks go in this order.
std::optional<Refused> refusal(const NewResponse& r, const std::optional<Round>& gate,
                               const std::optional<std::string>& bad) {
  const std::string round = "round " + std::to_string(r.round_id);
  if (!gate) return Refused{Refusal::RoundUnknown, round + " does not exist"};
  if (gate->status != RoundStatus::Open) {
    return Refused{Refusal::RoundClosed, round + " is " + round_status_code(gate->status) +
                                             "; it accepts no more responses"};
  }
  if (gate->closes_at) {
    // The day the response was accepted on decides, so one accepted just before midnight of the
    // closing day and written just after it still counts; a later one does not slip in.
    const auto day = parse_iso_date(r.day);
    if (!day)
      return Refused{Refusal::Malformed, "response_day_is_a_date: the day must be YYYY-MM-DD"};
    if (effective_status(*gate, *day) != RoundStatus::Open)
      return Refused{Refusal::RoundClosed, round + " closed after " +
                                               format_iso_date(*gate->closes_at) +
                                               "; it accepts no more responses"};
  }
  if (gate->access_codes_required && r.tool == ToolId::IIT && !r.access_code_hash)
    return Refused{Refusal::AccessCodeMissing,
                   round + " requires an access code for the IIT survey"};
  if (bad) return Refused{Refusal::Malformed, *bad};
  return std::nullopt;
}

// The responses per (round, tool) that a batch checks against a cap (response_tallies): read once
// per batch under a row lock, so that two writers (two servers on one PostgreSQL) cannot both
// take the last places, then counted up in memory as the batch admits responses.
class Tallies {
 public:
  explicit Tallies(Connection& db) : db_(db) {}
  // How many responses of `tool` round `round_id` holds, those admitted earlier in this batch
  // included. A round without a tally row is counted from its responses first.
  std::int64_t held(std::int64_t round_id, ToolId tool) {
    const std::pair key{round_id, tool};
    auto it = read_.find(key);
    if (it == read_.end()) {
      const std::string code(tool_code(tool));
      std::optional<std::int64_t> n = locked(round_id, code);
      if (!n) {
        std::int64_t counted = 0;
        const auto [first, end] = answers_json::slots_of_round(round_id);
        db_.run(kOp, "SELECT COUNT(*) FROM responses WHERE slot >= $1 AND slot < $2 AND tool = $3",
                {first, end, code}, [&](const Row& row) { counted = row.integer(0); });
        // Another server may add the row first: then its count (and its batch) is the one kept.
        db_.run(kOp,
                "INSERT INTO response_tallies (round_id, tool, responses) VALUES ($1, $2, $3) "
                "ON CONFLICT (round_id, tool) DO NOTHING",
                {round_id, code, counted});
        n = locked(round_id, code);
      }
      it = read_.emplace(key, n.value_or(0)).first;
    }
    return it->second + added_[key];
  }
  void admitted(std::int64_t round_id, ToolId tool) { ++added_[{round_id, tool}]; }
  // Adds what the batch admitted to the stored tallies. A round without a row keeps none: it is
  // counted from its responses when a cap first needs it.
  void write() {
    for (const auto& [key, n] : added_) {
      if (n == 0) continue;
      db_.run(kOp,
              "UPDATE response_tallies SET responses = responses + $1 WHERE round_id = $2 AND "
              "tool = $3",
              {n, key.first, std::string(tool_code(key.second))});
    }
  }

 private:
  static constexpr const char* kOp = "response.submit";
  std::optional<std::int64_t> locked(std::int64_t round_id, const std::string& tool) {
    std::optional<std::int64_t> n;
    db_.run(kOp,
            "SELECT responses FROM response_tallies WHERE round_id = $1 AND tool = $2" +
                std::string(db_.row_lock()),
            {round_id, tool}, [&](const Row& row) { n = row.integer(0); });
    return n;
  }

  Connection& db_;
  std::map<std::pair<std::int64_t, ToolId>, std::int64_t> read_, added_;
};

// Inside the write transaction: takes what `r` (to `round`, which passed refusal()) uses up —
// its form's one-time value, a place under the round's cap, its access code — in that order.
// When one of them is not there, gives back what it took and says why `r` is refused.
std::optional<Refused> take_what_it_uses(Connection& db, const Round& round, const NewResponse& r,
                                         Tallies& tallies) {
  const std::string op = "response.submit";
  std::optional<std::int64_t> form_expires;
  if (r.form_token_hash) {
    db.run(op,
           "DELETE FROM survey_form_tokens WHERE token_hash = $1 AND round_id = $2 "
           "RETURNING expires_at",
           {*r.form_token_hash, r.round_id},
           [&](const Row& row) { form_expires = row.integer(0); });
    if (!form_expires)
      return Refused{Refusal::FormAlreadySent, "this survey form was sent already"};
  }
  std::optional<Refused> why;
  if (const auto cap = response_cap(round, r.tool);
      cap && tallies.held(r.round_id, r.tool) >= *cap) {
    why = Refused{Refusal::CapReached,
                  "round " + std::to_string(r.round_id) + " holds " + std::to_string(*cap) + " " +
                      std::string(tool_code(r.tool)) + " responses, its cap; it accepts no more"};
  }
  // The check and the consumption are one statement: a code used earlier in this batch, or by
  // anyone before, changes no row.
  if (!why && r.access_code_hash &&
      db.run(op,
             "UPDATE access_codes SET used = TRUE WHERE code_hash = $1 AND round_id = $2 AND "
             "NOT used",
             {*r.access_code_hash, r.round_id}) == 0) {
    why = Refused{Refusal::AccessCodeUnknownOrUsed, "access code unknown or already used"};
  }
  if (why && form_expires) {
    db.run(op,
           "INSERT INTO survey_form_tokens (token_hash, round_id, expires_at) VALUES ($1, $2, $3)",
           {*r.form_token_hash, r.round_id, *form_expires});
  }
  return why;
}

// Inside the write transaction of submit_responses: checks each response of `batch` in order and
// consumes the form values, cap places and access codes of those that pass. Returns their indices;
// `out` says why each other one was refused.
std::vector<std::size_t> admit(Connection& db, const std::vector<NewResponse>& batch,
                               const std::vector<std::optional<std::string>>& bad,
                               std::vector<SubmitOutcome>& out) {
  const std::string op = "response.submit";
  // Rounds do not change inside this transaction: read each once.
  std::map<std::int64_t, std::optional<Round>> rounds;
  std::set<std::int64_t> rounds_with_codes_used;
  Tallies tallies(db);
  std::vector<std::size_t> stored;
  stored.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const NewResponse& r = batch[i];
    const auto [found, fresh] = rounds.try_emplace(r.round_id);
    if (fresh) found->second = round_gate(db, op, r.round_id);
    std::optional<Refused> why = refusal(r, found->second, bad[i]);
    if (!why) why = take_what_it_uses(db, *found->second, r, tallies);
    if (why) {
      out[i].status = SubmitOutcome::Status::Refused;
      out[i].refusal = why->reason;
      out[i].message = std::move(why->message);
      continue;
    }
    if (r.access_code_hash) rounds_with_codes_used.insert(r.round_id);
    tallies.admitted(r.round_id, r.tool);
    out[i].status = SubmitOutcome::Status::Stored;
    stored.push_back(i);
  }
  tallies.write();
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

void SqlStore::add_form_token(const std::string& token_hash, std::int64_t round_id,
                              std::int64_t expires_at) {
  write([&] {
    // Forms never sent: swept an hour after they expire, so a form the web has just taken as
    // unexpired is still there when its batch consumes it.
    db_->run("form_token.add", "DELETE FROM survey_form_tokens WHERE expires_at < $1",
             {now_seconds() - 3600});
    try {
      db_->run("form_token.add",
               "INSERT INTO survey_form_tokens (token_hash, round_id, expires_at) VALUES ($1, $2, "
               "$3)",
               {token_hash, round_id, expires_at});
    } catch (const ForeignKeyViolation&) {
      throw Conflict("round " + std::to_string(round_id) + " does not exist");
    }
  });
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
    mark_for_mixing(batch, stored);
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
