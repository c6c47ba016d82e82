#include "io/national_dataset.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/json_error.hpp"
#include "io/thai_provinces.hpp"

namespace ita::io {

namespace {

namespace fs = std::filesystem;

// splitmix64: seeds the generators from (seed, stream) pairs.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// xoshiro256**: fast, and the same numbers on every platform (unlike the std distributions).
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t x = mix(seed) ^ mix(stream + 0x632be59bd9b4e019ull);
    for (auto& w : s_) w = x = mix(x);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double between(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>(uniform() * static_cast<double>(n));
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Streams of the generator, so each part of the data set depends only on the seed.
enum Stream : std::uint64_t { kPlanStream = 1, kDifficultyStream = 2, kAgencyStreamBase = 1000 };

struct AgencyType {
  std::string_view type;    // the `type` column
  std::string_view prefix;  // the start of the agency's name
  double share;             // of all agencies
  double size;              // relative number of respondents
  bool central;             // a central body in Bangkok, named after a field of work
};

// Roughly the mix of the public bodies NACC assesses: mostly local administrations.
constexpr AgencyType kTypes[] = {
    {"อบต.", "องค์การบริหารส่วนตำบล", 0.62, 1.0, false},
    {"เทศบาลตำบล", "เทศบาลตำบล", 0.27, 1.3, false},
    {"เทศบาลเมือง", "เทศบาลเมือง", 0.023, 3.0, false},
    {"เทศบาลนคร", "เทศบาลนคร", 0.004, 6.0, false},
    {"อบจ.", "องค์การบริหารส่วนจังหวัด", 0.009, 4.0, false},
    {"จังหวัด", "จังหวัด", 0.009, 5.0, false},
    {"กรม", "กรม", 0.02, 10.0, true},
    {"รัฐวิสาหกิจ", "การ", 0.006, 8.0, true},
    {"องค์การมหาชน", "สำนักงาน", 0.006, 3.0, true},
    {"มหาวิทยาลัย", "มหาวิทยาลัยราชภัฏ", 0.01, 6.0, false},
};

constexpr std::string_view kPlaceStart[] = {"บ้าน", "หนอง", "ดอน", "นา", "ท่า",  "โคก",  "ห้วย",
                                            "บึง",  "วัง",   "ป่า",  "ทุ่ง", "เขา", "คลอง", "บาง",
                                            "แม่",  "สัน",   "โนน", "ศรี", "ลำ",  "เวียง"};
constexpr std::string_view kPlaceEnd[] = {"ใหญ่", "น้อย", "ทอง",  "แก้ว",  "สะอาด", "ไผ่",   "ยาง",
                                          "ขาม", "จาน", "กลาง", "เหนือ", "ใต้",    "งาม",  "หลวง",
                                          "บัว",  "สูง",  "ดี",    "เจริญ", "พัฒนา",  "สวรรค์"};
constexpr std::string_view kFields[] = {
    "ชลประทาน",  "ทางหลวง",   "ป่าไม้",           "ประมง",    "ปศุสัตว์",
    "ที่ดิน",       "อนามัย",     "การแพทย์",        "ควบคุมโรค", "พัฒนาชุมชน",
    "ทรัพยากรน้ำ", "อุตุนิยมวิทยา", "ส่งเสริมการเกษตร", "พัฒนาที่ดิน",  "โยธาธิการและผังเมือง",
    "การจัดหางาน"};
constexpr std::string_view kBangkokDistricts[] = {"พญาไท",  "ดุสิต",  "ปทุมวัน",  "จตุจักร",   "พระนคร",
                                                  "ราชเทวี", "หลักสี่", "บางกะปิ", "ห้วยขวาง", "สาทร"};

template <std::size_t N>
std::string_view pick(Random& rng, const std::string_view (&list)[N]) {
  return list[rng.below(N)];
}

struct AgencyPlan {
  std::size_t type = 0;
  std::size_t province = 0;
  std::string name;
  std::string district;
  double weight = 0;  // share of the respondents
  std::size_t iit = 0;
  std::size_t eit = 0;
  double quality[3] = {0, 0, 0};  // IIT, EIT, OIT: expected fraction of the maximum points
};

double clamp01(double x) {
  return std::clamp(x, 0.0, 1.0);
}

// A file written through a large buffer under a temporary name, renamed when complete.
class OutFile {
 public:
  explicit OutFile(fs::path path) : path_(std::move(path)), tmp_(path_.string() + ".partial") {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw FileError(path_.string(), "",
                      std::string("cannot write the file: ") + std::strerror(errno));
    buffer_.reserve(kBuffer + 4096);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;
  ~OutFile() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
  }

  void put(std::string_view s) {
    buffer_.append(s);
    if (buffer_.size() >= kBuffer) flush();
  }
  void put(char c) { buffer_.push_back(c); }
  void put(std::uint64_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    buffer_.append(digits, end);
  }
  void line_done() {
    if (buffer_.size() >= kBuffer) flush();
  }
  std::string& buffer() { return buffer_; }

  void commit() {
    flush();
    if (::close(fd_) != 0) fail("cannot write the file");
    fd_ = -1;
    std::error_code ec;
    fs::rename(tmp_, path_, ec);
    if (ec)
      throw FileError(path_.string(), "",
                      "cannot rename the finished file into place: " + ec.message());
  }

 private:
  static constexpr std::size_t kBuffer = 1 << 20;
  [[noreturn]] void fail(const char* what) {
    throw FileError(path_.string(), "", std::string(what) + ": " + std::strerror(errno));
  }
  void flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("cannot write the file");
      }
      done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
  }

  fs::path path_;
  std::string tmp_;
  int fd_ = -1;
  std::string buffer_;
};

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// One answer unit as the generator sees it: its code and its option codes from the fewest to
// the most points (after the reverse flag), so "better" always means a higher index.
struct GenUnit {
  std::string code;
  ToolId tool = ToolId::IIT;
  std::vector<std::string> options;
  double difficulty = 0;  // shifts the agency's quality for this unit
};

std::vector<GenUnit> answer_units(const Edition& e, Random& rng) {
  std::vector<GenUnit> units;
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    const auto& q = e.questionnaire(t);
    for (std::size_t i = 0; i < q.items.size(); ++i) {
      for (std::size_t s = 0; s < q.items[i].sub_items.size(); ++s) {
        const AnswerUnitRef ref{i, s, t};
        GenUnit u;
        u.code = q.items[i].sub_items[s].code;
        u.tool = t;
        std::vector<std::pair<double, std::string>> by_points;
        for (const auto& o : e.scale_of(ref).options)
          by_points.emplace_back(*e.points(ref, o.code), o.code);
        std::stable_sort(by_points.begin(), by_points.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [points, code] : by_points) u.options.push_back(std::move(code));
        u.difficulty = rng.between(-0.06, 0.06);
        units.push_back(std::move(u));
      }
    }
  }
  return units;
}

// Cumulative probabilities of the option indices 0..n-1: Binomial(n − 1, p), so the expected
// points of a linear scale are p of the way from its minimum to its maximum.
void binomial_cdf(std::size_t n, double p, std::vector<double>& cdf) {
  cdf.assign(n, 0.0);
  double sum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    double c = 1;  // C(n-1, k)
    for (std::size_t j = 0; j < k; ++j)
      c = c * static_cast<double>(n - 1 - j) / static_cast<double>(j + 1);
    sum +=
        c * std::pow(p, static_cast<double>(k)) * std::pow(1 - p, static_cast<double>(n - 1 - k));
    cdf[k] = sum;
  }
  cdf[n - 1] = 1.0;
}

std::vector<AgencyPlan> plan_agencies(const DatagenOptions& o) {
  Random rng(o.seed, kPlanStream);
  const auto provinces = thai_provinces();
  std::size_t bangkok = 0;
  while (provinces[bangkok].name_th != "กรุงเทพมหานคร") ++bangkok;
  double share_sum = 0;
  for (const auto& t : kTypes) share_sum += t.share;

  std::vector<AgencyPlan> plans(o.agencies);
  std::vector<std::size_t> field_count(std::size(kTypes), 0);
  double weight_sum = 0;
  for (auto& a : plans) {
    double pick_type = rng.uniform() * share_sum;
    a.type = 0;
    while (a.type + 1 < std::size(kTypes) && pick_type >= kTypes[a.type].share)
      pick_type -= kTypes[a.type++].share;
    const AgencyType& type = kTypes[a.type];
    a.province = type.central ? bangkok : rng.below(provinces.size());
    const std::string_view province = provinces[a.province].name_th;
    const std::string place =
        std::string(pick(rng, kPlaceStart)) + std::string(pick(rng, kPlaceEnd));
    if (type.central) {
      a.name = std::string(type.prefix) +
               std::string(kFields[field_count[a.type]++ % std::size(kFields)]);
      a.district = std::string(pick(rng, kBangkokDistricts));
    } else if (type.type == "อบจ." || type.type == "จังหวัด" || type.type == "มหาวิทยาลัย") {
      a.name = std::string(type.prefix) + std::string(province);
      a.district = "เมือง" + std::string(province);
    } else {
      a.name = std::string(type.prefix) + place;
      a.district = std::string(pick(rng, kPlaceStart)) + std::string(pick(rng, kPlaceEnd));
    }
    // Quality: skewed towards good agencies, as in the published results, but every level
    // from the lowest to the highest occurs.
    const double q = 0.35 + 0.65 * std::sqrt(rng.uniform());
    a.quality[0] = clamp01(q + rng.between(-0.08, 0.08));
    a.quality[1] = clamp01(q + rng.between(-0.08, 0.08));
    a.quality[2] = clamp01(q + rng.between(-0.12, 0.12));
    a.weight = type.size * rng.between(0.5, 1.5);
    weight_sum += a.weight;
  }

  // Two respondents each (one IIT, one EIT), the rest shared by weight with cumulative rounding
  // so the counts add up exactly.
  const std::size_t extra = o.respondents - 2 * o.agencies;
  double cumulative = 0;
  std::size_t before = 0;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    AgencyPlan& a = plans[i];
    cumulative += a.weight;
    std::size_t upto =
        i + 1 == plans.size()
            ? extra
            : std::min(extra, static_cast<std::size_t>(std::llround(static_cast<double>(extra) *
                                                                    (cumulative / weight_sum))));
    upto = std::max(upto, before);
    const std::size_t n = 2 + upto - before;
    before = upto;
    a.iit = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::llround(static_cast<double>(n) / 3.0)));
    a.eit = n - a.iit;
  }
  return plans;
}

}  // namespace

DatagenSummary generate_national_dataset(const Edition& e, const DatagenOptions& o) {
  if (o.agencies == 0) throw InputError("--agencies", "expected at least one agency");
  if (o.respondents < 2 * o.agencies) {
    throw InputError("--answers",
                     "expected at least 2 respondents per agency (one IIT, one EIT): " +
                         std::to_string(2 * o.agencies) + " for " + std::to_string(o.agencies) +
                         " agencies");
  }
  Random difficulty_rng(o.seed, kDifficultyStream);
  const std::vector<GenUnit> units = answer_units(e, difficulty_rng);
  const auto has = [&](ToolId t) {
    return std::any_of(units.begin(), units.end(), [&](const GenUnit& u) { return u.tool == t; });
  };
  if (!has(ToolId::IIT) || !has(ToolId::EIT) || e.oit.items.empty()) {
    throw InputError("--edition",
                     "edition " + e.id + " lacks IIT or EIT answer units or OIT items");
  }
  std::vector<double> oit_difficulty;
  for (std::size_t i = 0; i < e.oit.items.size(); ++i)
    oit_difficulty.push_back(difficulty_rng.between(-0.1, 0.1));

  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) throw FileError(o.out_dir, "", "cannot create the folder: " + ec.message());
  const fs::path dir(o.out_dir);
  fs::remove(dir / "dataset.json", ec);  // an interrupted run must not look complete

  const std::vector<AgencyPlan> plans = plan_agencies(o);
  const auto provinces = thai_provinces();
  DatagenSummary summary;
  summary.agencies = plans.size();

  OutFile agencies(dir / "agencies.csv");
  agencies.put("id,name,district,province,type,staff_count,service_users\n");
  OutFile answers(dir / "answers.csv");
  answers.put("agency,tool,respondent,item,answer\n");
  OutFile oit(dir / "oit.csv");
  oit.put("agency,item,verdict\n");

  std::vector<std::vector<double>> unit_cdf(units.size());
  std::string prefix;
  for (std::size_t k = 0; k < plans.size(); ++k) {
    const AgencyPlan& a = plans[k];
    const std::uint64_t id = k + 1;
    Random rng(o.seed, kAgencyStreamBase + id);
    const std::size_t staff = a.iit + a.iit * (2 + rng.below(8)) / 10;
    const std::size_t service_users = a.eit * (5 + rng.below(16));
    agencies.put(id);
    agencies.put(',');
    agencies.put(csv_field(a.name));
    agencies.put(',');
    agencies.put(csv_field(a.district));
    agencies.put(',');
    agencies.put(csv_field(provinces[a.province].name_th));
    agencies.put(',');
    agencies.put(csv_field(kTypes[a.type].type));
    agencies.put(',');
    agencies.put(static_cast<std::uint64_t>(staff));
    agencies.put(',');
    agencies.put(static_cast<std::uint64_t>(service_users));
    agencies.put('\n');
    agencies.line_done();

    for (std::size_t u = 0; u < units.size(); ++u) {
      const double q = a.quality[units[u].tool == ToolId::EIT ? 1 : 0];
      binomial_cdf(units[u].options.size(), clamp01(q + units[u].difficulty), unit_cdf[u]);
    }
    for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
      const std::size_t n = t == ToolId::IIT ? a.iit : a.eit;
      (t == ToolId::IIT ? summary.iit_respondents : summary.eit_respondents) += n;
      for (std::size_t r = 1; r <= n; ++r) {
        prefix.clear();
        char digits[24];
        prefix.append(digits, std::to_chars(digits, digits + sizeof digits, id).ptr);
        prefix += t == ToolId::IIT ? ",IIT," : ",EIT,";
        prefix.append(digits, std::to_chars(digits, digits + sizeof digits, r).ptr);
        prefix += ',';
        std::string& out = answers.buffer();
        for (std::size_t u = 0; u < units.size(); ++u) {
          if (units[u].tool != t) continue;
          const double draw = rng.uniform();
          const auto& c = unit_cdf[u];
          std::size_t option = 0;
          while (option + 1 < c.size() && draw >= c[option]) ++option;
          out += prefix;
          out += units[u].code;
          out += ',';
          out += units[u].options[option];
          out += '\n';
          ++summary.answers;
        }
        answers.line_done();
      }
    }
    for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
      const bool pass = rng.uniform() < clamp01(a.quality[2] + oit_difficulty[i]);
      oit.put(id);
      oit.put(',');
      oit.put(e.oit.items[i].code);
      oit.put(pass ? ",pass\n" : ",fail\n");
      oit.line_done();
      ++summary.oit_verdicts;
    }
  }
  agencies.commit();
  answers.commit();
  oit.commit();

  const nlohmann::json manifest = {
      {"format", kNationalDatasetFormat},
      {"edition", e.id},
      {"seed", o.seed},
      {"agencies", summary.agencies},
      {"respondents", summary.iit_respondents + summary.eit_respondents},
      {"iit_respondents", summary.iit_respondents},
      {"eit_respondents", summary.eit_respondents},
      {"answers", summary.answers},
      {"oit_verdicts", summary.oit_verdicts},
      {"files", {{"agencies", "agencies.csv"}, {"answers", "answers.csv"}, {"oit", "oit.csv"}}},
  };
  write_file_atomically((dir / "dataset.json").string(), manifest.dump(2) + "\n");
  return summary;
}

}  // namespace ita::io
