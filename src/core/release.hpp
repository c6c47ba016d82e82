#pragma once
// Releases of an open round's figures (README, "No differencing"). While a round is open its
// figures change with every response, so two views a moment apart would differ by one
// respondent's answers. The figures are therefore released in steps: a release covers the
// respondents of the moment it was taken, and the next one may be taken only when each survey
// tool (IIT and EIT) has at least `min` more respondents than the last, so no two releases differ
// by fewer than `min` people of a tool. OIT verdicts are not anyone's answers (the OIT pages show
// them item by item), so a release is shown with the round's current verdicts. Pure functions;
// the store side is service/release.hpp.
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "core/edition.hpp"
#include "core/scoring.hpp"

namespace ita {

// Whether figures covering `now` respondents (per survey tool; a tool absent counts 0) may be
// released after the release covering `last`: with no release yet, when IIT and EIT each have at
// least `min` respondents (and at least one); after one, when each has at least `min` more than
// in `last`.
bool release_due(const std::map<ToolId, std::size_t>& now,
                 const std::optional<std::map<ToolId, std::size_t>>& last, std::size_t min);

// `release`, a round's released result, shown with the OIT verdicts `verdicts` (item code →
// pass, the round's effective verdicts now): its OIT item scores (100 or 0, items without a
// verdict left out), its OIT indicator scores (an item without a verdict counts 0), tools, total
// and level computed again as core/scoring.hpp computes them. The IIT and EIT figures and the
// respondents stay those of the release. Throws InputError when no grade rule matches.
Result with_oit_verdicts(const Edition& e, Result release,
                         const std::map<std::string, bool>& verdicts);

// `release` with the OIT indicator scores (and the OIT item scores, when it has them) of
// `current`, the same round scored now, and its tools, total and level computed again: for the
// national pass, which holds each round's result but not its verdicts. Throws as
// with_oit_verdicts.
Result with_oit_of(const Edition& e, Result release, const Result& current);

}  // namespace ita
