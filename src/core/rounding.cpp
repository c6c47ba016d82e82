#include "core/rounding.hpp"

#include <cmath>
#include <cstdlib>

namespace ita {

Rounded round2(double x) {
  const double snapped = std::round(x * 1e9);                 // integer count of 1e-9
  const double hundredths = std::floor(snapped / 1e7 + 0.5);  // half up in that exact grid
  return Rounded{static_cast<std::int64_t>(hundredths)};
}

Rounded to_hundredths(double t) {
  return round2(t);
}

std::string format2(Rounded r) {
  const std::int64_t a = std::llabs(r.hundredths);
  const auto cents = a % 100;
  std::string out = r.hundredths < 0 ? "-" : "";
  out += std::to_string(a / 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

double lowest_raw_rounding_to(Rounded r) {
  return (static_cast<double>(r.hundredths) - 0.5) / 100.0;
}

}  // namespace ita
