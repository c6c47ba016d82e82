#include "core/oit_readiness.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "core/thai.hpp"

namespace ita {

namespace {

using namespace std::string_view_literals;

constexpr std::array<std::pair<Readiness, std::string_view>, 11> kCodes = {{
    {Readiness::NoEvidence, "no_evidence"},
    {Readiness::Refused, "refused"},
    {Readiness::Unreachable, "unreachable"},
    {Readiness::ErrorStatus, "error_status"},
    {Readiness::OutsideDomain, "outside_domain"},
    {Readiness::TooLarge, "too_large"},
    {Readiness::TooLittleContent, "too_little_content"},
    {Readiness::BeforeFiscalYear, "before_fiscal_year"},
    {Readiness::NoFiscalYear, "no_fiscal_year"},
    {Readiness::MissingKeywords, "missing_keywords"},
    {Readiness::LikelyFine, "likely_fine"},
}};

// ---- Text -----------------------------------------------------------------------------------

// The length in bytes of the white space code point at s[i], or 0 when s[i] starts none.
// Beyond Unicode's spaces: the zero-width space, joiners and byte-order mark, which Thai
// pages carry between words and which show nothing.
std::size_t space_at(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  const unsigned b0 = b(0);
  if (b0 == ' ' || (b0 >= '\t' && b0 <= '\r')) return 1;
  if (b0 == 0xC2 && (b(1) == 0xA0 || b(1) == 0x85)) return 2;  // NBSP, NEL
  if (b0 == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;    // U+1680
  if (b0 == 0xE2 && b(1) == 0x80) {
    const unsigned b2 = b(2);
    // U+2000–U+200D (spaces, ZWSP, ZWNJ, ZWJ), U+2028, U+2029, U+202F.
    if ((b2 >= 0x80 && b2 <= 0x8D) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) return 3;
  }
  if (b0 == 0xE2 && b(1) == 0x81 && (b(2) == 0x9F || b(2) == 0xA0)) return 3;  // U+205F, U+2060
  if (b0 == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;                    // U+3000
  if (b0 == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;                    // U+FEFF
  return 0;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// `s` without white space, Thai digits as ASCII, ASCII lower-cased, a split sara am (U+0E4D
// U+0E32, a tone mark maybe between) joined into U+0E33: the form two texts are compared in.
std::string compact(std::string_view text) {
  const std::string s = to_arabic_digits(text);
  std::string bare;
  bare.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t n = space_at(s, i)) {
      i += n;
      continue;
    }
    const char c = s[i++];
    bare.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  constexpr std::string_view kNikhahit = "\u0E4D", kSaraAa = "\u0E32", kSaraAm = "\u0E33";
  const auto is_tone = [](std::string_view at) {  // U+0E48–U+0E4B
    return at.size() >= 3 && at.starts_with("\xE0\xB9") &&
           static_cast<unsigned char>(at[2]) >= 0x88 && static_cast<unsigned char>(at[2]) <= 0x8B;
  };
  std::string out;
  out.reserve(bare.size());
  const std::string_view b = bare;
  for (std::size_t i = 0; i < b.size();) {
    if (b.substr(i).starts_with(kNikhahit)) {
      const std::size_t tone = is_tone(b.substr(i + 3)) ? 3 : 0;
      if (b.substr(i + 3 + tone).starts_with(kSaraAa)) {
        out.append(b.substr(i + 3, tone)).append(kSaraAm);
        i += 6 + tone;
        continue;
      }
    }
    out.push_back(b[i++]);
  }
  return out;
}

// `s` with Thai digits as ASCII and white space removed, except a single space kept between two
// digits, so that "15 ม.ค. ๒๕๖๗" reads "15ม.ค.2567" while "หน้า 1 2567" keeps its two numbers.
std::string year_text(std::string_view s) {
  const std::string arabic = to_arabic_digits(s);
  std::string out;
  out.reserve(arabic.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < arabic.size();) {
    if (const std::size_t n = space_at(arabic, i)) {
      pending_space = true;
      i += n;
      continue;
    }
    if (pending_space && is_digit(arabic[i]) && !out.empty() && is_digit(out.back())) {
      out.push_back(' ');
    }
    pending_space = false;
    out.push_back(arabic[i++]);
  }
  return out;
}

// ---- Year signs -----------------------------------------------------------------------------

// The month (1..12) whose Thai name or abbreviation (its final dot optional) ends `before`, and
// how many bytes it takes; {0, 0} when none does.
std::pair<unsigned, std::size_t> month_ending(std::string_view before) {
  for (unsigned m = 1; m <= 12; ++m) {
    const std::string_view name = thai_month_name(m);
    if (before.ends_with(name)) return {m, name.size()};
    std::string_view abbrev = thai_month_abbrev(m);
    if (before.ends_with(abbrev)) return {m, abbrev.size()};
    abbrev.remove_suffix(1);
    if (before.ends_with(abbrev)) return {m, abbrev.size()};
  }
  return {0, 0};
}

// `before` without a trailing "พ.ศ." (or "พ.ศ"), which may stand between a month or the words
// "ปีงบประมาณ" and the year.
std::string_view without_era(std::string_view before) {
  for (const std::string_view era : {"พ.ศ."sv, "พ.ศ"sv}) {
    if (before.ends_with(era)) return before.substr(0, before.size() - era.size());
  }
  return before;
}

// How many ASCII digits end `before`.
std::size_t digits_ending(std::string_view before) {
  std::size_t n = 0;
  while (n < before.size() && is_digit(before[before.size() - 1 - n])) ++n;
  return n;
}

// The number the ASCII digits ending `before` spell, with at most `max_digits` of them, or -1.
int number_ending(std::string_view before, std::size_t max_digits) {
  const std::size_t n = digits_ending(before);
  if (n == 0 || n > max_digits) return -1;
  int v = 0;
  for (std::size_t k = before.size() - n; k < before.size(); ++k) v = v * 10 + (before[k] - '0');
  return v;
}

// The month of a numeric date "d/m/" (or with '.' or '-') that ends `before`, or 0.
unsigned numeric_date_month(std::string_view before) {
  if (before.empty() || (before.back() != '/' && before.back() != '.' && before.back() != '-')) {
    return 0;
  }
  const char sep = before.back();
  before.remove_suffix(1);
  const int month = number_ending(before, 2);
  if (month < 1 || month > 12) return 0;
  before.remove_suffix(digits_ending(before));
  if (before.empty() || before.back() != sep) return 0;
  before.remove_suffix(1);
  const int day = number_ending(before, 2);
  return day >= 1 && day <= 31 ? static_cast<unsigned>(month) : 0;
}

// The month of an ISO date's "-mm-dd" that starts `after` (the year just before it), or 0.
unsigned iso_date_month(std::string_view after) {
  const auto part = [&](int lo, int hi) {
    if (!after.starts_with('-')) return -1;
    after.remove_prefix(1);
    std::size_t n = 0;
    while (n < after.size() && n < 3 && is_digit(after[n])) ++n;
    if (n == 0 || n > 2) return -1;
    const int v = number_ending(after.substr(0, n), 2);
    after.remove_prefix(n);
    return v >= lo && v <= hi ? v : -1;
  };
  const int month = part(1, 12);
  if (month < 0 || part(1, 31) < 0 || (!after.empty() && is_digit(after.front()))) return 0;
  return static_cast<unsigned>(month);
}

constexpr std::array<std::string_view, 4> kRangeSeparators = {"-", "\u2013", "\u2014", "ถึง"};

// Whether `before` ends with a year and a range separator: the year after it ends a range.
bool ends_range_start(std::string_view before) {
  if (before.ends_with(' ')) before.remove_suffix(1);
  for (const std::string_view sep : kRangeSeparators) {
    if (!before.ends_with(sep)) continue;
    before.remove_suffix(sep.size());
    if (before.ends_with(' ')) before.remove_suffix(1);
    return digits_ending(before) == 4 && number_ending(before, 4) >= 2400;
  }
  return false;
}

// How a year is given.
enum class YearKind { Bare, Fiscal, Month };

struct YearMention {
  int year = 0;
  int last = 0;  // a range's last year (== year when no range)
  YearKind kind = YearKind::Bare;
  unsigned month = 0;  // YearKind::Month
};

// Records what `m` says of fiscal year `fy` in `signs`.
void judge(const YearMention& m, int fy, YearSigns& signs) {
  bool in = false, before = false;
  switch (m.kind) {
    case YearKind::Month:
      in = (m.year == fy - 1 && m.month >= 10) || (m.year == fy && m.month <= 9);
      before = m.year < fy - 1 || (m.year == fy - 1 && m.month <= 9);
      break;
    case YearKind::Fiscal:
      in = m.year <= fy && fy <= m.last;
      before = m.last < fy;
      break;
    case YearKind::Bare:
      in = m.year <= fy && fy <= m.last;
      before = m.last <= fy - 2;
      break;
  }
  signs.in_fiscal_year = signs.in_fiscal_year || in;
  if (before) {
    signs.before_fiscal_year = true;
    signs.latest_before = std::max(signs.latest_before, m.last);
  }
}

// The end of a range of years "Y1-Y2" (or "–", "—", "ถึง") that starts right after the year
// ending at `end` of `t`, or 0.
int range_end(std::string_view t, std::size_t end, int first) {
  std::string_view rest = t.substr(end);
  if (rest.starts_with(' ')) rest.remove_prefix(1);
  const auto sep = std::find_if(kRangeSeparators.begin(), kRangeSeparators.end(),
                                [&](std::string_view s) { return rest.starts_with(s); });
  if (sep == kRangeSeparators.end()) return 0;
  rest.remove_prefix(sep->size());
  if (rest.starts_with(' ')) rest.remove_prefix(1);
  std::size_t n = 0;
  while (n < rest.size() && is_digit(rest[n])) ++n;
  if (n != 4) return 0;
  const int last = number_ending(rest.substr(0, 4), 4);
  return last > first && last - first <= 20 ? last : 0;
}

// Whether the digits t[begin, end) stand alone as a number rather than being part of a
// decimal ("1.2567") or a longer figure ("2,567,000").
bool stands_alone(std::string_view t, std::size_t begin, std::size_t end) {
  const auto joined = [&](std::size_t sep, std::size_t digit) {
    return (t[sep] == '.' || t[sep] == ',') && digit < t.size() && is_digit(t[digit]);
  };
  if (begin >= 2 && joined(begin - 1, begin - 2)) return false;
  if (end + 1 < t.size() && joined(end, end + 1)) return false;
  return true;
}

// The year mention of the digits t[begin, end), if they are one.
std::optional<YearMention> mention_at(std::string_view t, std::size_t begin, std::size_t end) {
  const std::string_view before = t.substr(0, begin);
  const bool four = end - begin == 4;
  int year = number_ending(t.substr(0, end), 4);
  const auto plausible = [](int be) { return be >= 2400 && be <= 2799; };
  if (const unsigned month = month_ending(without_era(before)).first) {
    if (!four) year += 2500;  // "15 ม.ค. 67"
    if (!plausible(year)) return std::nullopt;
    return YearMention{year, year, YearKind::Month, month};
  }
  if (!four) return std::nullopt;
  unsigned month = numeric_date_month(before);
  if (month == 0) month = iso_date_month(t.substr(end));
  if (month != 0) {
    // Web systems print numeric dates with the Christian era too ("15/01/2024", "2024-01-15");
    // a bare CE year (a copyright line) says nothing.
    const int be = year >= 1900 && year < 2400 ? be_from_ce(year) : year;
    if (!plausible(be)) return std::nullopt;
    return YearMention{be, be, YearKind::Month, month};
  }
  if (!plausible(year) || !stands_alone(t, begin, end)) return std::nullopt;
  // The end of a range ("2566-2570") was judged with its start.
  if (ends_range_start(before)) return std::nullopt;
  const std::string_view lead = without_era(before);
  const bool fiscal =
      lead.ends_with("ปีงบประมาณ") || lead.ends_with("ปีงบ") || lead.ends_with("ปีงบฯ");
  const int last = range_end(t, end, year);
  return YearMention{year, last != 0 ? last : year, fiscal ? YearKind::Fiscal : YearKind::Bare, 0};
}

}  // namespace

std::string_view readiness_code(Readiness r) {
  for (const auto& [value, code] : kCodes) {
    if (value == r) return code;
  }
  return "no_evidence";
}

std::optional<Readiness> parse_readiness(std::string_view code) {
  for (const auto& [value, c] : kCodes) {
    if (c == code) return value;
  }
  return std::nullopt;
}

std::string agency_domain_of(std::string_view website_or_url) {
  std::string_view s = website_or_url;
  while (!s.empty() && space_at(s, 0) == 1) s.remove_prefix(1);
  if (const auto scheme = s.find("://"); scheme != std::string_view::npos) {
    s.remove_prefix(scheme + 3);
  } else if (s.starts_with("//")) {
    s.remove_prefix(2);
  }
  s = s.substr(0, s.find_first_of("/?#\\ \t\r\n"));
  if (const auto at = s.rfind('@'); at != std::string_view::npos) s.remove_prefix(at + 1);
  if (s.starts_with('[')) {
    s = s.substr(0, s.find(']') == std::string_view::npos ? s.size() : s.find(']') + 1);
  } else {
    s = s.substr(0, s.find(':'));
  }
  std::string host(s);
  for (char& c : host) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  while (host.ends_with('.')) host.pop_back();
  if (host.starts_with("www.")) host.erase(0, 4);
  return host;
}

bool on_domain(std::string_view url, std::string_view domain) {
  // Both read alike, so "www." drops from either: www.a.go.th is a.go.th's own website.
  const std::string host = agency_domain_of(url);
  const std::string d = agency_domain_of(domain);
  if (host.empty() || d.empty()) return false;
  return host == d ||
         (host.size() > d.size() && host.ends_with(d) && host[host.size() - d.size() - 1] == '.');
}

YearSigns fiscal_year_signs(std::string_view text, int fiscal_year_be) {
  const std::string t = year_text(text);
  YearSigns signs;
  for (std::size_t i = 0; i < t.size();) {
    if (!is_digit(t[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < t.size() && is_digit(t[end])) ++end;
    if (end - i == 4 || end - i == 2) {
      if (const auto m = mention_at(t, i, end)) judge(*m, fiscal_year_be, signs);
    }
    i = end;
  }
  return signs;
}

std::size_t visible_characters(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t sp = space_at(text, i)) {
      i += sp;
      continue;
    }
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;  // not a continuation byte
    ++i;
  }
  return n;
}

namespace {

// The first of `keywords` found in `compact_text` (both compared compacted), or nullopt.
std::optional<std::string> keyword_in(std::string_view compact_text,
                                      const std::vector<std::string>& keywords) {
  for (const std::string& k : keywords) {
    const std::string c = compact(k);
    if (!c.empty() && compact_text.find(c) != std::string_view::npos) return k;
  }
  return std::nullopt;
}

}  // namespace

bool has_keyword(std::string_view text, const std::vector<std::string>& keywords) {
  return keyword_in(compact(text), keywords).has_value();
}

namespace {

ItemReadiness verdict(Readiness r, std::string url, std::string reason) {
  return ItemReadiness{r, std::move(reason), std::move(url)};
}

std::string status_words(int status) {
  if (status == 404 || status == 410) return "ไม่พบหน้า";
  if (status == 401 || status == 403) return "ไม่อนุญาตให้เข้าถึง";
  if (status >= 500) return "เซิร์ฟเวอร์ของเว็บไซต์ขัดข้อง";
  return "เว็บไซต์ปฏิเสธคำขอ";
}

// A failed fetch's verdict.
ItemReadiness failed(const FetchedPage& p) {
  const std::string& u = p.url;
  switch (p.failure) {
    case FetchFailure::Refused:
      return verdict(Readiness::Refused, u,
                     "ลิงก์ " + u +
                         " ตรวจไม่ได้: ต้องเป็นลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https:// "
                         "ไม่มีชื่อผู้ใช้หรือรหัสผ่าน และไม่ชี้ไปยังเครือข่ายภายใน");
    case FetchFailure::Timeout:
      return verdict(Readiness::Unreachable, u,
                     "ลิงก์ " + u + " ไม่ตอบกลับภายในเวลาที่กำหนด ตรวจสอบว่าเว็บไซต์เปิดได้ตามปกติ");
    case FetchFailure::TooManyRedirects:
      return verdict(Readiness::Unreachable, u,
                     "ลิงก์ " + u + " ส่งต่อไปยังหน้าอื่นหลายทอดเกินไป ตรวจสอบว่าลิงก์ถูกต้อง");
    case FetchFailure::Truncated:
      return verdict(Readiness::Unreachable, u,
                     "ลิงก์ " + u + " ส่งข้อมูลมาไม่ครบ ตรวจสอบว่าเปิดหน้านี้ได้ครบถ้วน");
    case FetchFailure::TooLarge:
      return verdict(Readiness::TooLarge, u,
                     "ไฟล์ที่ลิงก์ " + u + " ใหญ่เกินกว่าที่ตรวจได้ ควรแยกเป็นไฟล์ย่อยหรือทำหน้าเว็บสรุปข้อมูลของข้อนี้");
    case FetchFailure::Unreachable:
    case FetchFailure::None:
      break;
  }
  return verdict(Readiness::Unreachable, u,
                 "เปิดลิงก์ " + u + " ไม่ได้ (ไม่พบเว็บไซต์หรือเชื่อมต่อไม่ได้) ตรวจสอบว่าลิงก์ถูกต้องและเว็บไซต์เปิดอยู่");
}

// One page's own verdict (LikelyFine when it passes every page check).
ItemReadiness page_verdict(const FetchedPage& p, const ReadinessRules& rules) {
  const std::string& u = p.url;
  const bool never_reached = p.status == 0 && p.final_url.empty() && p.text.empty();
  if (p.failure != FetchFailure::None || never_reached) return failed(p);
  if (p.status >= 400) {
    const std::string s = std::to_string(p.status);
    return verdict(
        Readiness::ErrorStatus, u,
        "ลิงก์ " + u + " ตอบกลับรหัส " + s + " (" + status_words(p.status) + ") ตรวจสอบว่าลิงก์ถูกต้อง");
  }
  const std::string& landed = p.final_url.empty() ? p.url : p.final_url;
  if (!rules.agency_domain.empty() && !on_domain(landed, rules.agency_domain)) {
    const std::string via = landed != u ? " (ส่งต่อไปยัง " + landed + ")" : "";
    return verdict(Readiness::OutsideDomain, u,
                   "หน้า " + u + via + " อยู่นอกเว็บไซต์ของหน่วยงาน (" + rules.agency_domain +
                       ") ควรนำหลักฐานไปไว้บนเว็บไซต์ของหน่วยงาน");
  }
  if (const std::size_t n = visible_characters(p.text); n < rules.min_characters) {
    if (p.pdf) {
      return verdict(Readiness::TooLittleContent, u,
                     "ไฟล์ PDF ที่ลิงก์ " + u + " มีข้อความที่อ่านได้เพียง " + std::to_string(n) +
                         " ตัวอักษร (อาจเป็นภาพสแกน) ควรใช้ไฟล์ที่มีข้อความหรือมีหน้าเว็บสรุปประกอบ");
    }
    return verdict(Readiness::TooLittleContent, u,
                   "หน้า " + u + " มีข้อความเพียง " + std::to_string(n) +
                       " ตัวอักษร น้อยเกินกว่าจะแสดงข้อมูลของข้อนี้ ตรวจสอบว่าลิงก์ชี้ไปยังหน้าที่มีข้อมูล");
  }
  return verdict(Readiness::LikelyFine, u, "");
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (w.empty()) continue;
    if (!out.empty()) out += " หรือ ";
    out += "\u201C" + w + "\u201D";
  }
  return out;
}

// The verdict of the checks over the text of all `pages`, which each passed its own.
ItemReadiness content_verdict(const std::vector<FetchedPage>& pages, const ReadinessRules& rules) {
  const std::string fy = std::to_string(rules.fiscal_year);
  const std::string first = pages.front().url;
  const std::string where = pages.size() == 1 ? "ในหน้า " + first
                                              : "ในหน้า " + first + " และอีก " +
                                                    std::to_string(pages.size() - 1) + " ลิงก์ของข้อนี้";
  YearSigns all;
  std::string before_url = first;
  for (const FetchedPage& p : pages) {
    const YearSigns s = fiscal_year_signs(p.text, rules.fiscal_year);
    all.in_fiscal_year = all.in_fiscal_year || s.in_fiscal_year;
    if (s.before_fiscal_year && s.latest_before > all.latest_before) before_url = p.url;
    all.before_fiscal_year = all.before_fiscal_year || s.before_fiscal_year;
    all.latest_before = std::max(all.latest_before, s.latest_before);
  }
  if (rules.fiscal_year > 0 && !all.in_fiscal_year) {
    if (all.before_fiscal_year) {
      return verdict(Readiness::BeforeFiscalYear, before_url,
                     "พบเฉพาะข้อมูลก่อนปีงบประมาณ " + fy + " (เช่น " +
                         std::to_string(all.latest_before) + ") ในหน้า " + before_url +
                         " ควรเผยแพร่ข้อมูลของปีงบประมาณ " + fy);
    }
    return verdict(Readiness::NoFiscalYear, first,
                   "ไม่พบปี พ.ศ. " + fy + " หรือวันที่ในปีงบประมาณ " + fy + " " + where +
                       " ควรระบุปีงบประมาณหรือวันที่ของข้อมูลให้ชัดเจน");
  }
  std::string text;
  for (const FetchedPage& p : pages) text += compact(p.text);
  const std::optional<std::string> found = keyword_in(text, rules.keywords);
  if (!rules.keywords.empty() && !found) {
    return verdict(Readiness::MissingKeywords, first,
                   "ไม่พบคำว่า " + quoted_list(rules.keywords) + " ในหลักฐาน (" + first +
                       ") ตรวจสอบว่าลิงก์ชี้ไปยังข้อมูลของข้อนี้");
  }
  const std::string year = rules.fiscal_year > 0 ? "พบข้อมูลปีงบประมาณ " + fy : "พบข้อมูล";
  if (found) {
    return verdict(Readiness::LikelyFine, first,
                   year + " และคำสำคัญของข้อ (" + *found + ") " + where);
  }
  return verdict(Readiness::LikelyFine, first, year + " " + where);
}

}  // namespace

ItemReadiness classify_item(const std::vector<FetchedPage>& pages, const ReadinessRules& rules) {
  if (pages.empty()) {
    return verdict(Readiness::NoEvidence, "",
                   "ยังไม่มีลิงก์หลักฐานของข้อนี้ ใส่ลิงก์หน้าเว็บไซต์ของหน่วยงานที่แสดงข้อมูล");
  }
  std::optional<ItemReadiness> worst;
  for (const FetchedPage& p : pages) {
    ItemReadiness v = page_verdict(p, rules);
    if (v.verdict != Readiness::LikelyFine && (!worst || v.verdict < worst->verdict)) {
      worst = std::move(v);
    }
  }
  if (worst) return *worst;
  return content_verdict(pages, rules);
}

}  // namespace ita
