#pragma once
// The tracker tests' fixture: ServiceTest with a service::Tracker that reads and writes plans in
// the format of report/measures_json.hpp (as the web passes it in) and a filled round of edition
// 2564 to plan for.
#include <chrono>
#include <memory>

#include "fixture.hpp"
#include "report/measures_json.hpp"
#include "service/tracker.hpp"
#include "support/filled_round.hpp"

namespace ita::testing {

inline service::PlanFormat plan_format() {
  return {report::parse_measures,
          [](const MeasuresPlan& plan) { return report::measures_json(plan).dump(2); },
          &report::builtin_measures_library()};
}

class TrackerTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    tracker_ = std::make_unique<service::Tracker>(*store_, plan_format());
    filled_ = fill_round(*store_, edition("2564"), {0, "อบต.ติดตาม", "", "น่าน", "อบต."}, 6, 8, 3);
  }
  // A day inside the plan's fiscal year (FY2565: 1 Oct 2021 – 30 Sep 2022).
  static std::chrono::year_month_day day(int m, int d) {
    return std::chrono::year_month_day{std::chrono::year(m >= 10 ? 2021 : 2022),
                                       std::chrono::month(m), std::chrono::day(d)};
  }
  std::unique_ptr<service::Tracker> tracker_;
  FilledRound filled_;
};

}  // namespace ita::testing
