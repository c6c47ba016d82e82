#pragma once
// The OIT evidence and review workflow, as ITAS runs it: the agency officer submits 1 to 10 URLs
// (and a note) per item; an assessor marks it pass or fail with a comment; for a fail the officer
// may appeal once, with an explanation only (the URLs stay the same), or decline to appeal, which
// makes the review final; after an appeal the assessor confirms the final verdict. Pure state
// transitions; the store persists them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ita {

enum class OitStage { Draft, Submitted, Reviewed, Appealed, Confirmed };
std::string_view oit_stage_code(OitStage s);
std::optional<OitStage> parse_oit_stage(std::string_view code);
// The stage's name as people read it (Thai), on the OIT pages and in the audit log.
std::string_view oit_stage_th(OitStage s);

struct OitEntry {
  std::int64_t round_id = 0;
  std::string item;
  std::string url;                     // the first evidence URL ("" in a draft)
  std::vector<std::string> more_urls;  // the further evidence URLs, in the agency's order
  std::string note;
  OitStage stage = OitStage::Draft;
  std::optional<bool> verdict;  // the assessor's first review
  std::string review_comment;
  std::string appeal_explanation;
  std::optional<bool> final_verdict;  // after confirmation
  std::string final_comment;

  // The verdict that counts for scoring now: the final one, else the first review.
  std::optional<bool> effective_verdict() const;
  // Every evidence URL: `url` then `more_urls` (empty in a draft).
  std::vector<std::string> urls() const;
};

// How many evidence URLs an item may have.
inline constexpr std::size_t kMaxEvidenceUrls = 10;
// The final comment of an item whose agency declined to appeal its fail (decline_appeal).
inline constexpr std::string_view kDeclinedAppealComment = "หน่วยงานไม่ขออุทธรณ์ ผลการพิจารณาเป็นผลสุดท้าย";

// Each transition returns the new entry or throws InputError (field "stage") naming why the
// step is not allowed now.
// submit_evidence also throws InputError (field "url") unless `urls` holds 1 to kMaxEvidenceUrls
// distinct URLs that each pass is_evidence_url; the single-URL form submits {url}.
OitEntry submit_evidence(OitEntry e, std::vector<std::string> urls, std::string note);
OitEntry submit_evidence(OitEntry e, std::string url, std::string note);
OitEntry review(OitEntry e, bool pass, std::string comment);
OitEntry appeal(OitEntry e, std::string explanation);
// The agency declines its one appeal of a fail: the review becomes final (stage Confirmed, final
// verdict = the review's, final comment kDeclinedAppealComment). Only after a fail review and
// before an appeal, once.
OitEntry decline_appeal(OitEntry e);
OitEntry confirm(OitEntry e, bool pass, std::string comment);

// The rules of the assessor's steps as people take them (service/oit.hpp applies them; the
// transitions above stay as they were, so stored data and the store's own callers keep working).
// A fail tells the agency what is missing, which its one appeal answers: throws InputError (field
// "comment") for a fail (`pass` false) whose comment is blank (white space only).
void require_fail_reason(bool pass, std::string_view comment);
// Whether the assessor's confirmation is due on `e`: only after the agency appealed. A review the
// agency does not appeal stands as given (it counts through effective_verdict), so nothing is
// confirmed before the agency could answer.
bool awaits_confirmation(const OitEntry& e);
// Throws InputError (field "stage") unless awaits_confirmation(e).
void require_confirmable(const OitEntry& e);

// Accepts only absolute http(s) URLs without spaces or control characters.
bool is_evidence_url(std::string_view url);

}  // namespace ita
