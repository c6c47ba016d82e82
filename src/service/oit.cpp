#include "service/oit.hpp"

#include "service/errors.hpp"
#include "service/text_fields.hpp"

namespace ita::service {

std::optional<OitStep> parse_oit_step(std::string_view code) {
  if (code == "evidence") return OitStep::Evidence;
  if (code == "review") return OitStep::Review;
  if (code == "appeal") return OitStep::Appeal;
  if (code == "confirm") return OitStep::Confirm;
  return std::nullopt;
}

bool agency_step(OitStep step) {
  return step == OitStep::Evidence || step == OitStep::Appeal;
}

const OitItem& oit_item(const Edition& e, const std::string& code) {
  const OitItem* item = e.find_oit_item(code);
  if (item == nullptr) throw NotFound("ไม่มีข้อ OIT \"" + code + "\" ในชุดเกณฑ์ " + e.id);
  return *item;
}

std::vector<OitEntry> oit_state(store::Store& store, const Edition& e, std::int64_t round_id) {
  std::map<std::string, OitEntry> stored;
  for (auto& entry : store.oit_entries(round_id)) stored[entry.item] = std::move(entry);
  std::vector<OitEntry> out;
  out.reserve(e.oit.items.size());
  for (const auto& item : e.oit.items) {
    auto it = stored.find(item.code);
    if (it != stored.end()) {
      out.push_back(std::move(it->second));
      continue;
    }
    OitEntry draft;
    draft.round_id = round_id;
    draft.item = item.code;
    out.push_back(std::move(draft));
  }
  return out;
}

void take_oit_step(store::Store& store, const Edition& e, const store::Round& round,
                   const std::string& item, OitStep step,
                   const std::map<std::string, std::string>& fields, std::int64_t by_user) {
  oit_item(e, item);
  auto field = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  auto verdict = [&] {
    const std::string v = field("verdict");
    if (v != "pass" && v != "fail") throw Invalid("verdict ต้องเป็น \"pass\" หรือ \"fail\"");
    return v == "pass";
  };
  // Every text the step stores follows its field's rule, checked before the store is touched.
  check_text(kOitUrl, field("url"));
  check_text(kOitNote, field("note"));
  check_text(kOitExplanation, field("explanation"));
  check_text(kOitComment, field("comment"));
  switch (step) {
    case OitStep::Evidence:
      return store.put_oit_evidence(round.id, item, field("url"), field("note"), by_user);
    case OitStep::Appeal:
      return store.appeal_oit(round.id, item, field("explanation"), by_user);
    case OitStep::Review:
      return store.review_oit(round.id, item, verdict(), field("comment"), by_user);
    case OitStep::Confirm:
      return store.confirm_oit(round.id, item, verdict(), field("comment"), by_user);
  }
}

}  // namespace ita::service
