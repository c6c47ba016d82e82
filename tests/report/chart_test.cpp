#include "report/chart.hpp"

#include <gtest/gtest.h>

namespace ita::report {
namespace {

TEST(XmlEscape, MarkupCharactersAreEscaped) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(xml_escape("ป้องกัน\tทุจริต\n"), "ป้องกัน\tทุจริต\n");
}

TEST(XmlEscape, WhatXml10CannotHoldIsDropped) {
  EXPECT_EQ(xml_escape(std::string("bell\x07 nul") + '\0' + "\x1b[0m\x1f"), "bell nul[0m");
  EXPECT_EQ(xml_escape("a\xEF\xBF\xBE"
                       "b\xEF\xBF\xBF"
                       "c"),
            "abc")
      << "U+FFFE, U+FFFF";
  EXPECT_EQ(xml_escape("\xEF\xBF\xBD"), "\xEF\xBF\xBD") << "U+FFFD stays";
  EXPECT_EQ(xml_escape("ก\r\n"), "ก\r\n");
}

}  // namespace
}  // namespace ita::report
