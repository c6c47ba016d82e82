#pragma once
// The least a store needs to hold data worth backing up, restoring or checking: a round and EIT
// responses to it, written straight through the store. Header-only: used by the store and the
// CLI test executables.
#include <cstdint>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace ita::test {

// A new agency named after `tag` and an open round of edition 2567 for it (survey tokens
// "iit-TAG" and "eit-TAG"), created by user 1. Throws what the store throws, e.g. on a tag used
// before in the same database.
inline store::Round plain_round(store::Store& s, const std::string& tag) {
  const store::Agency a =
      s.create_agency({0, "เทศบาลตำบล" + tag, "เมือง", "เชียงใหม่", "เทศบาลตำบล"}, std::nullopt);
  store::Round r;
  r.agency_id = a.id;
  r.edition_id = "2567";
  r.staff_count = 10;
  r.service_users = 10;
  r.iit_token = "iit-" + tag;
  r.eit_token = "eit-" + tag;
  return s.create_round(r, 1);
}

// An EIT response to `round_id` of 2024-05-01 answering units E1…E`units` (options 2, 3, 4, 1, …).
inline store::NewResponse eit_response(std::int64_t round_id, int units = 3) {
  store::NewResponse n;
  n.round_id = round_id;
  n.tool = ToolId::EIT;
  n.day = "2024-05-01";
  for (int u = 1; u <= units; ++u) n.answers["E" + std::to_string(u)] = std::to_string(1 + u % 4);
  return n;
}

}  // namespace ita::test
