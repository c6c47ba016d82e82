#pragma once
// The OIT workflow of a round (core/oit_workflow.hpp): the agency publishes evidence for each
// item, an assessor reviews it, the agency may appeal once, the assessor confirms. Who may take a
// step is the caller's to decide (the web: the agency's officers take the agency's steps,
// assessors the others); these functions apply the step.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "store/store.hpp"

namespace ita::service {

enum class OitStep { Evidence, Review, Appeal, Confirm };

// "evidence", "review", "appeal", "confirm" → the step; nothing for anything else.
std::optional<OitStep> parse_oit_step(std::string_view code);
// True for the agency's steps (evidence, appeal), false for the assessor's (review, confirm).
bool agency_step(OitStep step);

// The OIT item `code` of edition `e`. Throws NotFound ("ไม่มีข้อ OIT \"O99\" ในชุดเกณฑ์ 2568")
// when the edition has no such item. Pure.
const OitItem& oit_item(const Edition& e, const std::string& code);

// Takes `step` on OIT item `item` of `round` (edition `e`) for `by_user`, with the step's
// `fields`: evidence "url", "note"; appeal "explanation"; review and confirm "verdict" ("pass" or
// "fail") and "comment" (a missing field is empty). One store transaction, audited. Throws, the
// store unchanged: NotFound for an item the edition does not have; Invalid for a field that
// breaks its text rule (core/text_rules.hpp: "ลิงก์หลักฐาน OIT: ข้อความยาวเกิน 2000 ตัวอักษร …"), and
// ("verdict ต้องเป็น…") for a review or confirmation without a pass/fail verdict; the core's
// InputError when the workflow does not allow the step now or the evidence URL is not http(s);
// store errors.
void take_oit_step(store::Store& store, const Edition& e, const store::Round& round,
                   const std::string& item, OitStep step,
                   const std::map<std::string, std::string>& fields, std::int64_t by_user);

// The OIT state of round `round_id` on edition `e`: one entry per OIT item of the edition, in the
// edition's order, as stored, or a draft without evidence for an item nobody has touched yet
// (entries of items the edition does not have are left out). Leaves the store unchanged.
std::vector<OitEntry> oit_state(store::Store& store, const Edition& e, std::int64_t round_id);

}  // namespace ita::service
