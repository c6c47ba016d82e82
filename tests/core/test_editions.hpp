#pragma once
// The built-in editions for tests.
#include "io/edition_registry.hpp"

namespace ita::testing {

inline const Edition& edition(const char* id) {
  static const io::EditionSet set = io::EditionSet::builtin();
  return set.get(id);
}

inline std::map<int, double> seed_indicators() {
  return {{1, 95.01}, {2, 84.45}, {3, 88.62}, {4, 83.07}, {5, 86.04},
          {6, 85.07}, {7, 84.54}, {8, 82.73}, {9, 100},   {10, 100}};
}

}  // namespace ita::testing
