// SQLite parts of the national tools: the bulk loader's sink and the national scorer's source,
// each on its own handle (sqlite/handle.hpp).
#include <sqlite3.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "store/bulk_sink.hpp"
#include "store/national_source.hpp"
#include "store/sqlite/handle.hpp"
#include "store/store.hpp"

namespace ita::store {

namespace {

using sqlite::bind_text;
using sqlite::column_text;
using sqlite::Handle;
using sqlite::Statement;

// The sink and the source open a database the store made; their failures are StoreErrors.
constexpr sqlite::OpenOptions kNationalOpen{false, sql::Constraints::AsStoreErrors};

std::string_view short_text(sqlite3_stmt* s, int i) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return text ? std::string_view(text) : std::string_view();
}

// ---- the bulk loader's sink ----

class SqliteSink final : public bulk::Sink {
 public:
  explicit SqliteSink(std::string path) : db_(std::move(path), kNationalOpen) {
    // Per connection, so other connections keep their settings: no fsync while loading (the
    // final checkpoint syncs), a 256 MiB page cache, and foreign keys checked as the store does.
    db_.exec("import.open",
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; "
             "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY");
    db_.exec("import.begin", "BEGIN IMMEDIATE");
    in_transaction_ = true;
    agency_ = prepare(
        "import.agency",
        "INSERT INTO agencies (id, name, district, province, type) VALUES (?1, ?2, ?3, ?4, ?5)");
    round_ =
        prepare("import.round",
                "INSERT INTO rounds (id, agency_id, edition_id, staff_count, service_users, "
                "iit_token, eit_token, "
                "access_codes_required, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 'closed')");
    response_ = prepare("import.response",
                        "INSERT INTO responses (slot, round_id, id, tool, day, layout, answers) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    layout_ = prepare("import.layout", "INSERT INTO answer_layouts (id, units) VALUES (?1, ?2)");
    oit_ = prepare(
        "import.oit",
        "INSERT INTO oit_entries (round_id, item, url, note, stage, verdict, review_comment, "
        "appeal_explanation, final_verdict, final_comment) VALUES (?1, ?2, ?3, '', 'confirmed', "
        "?4, '', '', ?4, '')");
  }
  ~SqliteSink() override {
    if (in_transaction_) db_.exec_quietly("ROLLBACK");
  }

  std::int64_t max_agency_id() override {
    return max_of("SELECT COALESCE(max(id), 0) FROM agencies");
  }
  std::int64_t max_round_id() override { return max_of("SELECT COALESCE(max(id), 0) FROM rounds"); }

  void agency(const bulk::AgencyRow& a) override {
    sqlite3_stmt* s = agency_.get();
    sqlite3_bind_int64(s, 1, a.id);
    bind_text(s, 2, a.name);
    bind_text(s, 3, a.district);
    bind_text(s, 4, a.province);
    bind_text(s, 5, a.type);
    step(s, "import.agency");
  }

  void round(const bulk::RoundRow& r) override {
    sqlite3_stmt* s = round_.get();
    sqlite3_bind_int64(s, 1, r.id);
    sqlite3_bind_int64(s, 2, r.agency_id);
    bind_text(s, 3, r.edition_id);
    sqlite3_bind_int64(s, 4, r.staff_count);
    sqlite3_bind_int64(s, 5, r.service_users);
    bind_text(s, 6, r.iit_token);
    bind_text(s, 7, r.eit_token);
    step(s, "import.round");
  }

  std::optional<ImportSummary> find_import(std::string_view dataset_sha256) override {
    Statement s =
        prepare("import.find",
                "SELECT edition_id, agencies, responses, answers, oit_entries, first_agency_id, "
                "first_round_id FROM imports WHERE dataset_sha256 = ?1");
    bind_text(s.get(), 1, dataset_sha256);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) db_.fail("import.find");
    ImportSummary out;
    out.edition = std::string(column_text(s.get(), 0));
    out.agencies = out.rounds = static_cast<std::size_t>(sqlite3_column_int64(s.get(), 1));
    out.responses = static_cast<std::size_t>(sqlite3_column_int64(s.get(), 2));
    out.answers = static_cast<std::size_t>(sqlite3_column_int64(s.get(), 3));
    out.oit_entries = static_cast<std::size_t>(sqlite3_column_int64(s.get(), 4));
    out.first_agency_id = sqlite3_column_int64(s.get(), 5);
    out.first_round_id = sqlite3_column_int64(s.get(), 6);
    out.dataset_sha256 = std::string(dataset_sha256);
    return out;
  }

  void layouts(const std::function<void(std::int64_t, std::string_view)>& fn) override {
    Statement s = prepare("import.layouts", national_source::kLayoutsSql);
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
      fn(sqlite3_column_int64(s.get(), 0), column_text(s.get(), 1));
    if (rc != SQLITE_DONE) db_.fail("import.layouts");
  }

  void layout(std::int64_t id, std::string_view units) override {
    sqlite3_stmt* s = layout_.get();
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, units);
    step(s, "import.layout");
  }

  void response(std::int64_t slot, std::int64_t round_id, std::string_view id,
                std::string_view tool, std::string_view day, std::int64_t layout,
                std::string_view answers) override {
    sqlite3_stmt* s = response_.get();
    sqlite3_bind_int64(s, 1, slot);
    sqlite3_bind_int64(s, 2, round_id);
    bind_text(s, 3, id);
    bind_text(s, 4, tool);
    bind_text(s, 5, day);
    sqlite3_bind_int64(s, 6, layout);
    bind_text(s, 7, answers);
    step(s, "import.response");
  }

  void oit(std::int64_t round_id, std::string_view item, std::string_view url, bool pass) override {
    sqlite3_stmt* s = oit_.get();
    sqlite3_bind_int64(s, 1, round_id);
    bind_text(s, 2, item);
    bind_text(s, 3, url);
    sqlite3_bind_int(s, 4, pass ? 1 : 0);
    step(s, "import.oit");
  }

  void commit(const ImportSummary& summary) override {
    Statement s =
        prepare("import.record",
                "INSERT INTO imports (dataset_sha256, edition_id, agencies, responses, answers, "
                "oit_entries, first_agency_id, first_round_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                "?7, ?8)");
    bind_text(s.get(), 1, summary.dataset_sha256);
    bind_text(s.get(), 2, summary.edition);
    sqlite3_bind_int64(s.get(), 3, static_cast<std::int64_t>(summary.agencies));
    sqlite3_bind_int64(s.get(), 4, static_cast<std::int64_t>(summary.responses));
    sqlite3_bind_int64(s.get(), 5, static_cast<std::int64_t>(summary.answers));
    sqlite3_bind_int64(s.get(), 6, static_cast<std::int64_t>(summary.oit_entries));
    sqlite3_bind_int64(s.get(), 7, summary.first_agency_id);
    sqlite3_bind_int64(s.get(), 8, summary.first_round_id);
    step(s.get(), "import.record");
    db_.exec("import.commit", "COMMIT");
    in_transaction_ = false;
    // Back to the store's setting, then copy the WAL into the database file; with synchronous
    // on, the checkpoint syncs, so the import is durable when this returns.
    db_.exec("import.checkpoint",
             "PRAGMA synchronous = NORMAL; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize");
  }

 private:
  void step(sqlite3_stmt* s, const char* op) { db_.step_done(s, op); }

  Statement prepare(const char* op, const std::string& sql) {
    return db_.prepare(op, sql, SQLITE_PREPARE_PERSISTENT);
  }

  std::int64_t max_of(const std::string& sql) {
    Statement s = prepare("import.ids", sql);
    if (sqlite3_step(s.get()) != SQLITE_ROW) db_.fail("import.ids");
    return sqlite3_column_int64(s.get(), 0);
  }

  Handle db_;
  bool in_transaction_ = false;
  Statement agency_, round_, response_, layout_, oit_;
};

// ---- the national scorer's source ----

class SqliteSource final : public national_source::Source {
 public:
  explicit SqliteSource(std::string path) : db_(std::move(path), kNationalOpen) {
    // One read transaction for all the queries of this connection, so they see one state of
    // the database. A second connection (another()) starts its transaction later and so sees
    // at least the responses this one indexed; a response counts only if indexed here.
    db_.exec("national.begin", "BEGIN; SELECT count(*) FROM rounds");
  }
  ~SqliteSource() override { db_.exec_quietly("COMMIT"); }

  std::vector<national_source::RoundInfo> rounds() override {
    std::vector<national_source::RoundInfo> out;
    each_row(national_source::kRoundsSql, "national.rounds", [&](sqlite3_stmt* s) {
      national_source::RoundInfo r;
      r.round_id = sqlite3_column_int64(s, 0);
      r.edition_id = column_text(s, 1);
      r.agency.id = sqlite3_column_int64(s, 2);
      r.agency.name = column_text(s, 3);
      r.agency.district = column_text(s, 4);
      r.agency.province = column_text(s, 5);
      r.agency.type = column_text(s, 6);
      national_source::read_round_state(r, column_text(s, 7), column_text(s, 8));
      out.push_back(std::move(r));
    });
    return out;
  }

  void oit_verdicts(const std::function<void(std::int64_t, std::string_view, bool)>& fn) override {
    each_row(national_source::kOitSql, "national.oit", [&](sqlite3_stmt* s) {
      fn(sqlite3_column_int64(s, 0), column_text(s, 1), sqlite3_column_int(s, 2) != 0);
    });
  }

  void layouts(const std::function<void(std::int64_t, std::string_view)>& fn) override {
    each_row(national_source::kLayoutsSql, "national.layouts",
             [&](sqlite3_stmt* s) { fn(sqlite3_column_int64(s, 0), column_text(s, 1)); });
  }

  void responses(std::int64_t from, std::int64_t to,
                 national_source::ResponseConsumer& consumer) override {
    // The primary key (slot: round, then random id) order: a sequential scan of the range.
    Statement s = db_.prepare(
        "national.responses",
        "SELECT slot, tool, layout, answers FROM responses WHERE slot >= ?1 AND slot < ?2",
        SQLITE_PREPARE_PERSISTENT);
    sqlite3_stmt* st = s.get();
    sqlite3_bind_int64(st, 1, national_source::slot_bound(from));
    sqlite3_bind_int64(st, 2, national_source::slot_bound(to));
    national_source::ResponseView r;
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      r.slot = sqlite3_column_int64(st, 0);
      // NOT NULL text without NULs (CHECKs in the schema): the terminating NUL gives the length
      // of the tool, cheaper than sqlite3_column_bytes.
      r.tool = short_text(st, 1);
      r.layout = sqlite3_column_int64(st, 2);
      r.answers = column_text(st, 3);
      consumer.response(r);
    }
    if (rc != SQLITE_DONE) db_.fail("national.responses");
  }

  std::unique_ptr<national_source::Source> another() override {
    return std::make_unique<SqliteSource>(db_.path());
  }
  unsigned parallel_streams() const override { return 2; }

 private:
  template <class Fn>
  void each_row(const char* sql, const char* op, Fn&& fn) {
    Statement s = db_.prepare(op, sql, SQLITE_PREPARE_PERSISTENT);
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) fn(s.get());
    if (rc != SQLITE_DONE) db_.fail(op);
  }

  Handle db_;
};

}  // namespace

std::unique_ptr<bulk::Sink> bulk::open_sqlite_sink(const std::string& path) {
  return std::make_unique<SqliteSink>(path);
}

std::unique_ptr<national_source::Source> national_source::open_sqlite_source(
    const std::string& path) {
  return std::make_unique<SqliteSource>(path);
}

}  // namespace ita::store
