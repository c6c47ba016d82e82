#include "store/bulk_import.hpp"

#include <sodium.h>
#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/national.hpp"
#include "io/dataset_reader.hpp"
#include "store/answers_json.hpp"
#include "store/bulk_sink.hpp"
#include "store/store.hpp"

namespace ita::store {

namespace {

namespace fs = std::filesystem;

// Random bytes from the kernel's CSPRNG, fetched in blocks.
class RandomBytes {
 public:
  const unsigned char* take(std::size_t n) {
    if (pos_ + n > sizeof block_) refill();
    const unsigned char* p = block_ + pos_;
    pos_ += n;
    return p;
  }
  // 32 lowercase hex digits from 128 random bits: a response id, like SqlStore's.
  void hex(std::size_t bytes, char* out) {
    static constexpr char digits[] = "0123456789abcdef";
    const unsigned char* b = take(bytes);
    for (std::size_t i = 0; i < bytes; ++i) {
      out[2 * i] = digits[b[i] >> 4];
      out[2 * i + 1] = digits[b[i] & 0x0f];
    }
  }

 private:
  void refill() {
    std::size_t got = 0;
    while (got < sizeof block_) {
      const ssize_t n = getrandom(block_ + got, sizeof block_ - got, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw StoreError(std::string("import: reading random bytes (getrandom) failed: ") +
                         std::strerror(errno));
      }
      got += static_cast<std::size_t>(n);
    }
    pos_ = 0;
  }
  unsigned char block_[1 << 16];
  std::size_t pos_ = sizeof block_;
};

// The days a response may carry: April and May of the edition's fiscal year, when ITA surveys
// are usually answered.
std::vector<std::string> survey_days(int fiscal_year_be) {
  namespace chr = std::chrono;
  std::vector<std::string> days;
  const int ce = fiscal_year_be - 543;
  for (chr::sys_days d{chr::year{ce} / chr::April / 1};
       d <= chr::sys_days{chr::year{ce} / chr::May / 31}; d += chr::days{1}) {
    const chr::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    days.emplace_back(buf);
  }
  return days;
}

std::string sqlite_path_of(const std::string& url) {
  std::string path = url;
  if (path.starts_with("sqlite://")) {
    path.erase(0, 9);
  } else if (path.starts_with("sqlite:")) {
    path.erase(0, 7);
  }
  return path;
}

bool is_postgres(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

struct AgencyEntry {
  std::int64_t db_id = 0;
  std::int64_t round_id = 0;
};

constexpr const char* kDatasetFiles[] = {"dataset.json", "agencies.csv", "answers.csv", "oit.csv"};

// The SHA-256 of the data set: each file's name and size, then its bytes, in a fixed order (so
// bytes moved from one file to another change it too). Lowercase hex.
std::string dataset_sha256(const fs::path& dir) {
  if (sodium_init() < 0) throw StoreError("import: libsodium could not be initialised");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> chunk(1 << 20);
  for (const char* name : kDatasetFiles) {
    const std::string path = (dir / name).string();
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw ImportError(path + ": cannot open the file: " + std::strerror(errno));
    std::error_code ec;
    const std::string header =
        std::string(name) + "\n" + std::to_string(fs::file_size(path, ec)) + "\n";
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(header.data()),
                              header.size());
    std::size_t n = 0;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), f)) > 0)
      crypto_hash_sha256_update(&state, chunk.data(), n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw ImportError(path + ": error while reading the file");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

// Answer layouts (store/answers_json.hpp) by their units: those stored, then the new ones, which
// get the next ids and are handed to the sink the first time they are used.
class LayoutInterner {
 public:
  explicit LayoutInterner(bulk::Sink& sink) : sink_(sink) {
    sink.layouts([&](std::int64_t id, std::string_view units) {
      ids_.emplace(std::string(units), id);
      next_ = std::max(next_, id + 1);
    });
  }
  std::int64_t id(const std::string& units) {
    if (auto it = ids_.find(units); it != ids_.end()) return it->second;
    const std::int64_t id = next_++;
    sink_.layout(id, units);
    ids_.emplace(units, id);
    return id;
  }

 private:
  bulk::Sink& sink_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::int64_t next_ = 1;
};

}  // namespace

ImportSummary bulk_import(const std::string& dir_name, const std::string& url,
                          const EditionLookup& editions) {
  const fs::path dir(dir_name);
  const Edition* edition = &io::dataset_edition(dir, editions);
  const national::EditionTables tables(*edition);
  const std::vector<std::string> days = survey_days(edition->fiscal_year);

  const std::string sha256 = dataset_sha256(dir);
  open_store(url);  // creates the database if needed and brings the schema up to date
  std::unique_ptr<bulk::Sink> sink = is_postgres(url) ? bulk::open_postgres_sink(url)
                                                      : bulk::open_sqlite_sink(sqlite_path_of(url));
  if (auto before = sink->find_import(sha256)) {
    before->already_imported = true;
    return *before;  // the sink rolls back its empty transaction
  }

  ImportSummary summary;
  summary.edition = edition->id;
  summary.dataset_sha256 = sha256;
  LayoutInterner layouts(*sink);  // reads the stored ones: before the first COPY of PostgreSQL
  const std::int64_t agency_base = sink->max_agency_id();
  const std::int64_t round_base = sink->max_round_id();
  summary.first_agency_id = agency_base + 1;
  summary.first_round_id = round_base + 1;
  RandomBytes random;

  // Agencies, and one round each.
  std::unordered_map<std::int64_t, AgencyEntry> agencies;
  {
    io::LineReader in((dir / "agencies.csv").string());
    io::expect_header(in, "id,name,district,province,type,staff_count,service_users");
    io::for_each_row(in, [&](const std::vector<std::string_view>& f) {
      const io::AgencyRow row = io::check_agency_row(in, f);
      AgencyEntry entry;
      entry.db_id = agency_base + row.id;
      entry.round_id = round_base + static_cast<std::int64_t>(agencies.size()) + 1;
      if (!agencies.emplace(row.id, entry).second)
        in.fail("agency id " + std::string(f[0]) + " appears twice");
      sink->agency({entry.db_id, row.name, row.district, row.province, row.type});
      char tokens[2][24];
      random.hex(12, tokens[0]);
      random.hex(12, tokens[1]);
      sink->round({entry.round_id, entry.db_id, edition->id, row.staff_count, row.service_users,
                   std::string_view(tokens[0], 24), std::string_view(tokens[1], 24)});
    });
    summary.agencies = summary.rounds = agencies.size();
  }

  // Respondents and their answers, streamed: a respondent's rows are gathered and stored as
  // one response, its answers in the stored form of store/answers_json.hpp.
  {
    std::unordered_set<std::int64_t> slots;  // of the current agency's round: the first 40 bits
                                             // of two ids of one round must differ
    io::LineReader in((dir / "answers.csv").string());
    io::expect_header(in, "agency,tool,respondent,item,answer");
    io::AnswerRowChecker checker(tables, [&](std::int64_t id) { return agencies.contains(id); });
    std::int64_t round_id = 0;
    // The respondent being gathered: answer units and where their options are in `options`.
    struct Pending {
      bool open = false;
      char id[32];
      std::int64_t round_id = 0;
      ToolId tool = ToolId::IIT;
      std::string_view day;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> units;  // unit, offset in options
      std::string options;                                         // each option + '\0'
    } pending;
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    std::vector<std::string_view> codes, options;
    std::string units, encoded;
    const auto store_pending = [&] {
      if (!pending.open) return;
      pairs.clear();
      for (const auto& [unit, offset] : pending.units)
        pairs.emplace_back(tables.unit_code(unit), pending.options.c_str() + offset);
      std::sort(pairs.begin(), pairs.end());
      codes.clear();
      options.clear();
      for (const auto& [code, option] : pairs) {
        codes.push_back(code);
        options.push_back(option);
      }
      units.clear();
      answers_json::encode(units, codes);
      encoded.clear();
      answers_json::encode(encoded, options);
      std::int64_t slot = 0;
      do {
        random.hex(16, pending.id);
        slot = answers_json::slot_of(pending.round_id, std::string_view(pending.id, 32));
        if (slot < 0)
          throw ImportError("import: round id " + std::to_string(pending.round_id) +
                            " is beyond the rounds the responses table can key");
      } while (!slots.insert(slot).second);
      sink->response(slot, pending.round_id, std::string_view(pending.id, 32),
                     tool_code(pending.tool), pending.day, layouts.id(units), encoded);
      pending.open = false;
    };
    io::for_each_row(in, [&](const std::vector<std::string_view>& f) {
      const io::AnswerRow row = checker.check(in, f);
      if (row.new_agency) {
        store_pending();  // the last respondent of the agency before: its slot is of that round
        round_id = agencies.at(row.agency).round_id;
        slots.clear();
      }
      if (row.new_respondent) {
        store_pending();
        pending.open = true;
        pending.round_id = round_id;
        pending.tool = row.tool;
        pending.day = days[random.take(1)[0] % days.size()];
        pending.units.clear();
        pending.options.clear();
        ++summary.responses;
      }
      pending.units.emplace_back(row.unit, static_cast<std::uint32_t>(pending.options.size()));
      pending.options.append(row.option);
      pending.options += '\0';
      ++summary.answers;
    });
    store_pending();
  }

  // OIT verdicts, as confirmed entries.
  {
    io::LineReader in((dir / "oit.csv").string());
    io::expect_header(in, "agency,item,verdict");
    io::OitRowChecker checker(tables, [&](std::int64_t id) { return agencies.contains(id); });
    io::for_each_row(in, [&](const std::vector<std::string_view>& f) {
      const io::OitRow row = checker.check(in, f);
      const AgencyEntry& agency = agencies.at(row.agency);
      const std::string evidence =
          "https://example.org/ita/" + std::to_string(agency.db_id) + "/" + std::string(row.code);
      sink->oit(agency.round_id, row.code, evidence, row.pass);
      ++summary.oit_entries;
    });
  }
  sink->commit(summary);
  return summary;
}

}  // namespace ita::store
