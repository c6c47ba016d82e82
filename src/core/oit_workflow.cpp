#include "core/oit_workflow.hpp"

#include <iterator>

#include "core/error.hpp"

namespace ita {

std::string_view oit_stage_code(OitStage s) {
  switch (s) {
    case OitStage::Draft:
      return "draft";
    case OitStage::Submitted:
      return "submitted";
    case OitStage::Reviewed:
      return "reviewed";
    case OitStage::Appealed:
      return "appealed";
    case OitStage::Confirmed:
      return "confirmed";
  }
  return "?";
}

std::optional<OitStage> parse_oit_stage(std::string_view code) {
  for (auto s : {OitStage::Draft, OitStage::Submitted, OitStage::Reviewed, OitStage::Appealed,
                 OitStage::Confirmed}) {
    if (oit_stage_code(s) == code) return s;
  }
  return std::nullopt;
}

std::string_view oit_stage_th(OitStage s) {
  switch (s) {
    case OitStage::Draft:
      return "รอหลักฐาน";
    case OitStage::Submitted:
      return "รอพิจารณา";
    case OitStage::Reviewed:
      return "พิจารณาแล้ว";
    case OitStage::Appealed:
      return "ชี้แจงแล้ว รอยืนยันผล";
    case OitStage::Confirmed:
      return "ยืนยันผลแล้ว";
  }
  return "";
}

std::optional<bool> OitEntry::effective_verdict() const {
  return final_verdict ? final_verdict : verdict;
}

std::vector<std::string> OitEntry::urls() const {
  std::vector<std::string> all;
  if (url.empty()) return all;
  all.push_back(url);
  all.insert(all.end(), more_urls.begin(), more_urls.end());
  return all;
}

namespace {

[[noreturn]] void refuse(const OitEntry& e, const std::string& what) {
  throw InputError(
      "stage", "OIT item " + e.item + " is " + std::string(oit_stage_code(e.stage)) + ": " + what);
}

bool is_blank(std::string_view text) {
  // ASCII white space and the no-break space (U+00A0), as a pasted comment may hold.
  std::string_view rest = text;
  while (!rest.empty()) {
    if (rest.starts_with("\xc2\xa0")) {
      rest.remove_prefix(2);
    } else if (rest.front() == ' ' || (rest.front() >= '\t' && rest.front() <= '\r')) {
      rest.remove_prefix(1);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

void require_fail_reason(bool pass, std::string_view comment) {
  if (!pass && is_blank(comment))
    throw InputError("comment", "expected the reason for the fail in the comment");
}

bool awaits_confirmation(const OitEntry& e) {
  return e.stage == OitStage::Appealed;
}

void require_confirmable(const OitEntry& e) {
  if (!awaits_confirmation(e)) refuse(e, "only an appealed item can be confirmed");
}

bool is_evidence_url(std::string_view url) {
  if (!(url.starts_with("http://") || url.starts_with("https://"))) return false;
  const std::size_t host = url.find("://") + 3;
  if (url.size() <= host || url.size() > 2000) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

OitEntry submit_evidence(OitEntry e, std::vector<std::string> urls, std::string note) {
  if (e.stage != OitStage::Draft && e.stage != OitStage::Submitted) {
    refuse(e, "the evidence can no longer change after review; an appeal keeps the same URLs");
  }
  if (urls.empty() || urls.size() > kMaxEvidenceUrls)
    throw InputError("url", "expected 1 to " + std::to_string(kMaxEvidenceUrls) + " URLs");
  for (std::size_t i = 0; i < urls.size(); ++i) {
    // One URL keeps the message it always had; of several, the refusal names which.
    const std::string which = urls.size() == 1 ? "" : "URL " + std::to_string(i + 1) + ": ";
    if (!is_evidence_url(urls[i]))
      throw InputError("url",
                       which + "expected an http:// or https:// address on the agency's website");
    for (std::size_t j = 0; j < i; ++j) {
      if (urls[j] == urls[i])
        throw InputError("url",
                         "URL " + std::to_string(i + 1) + " repeats URL " + std::to_string(j + 1));
    }
  }
  e.url = std::move(urls.front());
  e.more_urls.assign(std::make_move_iterator(urls.begin() + 1),
                     std::make_move_iterator(urls.end()));
  e.note = std::move(note);
  e.stage = OitStage::Submitted;
  return e;
}

OitEntry submit_evidence(OitEntry e, std::string url, std::string note) {
  return submit_evidence(std::move(e), std::vector<std::string>{std::move(url)}, std::move(note));
}

OitEntry review(OitEntry e, bool pass, std::string comment) {
  if (e.stage != OitStage::Submitted) refuse(e, "only submitted evidence can be reviewed");
  e.verdict = pass;
  e.review_comment = std::move(comment);
  e.stage = OitStage::Reviewed;
  return e;
}

OitEntry appeal(OitEntry e, std::string explanation) {
  if (e.stage != OitStage::Reviewed) refuse(e, "an appeal follows a review, once");
  if (e.verdict.value_or(true)) refuse(e, "only a failed item can be appealed");
  if (explanation.empty())
    throw InputError("explanation", "expected the explanation of the appeal");
  e.appeal_explanation = std::move(explanation);
  e.stage = OitStage::Appealed;
  return e;
}

OitEntry decline_appeal(OitEntry e) {
  if (e.stage != OitStage::Reviewed) refuse(e, "declining an appeal follows a review, once");
  if (e.verdict.value_or(true)) refuse(e, "only a failed item has an appeal to decline");
  e.final_verdict = e.verdict;
  e.final_comment = std::string(kDeclinedAppealComment);
  e.stage = OitStage::Confirmed;
  return e;
}

OitEntry confirm(OitEntry e, bool pass, std::string comment) {
  if (e.stage != OitStage::Reviewed && e.stage != OitStage::Appealed)
    refuse(e, "only a reviewed or appealed item can be confirmed");
  e.final_verdict = pass;
  e.final_comment = std::move(comment);
  e.stage = OitStage::Confirmed;
  return e;
}

}  // namespace ita
