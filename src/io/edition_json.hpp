#pragma once
// Edition files (docs/editions.md) to and from the domain's Edition.
#include <optional>
#include <string>
#include <string_view>

#include "core/edition.hpp"

namespace ita::io {

// Parses and checks an edition; FileError names the field path and what was expected.
Edition parse_edition(std::string_view text, const std::string& file);
Edition load_edition_file(const std::string& path);

// The edition as an ita-edition/1 file: pretty (2 spaces), keys in the order of
// docs/editions.md, optional fields left out when empty, points that are exact small fractions
// (100/3, 200/3) written as "a/b" strings. parse_edition(edition_to_json(e)) gives back `e`:
// the same text again when written once more. Ends with a newline.
std::string edition_to_json(const Edition& e);

// The shortest decimal text that reads back as exactly `x` ("0.3", "100", "1e-07").
std::string number_text(double x);
// "a/b" when `points` is exactly a/b (as the edition reader divides) for a small b and has no
// short decimal form, e.g. "100/3" and "200/3"; nullopt otherwise (write the number).
std::optional<std::string> fraction_text(double points);

}  // namespace ita::io
