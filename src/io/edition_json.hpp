#pragma once
// Edition files (docs/editions.md) to and from the domain's Edition.
#include <string>
#include <string_view>

#include "core/edition.hpp"

namespace ita::io {

// Parses and checks an edition; FileError names the field path and what was expected.
Edition parse_edition(std::string_view text, const std::string& file);
Edition load_edition_file(const std::string& path);

}  // namespace ita::io
