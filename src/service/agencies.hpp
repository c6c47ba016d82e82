#pragma once
// Agencies: adding one (an administrator's step; the web authorizes, then calls this).
#include <cstdint>
#include <optional>

#include "store/store.hpp"

namespace ita::service {

// Checks agency `a` before it is stored and returns it with its fields trimmed of surrounding
// spaces: the name is required; name, district, province and type follow their text rules
// (core/text_rules.hpp: at most 200 characters, no control characters …); the province is one
// of Thailand's 77 (io/thai_provinces.hpp) or empty. Throws Invalid (Thai, naming the field) on
// the first problem. Pure.
store::Agency checked_agency(store::Agency a);

// Adds agency `a` (its id is ignored) for `by_user`, audited by the store, and returns it as
// stored. Throws Invalid as checked_agency, the store unchanged; store errors.
store::Agency create_agency(store::Store& store, const store::Agency& a,
                            std::optional<std::int64_t> by_user);

}  // namespace ita::service
