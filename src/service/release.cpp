#include "service/release.hpp"

#include "core/error.hpp"
#include "core/release.hpp"
#include "core/thai.hpp"
#include "io/result_snapshot.hpp"
#include "service/errors.hpp"
#include "service/scoring.hpp"

namespace ita::service {

namespace {

using Counts = std::map<ToolId, std::size_t>;

std::size_t count_of(const Counts& c, ToolId t) {
  const auto it = c.find(t);
  return it == c.end() ? 0 : it->second;
}

Counts covered(const store::ResultRelease& r) {
  return {{ToolId::IIT, static_cast<std::size_t>(r.respondents_iit)},
          {ToolId::EIT, static_cast<std::size_t>(r.respondents_eit)}};
}

std::optional<Counts> covered(const std::optional<store::ResultRelease>& r) {
  return r ? std::optional<Counts>(covered(*r)) : std::nullopt;
}

Counts counts_now(store::Store& store, std::int64_t round_id) {
  Counts out;
  for (const auto& [tool, n] : store.response_counts(round_id))
    out[tool] = static_cast<std::size_t>(n);
  return out;
}

store::ResultRelease release_of(const store::Round& round, const Result& r,
                                std::chrono::year_month_day today) {
  return {round.id, static_cast<int>(count_of(r.respondents, ToolId::IIT)),
          static_cast<int>(count_of(r.respondents, ToolId::EIT)), io::result_snapshot_json(r),
          today};
}

std::string waiting_reason(const Counts& now, std::size_t min) {
  return "รอบการประเมินยังเปิดอยู่: จะแสดงผลเบื้องต้นเมื่อมีผู้ตอบแบบวัด IIT และ EIT อย่างน้อยแบบละ " +
         std::to_string(std::max<std::size_t>(min, 1)) + " คน (ขณะนี้ IIT " +
         std::to_string(count_of(now, ToolId::IIT)) + " คน EIT " +
         std::to_string(count_of(now, ToolId::EIT)) + " คน)";
}

// A closed round: all its answers, final. Recorded as its release when the stored one covers
// other counts, so that a round opened again releases its next figures only `min` people later.
ReleasedResult final_result(store::Store& store, const Edition& e, const store::Round& round,
                            std::chrono::year_month_day today) {
  RoundScore s = score_round(store, e, round);
  ReleasedResult out{std::move(s.result), std::move(s.missing), false, std::nullopt};
  if (!out.result) return out;
  const auto last = store.result_release(round.id);
  const store::ResultRelease now = release_of(round, *out.result, today);
  if (!last || covered(*last) != covered(now)) store.replace_result_release(now, last);
  return out;
}

// The stored release `r` as shown today: with the round's current OIT verdicts.
ReleasedResult shown(store::Store& store, const Edition& e, const store::ResultRelease& r) {
  ReleasedResult out;
  out.provisional = true;
  out.release = Release{covered(r), r.released_on};
  const std::map<std::string, bool> verdicts = oit_verdicts(store, r.round_id);
  std::string unjudged;
  for (const auto& item : e.oit.items) {
    if (!verdicts.contains(item.code)) unjudged += (unjudged.empty() ? "" : ", ") + item.code;
  }
  if (!unjudged.empty()) {
    out.missing.push_back("ข้อ OIT ที่ยังไม่ได้พิจารณา: " + unjudged);
    return out;
  }
  try {
    out.result = with_oit_verdicts(e, io::parse_result_snapshot(e, r.result_json), verdicts);
  } catch (const InputError& err) {
    throw store::StoreError("the release of round " + std::to_string(r.round_id) +
                            " does not read back: " + err.what());
  }
  return out;
}

}  // namespace

ReleasedResult released_result(store::Store& store, const Edition& e, const store::Round& round,
                               std::size_t min_respondents, std::chrono::year_month_day today) {
  if (store::effective_status(round, today) == store::RoundStatus::Closed)
    return final_result(store, e, round, today);
  std::optional<store::ResultRelease> last = store.result_release(round.id);
  const Counts now = counts_now(store, round.id);
  if (release_due(now, covered(last), min_respondents)) {
    RoundScore s = score_round(store, e, round);
    if (s.result && release_due(s.result->respondents, covered(last), min_respondents)) {
      const store::ResultRelease next = release_of(round, *s.result, today);
      // Another reader may have stored a successor of `last` meanwhile: then that one is shown.
      last = store.replace_result_release(next, last) ? next : store.result_release(round.id);
    } else if (!s.result && !last) {
      return {std::nullopt, std::move(s.missing), true, std::nullopt};
    }
  }
  if (last) return shown(store, e, *last);
  ReleasedResult out{std::nullopt, score_round(store, e, round).missing, true, std::nullopt};
  out.missing.push_back(waiting_reason(now, min_respondents));
  return out;
}

std::optional<Release> last_release(store::Store& store, const store::Round& round,
                                    std::chrono::year_month_day today) {
  if (store::effective_status(round, today) == store::RoundStatus::Closed) return std::nullopt;
  const auto last = store.result_release(round.id);
  if (!last) return std::nullopt;
  return Release{covered(*last), last->released_on};
}

std::string provisional_notice(const std::optional<Release>& release) {
  std::string out = "ผลเบื้องต้น: รอบการประเมินยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง";
  if (!release) return out;
  return out + " (คำนวณจากผู้ตอบแบบวัด IIT " +
         std::to_string(count_of(release->respondents, ToolId::IIT)) + " คน และ EIT " +
         std::to_string(count_of(release->respondents, ToolId::EIT)) + " คน ณ วันที่ " +
         format_thai_date(release->released_on) + ")";
}

void require_answers_released(const store::Round& round, std::chrono::year_month_day today) {
  if (store::effective_status(round, today) != store::RoundStatus::Closed)
    throw Refused("ดาวน์โหลดคำตอบรายบุคคลได้เมื่อปิดรอบการประเมินแล้ว");
}

}  // namespace ita::service
