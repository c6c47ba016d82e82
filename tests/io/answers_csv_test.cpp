#include "io/answers_csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/test_editions.hpp"
#include "io/json_error.hpp"

namespace ita::io {
namespace {

std::string error_of(const std::string& csv) {
  AnswerTally t(testing::edition("2564"));
  std::istringstream in(csv);
  try {
    read_answers_csv(in, "answers.csv", t);
  } catch (const FileError& e) {
    return e.what();
  }
  return "";
}

TEST(AnswersCsv, SplitsQuotedFields) {
  EXPECT_EQ(*split_csv_line("a,\"b,c\",\"d\"\"e\",f"),
            (std::vector<std::string>{"a", "b,c", "d\"e", "f"}));
  EXPECT_EQ(*split_csv_line(""), (std::vector<std::string>{""}));
  EXPECT_FALSE(split_csv_line("a,\"b"));
}

TEST(AnswersCsv, AcceptsGoodRowsBomAndCrLf) {
  EXPECT_EQ(
      error_of("\xEF\xBB\xBFtool,respondent,item,answer\r\nIIT,r1,I1.1,4\r\n\r\nOIT,,O1,ผ่าน\n"),
      "");
}

TEST(AnswersCsv, InvalidUtf8AndAHeaderWithoutAnswers) {
  const std::string h = "tool,respondent,item,answer\n";
  // "ผ่าน" in TIS-620, as Excel's plain "CSV" saves it on a Thai Windows.
  EXPECT_EQ(error_of(h + "OIT,,O1,\xbc\xe8\xd2\xb9\n"),
            "answers.csv: line 2, column 9: not UTF-8 text (byte 0xBC); a TIS-620 or Windows-874 "
            "file must be saved as \"CSV UTF-8\"");
  EXPECT_EQ(error_of(h),
            "answers.csv: line 2: no answers after the header; expected rows "
            "tool,respondent,item,answer");
  EXPECT_EQ(error_of("\xEF\xBB\xBF" + h + "\r\n"),
            "answers.csv: line 2: no answers after the header; expected rows "
            "tool,respondent,item,answer");
}

TEST(AnswersCsv, ErrorsNameTheLineAndField) {
  const std::string h = "tool,respondent,item,answer\n";
  EXPECT_EQ(error_of(h + "IIT,r1,I1.1,4\nIIT,r1,I1.2\n"),
            "answers.csv: line 3: expected 4 fields (tool,respondent,item,answer), found 3");
  EXPECT_NE(error_of(h + "XIT,r1,I1.1,4\n").find("line 2, field tool: expected IIT, EIT or OIT"),
            std::string::npos);
  EXPECT_NE(error_of(h + "IIT,r1,I1.1,9\n")
                .find("line 2, field answer: answer '9' is not in the scale of I1.1; expected one "
                      "of 1, 2, 3, 4"),
            std::string::npos)
      << error_of(h + "IIT,r1,I1.1,9\n");
  EXPECT_NE(error_of(h + "IIT,r1,I77.1,1\n").find("line 2, field item: unknown item 'I77.1'"),
            std::string::npos);
  EXPECT_NE(error_of(h + "OIT,,O1,maybe\n").find("line 2, field answer: expected an OIT verdict"),
            std::string::npos);
  EXPECT_NE(error_of(h + "IIT,r1,\"I1.1,4\n").find("line 2: unterminated quoted field"),
            std::string::npos);
  EXPECT_NE(error_of("tool,item,answer\n").find("line 1: expected the header"), std::string::npos);
  EXPECT_NE(error_of("").find("empty file"), std::string::npos);
}

}  // namespace
}  // namespace ita::io
