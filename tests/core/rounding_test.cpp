#include "core/rounding.hpp"

#include <gtest/gtest.h>

namespace ita {
namespace {

TEST(Rounding, HalfUpAtTheSecondDecimal) {
  EXPECT_EQ(round2(91.4654).hundredths, 9147);
  EXPECT_EQ(round2(84.995).hundredths, 8500);  // a written half rounds up despite binary error
  EXPECT_EQ(round2(84.9949).hundredths, 8499);
  EXPECT_EQ(round2(84.994999999).hundredths, 8499);
  EXPECT_EQ(round2(100.0).hundredths, 10000);
  EXPECT_EQ(round2(0.0).hundredths, 0);
  EXPECT_EQ(round2(0.005).hundredths, 1);
  EXPECT_EQ(round2(1.005).hundredths, 101);
  EXPECT_EQ(round2(69.995).hundredths, 7000);
  EXPECT_EQ(round2(94.995).hundredths, 9500);
}

TEST(Rounding, Formats) {
  EXPECT_EQ(format2(round2(91.4654)), "91.47");
  EXPECT_EQ(format2(round2(100)), "100.00");
  EXPECT_EQ(format2(round2(5.1)), "5.10");
  EXPECT_EQ(format2(round2(0.04)), "0.04");
  EXPECT_EQ(format2(Rounded{-350}), "-3.50");
}

TEST(Rounding, LowestRawRoundingTo) {
  const Rounded r{8500};
  EXPECT_DOUBLE_EQ(lowest_raw_rounding_to(r), 84.995);
  EXPECT_EQ(round2(lowest_raw_rounding_to(r)), r);
  EXPECT_LT(round2(lowest_raw_rounding_to(r) - 1e-6), r);
}

}  // namespace
}  // namespace ita
