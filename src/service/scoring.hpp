#pragma once
// Scoring one round from the store: its readiness ("ยังไม่มีผู้ตอบ…") and its result. The
// small-group rule that the web applies before showing a result is core/privacy.hpp.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/scoring.hpp"
#include "store/store.hpp"

namespace ita::service {

// A round's score, or why it cannot be computed yet.
struct RoundScore {
  std::optional<Result> result;      // set when `missing` is empty
  std::vector<std::string> missing;  // Thai reasons, in a fixed order
};

// Scores `round` on its edition `e` from the stored answers and OIT verdicts. Returns the result,
// or no result and the reasons: no IIT respondent, no EIT respondent, OIT items not judged yet
// (named), stored answers that do not fit `e`, or the scorer's own InputError message. Throws
// store::StoreError when the database fails. Leaves the store unchanged.
RoundScore score_round(store::Store& store, const Edition& e, const store::Round& round);
// As score_round, with `oit` (item code → pass) in place of the stored OIT verdicts: what the
// round would score with them (the OIT readiness check's prediction). Leaves the store unchanged.
RoundScore score_round_with_oit(store::Store& store, const Edition& e, const store::Round& round,
                                const std::map<std::string, bool>& oit);

// The effective OIT verdict of each item of round `round_id` that has one (the confirmed
// verdict, else the review's): item code → pass. Leaves the store unchanged.
std::map<std::string, bool> oit_verdicts(store::Store& store, std::int64_t round_id);

// The reasons of `missing` joined by "; ", as one line of a message.
std::string reasons(const std::vector<std::string>& missing);

}  // namespace ita::service
