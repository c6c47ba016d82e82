// PostgreSQL parts of the national tools: the bulk loader's sink (COPY FROM STDIN) and the
// national scorer's source (COPY (query) TO STDOUT), each on its own connection
// (postgres/handle.hpp).
#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/bulk_sink.hpp"
#include "store/national_source.hpp"
#include "store/postgres/handle.hpp"
#include "store/store.hpp"

namespace ita::store {

namespace {

using postgres::Handle;
using postgres::parse_integer;
using postgres::Result;

// The sink and the source write and read rows they number themselves: their failures,
// constraint violations included, are StoreErrors.
const postgres::ConnectOptions kNationalConnect{"", sql::Constraints::AsStoreErrors};

// COPY text format: backslash, tab, newline and carriage return escaped.
void put_copy_field(std::string& out, std::string_view v) {
  if (v.find_first_of("\\\t\n\r") == std::string_view::npos) {
    out.append(v);
    return;
  }
  for (char ch : v) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += ch;
    }
  }
}

void put_int(std::string& out, std::int64_t v) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
}

// Undoes the COPY text escapes in place (only called when a field holds a backslash).
std::string_view unescape(std::string_view v, std::string& scratch) {
  scratch.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 == v.size()) {
      scratch += v[i];
      continue;
    }
    const char n = v[++i];
    scratch += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
  }
  return scratch;
}

// Streams the rows of COPY (query) TO STDOUT, split into fields, to `fn`.
template <class Fn>
void copy_out(Handle& db, const std::string& query, const std::string& op, Fn&& fn) {
  PGconn* c = db.get();
  Result start(PQexec(c, ("COPY (" + query + ") TO STDOUT").c_str()));
  if (PQresultStatus(start.get()) != PGRES_COPY_OUT) db.fail(op, start.get());
  constexpr std::size_t kMaxFields = 9;  // the widest query: kRoundsSql
  std::string_view fields[kMaxFields];
  std::string scratch[kMaxFields];
  for (;;) {
    char* buffer = nullptr;
    const int n = PQgetCopyData(c, &buffer, 0);
    if (n == -1) break;
    if (n < 0) db.fail(op, nullptr);
    std::string_view line(buffer, static_cast<std::size_t>(n));
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    std::size_t count = 0, start_at = 0;
    while (count < kMaxFields) {
      const std::size_t tab = line.find('\t', start_at);
      fields[count] = line.substr(start_at, tab - start_at);
      if (fields[count].find('\\') != std::string_view::npos)
        fields[count] = unescape(fields[count], scratch[count]);
      ++count;
      if (tab == std::string_view::npos) break;
      start_at = tab + 1;
    }
    fn(fields, count);
    PQfreemem(buffer);
  }
  Result end(PQgetResult(c));
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) db.fail(op, end.get());
  while (Result more{PQgetResult(c)}) {
  }
}

// ---- the bulk loader's sink ----

class PostgresSink final : public bulk::Sink {
 public:
  explicit PostgresSink(const std::string& url) : db_(url, kNationalConnect) {
    db_.exec("import.begin", "BEGIN");
    in_transaction_ = true;
  }
  ~PostgresSink() override {
    if (in_transaction_) {
      if (phase_ != Phase::None && phase_ != Phase::Done)
        PQputCopyEnd(db_.get(), "import abandoned");
      while (Result r{PQgetResult(db_.get())}) {
      }
      db_.exec_quietly("ROLLBACK");
    }
  }

  std::int64_t max_agency_id() override {
    return max_of("SELECT COALESCE(max(id), 0) FROM agencies");
  }
  std::int64_t max_round_id() override { return max_of("SELECT COALESCE(max(id), 0) FROM rounds"); }

  void agency(const bulk::AgencyRow& a) override {
    enter(Phase::Agencies, "COPY agencies (id, name, district, province, type) FROM STDIN");
    put_int(buffer_, a.id);
    for (auto v : {a.name, a.district, a.province, a.type}) {
      buffer_ += '\t';
      put_copy_field(buffer_, v);
    }
    end_line();
  }

  void round(const bulk::RoundRow& r) override {
    enter(
        Phase::Rounds,
        "COPY rounds (id, agency_id, edition_id, staff_count, service_users, iit_token, eit_token, "
        "access_codes_required, status) FROM STDIN");
    put_int(buffer_, r.id);
    buffer_ += '\t';
    put_int(buffer_, r.agency_id);
    buffer_ += '\t';
    put_copy_field(buffer_, r.edition_id);
    buffer_ += '\t';
    put_int(buffer_, r.staff_count);
    buffer_ += '\t';
    put_int(buffer_, r.service_users);
    buffer_ += '\t';
    put_copy_field(buffer_, r.iit_token);
    buffer_ += '\t';
    put_copy_field(buffer_, r.eit_token);
    buffer_ += "\tf\tclosed";
    end_line();
  }

  std::optional<ImportSummary> find_import(std::string_view dataset_sha256) override {
    Result r = db_.exec("import.find",
                        "SELECT edition_id, agencies, responses, answers, oit_entries, "
                        "first_agency_id, first_round_id FROM imports WHERE dataset_sha256 = " +
                            db_.literal(dataset_sha256));
    if (PQntuples(r.get()) == 0) return std::nullopt;
    ImportSummary out;
    out.edition = PQgetvalue(r.get(), 0, 0);
    out.agencies = out.rounds = static_cast<std::size_t>(parse_integer(PQgetvalue(r.get(), 0, 1)));
    out.responses = static_cast<std::size_t>(parse_integer(PQgetvalue(r.get(), 0, 2)));
    out.answers = static_cast<std::size_t>(parse_integer(PQgetvalue(r.get(), 0, 3)));
    out.oit_entries = static_cast<std::size_t>(parse_integer(PQgetvalue(r.get(), 0, 4)));
    out.first_agency_id = parse_integer(PQgetvalue(r.get(), 0, 5));
    out.first_round_id = parse_integer(PQgetvalue(r.get(), 0, 6));
    out.dataset_sha256 = std::string(dataset_sha256);
    return out;
  }

  void layouts(const std::function<void(std::int64_t, std::string_view)>& fn) override {
    Result r = db_.exec("import.layouts", national_source::kLayoutsSql);
    for (int i = 0; i < PQntuples(r.get()); ++i)
      fn(parse_integer(PQgetvalue(r.get(), i, 0)), PQgetvalue(r.get(), i, 1));
  }

  // Kept until commit: one connection runs one COPY at a time, and the responses' key to their
  // layout is checked at commit (migration 0003).
  void layout(std::int64_t id, std::string_view units) override {
    layouts_.emplace_back(id, units);
  }

  void response(std::int64_t slot, std::int64_t round_id, std::string_view id,
                std::string_view tool, std::string_view day, std::int64_t layout,
                std::string_view answers) override {
    enter(Phase::Responses,
          "COPY responses (slot, round_id, id, tool, day, layout, answers) FROM STDIN");
    put_int(buffer_, slot);
    buffer_ += '\t';
    put_int(buffer_, round_id);
    buffer_ += '\t';
    put_copy_field(buffer_, id);
    buffer_ += '\t';
    put_copy_field(buffer_, tool);
    buffer_ += '\t';
    put_copy_field(buffer_, day);
    buffer_ += '\t';
    put_int(buffer_, layout);
    buffer_ += '\t';
    put_copy_field(buffer_, answers);
    end_line();
  }

  void oit(std::int64_t round_id, std::string_view item, std::string_view url, bool pass) override {
    enter(Phase::Oit,
          "COPY oit_entries (round_id, item, url, note, stage, verdict, review_comment, "
          "appeal_explanation, "
          "final_verdict, final_comment) FROM STDIN");
    put_int(buffer_, round_id);
    buffer_ += '\t';
    put_copy_field(buffer_, item);
    buffer_ += '\t';
    put_copy_field(buffer_, url);
    buffer_ += pass ? "\t\tconfirmed\tt\t\t\tt\t" : "\t\tconfirmed\tf\t\t\tf\t";
    end_line();
  }

  void commit(const ImportSummary& s) override {
    enter(Phase::Done, "");
    for (const auto& [id, units] : layouts_) {
      db_.exec("import.layout", "INSERT INTO answer_layouts (id, units) VALUES (" +
                                    std::to_string(id) + ", " + db_.literal(units) + ")");
    }
    db_.exec("import.record",
             "INSERT INTO imports (dataset_sha256, edition_id, agencies, responses, answers, "
             "oit_entries, first_agency_id, first_round_id) VALUES (" +
                 db_.literal(s.dataset_sha256) + ", " + db_.literal(s.edition) + ", " +
                 std::to_string(s.agencies) + ", " + std::to_string(s.responses) + ", " +
                 std::to_string(s.answers) + ", " + std::to_string(s.oit_entries) + ", " +
                 std::to_string(s.first_agency_id) + ", " + std::to_string(s.first_round_id) + ")");
    for (const char* table : {"agencies", "rounds", "answer_layouts"}) {
      db_.exec("import.sequences", std::string("SELECT setval(pg_get_serial_sequence('") + table +
                                       "', 'id'), max(id)) FROM " + table +
                                       " HAVING max(id) IS NOT NULL");
    }
    db_.exec("import.commit", "COMMIT");
    in_transaction_ = false;
    db_.exec("import.analyze", "ANALYZE agencies, rounds, responses, answer_layouts, oit_entries");
  }

 private:
  enum class Phase { None, Agencies, Rounds, Responses, Oit, Done };

  void end_line() {
    buffer_ += '\n';
    if (buffer_.size() >= kFlushAt) flush();
  }

  void flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(db_.get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1)
      db_.fail("import.copy", nullptr);
    buffer_.clear();
  }

  void start_copy(const std::string& sql) {
    Result r(PQexec(db_.get(), sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) db_.fail("import.copy", r.get());
  }

  void end_copy(const char* op) {
    flush();
    if (PQputCopyEnd(db_.get(), nullptr) != 1) db_.fail(op, nullptr);
    Result r(PQgetResult(db_.get()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) db_.fail(op, r.get());
    while (Result more{PQgetResult(db_.get())}) {
    }
  }

  // Ends the COPY of the phase before and starts the next one.
  void enter(Phase next, const std::string& copy_sql) {
    if (phase_ == next) return;
    if (phase_ != Phase::None) end_copy("import.copy");
    phase_ = next;
    if (next != Phase::Done) start_copy(copy_sql);
  }

  std::int64_t max_of(const std::string& sql) {
    Result r = db_.exec("import.ids", sql);
    return parse_integer(PQgetvalue(r.get(), 0, 0));
  }

  static constexpr std::size_t kFlushAt = 1 << 18;
  Handle db_;
  bool in_transaction_ = false;
  Phase phase_ = Phase::None;
  std::string buffer_;
  std::vector<std::pair<std::int64_t, std::string>> layouts_;  // new ones, written at commit
};

// ---- the national scorer's source ----

class PostgresSource final : public national_source::Source {
 public:
  explicit PostgresSource(std::string url) : url_(std::move(url)), db_(url_, kNationalConnect) {
    // One snapshot for every query, shared with the connections another() opens.
    db_.exec("national.begin", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    Result r = db_.exec("national.snapshot", "SELECT pg_export_snapshot()");
    snapshot_ = PQgetvalue(r.get(), 0, 0);
  }
  PostgresSource(std::string url, const std::string& snapshot)
      : url_(std::move(url)), db_(url_, kNationalConnect), snapshot_(snapshot) {
    db_.exec("national.begin", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    db_.exec("national.snapshot", "SET TRANSACTION SNAPSHOT " + db_.literal(snapshot));
  }
  ~PostgresSource() override { db_.exec_quietly("COMMIT"); }

  std::vector<national_source::RoundInfo> rounds() override {
    std::vector<national_source::RoundInfo> out;
    copy_out(db_, national_source::kRoundsSql, "national.rounds",
             [&](const std::string_view* f, std::size_t n) {
               if (n < 9) return;
               national_source::RoundInfo r;
               r.round_id = parse_integer(f[0]);
               r.edition_id = f[1];
               r.agency.id = parse_integer(f[2]);
               r.agency.name = f[3];
               r.agency.district = f[4];
               r.agency.province = f[5];
               r.agency.type = f[6];
               national_source::read_round_state(r, f[7], f[8]);
               out.push_back(std::move(r));
             });
    return out;
  }

  void oit_verdicts(const std::function<void(std::int64_t, std::string_view, bool)>& fn) override {
    copy_out(db_, national_source::kOitSql, "national.oit",
             [&](const std::string_view* f, std::size_t n) {
               if (n >= 3) fn(parse_integer(f[0]), f[1], f[2] == "t");
             });
  }

  void layouts(const std::function<void(std::int64_t, std::string_view)>& fn) override {
    copy_out(db_, national_source::kLayoutsSql, "national.layouts",
             [&](const std::string_view* f, std::size_t n) {
               if (n >= 2) fn(parse_integer(f[0]), f[1]);
             });
  }

  void responses(std::int64_t from, std::int64_t to,
                 national_source::ResponseConsumer& consumer) override {
    std::string sql = "SELECT slot, tool, layout, answers FROM responses";
    const std::int64_t first = national_source::slot_bound(from),
                       end = national_source::slot_bound(to);
    if (first != std::numeric_limits<std::int64_t>::min() ||
        end != std::numeric_limits<std::int64_t>::max()) {
      // Integers chosen by the reader, never input.
      sql += " WHERE slot >= " + std::to_string(first) + " AND slot < " + std::to_string(end);
    }
    national_source::ResponseView r;
    copy_out(db_, sql, "national.responses", [&](const std::string_view* f, std::size_t n) {
      if (n < 4) return;
      r.slot = parse_integer(f[0]);
      r.tool = f[1];
      r.layout = parse_integer(f[2]);
      r.answers = f[3];
      consumer.response(r);
    });
  }

  std::unique_ptr<national_source::Source> another() override {
    return std::make_unique<PostgresSource>(url_, snapshot_);
  }
  unsigned parallel_streams() const override { return 1; }

 private:
  std::string url_;
  Handle db_;
  std::string snapshot_;
};

}  // namespace

std::unique_ptr<bulk::Sink> bulk::open_postgres_sink(const std::string& url) {
  return std::make_unique<PostgresSink>(url);
}

std::unique_ptr<national_source::Source> national_source::open_postgres_source(
    const std::string& url) {
  return std::make_unique<PostgresSource>(url);
}

}  // namespace ita::store
