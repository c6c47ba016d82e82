#pragma once
// How an OIT readiness check reads on the pages (web/oit.cpp's OIT page, web/oit_check.cpp's
// report): Thai labels of the verdicts, BE dates, the predicted scores. Internal to web.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/edition.hpp"
#include "core/oit_readiness.hpp"
#include "report/readiness_report.hpp"
#include "store/store.hpp"

namespace ita::web {

// How many of a round's checks the pages and the API list.
inline constexpr std::size_t kOitCheckHistory = 20;

// "running", "finished" or "abandoned" (unfinished after service::kOitCheckAbandonedAfter), at
// unix time `now`.
std::string_view check_state_code(const store::OitCheck& c, std::int64_t now);

// The verdict as officers read it ("น่าจะผ่านเกณฑ์", "ลิงก์เปิดไม่ได้", …).
std::string verdict_th(Readiness r);

// The check for a template: state, BE start and finish times, counts, the predicted scores to two
// decimals, and each result with its item's name from `e` (results of items `e` lacks are kept,
// by code).
nlohmann::json check_view(const store::OitCheck& c, const Edition& e, std::int64_t now);

// A finished check of agency `agency_name`'s round on `e` as its printable report's model.
report::ReadinessReport readiness_report(const store::OitCheck& c, const Edition& e,
                                         const std::string& agency_name);

}  // namespace ita::web
