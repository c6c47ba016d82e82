#pragma once
// "Today" as the application sees it: the calendar day in Thailand (UTC+7), whatever the
// server's time zone. A response is stored with this day only (no time of day), and the measures
// tracker's deadlines are days in Thailand.
#include <chrono>
#include <cstdint>
#include <string>

namespace ita::service {

// Today in Thailand as "YYYY-MM-DD" (Common Era). Reads the system clock.
std::string today_in_thailand();
// Today in Thailand as a date. Reads the system clock.
std::chrono::year_month_day thai_today();
// Now as unix seconds (administrative records: sessions, checks). Reads the system clock.
std::int64_t unix_now();

}  // namespace ita::service
