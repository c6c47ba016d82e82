#pragma once
// How the store keeps one response's answers (schema version 3). Two JSON arrays of strings:
//
//   answer_layouts.units  ["I1.1","I1.2","I2"]   the answer unit codes, in byte order, once
//                                               for every response that answered that set
//   responses.answers     ["4","3","Y"]          the response's option codes, one per unit of
//                                               its layout (responses.layout), in that order
//
// An IIT response of edition 2564 (51 units) is then 206 bytes instead of 560 for an object of
// unit → option, so the table holds three times more responses per page and a submission
// writes about 1.5 pages instead of 3 (docs/scaling.md). SQL still reads the pairs:
//
//   SELECT u.value AS unit, a.value AS option
//   FROM responses r JOIN answer_layouts l ON l.id = r.layout,
//        json_each(l.units) u, json_each(r.answers) a WHERE a.key = u.key      -- SQLite
//
// (PostgreSQL: json_array_elements_text(…) WITH ORDINALITY on both sides.)
#include <cstdint>
#include <deque>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ita::store::answers_json {

// Appends `values` as a JSON array of strings, without white space.
void encode(std::string& out, const std::vector<std::string_view>& values);
template <class Range>
std::string encode(const Range& values) {
  std::vector<std::string_view> views(std::begin(values), std::end(values));
  std::string out;
  encode(out, views);
  return out;
}

// Reads stored arrays. Reuses its buffers from one call to the next (one per thread).
class Decoder {
 public:
  // The strings of `text` in order, or nullptr when `text` is not a JSON array of strings.
  // Views into `text` (or into the decoder, for strings with escapes), valid until the next call.
  const std::vector<std::string_view>* decode(std::string_view text);
  // The options of `text` when it is in the encoder's form with one-character options only
  // (["3","1","Y"]): one character each, in order, in the returned string (valid until the next
  // call). nullptr for anything else, which decode() then reads; so this is only a fast path.
  const std::string* decode_chars(std::string_view text);

 private:
  bool string(const char*& p, const char* end, std::string_view& out);
  std::vector<std::string_view> values_;
  std::string chars_;
  std::deque<std::string> unescaped_;  // a deque: the views stay valid as it grows
};

// The primary key of a response in the responses table: its round in the high bits, the first
// 40 bits of its random id (10 hex digits) in the low ones. A round's responses are then one
// range of the table, in the order of their random ids — never the order they arrived in.
inline constexpr int kSlotBits = 40;
inline constexpr std::int64_t kMaxRoundForSlots = (std::int64_t{1} << (63 - kSlotBits)) - 1;
// nullopt-like -1 when the round is out of range or `id` does not start with 10 hex digits.
std::int64_t slot_of(std::int64_t round_id, std::string_view id);
// The slots of round `round_id`: [first, end).
inline std::pair<std::int64_t, std::int64_t> slots_of_round(std::int64_t round_id) {
  return {round_id << kSlotBits, (round_id + 1) << kSlotBits};
}
inline std::int64_t round_of_slot(std::int64_t slot) {
  return slot >> kSlotBits;
}

}  // namespace ita::store::answers_json
