#include "core/thai.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace ita {
namespace {

namespace chr = std::chrono;

constexpr chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year{y} / chr::month{m} / chr::day{d};
}

// ---- Digits -------------------------------------------------------------------------------

TEST(ThaiDigits, ConvertsAllAsciiDigits) {
  EXPECT_EQ(to_thai_digits("0123456789"), "๐๑๒๓๔๕๖๗๘๙");
  EXPECT_EQ(to_arabic_digits("๐๑๒๓๔๕๖๗๘๙"), "0123456789");
}

TEST(ThaiDigits, LeavesOtherTextUnchanged) {
  EXPECT_EQ(to_thai_digits("ร้อยละ 91.47"), "ร้อยละ ๙๑.๔๗");
  EXPECT_EQ(to_arabic_digits("ร้อยละ ๙๑.๔๗"), "ร้อยละ 91.47");
  EXPECT_EQ(to_thai_digits("ITA score: -3.50%"), "ITA score: -๓.๕๐%");
  EXPECT_EQ(to_thai_digits(""), "");
  EXPECT_EQ(to_arabic_digits(""), "");
  EXPECT_EQ(to_thai_digits("ไม่มีตัวเลข"), "ไม่มีตัวเลข");
}

TEST(ThaiDigits, ArabicConversionHandlesMixedAndTruncatedInput) {
  EXPECT_EQ(to_arabic_digits("FY๒๕๖7"), "FY2567");
  // U+0E4F (๏) and U+0E5A (๚) share the lead bytes but are not digits.
  EXPECT_EQ(to_arabic_digits("๏๚"), "๏๚");
  EXPECT_EQ(to_arabic_digits("\xE0\xB9"), "\xE0\xB9");
}

TEST(ThaiDigits, RoundTrip) {
  const std::string text = "ปีงบประมาณ พ.ศ. 2567 ได้ 84.99 คะแนน (ข้อ 1-30)";
  EXPECT_EQ(to_arabic_digits(to_thai_digits(text)), text);
  EXPECT_EQ(to_thai_digits(to_arabic_digits("๑๒ ต.ค. ๖๖")), "๑๒ ต.ค. ๖๖");
}

TEST(ThaiDigits, MaybeThaiDigits) {
  EXPECT_EQ(maybe_thai_digits("91.47", true), "๙๑.๔๗");
  EXPECT_EQ(maybe_thai_digits("91.47", false), "91.47");
}

TEST(ThaiDigits, AddressesInATextKeepTheirDigits) {
  EXPECT_EQ(maybe_thai_digits_except_urls(
                "ลิงก์ https://a.go.th:8443/o1 ตอบกลับรหัส 404 และ http://10.0.0.1/x2", true),
            "ลิงก์ https://a.go.th:8443/o1 ตอบกลับรหัส ๔๐๔ และ http://10.0.0.1/x2");
  EXPECT_EQ(maybe_thai_digits_except_urls("ปี 2567 https://x/2567", true), "ปี ๒๕๖๗ https://x/2567");
  EXPECT_EQ(maybe_thai_digits_except_urls("https://x/1", false), "https://x/1");
  EXPECT_EQ(maybe_thai_digits_except_urls("ข้อ 12", true), "ข้อ ๑๒");
}

// ---- Buddhist Era -------------------------------------------------------------------------

TEST(BuddhistEra, ConvertsBothWays) {
  static_assert(be_from_ce(2023) == 2566);
  static_assert(ce_from_be(2567) == 2024);
  EXPECT_EQ(be_from_ce(2024), 2567);
  EXPECT_EQ(ce_from_be(2566), 2023);
  EXPECT_EQ(ce_from_be(be_from_ce(1999)), 1999);
}

// ---- Dates --------------------------------------------------------------------------------

TEST(ThaiMonths, NamesAndAbbreviations) {
  EXPECT_EQ(thai_month_name(1), "มกราคม");
  EXPECT_EQ(thai_month_name(10), "ตุลาคม");
  EXPECT_EQ(thai_month_name(12), "ธันวาคม");
  EXPECT_EQ(thai_month_abbrev(1), "ม.ค.");
  EXPECT_EQ(thai_month_abbrev(4), "เม.ย.");
  EXPECT_EQ(thai_month_abbrev(10), "ต.ค.");
  EXPECT_EQ(thai_month_abbrev(12), "ธ.ค.");
  EXPECT_EQ(thai_month_name(0), "");
  EXPECT_EQ(thai_month_abbrev(13), "");
}

TEST(ThaiDate, LongStyle) {
  EXPECT_EQ(format_thai_date(ymd(2023, 10, 1)), "1 ตุลาคม 2566");
  EXPECT_EQ(format_thai_date(ymd(2024, 3, 31), ThaiDateStyle::Long), "31 มีนาคม 2567");
}

TEST(ThaiDate, ShortStyle) {
  EXPECT_EQ(format_thai_date(ymd(2023, 10, 1), ThaiDateStyle::Short), "1 ต.ค. 66");
  EXPECT_EQ(format_thai_date(ymd(2024, 2, 29), ThaiDateStyle::Short), "29 ก.พ. 67");
  // BE 2600 (CE 2057): the two-digit year keeps its leading zero.
  EXPECT_EQ(format_thai_date(ymd(2057, 5, 9), ThaiDateStyle::Short), "9 พ.ค. 00");
}

TEST(ThaiDate, AMomentReadsInThailandsTimeWithTheBuddhistEra) {
  // 2026-12-03 17:05:09 UTC is 4 December 2569, 00:05 in Thailand.
  EXPECT_EQ(format_thai_datetime(1796317509), "4 ธ.ค. 2569 00:05 น.");
  EXPECT_EQ(format_thai_datetime(0), "1 ม.ค. 2513 07:00 น.");
  EXPECT_EQ(format_thai_datetime(1796317509, true), "๔ ธ.ค. ๒๕๖๙ ๐๐:๐๕ น.");
}

TEST(ThaiDate, ThaiDigits) {
  EXPECT_EQ(format_thai_date(ymd(2023, 10, 1), ThaiDateStyle::Long, true), "๑ ตุลาคม ๒๕๖๖");
  EXPECT_EQ(format_thai_date(ymd(2023, 10, 1), ThaiDateStyle::Short, true), "๑ ต.ค. ๖๖");
}

TEST(IsoDate, ParsesValidDates) {
  EXPECT_EQ(parse_iso_date("2023-10-01"), ymd(2023, 10, 1));
  EXPECT_EQ(parse_iso_date("2024-02-29"), ymd(2024, 2, 29));
  EXPECT_EQ(parse_iso_date("2024-12-31"), ymd(2024, 12, 31));
}

TEST(IsoDate, RejectsInvalidDates) {
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_FALSE(parse_iso_date("2023-02-30"));
  EXPECT_FALSE(parse_iso_date("2024-13-01"));
  EXPECT_FALSE(parse_iso_date("2024-00-10"));
  EXPECT_FALSE(parse_iso_date("2024-01-00"));
  EXPECT_FALSE(parse_iso_date("2024-1-01"));
  EXPECT_FALSE(parse_iso_date("2024-01-1"));
  EXPECT_FALSE(parse_iso_date("abcd-ef-gh"));
  EXPECT_FALSE(parse_iso_date(""));
  EXPECT_FALSE(parse_iso_date("2024/01/01"));
  EXPECT_FALSE(parse_iso_date("2024-01-01 "));
  EXPECT_FALSE(parse_iso_date("+024-01-01"));
  EXPECT_FALSE(parse_iso_date("2024-+1-01"));
  EXPECT_FALSE(parse_iso_date("๒๐๒๔-01-01"));
}

TEST(IsoDate, FormatsAndRoundTrips) {
  EXPECT_EQ(format_iso_date(ymd(2024, 3, 1)), "2024-03-01");
  EXPECT_EQ(format_iso_date(ymd(999, 12, 31)), "0999-12-31");
  const auto parsed = parse_iso_date("2023-09-30");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_iso_date(*parsed), "2023-09-30");
}

// ---- Fiscal year --------------------------------------------------------------------------

TEST(FiscalYear, OfDateAcrossTheBoundary) {
  EXPECT_EQ(fiscal_year_of(ymd(2024, 9, 30)), FiscalYear{2567});
  EXPECT_EQ(fiscal_year_of(ymd(2024, 10, 1)), FiscalYear{2568});
  EXPECT_EQ(fiscal_year_of(ymd(2023, 10, 1)), FiscalYear{2567});
  EXPECT_EQ(fiscal_year_of(ymd(2023, 9, 30)), FiscalYear{2566});
  EXPECT_EQ(fiscal_year_of(ymd(2024, 1, 1)), FiscalYear{2567});
  EXPECT_EQ(fiscal_year_of(ymd(2023, 12, 31)), FiscalYear{2567});
}

TEST(FiscalYear, FirstAndLastDay) {
  const FiscalYear fy{2567};
  EXPECT_EQ(fy.first_day(), ymd(2023, 10, 1));
  EXPECT_EQ(fy.last_day(), ymd(2024, 9, 30));
  EXPECT_EQ(fiscal_year_of(fy.first_day()), fy);
  EXPECT_EQ(fiscal_year_of(fy.last_day()), fy);
}

TEST(FiscalYear, MonthIndex) {
  const FiscalYear fy{2567};
  EXPECT_EQ(fy.month_index(ymd(2023, 10, 1)), 1);
  EXPECT_EQ(fy.month_index(ymd(2023, 11, 15)), 2);
  EXPECT_EQ(fy.month_index(ymd(2023, 12, 31)), 3);
  EXPECT_EQ(fy.month_index(ymd(2024, 1, 1)), 4);
  EXPECT_EQ(fy.month_index(ymd(2024, 3, 31)), 6);
  EXPECT_EQ(fy.month_index(ymd(2024, 9, 30)), 12);
}

TEST(FiscalYear, NextPreviousAndOrdering) {
  const FiscalYear fy{2567};
  EXPECT_EQ(fy.next(), FiscalYear{2568});
  EXPECT_EQ(fy.previous(), FiscalYear{2566});
  EXPECT_EQ(fy.next().previous(), fy);
  EXPECT_LT(fy, fy.next());
  EXPECT_GT(fy, fy.previous());
  // Consecutive fiscal years tile the calendar without gaps.
  EXPECT_EQ(chr::sys_days{fy.last_day()} + chr::days{1}, chr::sys_days{fy.next().first_day()});
}

TEST(FiscalYear, Contains) {
  const FiscalYear fy{2567};
  EXPECT_TRUE(fy.contains(ymd(2023, 10, 1)));
  EXPECT_TRUE(fy.contains(ymd(2024, 2, 29)));
  EXPECT_TRUE(fy.contains(ymd(2024, 9, 30)));
  EXPECT_FALSE(fy.contains(ymd(2023, 9, 30)));
  EXPECT_FALSE(fy.contains(ymd(2024, 10, 1)));
  EXPECT_FALSE(fy.next().contains(ymd(2024, 9, 30)));
  EXPECT_TRUE(fy.next().contains(ymd(2024, 10, 1)));
}

TEST(FiscalYear, HalfEnd) {
  EXPECT_EQ(fiscal_half_end(FiscalYear{2567}), ymd(2024, 3, 31));
  EXPECT_EQ(fiscal_half_end(FiscalYear{2568}), ymd(2025, 3, 31));
  EXPECT_TRUE(FiscalYear{2567}.contains(fiscal_half_end(FiscalYear{2567})));
}

TEST(FiscalYear, Label) {
  EXPECT_EQ(fiscal_year_label(FiscalYear{2567}), "ปีงบประมาณ พ.ศ. 2567");
  EXPECT_EQ(fiscal_year_label(FiscalYear{2567}, true), "ปีงบประมาณ พ.ศ. ๒๕๖๗");
}

// ---- Numbers ------------------------------------------------------------------------------

TEST(FormatNumber, FixedDecimals) {
  EXPECT_EQ(format_number(0, 2), "0.00");
  EXPECT_EQ(format_number(100, 2), "100.00");
  EXPECT_EQ(format_number(91.4654, 2), "91.47");
  EXPECT_EQ(format_number(0.5, 1), "0.5");
  EXPECT_EQ(format_number(1.0 / 3.0, 4), "0.3333");
}

TEST(FormatNumber, HalfUpAfterSnapping) {
  EXPECT_EQ(format_number(84.995, 2), "85.00");
  EXPECT_EQ(format_number(84.9949, 2), "84.99");
  EXPECT_EQ(format_number(0.125, 2), "0.13");
  EXPECT_EQ(format_number(1.005, 2), "1.01");  // 1.00499999999999989... in binary
  EXPECT_EQ(format_number(99.999, 2), "100.00");
  EXPECT_EQ(format_number(999.9999999999, 2), "1000.00");
}

TEST(FormatNumber, DecimalsZero) {
  EXPECT_EQ(format_number(84.5, 0), "85");
  EXPECT_EQ(format_number(84.49, 0), "84");
  EXPECT_EQ(format_number(0, 0), "0");
  EXPECT_EQ(format_number(1234567.5, 0, false, true), "1,234,568");
}

TEST(FormatNumber, DecimalsAreClamped) {
  EXPECT_EQ(format_number(1.5, -3), "2");
  EXPECT_EQ(format_number(0.25, 20), "0.250000000");
}

TEST(FormatNumber, GroupsThousands) {
  EXPECT_EQ(format_number(1234567.891, 2, false, true), "1,234,567.89");
  EXPECT_EQ(format_number(1234567.891, 2, false, false), "1234567.89");
  EXPECT_EQ(format_number(999.999, 2, false, true), "1,000.00");
  EXPECT_EQ(format_number(123456, 0, false, true), "123,456");
  EXPECT_EQ(format_number(12, 1, false, true), "12.0");
  EXPECT_EQ(format_number(-1234.5, 2, false, true), "-1,234.50");
}

TEST(FormatNumber, ThaiDigits) {
  EXPECT_EQ(format_number(91.4654, 2, true), "๙๑.๔๗");
  EXPECT_EQ(format_number(1234567.891, 2, true, true), "๑,๒๓๔,๕๖๗.๘๙");
}

TEST(FormatNumber, Negative) {
  EXPECT_EQ(format_number(-3.5, 2), "-3.50");
  EXPECT_EQ(format_number(-3.456, 2), "-3.46");
  EXPECT_EQ(format_number(-3.494, 2), "-3.49");
  // Half up is towards +infinity (as round2): an exact negative half rounds towards zero.
  EXPECT_EQ(format_number(-3.495, 2), "-3.49");
  EXPECT_EQ(format_number(-84.995, 2), "-84.99");
}

TEST(FormatNumber, ZeroHasNoSign) {
  EXPECT_EQ(format_number(-0.0, 2), "0.00");
  EXPECT_EQ(format_number(-0.001, 2), "0.00");
  EXPECT_EQ(format_number(-0.005, 2), "0.00");
  EXPECT_EQ(format_number(-0.4, 0), "0");
}

TEST(FormatNumber, ExtremeValues) {
  EXPECT_EQ(format_number(1e15, 0, false, true), "1,000,000,000,000,000");
  EXPECT_EQ(format_number(std::numeric_limits<double>::max(), 2).size(), 309u + 3u);
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN(), 2), "nan");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity(), 2), "inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity(), 2), "-inf");
}

}  // namespace
}  // namespace ita

namespace ita {
namespace {

TEST(BuddhistEraDate, ParsesDayMonthAndABuddhistEraYear) {
  EXPECT_EQ(parse_be_date("31/01/2570"), ymd(2027, 1, 31));
  EXPECT_EQ(parse_be_date("1/10/2566"), ymd(2023, 10, 1));
  EXPECT_EQ(parse_be_date(" 29 / 2 / 2567 "), ymd(2024, 2, 29));
  EXPECT_EQ(parse_be_date("๓๑/๑๒/๒๕๖๙"), ymd(2026, 12, 31));
}

TEST(BuddhistEraDate, RejectsWhatIsNotADayMonthAndFourDigitYear) {
  for (const char* bad :
       {"29/2/2566", "31/4/2567", "0/1/2567", "1/13/2567", "1/1/67", "1/1/", "/1/2567", "1-1-2567",
        "2567-01-01", "1/1/2567/1", "001/1/2567", "1/1/25670", "", "x/y/zzzz"}) {
    EXPECT_FALSE(parse_be_date(bad)) << bad;
  }
}

TEST(BuddhistEraDate, FormatsAsTwoDigitDayAndMonthAndReadsBack) {
  EXPECT_EQ(format_be_date(ymd(2027, 1, 31)), "31/01/2570");
  EXPECT_EQ(format_be_date(ymd(2023, 10, 1)), "01/10/2566");
  EXPECT_EQ(parse_be_date(format_be_date(ymd(2024, 2, 29))), ymd(2024, 2, 29));
}

TEST(Utf8, WellFormedTextHasNoInvalidByte) {
  EXPECT_EQ(first_invalid_utf8(""), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("tool,respondent,item,answer"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("น้ำ ๑๒ \u200b \U0010FFFF \u00e9"), std::nullopt);
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2U);
  EXPECT_EQ(first_invalid_utf8("\xe0\xb8"), 0U);                  // truncated ก
  EXPECT_EQ(first_invalid_utf8("x\xc0\xaf"), 1U);                 // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xe0\x80\xaf"), 0U);              // overlong, three bytes
  EXPECT_EQ(first_invalid_utf8("ok\xed\xa0\x80"), 2U);            // a surrogate (U+D800)
  EXPECT_EQ(first_invalid_utf8("\xf4\x90\x80\x80"), 0U);          // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ก\x80"), 3U);                     // a lone continuation byte
  EXPECT_EQ(first_invalid_utf8("\xef\xbb\xbfok"), std::nullopt);  // the BOM is a character
}

}  // namespace
}  // namespace ita
