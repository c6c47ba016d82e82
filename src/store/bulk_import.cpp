#include "store/bulk_import.hpp"

#include <sodium.h>
#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/national.hpp"
#include "core/text_rules.hpp"
#include "io/thai_provinces.hpp"
#include "store/answers_json.hpp"
#include "store/bulk_sink.hpp"
#include "store/store.hpp"

namespace ita::store {

namespace {

namespace fs = std::filesystem;

// Reads a file line by line through a large buffer; lines are views valid until the next call.
class LineReader {
 public:
  explicit LineReader(std::string path)
      : path_(std::move(path)), file_(std::fopen(path_.c_str(), "rb")) {
    if (file_ == nullptr)
      throw ImportError(path_ + ": cannot open the file: " + std::strerror(errno));
    buffer_.resize(kChunk);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader() { std::fclose(file_); }

  bool next(std::string_view& line) {
    for (;;) {
      const char* start = buffer_.data() + begin_;
      if (const void* nl = std::memchr(start, '\n', end_ - begin_)) {
        const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
        line = std::string_view(start, len);
        begin_ += len + 1;
        ++number_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return true;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        line = std::string_view(start, end_ - begin_);  // last line without a newline
        begin_ = end_;
        ++number_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return true;
      }
      // Move the partial line to the front and read more.
      std::memmove(buffer_.data(), start, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
      const std::size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
      if (n == 0) {
        if (std::ferror(file_)) throw ImportError(path_ + ": error while reading the file");
        eof_ = true;
      }
      end_ += n;
    }
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw ImportError(path_ + ": line " + std::to_string(number_) + ": " + message);
  }
  const std::string& path() const { return path_; }

 private:
  static constexpr std::size_t kChunk = 4 << 20;
  std::string path_;
  std::FILE* file_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::size_t number_ = 0;
};

// Splits one CSV record (RFC 4180 quotes); fields are copied only when quoted.
bool split_csv(std::string_view line, std::vector<std::string_view>& fields,
               std::vector<std::string>& unquoted) {
  fields.clear();
  if (line.find('"') == std::string_view::npos) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(line.substr(start, comma - start));
      if (comma == std::string_view::npos) return true;
      start = comma + 1;
    }
  }
  bool quoted = false;
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  if (quoted) return false;
  unquoted = std::move(parts);
  for (const auto& p : unquoted) fields.push_back(p);
  return true;
}

void expect_header(LineReader& in, std::string_view expected) {
  std::string_view line;
  if (!in.next(line)) in.fail("empty file; expected the header \"" + std::string(expected) + "\"");
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (line != expected) in.fail("expected the header \"" + std::string(expected) + "\"");
}

std::int64_t parse_int(LineReader& in, std::string_view s, const char* field) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 0) {
    in.fail(std::string("field ") + field + ": expected a whole number ≥ 0, found \"" +
            std::string(s) + "\"");
  }
  return v;
}

// An agency row's texts (id, name, district, province, type, …) follow the rules of stored text
// (core/text_rules.hpp), as an agency added on the web does: the province is one of the 77.
void check_agency_texts(LineReader& in, const std::vector<std::string_view>& f) {
  const std::pair<std::size_t, const TextField*> fields[] = {
      {1, &kAgencyName}, {2, &kAgencyDistrict}, {3, &kAgencyProvince}, {4, &kAgencyType}};
  for (const auto& [k, field] : fields) {
    if (const auto fault = text_fault(f[k], field->rule))
      in.fail("field " + std::string(field->code) + ": " + fault->message_en());
  }
  if (!f[3].empty() && io::find_thai_province(f[3]) == nullptr)
    in.fail("field province: \"" + std::string(f[3]) + "\" is not one of Thailand's 77 provinces");
}

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

struct Manifest {
  std::string edition;
};

Manifest read_manifest(const fs::path& dir) {
  const fs::path path = dir / "dataset.json";
  std::ifstream in(path);
  if (!in)
    throw ImportError(path.string() + ": cannot open the file (is " + dir.string() +
                      " a data set from ita datagen?)");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range (number overflow)
    throw ImportError(path.string() + ": not JSON: " + e.what());
  }
  if (!j.is_object() || j.value("format", "") != "ita-national-dataset/1") {
    throw ImportError(path.string() + ": /format: expected \"ita-national-dataset/1\"");
  }
  if (!j.contains("edition") || !j["edition"].is_string())
    throw ImportError(path.string() + ": /edition: expected a string");
  return Manifest{j["edition"].get<std::string>()};
}

struct AgencyEntry {
  std::int64_t db_id = 0;
  std::int64_t round_id = 0;
  bool answers_done = false;
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
  const Manifest manifest = read_manifest(dir);
  const Edition* edition = editions(manifest.edition);
  if (edition == nullptr)
    throw ImportError((dir / "dataset.json").string() + ": /edition: unknown edition " +
                      manifest.edition);
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
  std::vector<std::string_view> f;
  std::vector<std::string> unquoted;

  // Agencies, and one round each.
  std::unordered_map<std::int64_t, AgencyEntry> agencies;
  {
    LineReader in((dir / "agencies.csv").string());
    expect_header(in, "id,name,district,province,type,staff_count,service_users");
    std::string_view line;
    while (in.next(line)) {
      if (line.empty()) continue;
      if (!split_csv(line, f, unquoted)) in.fail("unterminated quoted field");
      if (f.size() != 7) in.fail("expected 7 fields, found " + std::to_string(f.size()));
      const std::int64_t csv_id = parse_int(in, f[0], "id");
      if (csv_id == 0) in.fail("field id: expected an id from 1");
      if (f[1].empty()) in.fail("field name: expected the agency's name");
      check_agency_texts(in, f);
      AgencyEntry entry;
      entry.db_id = agency_base + csv_id;
      entry.round_id = round_base + static_cast<std::int64_t>(agencies.size()) + 1;
      if (!agencies.emplace(csv_id, entry).second)
        in.fail("agency id " + std::string(f[0]) + " appears twice");
      sink->agency({entry.db_id, f[1], f[2], f[3], f[4]});
      char tokens[2][24];
      random.hex(12, tokens[0]);
      random.hex(12, tokens[1]);
      sink->round({entry.round_id, entry.db_id, edition->id, parse_int(in, f[5], "staff_count"),
                   parse_int(in, f[6], "service_users"), std::string_view(tokens[0], 24),
                   std::string_view(tokens[1], 24)});
    }
    summary.agencies = summary.rounds = agencies.size();
  }

  // Respondents and their answers, streamed: a respondent's rows are gathered and stored as
  // one response, its answers in the stored form of store/answers_json.hpp.
  {
    std::unordered_set<std::int64_t> slots;  // of the current agency's round: the first 40 bits
                                             // of two ids of one round must differ
    LineReader in((dir / "answers.csv").string());
    expect_header(in, "agency,tool,respondent,item,answer");
    national::UnitInterner interner(tables);
    std::vector<std::uint8_t> answered(tables.units(), 0);
    std::unordered_set<std::string> respondents_seen[2];  // of the current agency
    std::string current_agency_text, current_respondent;
    AgencyEntry* agency = nullptr;
    ToolId tool = ToolId::IIT;
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
    std::string_view line;
    while (in.next(line)) {
      if (line.empty()) continue;
      if (!split_csv(line, f, unquoted)) in.fail("unterminated quoted field");
      if (f.size() != 5)
        in.fail("expected 5 fields (agency,tool,respondent,item,answer), found " +
                std::to_string(f.size()));
      if (agency == nullptr || f[0] != current_agency_text) {
        if (agency != nullptr) agency->answers_done = true;
        auto it = agencies.find(parse_int(in, f[0], "agency"));
        if (it == agencies.end())
          in.fail("field agency: agency " + std::string(f[0]) + " is not in agencies.csv");
        agency = &it->second;
        if (agency->answers_done)
          in.fail("field agency: the rows of agency " + std::string(f[0]) + " are not together");
        store_pending();  // the last respondent of the agency before: its slot is of that round
        current_agency_text = f[0];
        respondents_seen[0].clear();
        respondents_seen[1].clear();
        current_respondent.clear();
        slots.clear();
      }
      const bool new_tool = f[1] != tool_code(tool);
      if (new_tool || f[2] != current_respondent || current_respondent.empty()) {
        if (f[1] == "IIT") {
          tool = ToolId::IIT;
        } else if (f[1] == "EIT") {
          tool = ToolId::EIT;
        } else {
          in.fail("field tool: expected IIT or EIT, found \"" + std::string(f[1]) + "\"");
        }
        if (f[2].empty()) in.fail("field respondent: expected a respondent id");
        current_respondent = f[2];
        if (!respondents_seen[tool == ToolId::EIT ? 1 : 0].insert(current_respondent).second) {
          in.fail("field respondent: the rows of " + std::string(f[1]) + " respondent " +
                  current_respondent + " of agency " + current_agency_text + " are not together");
        }
        std::fill(answered.begin(), answered.end(), 0);
        interner.restart();
        store_pending();
        pending.open = true;
        pending.round_id = agency->round_id;
        pending.tool = tool;
        pending.day = days[random.take(1)[0] % days.size()];
        pending.units.clear();
        pending.options.clear();
        ++summary.responses;
      }
      const std::uint32_t unit = interner.find(f[3]);
      if (unit == national::kNoIndex) {
        in.fail("field item: unknown answer unit '" + std::string(f[3]) + "' in edition " +
                edition->id);
      }
      if (tables.unit_tool(unit) != tool) {
        in.fail("field item: '" + std::string(f[3]) + "' belongs to " +
                std::string(tool_code(tables.unit_tool(unit))) + ", not " +
                std::string(tool_code(tool)));
      }
      if (std::isnan(tables.points(unit, f[4]))) {
        in.fail("field answer: '" + std::string(f[4]) + "' is not in the scale of " +
                std::string(f[3]));
      }
      if (answered[unit]++ != 0)
        in.fail("field item: respondent " + current_respondent + " answered " + std::string(f[3]) +
                " twice");
      pending.units.emplace_back(unit, static_cast<std::uint32_t>(pending.options.size()));
      pending.options.append(f[4]);
      pending.options += '\0';
      ++summary.answers;
    }
    store_pending();
  }

  // OIT verdicts, as confirmed entries.
  {
    LineReader in((dir / "oit.csv").string());
    expect_header(in, "agency,item,verdict");
    std::unordered_set<std::string> seen;
    std::string_view line;
    while (in.next(line)) {
      if (line.empty()) continue;
      if (!split_csv(line, f, unquoted)) in.fail("unterminated quoted field");
      if (f.size() != 3)
        in.fail("expected 3 fields (agency,item,verdict), found " + std::to_string(f.size()));
      auto it = agencies.find(parse_int(in, f[0], "agency"));
      if (it == agencies.end())
        in.fail("field agency: agency " + std::string(f[0]) + " is not in agencies.csv");
      if (tables.oit_index(f[1]) == national::kNoIndex) {
        in.fail("field item: unknown OIT item '" + std::string(f[1]) + "' in edition " +
                edition->id);
      }
      bool pass = false;
      if (f[2] == "pass") {
        pass = true;
      } else if (f[2] != "fail") {
        in.fail("field verdict: expected pass or fail, found \"" + std::string(f[2]) + "\"");
      }
      if (!seen.insert(std::string(f[0]) + "," + std::string(f[1])).second) {
        in.fail("agency " + std::string(f[0]) + " has two verdicts for " + std::string(f[1]));
      }
      const std::string evidence =
          "https://example.org/ita/" + std::to_string(it->second.db_id) + "/" + std::string(f[1]);
      sink->oit(it->second.round_id, f[1], evidence, pass);
      ++summary.oit_entries;
    }
  }
  sink->commit(summary);
  return summary;
}

}  // namespace ita::store
