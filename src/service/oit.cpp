#include "service/oit.hpp"

#include <charconv>

#include "service/errors.hpp"
#include "service/text_fields.hpp"

namespace ita::service {

std::optional<OitStep> parse_oit_step(std::string_view code) {
  if (code == "evidence") return OitStep::Evidence;
  if (code == "review") return OitStep::Review;
  if (code == "appeal") return OitStep::Appeal;
  if (code == "decline") return OitStep::Decline;
  if (code == "confirm") return OitStep::Confirm;
  return std::nullopt;
}

std::optional<bool> parse_verdict(std::string_view code) {
  if (code == "pass") return true;
  if (code == "fail") return false;
  return std::nullopt;
}

bool agency_step(OitStep step) {
  return step == OitStep::Evidence || step == OitStep::Appeal || step == OitStep::Decline;
}

std::vector<std::string> parse_evidence_urls(std::string_view text) {
  std::vector<std::string> urls;
  std::vector<std::size_t> lines;  // the line of each URL, for a refusal naming it
  std::size_t line = 0;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view url = text.substr(start, end - start);
    start = end + 1;
    ++line;
    while (!url.empty() && static_cast<unsigned char>(url.front()) <= ' ') url.remove_prefix(1);
    while (!url.empty() && static_cast<unsigned char>(url.back()) <= ' ') url.remove_suffix(1);
    if (url.empty()) continue;
    const std::string at = "ลิงก์หลักฐานบรรทัดที่ " + std::to_string(line);
    if (urls.size() == kMaxEvidenceUrls)
      throw Invalid(at + ": ส่งลิงก์หลักฐานได้ไม่เกิน " + std::to_string(kMaxEvidenceUrls) + " ลิงก์ต่อข้อ");
    try {
      check_text(kOitUrl, url);
    } catch (const Invalid& e) {
      throw Invalid(at + ": " + e.what());
    }
    if (!is_evidence_url(url))
      throw Invalid(at +
                    " ไม่ใช่ที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// "
                    "เช่น https://www.example.go.th/ita/o1");
    for (std::size_t i = 0; i < urls.size(); ++i) {
      if (urls[i] == url) throw Invalid(at + " ซ้ำกับบรรทัดที่ " + std::to_string(lines[i]));
    }
    urls.emplace_back(url);
    lines.push_back(line);
  }
  if (urls.empty()) throw Invalid("กรุณากรอกลิงก์หลักฐานอย่างน้อย 1 ลิงก์ (บรรทัดละ 1 ลิงก์)");
  return urls;
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
  // A verdict with its reason: a fail says what is missing (core/oit_workflow.hpp).
  auto verdict = [&] {
    const auto pass = parse_verdict(field("verdict"));
    if (!pass) throw Invalid("verdict ต้องเป็น \"pass\" หรือ \"fail\"");
    require_fail_reason(*pass, field("comment"));
    return *pass;
  };
  // Every text the step stores follows its field's rule, checked before the store is touched.
  if (!fields.contains("urls")) check_text(kOitUrl, field("url"));
  check_text(kOitNote, field("note"));
  check_text(kOitExplanation, field("explanation"));
  check_text(kOitComment, field("comment"));
  switch (step) {
    case OitStep::Evidence: {
      // The form's lines, each named in a refusal; the single "url" keeps the core's own check.
      const std::vector<std::string> urls = fields.contains("urls")
                                                ? parse_evidence_urls(field("urls"))
                                                : std::vector<std::string>{field("url")};
      return store.put_oit_evidence(round.id, item, urls, field("note"), by_user);
    }
    case OitStep::Appeal:
      return store.appeal_oit(round.id, item, field("explanation"), by_user);
    case OitStep::Decline:
      return store.decline_oit_appeal(round.id, item, by_user);
    case OitStep::Review:
      return store.review_oit(round.id, item, verdict(), field("comment"), by_user);
    case OitStep::Confirm: {
      const bool pass = verdict();
      // Stages only move forward: an entry appealed now is still appealed, or confirmed (which
      // the store refuses), inside the store's transaction.
      OitEntry now;  // a draft when nobody has touched the item yet
      now.item = item;
      for (auto& entry : store.oit_entries(round.id)) {
        if (entry.item == item) now = std::move(entry);
      }
      require_confirmable(now);
      return store.confirm_oit(round.id, item, pass, field("comment"), by_user);
    }
  }
}

OitQueueFilter oit_queue_filter(const std::map<std::string, std::string>& query) {
  auto value = [&](const char* key) -> std::optional<std::string> {
    const auto it = query.find(key);
    if (it == query.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
  OitQueueFilter f{value("province"), std::nullopt, value("edition")};
  if (const auto agency = value("agency")) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(agency->data(), agency->data() + agency->size(), id);
    if (ec != std::errc() || end != agency->data() + agency->size() || id <= 0)
      throw Invalid("หน่วยงานที่เลือกไม่ถูกต้อง");
    f.agency_id = id;
  }
  return f;
}

std::vector<OitQueueItem> oit_queue(store::Store& store, EditionCatalog& editions,
                                    const OitQueueFilter& f) {
  std::map<std::int64_t, store::Agency> agencies;
  for (auto& a : store.agencies()) agencies[a.id] = std::move(a);
  std::vector<OitQueueItem> out;
  for (const auto& round : f.agency_id ? store.rounds_of_agency(*f.agency_id) : store.rounds()) {
    const auto agency = agencies.find(round.agency_id);
    if (agency == agencies.end()) continue;
    if (f.province && agency->second.province != *f.province) continue;
    if (f.edition_id && round.edition_id != *f.edition_id) continue;
    const Edition* e = editions.find(round.edition_id);
    if (e == nullptr) continue;
    for (auto& entry : oit_state(store, *e, round.id)) {
      if (entry.stage != OitStage::Submitted && !awaits_confirmation(entry)) continue;
      out.push_back({round, agency->second, &oit_item(*e, entry.item), std::move(entry)});
    }
  }
  return out;
}

}  // namespace ita::service
