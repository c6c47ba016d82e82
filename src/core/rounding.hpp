#pragma once
// The display/grading rounding rule: half up to 2 decimals (see docs/editions.md).
#include <compare>
#include <cstdint>
#include <string>

namespace ita {

// A score rounded to hundredths, held exactly as an integer so comparisons are exact.
struct Rounded {
  std::int64_t hundredths = 0;

  double value() const { return static_cast<double>(hundredths) / 100.0; }
  auto operator<=>(const Rounded&) const = default;
};

// Rounds half up at the second decimal. The value is first snapped to 9 decimals so that
// binary representation error cannot turn a written half (84.995) into 84.99.
Rounded round2(double x);

// The threshold `t` (e.g. 85 or 84.99) as hundredths, for comparing against Rounded values.
Rounded to_hundredths(double t);

// "91.47", "100.00", "-3.50".
std::string format2(Rounded r);

// The smallest raw value that rounds to at least `r` (e.g. 84.995 for 85.00).
double lowest_raw_rounding_to(Rounded r);

}  // namespace ita
