#include "web/http.hpp"

#include <gtest/gtest.h>

#include "web/server.hpp"
#include "web/views.hpp"

namespace ita::web {
namespace {

TEST(Http, UrlDecodingAndForms) {
  EXPECT_EQ(url_decode("a%20b+c%E0%B8%81", true), "a b cก");
  EXPECT_EQ(url_decode("a+b%2", false), "a+b%2");
  const auto f =
      parse_urlencoded("email=a%40b.th&I1.1=4&empty=&flag&x=%E0%B8%9C%E0%B9%88%E0%B8%B2%E0%B8%99");
  EXPECT_EQ(f.at("email"), "a@b.th");
  EXPECT_EQ(f.at("I1.1"), "4");
  EXPECT_EQ(f.at("empty"), "");
  EXPECT_EQ(f.at("flag"), "");
  EXPECT_EQ(f.at("x"), "ผ่าน");
  EXPECT_EQ(url_decode(url_encode("ก ข/&?"), false), "ก ข/&?");
}

TEST(Http, CookiesAndEscaping) {
  Request r;
  r.headers["cookie"] = "a=1; ita_session=abc; b=2";
  EXPECT_EQ(r.cookie("ita_session"), "abc");
  EXPECT_EQ(r.cookie("b"), "2");
  EXPECT_FALSE(r.cookie("c"));
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(Http, RouterMatchesParamsAndReports404And405) {
  Router router;
  router.add("GET", "/rounds/{id}/oit/{item}",
             [](Request& r) { return Response::text(r.params["id"] + ":" + r.params["item"]); });
  Request r;
  r.method = "GET";
  r.path = "/rounds/7/oit/O12";
  EXPECT_EQ(router.dispatch(r).body, "7:O12");
  r.method = "POST";
  EXPECT_EQ(router.dispatch(r).status, 405);
  r.path = "/rounds/7/oit";
  EXPECT_EQ(router.dispatch(r).status, 404);
  r.path = "/api/v1/nothing";
  const auto res = router.dispatch(r);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.content_type.find("json"), std::string::npos);
}

// Found by fuzz_http (fuzz/corpus/fuzz_http/regression-invalid-utf8-path): a path with
// invalid UTF-8 quoted in the JSON 404 made the JSON serialiser throw, and the reply a 500.
TEST(Http, InvalidUtf8InAnErrorMessageIsNotA500) {
  const Response r = Response::error(404, "unknown path /rou\xFF\xFF.x", true);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("/rou\xEF\xBF\xBD\xEF\xBF\xBD.x"), std::string::npos)
      << "U+FFFD for each bad byte";
  Router router;
  router.add("GET", "/healthz", [](Request&) { return Response::text("ok"); });
  const std::string out = handle_raw_request(
      "POST /api/v1/rou\xFF\xFF\xFF.sponses/iit HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\n"
      "Content-Length: 2\r\n\r\n{}",
      [&](Request& req) { return router.dispatch(req); }, 1024);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 404")) << out;
  EXPECT_TRUE(handle_raw_request(
                  "", [&](Request& req) { return router.dispatch(req); }, 1024)
                  .starts_with("HTTP/1.1 400"));
  EXPECT_TRUE(handle_raw_request(
                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                  [&](Request& req) { return router.dispatch(req); }, 1024)
                  .starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(handle_raw_request(
                  "POST /x HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'a'),
                  [&](Request& req) { return router.dispatch(req); }, 1024)
                  .starts_with("HTTP/1.1 413"));
}

TEST(Views, TemplatesEscapeValues) {
  nlohmann::json m = {{"title", "<x>"},
                      {"errors", nlohmann::json::array({"<script>"})},
                      {"csrf", "t"},
                      {"email", "\"a\""}};
  const std::string html = render_page("login", m);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;a&quot;"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"th\">"), std::string::npos);
}

TEST(Views, QrCodes) {
  const std::string svg = qr_svg("http://127.0.0.1:8080/s/abc");
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_NE(svg.find("<path d=\"M"), std::string::npos);
  EXPECT_EQ(qr_png("x").substr(1, 3), "PNG");
}

}  // namespace
}  // namespace ita::web
