#include "web/submission_body.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "web/context.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

// A cursor over the plain form; every step returns false as soon as the text leaves it.
class PlainReader {
 public:
  explicit PlainReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool at_end() {
    skip_space();
    return p_ == end_;
  }
  bool take(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool peek(char c) {
    skip_space();
    return p_ != end_ && *p_ == c;
  }
  // A string of printable ASCII without escapes.
  bool string(std::string_view& out) {
    if (!take('"')) return false;
    const char* start = p_;
    while (p_ != end_ && *p_ != '"') {
      const auto c = static_cast<unsigned char>(*p_);
      if (c < 0x20 || c >= 0x7f || c == '\\') return false;
      ++p_;
    }
    if (p_ == end_) return false;
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

 private:
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  const char* p_;
  const char* end_;
};

bool read_plain_answers(PlainReader& in, std::map<std::string, std::string>& answers) {
  if (!in.take('{')) return false;
  if (in.take('}')) return true;
  // Gathered, sorted, then added to the map at its end: no search per answer.
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  do {
    std::string_view unit, option;
    if (!in.string(unit) || !in.take(':') || !in.string(option)) return false;
    pairs.emplace_back(unit, option);
  } while (in.take(','));
  if (!in.take('}')) return false;
  std::sort(pairs.begin(), pairs.end());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0 && pairs[i].first == pairs[i - 1].first)
      return false;  // repeated: the general reader says so
    answers.emplace_hint(answers.end(), pairs[i].first, pairs[i].second);
  }
  return true;
}

SubmissionBody parse_general(const std::string& body) {
  const json j = json_body(body);
  for (const auto& [k, _] : j.items()) {
    if (k != "answers" && k != "access_code") throw HttpError(422, "unknown field \"" + k + "\"");
  }
  if (!j.contains("answers") || !j["answers"].is_object())
    throw HttpError(422, "field \"answers\" must be an object of answer codes");
  SubmissionBody out;
  for (const auto& [k, v] : j["answers"].items()) {
    if (!v.is_string()) throw HttpError(422, "answer \"" + k + "\" must be a string option code");
    out.answers.emplace(k, v.get<std::string>());
  }
  if (auto it = j.find("access_code"); it != j.end()) {
    if (it->is_null()) throw HttpError(422, "missing field \"access_code\"");
    if (!it->is_string()) throw HttpError(422, "field \"access_code\" must be a string");
    out.access_code = it->get<std::string>();
  }
  return out;
}

}  // namespace

std::optional<SubmissionBody> parse_plain_submission_body(std::string_view body) {
  PlainReader in(body);
  SubmissionBody out;
  bool answers = false;
  if (!in.take('{') || in.peek('}')) return std::nullopt;
  do {
    std::string_view key;
    if (!in.string(key) || !in.take(':')) return std::nullopt;
    if (key == "answers" && !answers) {
      if (!read_plain_answers(in, out.answers)) return std::nullopt;
      answers = true;
    } else if (key == "access_code" && !out.access_code) {
      std::string_view code;
      if (!in.string(code)) return std::nullopt;
      out.access_code.emplace(code);
    } else {
      return std::nullopt;
    }
  } while (in.take(','));
  if (!in.take('}') || !in.at_end() || !answers) return std::nullopt;
  return out;
}

SubmissionBody parse_submission_body(const std::string& body) {
  if (auto plain = parse_plain_submission_body(body)) return std::move(*plain);
  return parse_general(body);
}

}  // namespace ita::web
