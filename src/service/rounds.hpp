#pragma once
// Agencies' assessment rounds: opening one, and the single-use access codes of its IIT survey.
// Who may do it is the caller's to decide (the web authorizes, then calls these).
#include <cstdint>
#include <string>
#include <vector>

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
};

// Opens round `r` (open, with fresh random IIT and EIT link tokens) for `by_user`, audited by
// the store, and returns it as stored. Throws, storing nothing: NotFound when the agency does
// not exist; Invalid when the edition is not in `editions`, when its IIT or EIT questionnaire is
// incomplete and the round is not a practice round, or when a count is out of range (checked in
// that order, Thai messages); store::Conflict or store::StoreError from the store.
store::Round create_round(store::Store& store, EditionCatalog& editions, const NewRound& r,
                          std::int64_t by_user);

// Issues `count` new single-use access codes for the IIT survey of round `round_id` and returns
// them (10 hex digits each, to print on slips); the store keeps only their SHA-256. Throws
// Invalid when `count` is not 1 to 2000 (nothing stored), store errors otherwise.
std::vector<std::string> issue_access_codes(store::Store& store, std::int64_t round_id, int count,
                                            std::int64_t by_user);

}  // namespace ita::service
