#include "service/calendar.hpp"

#include <cstdio>

#include "core/thai.hpp"

namespace ita::service {

std::chrono::year_month_day thai_today() {
  return thai_day_of(unix_now());
}

std::string today_in_thailand() {
  const auto day = thai_today();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return buf;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ita::service
