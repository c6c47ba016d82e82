#pragma once
// Agencies' assessment rounds: opening one, and the single-use access codes of its IIT survey.
// Who may do it is the caller's to decide (the web authorizes, then calls these).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/calendar.hpp"
#include "service/edition_catalog.hpp"
#include "store/store.hpp"

namespace ita::service {

// Agency `id`. Throws NotFound ("ไม่พบหน่วยงาน 7") when there is none, store::StoreError when the
// database fails. Leaves the store unchanged.
store::Agency find_agency(store::Store& store, std::int64_t id);

// What an officer asks for when opening a round.
struct NewRound {
  std::int64_t agency_id = 0;
  std::string edition;    // an edition id in force, e.g. "2568"
  int staff_count = 0;    // 1 to 1,000,000: the IIT population
  int service_users = 0;  // 1 to 100,000,000: the EIT population (an estimate)
  bool access_codes = false;
  bool practice = false;  // a try-out; the only kind of round an incomplete edition allows
  // The last day (in Thailand, inclusive) it accepts responses; none: until someone closes it.
  std::optional<std::chrono::year_month_day> closes_at = std::nullopt;
  // The IIT survey takes at most staff_count × this / 100 responses (store::response_cap):
  // 100 to 1000; none: no cap.
  std::optional<int> response_cap_percent = 100;
};

// Opens round `r` (open, with fresh random IIT and EIT link tokens) for `by_user`, audited by
// the store, and returns it as stored. Throws, storing nothing: NotFound when the agency does
// not exist; Invalid when the edition is not in `editions`, when its IIT or EIT questionnaire is
// incomplete and the round is not a practice round, when a count or the cap percentage is out of
// range, or when the closing date is not from `today` to two years after it (checked in that
// order, Thai messages); store::Conflict or store::StoreError from the store.
store::Round create_round(store::Store& store, EditionCatalog& editions, const NewRound& r,
                          std::int64_t by_user, std::chrono::year_month_day today = thai_today());

// Round `id`. Throws NotFound ("ไม่พบรอบการประเมิน 7") when there is none. Leaves the store
// unchanged.
store::Round find_round(store::Store& store, std::int64_t id);

// A closing date as a person or a program writes it: "YYYY-MM-DD" (Common Era: the API, a
// browser's date field) or "D/M/YYYY" with a Buddhist Era year ("31/1/2570", Thai digits
// allowed); blank text gives none. Throws Invalid (Thai, naming the field) for anything else.
std::optional<std::chrono::year_month_day> parse_closing_date(std::string_view text);

// The lifecycle of a round: open → closed → (reopened) open. Who may do what is the caller's to
// check (an officer of the round's agency or an administrator closes and sets the closing date;
// only an administrator reopens); `actor` is who does it, for the audit log (none: the command
// line). `today` is the day in Thailand. Each throws NotFound ("ไม่พบรอบการประเมิน 7") when there
// is no round `round_id`, and changes nothing when it throws.

// Closes the round ("round.close" in the audit log) and returns it as stored. Throws Refused
// ("รอบการประเมินนี้ปิดรับคำตอบอยู่แล้ว") when it is closed on `today` already, by hand or past its
// closing date.
store::Round close_round(store::Store& store, std::int64_t round_id,
                         std::optional<std::int64_t> actor, std::chrono::year_month_day today);

// Opens a closed round again ("round.reopen") and returns it as stored; a closing date already
// past on `today` is removed with it, a later one kept. Throws Refused
// ("รอบการประเมินนี้เปิดรับคำตอบอยู่แล้ว") when it is open on `today`.
store::Round reopen_round(store::Store& store, std::int64_t round_id,
                          std::optional<std::int64_t> actor, std::chrono::year_month_day today);

// Sets the round's closing date, or removes it (none) ("round.closing_date"), and returns the
// round as stored. Throws Refused when the round is closed on `today` (it must be reopened first:
// moving the date is not a way round that); Invalid when the date is before `today` or more than
// two years after it (a Buddhist Era year typed as a Common Era one).
store::Round set_closing_date(store::Store& store, std::int64_t round_id,
                              std::optional<std::chrono::year_month_day> closes_at,
                              std::optional<std::int64_t> actor, std::chrono::year_month_day today);

// Issues `count` new single-use access codes for the IIT survey of round `round_id` and returns
// them (10 hex digits each, to print on slips); the store keeps only their SHA-256. Throws
// Invalid when `count` is not 1 to 2000 (nothing stored), store errors otherwise.
std::vector<std::string> issue_access_codes(store::Store& store, std::int64_t round_id, int count,
                                            std::int64_t by_user);

// As issue_access_codes, but once per form: the batch is stored only by consuming `form_value`, a
// one-time value of issue_form_token (service/responses.hpp) for this round, in the same
// transaction. Throws Invalid for a `count` out of 1 to 2000, Refused ("ใบรหัสชุดนี้ออกไปแล้ว …")
// when the value is expired, not one of ours or used already (a reload that sends the form
// again): then nothing is stored.
std::vector<std::string> issue_access_codes_once(store::Store& store, std::int64_t round_id,
                                                 int count, std::string_view form_value,
                                                 std::int64_t by_user, std::int64_t now);

}  // namespace ita::service
