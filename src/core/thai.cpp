#include "core/thai.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace ita {

namespace {

namespace chr = std::chrono;

// Thai digits are U+0E50..U+0E59: UTF-8 E0 B9 90..99.
constexpr unsigned char kThaiLead0 = 0xE0;
constexpr unsigned char kThaiLead1 = 0xB9;
constexpr unsigned char kThaiZero = 0x90;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "มกราคม",  "กุมภาพันธ์", "มีนาคม",  "เมษายน", "พฤษภาคม",  "มิถุนายน",
    "กรกฎาคม", "สิงหาคม",  "กันยายน", "ตุลาคม",  "พฤศจิกายน", "ธันวาคม"};

constexpr std::array<std::string_view, 12> kMonthAbbrevs = {"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.",
                                                            "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.",
                                                            "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."};

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// The ASCII digit a Thai digit starts at s[i] encodes, if any.
std::optional<char> thai_digit_at(std::string_view s, std::size_t i) {
  if (i + 3 > s.size()) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(s[i]);
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  const auto b2 = static_cast<unsigned char>(s[i + 2]);
  if (b0 != kThaiLead0 || b1 != kThaiLead1 || b2 < kThaiZero || b2 > kThaiZero + 9) {
    return std::nullopt;
  }
  return static_cast<char>('0' + (b2 - kThaiZero));
}

std::string zero_padded(int value, std::size_t width) {
  std::string s = std::to_string(value);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// Parses a non-empty run of ASCII digits.
std::optional<int> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int value = 0;
  for (const char c : s) {
    if (!is_ascii_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// ---- format_number helpers ----

constexpr int kSnapDecimals = 9;

// All digits of |x| written with exactly 9 decimals, without the point: 84.995 -> "84995000000".
std::string snapped_digits(double magnitude) {
  std::array<char, 512> buf{};  // DBL_MAX has 309 integer digits
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), magnitude,
                                    std::chars_format::fixed, kSnapDecimals);
  std::string digits(buf.data(), result.ptr);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  return digits;
}

// Whether dropping `tail` rounds the magnitude up. Half up means towards +infinity, so an exact
// half rounds a positive magnitude up and a negative one down.
bool rounds_up(std::string_view tail, bool negative) {
  if (tail.empty() || tail.front() < '5') return false;
  if (tail.front() > '5' || !negative) return true;
  return tail.find_first_not_of('0', 1) != std::string_view::npos;
}

// Adds one unit in the last place of a string of decimal digits.
void increment_digits(std::string& digits) {
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it != '9') {
      ++*it;
      return;
    }
    *it = '0';
  }
  digits.insert(digits.begin(), '1');
}

std::string group_thousands_of(std::string_view int_digits) {
  std::string out;
  for (std::size_t i = 0; i < int_digits.size(); ++i) {
    if (i > 0 && (int_digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(int_digits[i]);
  }
  return out;
}

std::string non_finite_text(double value) {
  if (std::isnan(value)) return "nan";
  return value < 0 ? "-inf" : "inf";
}

}  // namespace

// ---- Digits -------------------------------------------------------------------------------

std::string to_thai_digits(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (const char c : s) {
    if (!is_ascii_digit(c)) {
      out.push_back(c);
      continue;
    }
    out.push_back(static_cast<char>(kThaiLead0));
    out.push_back(static_cast<char>(kThaiLead1));
    out.push_back(static_cast<char>(kThaiZero + (c - '0')));
  }
  return out;
}

std::string to_arabic_digits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (const auto digit = thai_digit_at(s, i)) {
      out.push_back(*digit);
      i += 3;
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

std::string maybe_thai_digits(std::string_view s, bool thai) {
  return thai ? to_thai_digits(s) : std::string(s);
}

std::string maybe_thai_digits_except_urls(std::string_view s, bool thai) {
  if (!thai) return std::string(s);
  std::string out;
  while (!s.empty()) {
    const std::size_t url = std::min(s.find("http://"), s.find("https://"));
    out += to_thai_digits(s.substr(0, url));
    if (url == std::string_view::npos) break;
    const std::size_t end = std::min(s.find(' ', url), s.size());
    out += s.substr(url, end - url);
    s.remove_prefix(end);
  }
  return out;
}

// ---- Dates --------------------------------------------------------------------------------

std::string_view thai_month_name(unsigned month) {
  return month >= 1 && month <= 12 ? kMonthNames[month - 1] : std::string_view{};
}

std::string_view thai_month_abbrev(unsigned month) {
  return month >= 1 && month <= 12 ? kMonthAbbrevs[month - 1] : std::string_view{};
}

std::string format_thai_date(chr::year_month_day d, ThaiDateStyle style, bool thai_digits) {
  const unsigned month = static_cast<unsigned>(d.month());
  const int be = be_from_ce(static_cast<int>(d.year()));
  std::string out = std::to_string(static_cast<unsigned>(d.day())) + " ";
  if (style == ThaiDateStyle::Long) {
    out += std::string(thai_month_name(month)) + " " + std::to_string(be);
  } else {
    out += std::string(thai_month_abbrev(month)) + " " + zero_padded((be % 100 + 100) % 100, 2);
  }
  return maybe_thai_digits(out, thai_digits);
}

namespace {
constexpr std::int64_t kThailand = 7 * 3600;  // UTC+7, no daylight saving time
}  // namespace

chr::year_month_day thai_day_of(std::int64_t unix_seconds) {
  return chr::year_month_day{
      chr::floor<chr::days>(chr::sys_seconds{chr::seconds{unix_seconds + kThailand}})};
}

std::string format_thai_datetime(std::int64_t unix_seconds, bool thai_digits) {
  const chr::sys_seconds t{chr::seconds{unix_seconds + kThailand}};
  const auto day = chr::floor<chr::days>(t);
  const chr::year_month_day d{day};
  const chr::hh_mm_ss<chr::seconds> time{t - day};
  const std::string out = std::to_string(static_cast<unsigned>(d.day())) + " " +
                          std::string(thai_month_abbrev(static_cast<unsigned>(d.month()))) + " " +
                          std::to_string(be_from_ce(static_cast<int>(d.year()))) + " " +
                          zero_padded(static_cast<int>(time.hours().count()), 2) + ":" +
                          zero_padded(static_cast<int>(time.minutes().count()), 2) + " น.";
  return maybe_thai_digits(out, thai_digits);
}

std::optional<chr::year_month_day> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = parse_digits(s.substr(0, 4));
  const auto m = parse_digits(s.substr(5, 2));
  const auto d = parse_digits(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  const chr::year_month_day ymd{chr::year{*y}, chr::month{static_cast<unsigned>(*m)},
                                chr::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string format_iso_date(chr::year_month_day d) {
  return zero_padded(static_cast<int>(d.year()), 4) + "-" +
         zero_padded(static_cast<int>(static_cast<unsigned>(d.month())), 2) + "-" +
         zero_padded(static_cast<int>(static_cast<unsigned>(d.day())), 2);
}

std::optional<chr::year_month_day> parse_be_date(std::string_view s) {
  const std::string ascii = to_arabic_digits(s);
  std::optional<int> parts[3];
  std::string_view rest = ascii;
  for (int i = 0; i < 3; ++i) {
    const std::size_t slash = i < 2 ? rest.find('/') : rest.size();
    if (slash == std::string_view::npos) return std::nullopt;
    std::string_view part = rest.substr(0, slash);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.size() > (i < 2 ? 2U : 4U)) return std::nullopt;
    parts[i] = parse_digits(part);
    if (!parts[i]) return std::nullopt;
    rest.remove_prefix(i < 2 ? slash + 1 : slash);
  }
  if (*parts[2] < 1000) return std::nullopt;  // a BE year has four digits; "31/1/70" is ambiguous
  const chr::year_month_day ymd{chr::year{ce_from_be(*parts[2])},
                                chr::month{static_cast<unsigned>(*parts[1])},
                                chr::day{static_cast<unsigned>(*parts[0])}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string format_be_date(chr::year_month_day d) {
  return zero_padded(static_cast<int>(static_cast<unsigned>(d.day())), 2) + "/" +
         zero_padded(static_cast<int>(static_cast<unsigned>(d.month())), 2) + "/" +
         std::to_string(be_from_ce(static_cast<int>(d.year())));
}

// ---- Fiscal year --------------------------------------------------------------------------

chr::year_month_day FiscalYear::first_day() const {
  return chr::year{ce_from_be(be) - 1} / chr::October / 1;
}

chr::year_month_day FiscalYear::last_day() const {
  return chr::year{ce_from_be(be)} / chr::September / 30;
}

bool FiscalYear::contains(chr::year_month_day d) const {
  return first_day() <= d && d <= last_day();
}

int FiscalYear::month_index(chr::year_month_day d) const {
  const unsigned month = static_cast<unsigned>(d.month());  // October (10) -> 1
  return static_cast<int>((month + 2) % 12) + 1;
}

FiscalYear fiscal_year_of(chr::year_month_day d) {
  const int ce = static_cast<int>(d.year());
  return FiscalYear{be_from_ce(d.month() >= chr::October ? ce + 1 : ce)};
}

chr::year_month_day fiscal_half_end(FiscalYear fy) {
  return chr::year{ce_from_be(fy.be)} / chr::March / 31;
}

std::string fiscal_year_label(FiscalYear fy, bool thai_digits) {
  return "ปีงบประมาณ พ.ศ. " + maybe_thai_digits(std::to_string(fy.be), thai_digits);
}

// ---- Numbers ------------------------------------------------------------------------------

std::string format_number(double value, int decimals, bool thai_digits, bool group_thousands) {
  if (!std::isfinite(value)) return non_finite_text(value);
  decimals = std::clamp(decimals, 0, kSnapDecimals);
  const bool negative = value < 0;
  std::string digits = snapped_digits(std::fabs(value));
  const std::size_t keep = digits.size() - static_cast<std::size_t>(kSnapDecimals - decimals);
  const bool up = rounds_up(std::string_view(digits).substr(keep), negative);
  digits.resize(keep);
  if (up) increment_digits(digits);

  const std::size_t int_len = digits.size() - static_cast<std::size_t>(decimals);
  const std::string_view int_part = std::string_view(digits).substr(0, int_len);
  const bool is_zero = digits.find_first_not_of('0') == std::string::npos;
  std::string out = negative && !is_zero ? "-" : "";
  out += group_thousands ? group_thousands_of(int_part) : std::string(int_part);
  if (decimals > 0) out += "." + digits.substr(int_len);
  return maybe_thai_digits(out, thai_digits);
}

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace ita
