#pragma once
// Accepting one anonymous IIT/EIT response: validated once, here, on the request thread, then
// stored by the group-commit writer (store/submission_writer.hpp), which checks the round's status
// and consumes the access code again inside its transaction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/survey.hpp"
#include "service/errors.hpp"
#include "store/store.hpp"

namespace ita::service {

// The answers are not a complete, valid questionnaire of the tool. what(): the first ten
// problems' messages joined by "; " (and how many more there are); problems(): all of them, by
// answer unit, for a form that marks them.
class BadAnswers : public Invalid {
 public:
  explicit BadAnswers(std::vector<AnswerProblem> problems);
  const std::vector<AnswerProblem>& problems() const { return problems_; }

 private:
  std::vector<AnswerProblem> problems_;
};

// Checks one respondent's `answers` (answer unit → option code) to `tool` (IIT or EIT) of
// `round`, whose edition is `e`, and returns the response for the writer: the round, the tool,
// the answers, today in Thailand (no time of day) and, for an IIT survey of a round that requires
// access codes, the SHA-256 of `access_code` (the code itself is not kept). Throws, in this
// order: Refused ("รอบการประเมินนี้ปิดรับคำตอบแล้ว") when the round is closed today
// (store::effective_status: closed, or past its closing date); BadAnswers when
// check_answers (core/survey.hpp) finds problems; Invalid ("กรุณากรอกรหัสเข้าตอบจากใบรหัส")
// when a required access code is missing or empty. Reads and writes nothing; needs init_crypto.
store::NewResponse accept_response(const Edition& e, const store::Round& round, ToolId tool,
                                   std::map<std::string, std::string> answers,
                                   const std::optional<std::string>& access_code);

// Survey forms carry a one-time value so that a form is stored once however often it is sent (a
// reload, a second click): the store consumes the value's hash in the transaction that stores the
// response (store::NewResponse::form_token_hash) and refuses a form whose value is gone. The
// value is random (128 bits) and tells when it expires: "EXPIRES.HEX", EXPIRES in unix seconds at
// a UTC midnight, two to three days after it was issued.

// Issues a form value for round `round_id` at `now` (unix seconds): keeps its hash in `store`
// (store::Store::add_form_token) and returns the value for the form. Throws store::Conflict for
// an unknown round, store::StoreError when the database fails.
std::string issue_form_token(store::Store& store, std::int64_t round_id, std::int64_t now);

// The hash to consume for the form value `value` sent at `now`, or nothing when it is not a value
// issue_form_token gives or has expired (the form must be shown again with a fresh one). Reads
// and writes nothing.
std::optional<std::string> form_token_hash(std::string_view value, std::int64_t now);

}  // namespace ita::service
