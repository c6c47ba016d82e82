#pragma once
// The fixed Thai text of the measures document, kept in templates/document-th.json.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ita::report {

// Values for a phrase's {{name}} fields.
using Vars = std::vector<std::pair<std::string, std::string>>;

class ReportText {
 public:
  // The text compiled into the binary.
  static const ReportText& builtin();

  // Parses "ita-report-text/1" JSON; std::logic_error when malformed (it is a build input).
  explicit ReportText(std::string_view json_text);

  // The phrase at `key` ("title", or "tool_description.IIT") with its fields filled in.
  std::string fill(std::string_view key, const Vars& vars = {}) const;
  // A list of phrases (e.g. table headers), each filled in.
  std::vector<std::string> fill_list(std::string_view key, const Vars& vars = {}) const;

 private:
  const nlohmann::json& at(std::string_view key) const;
  nlohmann::json text_;
};

// Joins phrases Thai style: "a b และc" with the text's list separators.
std::string join_list(const ReportText& text, const std::vector<std::string>& parts);

}  // namespace ita::report
