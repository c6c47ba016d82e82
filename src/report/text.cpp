#include "report/text.hpp"

#include <kainjow/mustache.hpp>
#include <stdexcept>

#include "report/resources.hpp"

namespace ita::report {

namespace {

std::string render(const std::string& pattern, const Vars& vars) {
  kainjow::mustache::mustache tmpl(pattern);
  if (!tmpl.is_valid()) throw std::logic_error("report text template: " + tmpl.error_message());
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  kainjow::mustache::data data(kainjow::mustache::data::type::object);
  for (const auto& [name, value] : vars) data.set(name, value);
  return tmpl.render(data);
}

}  // namespace

const ReportText& ReportText::builtin() {
  static const ReportText text(resource("document-th.json"));
  return text;
}

ReportText::ReportText(std::string_view json_text) : text_(nlohmann::json::parse(json_text)) {
  if (!text_.is_object() || text_.value("format", "") != "ita-report-text/1") {
    throw std::logic_error("report text: expected format ita-report-text/1");
  }
}

const nlohmann::json& ReportText::at(std::string_view key) const {
  const nlohmann::json* node = &text_;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t dot = std::min(key.find('.', start), key.size());
    const std::string part(key.substr(start, dot - start));
    if (!node->is_object() || !node->contains(part)) {
      throw std::logic_error("report text: no phrase \"" + std::string(key) + "\"");
    }
    node = &(*node)[part];
    start = dot + 1;
  }
  return *node;
}

std::string ReportText::fill(std::string_view key, const Vars& vars) const {
  const auto& node = at(key);
  if (!node.is_string())
    throw std::logic_error("report text: \"" + std::string(key) + "\" is not a string");
  return render(node.get<std::string>(), vars);
}

std::vector<std::string> ReportText::fill_list(std::string_view key, const Vars& vars) const {
  const auto& node = at(key);
  if (!node.is_array())
    throw std::logic_error("report text: \"" + std::string(key) + "\" is not a list");
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(render(item.get<std::string>(), vars));
  return out;
}

std::string join_list(const ReportText& text, const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += text.fill(k + 1 == parts.size() ? "list_last_separator" : "list_separator");
    out += parts[k];
  }
  return out;
}

}  // namespace ita::report
