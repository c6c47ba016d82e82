// store/answers_json: the stored form of a response's answers, and the national scorer's fast
// path for it (Decoder::decode_chars), which must read exactly what decode() reads or decline.
#include "store/answers_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ita::store::answers_json {
namespace {

TEST(AnswersJson, WhatIsEncodedDecodesBack) {
  const std::vector<std::string> values = {"3", "Y", "ก", "a \"quoted\" \\ value", ""};
  const std::string text = encode(values);
  Decoder d;
  const auto* decoded = d.decode(text);
  ASSERT_NE(decoded, nullptr) << text;
  ASSERT_EQ(decoded->size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ((*decoded)[i], values[i]);
}

TEST(AnswersJson, OneCharacterOptionsAreReadAsCharactersExactlyAsDecodeReadsThem) {
  Decoder d;
  for (const std::vector<std::string>& values :
       std::vector<std::vector<std::string>>{{"1", "2", "4", "Y", "N"}, {"3"}, {}}) {
    const std::string text = encode(values);
    const std::string* chars = d.decode_chars(text);
    ASSERT_NE(chars, nullptr) << text;
    std::string expected;
    for (const auto& v : d.decode(text) ? *d.decode(text) : std::vector<std::string_view>{})
      expected += v;
    EXPECT_EQ(*chars, expected) << text;
    EXPECT_EQ(chars->size(), values.size());
  }
}

TEST(AnswersJson, TheFastPathDeclinesAnythingButPlainOneCharacterOptions) {
  Decoder d;
  for (const char* text : {
           R"(["1","22"])",       // a longer option
           R"(["1",""])",         // an empty one
           R"(["\""])",           // an escape
           R"(["\\"])",           // a backslash
           R"([ "1"])",           // a space
           R"(["1" ,"2"])",       // another
           R"(["1",])",           // a trailing comma
           R"(["1""2"])",         // no comma
           "[\"\xE0\xB8\x81\"]",  // a Thai letter: three bytes
           "[\"\x01\"]",          // a control character
           R"(["1")",             // no closing bracket
           R"("1")",              // not an array
           "",
       }) {
    EXPECT_EQ(d.decode_chars(text), nullptr) << text;
  }
}

}  // namespace
}  // namespace ita::store::answers_json
