#pragma once
// What a round's result is allowed to show, for every reader (pages, the API, exports, documents,
// the dashboard, `ita export`): the rule against differencing (README, "No differencing";
// core/release.hpp). While a round is open, its raw answers are not released at all, and its
// figures are those of its last release, taken lazily when a reader asks and only once IIT and EIT
// each have at least `min_respondents` more respondents than the release before; everything shown
// of an open round is marked provisional. Once the round is closed (store::effective_status), the
// figures are computed from all its answers, as service::score_round does, and are final.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/scoring.hpp"
#include "store/store.hpp"

namespace ita::service {

// A release of an open round's figures: the respondents it covers and the day it was taken.
struct Release {
  std::map<ToolId, std::size_t> respondents;  // IIT and EIT
  std::chrono::year_month_day released_on{};
};

// A round's figures as a reader may see them today.
struct ReleasedResult {
  std::optional<Result> result;      // set when `missing` is empty; small groups not yet withheld
  std::vector<std::string> missing;  // Thai reasons, as service::score_round gives them
  bool provisional = false;  // the round is open: `result` is its last release (or there is none)
  std::optional<Release> release;  // what a provisional `result` covers
};

// Round `round`'s figures (edition `e`) for a reader on `today` (in Thailand), under the rule
// above with `min_respondents` (the small-group minimum, --min-respondents):
// - closed: score_round on all its answers, not provisional. The result is also recorded as the
//   round's release, so that if it is opened again the next release counts from it;
// - open: provisional. When the respondents now are due a release after the stored one
//   (core release_due), the round is scored and, if its result is still due, stored as the new
//   release (Store::replace_result_release: of two readers racing, one release is kept and both
//   show it). The stored release is then shown with the round's current OIT verdicts
//   (with_oit_verdicts), its respondents and day in `release`. With no release yet, no result and
//   the reasons: score_round's, and that the figures wait for `min_respondents` of each tool.
// Throws store::StoreError when the database fails or a stored release does not read back.
ReleasedResult released_result(store::Store& store, const Edition& e, const store::Round& round,
                               std::size_t min_respondents, std::chrono::year_month_day today);

// The last release of round `round` while it is open on `today`, without scoring or storing
// anything (the round page); nothing when it is closed or has no release. Throws store errors.
std::optional<Release> last_release(store::Store& store, const store::Round& round,
                                    std::chrono::year_month_day today);

// The Thai notice of provisional figures: "ผลเบื้องต้น: รอบการประเมินยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง"
// and, with a release, the respondents it covers and its day as a Buddhist Era date.
std::string provisional_notice(const std::optional<Release>& release);

// Throws Refused ("ดาวน์โหลดคำตอบรายบุคคลได้เมื่อปิดรอบการประเมินแล้ว") unless `round` is closed on
// `today`: a round's raw answers (any per-response export) are released only then, since two
// downloads a submission apart would hold that respondent's answers.
void require_answers_released(const store::Round& round, std::chrono::year_month_day today);

}  // namespace ita::service
