#pragma once
// The body of a survey submission through the API (POST /api/v1/rounds/{id}/responses/{tool}):
//
//   {"answers": {"I1.1": "4", "I2": "Y", …}, "access_code": "K7Q2M9"}
//
// Read on every submission, so it has a fast path: the plain form clients send (ASCII strings
// without escapes, each key once) is read directly into the answers. Anything else — escapes,
// non-ASCII text, other value types, repeated keys, broken JSON — goes through the general JSON
// reader (web/app.hpp json_body), which gives the exact error of docs/api.md. The fast path
// accepts only bodies the general reader reads the same way (tests/web/submission_body_test.cpp).
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ita::web {

struct SubmissionBody {
  std::map<std::string, std::string> answers;  // answer unit code → option code
  std::optional<std::string> access_code;
};

// The body, or HttpError: 400 for malformed JSON (a repeated key included), 422 for a valid JSON
// value of the wrong shape.
SubmissionBody parse_submission_body(const std::string& body);

// The fast path alone: the body when it is in the plain form, nullopt otherwise (never an error).
std::optional<SubmissionBody> parse_plain_submission_body(std::string_view body);

}  // namespace ita::web
