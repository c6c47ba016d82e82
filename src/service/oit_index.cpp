#include "service/oit_index.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "core/thai.hpp"
#include "service/errors.hpp"
#include "service/oit_check.hpp"

namespace ita::service {

namespace chr = std::chrono;

OitIndex oit_index_of_round(store::Store& store, EditionCatalog& editions, std::int64_t round_id,
                            chr::year_month_day today) {
  const auto round = store.round(round_id);
  if (!round) throw NotFound("ไม่พบรอบการประเมิน " + std::to_string(round_id));
  const auto agency = store.agency(round->agency_id);
  const Edition* e = editions.find(round->edition_id);
  if (!agency || e == nullptr)
    throw NotFound("ไม่พบชุดเกณฑ์ของรอบการประเมิน " + std::to_string(round_id));
  OitIndex index{agency->id, agency->name,   agency->website, round->id,
                 e->id,      e->fiscal_year, today,           {}};
  std::map<std::string, std::vector<std::string>, std::less<>> urls;
  for (const OitEntry& entry : store.oit_entries(round_id)) urls[entry.item] = entry.urls();
  std::map<std::string, bool, std::less<>> checked;
  std::optional<chr::year_month_day> check_day;
  if (const auto check = latest_oit_check(store, round_id)) {
    check_day = thai_day_of(*check->finished_at);
    for (const store::OitCheckResult& r : check->results) checked[r.item] = true;
  }
  for (const OitItem& item : e->oit.items) {
    OitIndexItem out{item.code, item.name_th, item.indicator, {}, std::nullopt};
    if (const auto it = urls.find(item.code); it != urls.end()) out.urls = it->second;
    if (checked.contains(item.code)) out.checked_on = check_day;
    index.items.push_back(std::move(out));
  }
  return index;
}

OitIndex oit_index(store::Store& store, EditionCatalog& editions, std::int64_t agency_id,
                   int fiscal_year, chr::year_month_day today) {
  if (!store.agency(agency_id)) throw NotFound("ไม่พบหน่วยงาน " + std::to_string(agency_id));
  std::optional<std::int64_t> newest;
  for (const store::Round& r : store.rounds_of_agency(agency_id)) {  // by id: the newest last
    const Edition* e = editions.find(r.edition_id);
    if (!r.practice && e != nullptr && e->fiscal_year == fiscal_year) newest = r.id;
  }
  if (!newest) {
    throw NotFound("หน่วยงานนี้ไม่มีรอบการประเมินของปีงบประมาณ พ.ศ. " + std::to_string(fiscal_year));
  }
  return oit_index_of_round(store, editions, *newest, today);
}

std::string oit_index_json(const OitIndex& index) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const OitIndexItem& item : index.items) {
    items.push_back(
        {{"code", item.code},
         {"name_th", item.name_th},
         {"indicator", item.indicator},
         {"urls", item.urls},
         {"checked_on", item.checked_on ? nlohmann::ordered_json(format_iso_date(*item.checked_on))
                                        : nlohmann::ordered_json(nullptr)}});
  }
  const nlohmann::ordered_json out = {
      {"format", "ita-oit-index/1"},
      {"agency",
       {{"id", index.agency_id}, {"name", index.agency_name}, {"website", index.agency_website}}},
      {"fiscal_year", index.fiscal_year},
      {"edition", index.edition},
      {"generated_at", format_iso_date(index.generated_on)},
      {"items", std::move(items)}};
  // Stored text is valid UTF-8 (service/text_fields); should it not be, U+FFFD, never a throw.
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace ita::service
