#include "core/rounding.hpp"

#include <cmath>
#include <cstdlib>

namespace ita {

Rounded round2(double x) {
  const double snapped = std::round(x * 1e9);           // integer count of 1e-9
  const double hundredths = std::floor(snapped / 1e7 + 0.5);  // half up in that exact grid
  return Rounded{static_cast<std::int64_t>(hundredths)};
}

Rounded to_hundredths(double t) { return round2(t); }

std::string format2(Rounded r) {
  const bool negative = r.hundredths < 0;
  const std::int64_t a = std::llabs(r.hundredths);
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

double lowest_raw_rounding_to(Rounded r) { return (static_cast<double>(r.hundredths) - 0.5) / 100.0; }

}  // namespace ita
