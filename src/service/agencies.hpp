#pragma once
// Agencies: adding one (an administrator's step) and setting its website (its officers' or an
// administrator's); the web authorizes, then calls these.
#include <cstdint>
#include <optional>

#include "store/store.hpp"

namespace ita::service {

// Checks agency `a` before it is stored and returns it with its fields trimmed of surrounding
// spaces: the name is required; name, district, province and type follow their text rules
// (core/text_rules.hpp: at most 200 characters, no control characters …); the province is one
// of Thailand's 77 (io/thai_provinces.hpp) or empty; the website is "" or an absolute http(s) URL
// (checked_website). Throws Invalid (Thai, naming the field) on the first problem. Pure.
store::Agency checked_agency(store::Agency a);

// `website` trimmed of surrounding spaces: "" (unknown) or an absolute http(s) URL without spaces
// or control characters, at most 2000 bytes (core is_evidence_url). Throws Invalid naming the
// field ("เว็บไซต์ของหน่วยงาน: …") otherwise. Pure.
std::string checked_website(const std::string& website);

// Adds agency `a` (its id is ignored) for `by_user`, audited by the store, and returns it as
// stored. Throws Invalid as checked_agency, the store unchanged; store errors.
store::Agency create_agency(store::Store& store, const store::Agency& a,
                            std::optional<std::int64_t> by_user);

// Sets agency `agency_id`'s website (checked_website; "" removes it) for `by_user`, audited by the
// store as "agency.website", and returns the agency as stored. Throws NotFound for an unknown
// agency and Invalid as checked_website, the store unchanged in both cases; store errors.
store::Agency set_agency_website(store::Store& store, std::int64_t agency_id,
                                 const std::string& website, std::optional<std::int64_t> by_user);

}  // namespace ita::service
