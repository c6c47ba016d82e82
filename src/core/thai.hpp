#pragma once
// Thai presentation utilities: Thai digits, Buddhist Era years, Thai dates, the government
// fiscal year and locale-free number formatting. Pure functions; no I/O.
#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ita {

// ---- Digits -------------------------------------------------------------------------------

// Replaces ASCII '0'..'9' with Thai digits '๐'..'๙' (UTF-8); everything else is unchanged.
std::string to_thai_digits(std::string_view s);

// Replaces Thai digits '๐'..'๙' with ASCII '0'..'9'; everything else is unchanged.
std::string to_arabic_digits(std::string_view s);

// to_thai_digits(s) when `thai`, otherwise `s` unchanged.
std::string maybe_thai_digits(std::string_view s, bool thai);
// As maybe_thai_digits, but the http:// and https:// addresses in `s` (up to the next space)
// keep their digits: with a Thai digit they would be other addresses.
std::string maybe_thai_digits_except_urls(std::string_view s, bool thai);

// ---- Text ---------------------------------------------------------------------------------

// The offset of the first byte of `s` that is not well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or nullopt when all of `s` is.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

// ---- Buddhist Era -------------------------------------------------------------------------

inline constexpr int kBuddhistEraOffset = 543;

constexpr int be_from_ce(int ce_year) {
  return ce_year + kBuddhistEraOffset;
}
constexpr int ce_from_be(int be_year) {
  return be_year - kBuddhistEraOffset;
}

// ---- Dates --------------------------------------------------------------------------------

// "มกราคม".."ธันวาคม" for 1..12; empty for any other value.
std::string_view thai_month_name(unsigned month);

// "ม.ค.".."ธ.ค." for 1..12; empty for any other value.
std::string_view thai_month_abbrev(unsigned month);

enum class ThaiDateStyle { Long, Short };

// Long: "1 ตุลาคม 2566"; Short: "1 ต.ค. 66" (two-digit BE year). Precondition: d.ok().
std::string format_thai_date(std::chrono::year_month_day d,
                             ThaiDateStyle style = ThaiDateStyle::Long, bool thai_digits = false);

// The day in Thailand (UTC+7, no daylight saving time) of a moment (seconds since 1970 UTC).
std::chrono::year_month_day thai_day_of(std::int64_t unix_seconds);

// A moment (seconds since 1970 UTC) as people in Thailand read it: the day and time in Thailand
// (UTC+7), "3 ธ.ค. 2569 14:05 น." (abbreviated month, full BE year).
std::string format_thai_datetime(std::int64_t unix_seconds, bool thai_digits = false);

// Strict "YYYY-MM-DD" (CE): exactly 10 characters, ASCII digits, and a real calendar date.
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view s);

// "YYYY-MM-DD" (CE). Precondition: d.ok() and the year is in 0..9999.
std::string format_iso_date(std::chrono::year_month_day d);

// A date as Thai people type it: "D/M/YYYY" with a Buddhist Era year ("31/1/2570",
// "31/01/2570", Thai digits allowed, spaces around the parts ignored), a real calendar date.
std::optional<std::chrono::year_month_day> parse_be_date(std::string_view s);

// "DD/MM/YYYY" with the Buddhist Era year ("31/01/2570"), as parse_be_date reads it back.
// Precondition: d.ok() and the BE year is in 1000..9999.
std::string format_be_date(std::chrono::year_month_day d);

// ---- Fiscal year --------------------------------------------------------------------------

// The Thai government fiscal year: 1 October - 30 September, named by the BE year in which it
// ends (FY2567 = 1 Oct 2023 - 30 Sep 2024).
struct FiscalYear {
  int be = 0;

  std::chrono::year_month_day first_day() const;  // 1 October of the previous CE year
  std::chrono::year_month_day last_day() const;   // 30 September
  bool contains(std::chrono::year_month_day d) const;
  // 1 for October ... 12 for September. Precondition: contains(d).
  int month_index(std::chrono::year_month_day d) const;
  FiscalYear next() const { return FiscalYear{be + 1}; }
  FiscalYear previous() const { return FiscalYear{be - 1}; }

  auto operator<=>(const FiscalYear&) const = default;
};

FiscalYear fiscal_year_of(std::chrono::year_month_day d);

// 31 March of the fiscal year: the end of the first half (October - March).
std::chrono::year_month_day fiscal_half_end(FiscalYear fy);

// "ปีงบประมาณ พ.ศ. 2567".
std::string fiscal_year_label(FiscalYear fy, bool thai_digits = false);

// ---- Numbers ------------------------------------------------------------------------------

// Fixed `decimals` (clamped to 0..9), rounded half up (towards +infinity, as round2 does) after
// snapping to 9 decimals, so a written half such as 84.995 gives "85.00". Optional ","
// thousands grouping ("1,234,567.89"). Negatives: "-3.50"; a result of zero has no sign.
// Locale-independent. Non-finite values give "nan", "inf" or "-inf".
std::string format_number(double value, int decimals, bool thai_digits = false,
                          bool group_thousands = false);

}  // namespace ita
