#pragma once
// Raw answers as CSV: a header `tool,respondent,item,answer`, then one answer per line.
// IIT/EIT rows carry an option code of the item's scale; OIT rows carry a verdict
// (pass/fail, ผ่าน/ไม่ผ่าน, 1/0) and may leave `respondent` empty.
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scoring.hpp"

namespace ita::io {

// Splits one CSV record (RFC 4180 quoting). nullopt when a quote is left open.
std::optional<std::vector<std::string>> split_csv_line(std::string_view line);

// Parses an OIT verdict; nullopt if it is not one of the accepted spellings.
std::optional<bool> parse_verdict(std::string_view s);

// Streams the file into `tally`. FileError names the line and field at fault.
void read_answers_csv(std::istream& in, const std::string& file, AnswerTally& tally);
void read_answers_csv_file(const std::string& path, AnswerTally& tally);

}  // namespace ita::io
