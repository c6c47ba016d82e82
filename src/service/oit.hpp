#pragma once
// The OIT workflow of a round (core/oit_workflow.hpp): the agency publishes evidence for each
// item, an assessor reviews it, the agency may appeal a fail once (the assessor then confirms) or
// decline to appeal (the review is final). Who may take a
// step is the caller's to decide (the web: the agency's officers take the agency's steps,
// assessors the others); these functions apply the step.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "service/edition_catalog.hpp"
#include "store/store.hpp"

namespace ita::service {

enum class OitStep { Evidence, Review, Appeal, Decline, Confirm };

// "evidence", "review", "appeal", "decline", "confirm" → the step; nothing for anything else.
std::optional<OitStep> parse_oit_step(std::string_view code);
// True for the agency's steps (evidence, appeal, decline), false for the assessor's (review,
// confirm).
bool agency_step(OitStep step);

// The evidence URLs of `text`, one a line as the page's form takes them: each line trimmed of
// white space, blank lines skipped (but counted). Throws Invalid naming the line ("ลิงก์หลักฐาน
// บรรทัดที่ 2 …") for a line that is not an http(s) URL (is_evidence_url) or breaks the URL's text
// rule, that repeats an earlier line, or that is an 11th URL (kMaxEvidenceUrls), and
// ("กรุณากรอกลิงก์หลักฐาน…") when no line holds a URL. Pure.
std::vector<std::string> parse_evidence_urls(std::string_view text);

// The verdict of a review or confirmation form: "pass" → true, "fail" → false, nothing for
// anything else (take_oit_step refuses it). Pure.
std::optional<bool> parse_verdict(std::string_view code);

// The OIT item `code` of edition `e`. Throws NotFound ("ไม่มีข้อ OIT \"O99\" ในชุดเกณฑ์ 2568")
// when the edition has no such item. Pure.
const OitItem& oit_item(const Edition& e, const std::string& code);

// Takes `step` on OIT item `item` of `round` (edition `e`) for `by_user`, with the step's
// `fields`: evidence "urls" (one a line, parse_evidence_urls; when absent, the single "url"),
// "note"; appeal "explanation"; decline none; review and confirm "verdict" ("pass" or "fail") and
// "comment" (a missing field is empty). One store transaction, audited. Throws, the store
// unchanged: NotFound for an item the edition does not have; Invalid for bad evidence URLs
// (parse_evidence_urls), for a field that
// breaks its text rule (core/text_rules.hpp: "ลิงก์หลักฐาน OIT: ข้อความยาวเกิน 2000 ตัวอักษร …"), and
// ("verdict ต้องเป็น…") for a review or confirmation without a pass/fail verdict; the core's
// InputError when the workflow does not allow the step now (a confirmation before the agency
// appealed: require_confirmable, field "stage"; a decline other than after a fail review and
// before an appeal), for a fail without a reason in the comment
// (require_fail_reason, field "comment") or an evidence URL that is not http(s); store errors.
void take_oit_step(store::Store& store, const Edition& e, const store::Round& round,
                   const std::string& item, OitStep step,
                   const std::map<std::string, std::string>& fields, std::int64_t by_user);

// The OIT state of round `round_id` on edition `e`: one entry per OIT item of the edition, in the
// edition's order, as stored, or a draft without evidence for an item nobody has touched yet
// (entries of items the edition does not have are left out). Leaves the store unchanged.
std::vector<OitEntry> oit_state(store::Store& store, const Edition& e, std::int64_t round_id);

// Which rounds the assessors' work queue (oit_queue) looks at: those of agencies in `province`
// (exactly as stored), of agency `agency_id`, on edition `edition_id`; nothing: any.
struct OitQueueFilter {
  std::optional<std::string> province;
  std::optional<std::int64_t> agency_id;
  std::optional<std::string> edition_id;
};

// The filter of the queue page's GET form: "province", "agency" (an agency id), "edition"; an
// empty or absent value filters nothing, other parameters are ignored. Throws Invalid
// ("หน่วยงานที่เลือกไม่ถูกต้อง") for an agency that is not a positive integer. Pure.
OitQueueFilter oit_queue_filter(const std::map<std::string, std::string>& query);

// One OIT item waiting for an assessor: its round, agency, the edition's item and the entry.
struct OitQueueItem {
  store::Round round;
  store::Agency agency;
  const OitItem* item = nullptr;  // in `editions`, valid as long as the catalogue
  OitEntry entry;
};

// Every OIT item waiting for an assessor in the rounds that match `f`, open or closed: evidence
// submitted and not yet reviewed (stage Submitted), and appeals not yet decided
// (awaits_confirmation). Ordered by round id, then in the order of the round's edition. A round
// whose edition is not in force is left out. Leaves the store unchanged.
std::vector<OitQueueItem> oit_queue(store::Store& store, EditionCatalog& editions,
                                    const OitQueueFilter& f);

}  // namespace ita::service
