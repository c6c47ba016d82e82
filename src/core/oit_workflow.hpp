#pragma once
// The OIT evidence and review workflow, as ITAS runs it: the agency officer submits a URL (and
// a note) per item; an assessor marks it pass or fail with a comment; for a fail the officer may
// appeal once, with an explanation only (the URL stays the same); the assessor then confirms
// the final verdict. Pure state transitions; the store persists them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ita {

enum class OitStage { Draft, Submitted, Reviewed, Appealed, Confirmed };
std::string_view oit_stage_code(OitStage s);
std::optional<OitStage> parse_oit_stage(std::string_view code);

struct OitEntry {
  std::int64_t round_id = 0;
  std::string item;
  std::string url;
  std::string note;
  OitStage stage = OitStage::Draft;
  std::optional<bool> verdict;  // the assessor's first review
  std::string review_comment;
  std::string appeal_explanation;
  std::optional<bool> final_verdict;  // after confirmation
  std::string final_comment;

  // The verdict that counts for scoring now: the final one, else the first review.
  std::optional<bool> effective_verdict() const;
};

// Each transition returns the new entry or throws InputError (field "stage") naming why the
// step is not allowed now.
OitEntry submit_evidence(OitEntry e, std::string url, std::string note);
OitEntry review(OitEntry e, bool pass, std::string comment);
OitEntry appeal(OitEntry e, std::string explanation);
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
