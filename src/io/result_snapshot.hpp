#pragma once
// A round's result at full precision as JSON text and back: what the store keeps of a release of
// an open round's figures (store::ResultRelease, service/release.hpp). Only what the scorer
// computed from the answers is kept (indicator and item scores, respondents); tools, total and
// level are computed again from the edition when it is read.
#include <string>
#include <string_view>

#include "core/edition.hpp"
#include "core/scoring.hpp"

namespace ita::io {

// `r` as "ita-release/1" JSON text: its edition id, every indicator score and item score at full
// precision (they read back as the same doubles), the respondents per tool.
std::string result_snapshot_json(const Result& r);

// The result `text` (result_snapshot_json) holds, on its edition `e`, with tools, total and level
// computed again (finish_totals). Throws InputError (field "result_json") when `text` is not such
// a document, is of another edition, or lacks one of `e`'s indicators.
Result parse_result_snapshot(const Edition& e, std::string_view text);

}  // namespace ita::io
