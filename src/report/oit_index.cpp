#include "report/oit_index.hpp"

#include "core/thai.hpp"
#include "report/chart.hpp"

namespace ita::report {

namespace {

bool is_http_url(const std::string& url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// `url` as a link that opens in a new tab and passes nothing of this page on; anything but an
// http(s) URL (which the store never holds) as plain text.
std::string link(const std::string& url) {
  const std::string text = xml_escape(url);
  if (!is_http_url(url)) return text;
  return "<a href=\"" + text + "\" rel=\"noopener nofollow\" target=\"_blank\">" + text + "</a>";
}

std::string item_row(const OitIndexItem& item) {
  std::string row = "<tr><th scope=\"row\">" + xml_escape(item.code) + "</th><td>" +
                    xml_escape(item.name_th) + "</td><td>";
  if (item.urls.empty()) {
    row += "ยังไม่มีลิงก์";
  } else {
    row += "<ul class=\"links\">";
    for (const std::string& url : item.urls) row += "<li>" + link(url) + "</li>";
    row += "</ul>";
  }
  row += "</td><td>" + (item.checked_on ? index_day_th(*item.checked_on) : std::string("—")) +
         "</td></tr>\n";
  return row;
}

constexpr const char* kInlineCss =
    "body{font-family:Sarabun,'TH Sarabun New',Loma,sans-serif;font-size:18px;line-height:1.5;"
    "color:#1a1a1a;background:#fff;margin:0 auto;max-width:72rem;padding:1rem}"
    "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;font-weight:normal;margin:.25rem 0 "
    "1rem}table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:bold;"
    "padding:.5rem 0}th,td{border:1px solid #888;padding:.4rem .6rem;text-align:left;"
    "vertical-align:top}thead th{background:#e8eef7}a{color:#0645ad;overflow-wrap:anywhere}"
    "ul.links{margin:0;padding-left:1.1rem}footer{margin-top:1rem;color:#444;font-size:.9rem}";

}  // namespace

std::string index_day_th(std::chrono::year_month_day d) {
  return std::to_string(static_cast<unsigned>(d.day())) + " " +
         std::string(thai_month_abbrev(static_cast<unsigned>(d.month()))) + " " +
         std::to_string(static_cast<int>(d.year()) + 543);
}

std::string oit_index_body_html(const OitIndex& index) {
  const std::string year = std::to_string(index.fiscal_year);
  std::string out = "<h1>" + xml_escape(index.agency_name) + "</h1>\n<h2>การเปิดเผยข้อมูลสาธารณะ " +
                    "(OIT) ประจำปีงบประมาณ พ.ศ. " + year + "</h2>\n";
  if (!index.agency_website.empty())
    out += "<p>เว็บไซต์ของหน่วยงาน: " + link(index.agency_website) + "</p>\n";
  out += "<table class=\"oit-index\">\n<caption>รายการข้อมูลที่เปิดเผยต่อสาธารณะ (OIT) ของ" +
         xml_escape(index.agency_name) + " ปีงบประมาณ พ.ศ. " + year + "</caption>\n" +
         "<thead><tr><th scope=\"col\">ข้อ</th><th scope=\"col\">รายการ</th>"
         "<th scope=\"col\">ลิงก์หลักฐาน</th><th scope=\"col\">ตรวจล่าสุด</th></tr></thead>\n"
         "<tbody>\n";
  for (const OitIndexItem& item : index.items) out += item_row(item);
  out += "</tbody>\n</table>\n";
  return out;
}

std::string oit_index_document(const OitIndex& index) {
  return "<!doctype html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
         "การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. " +
         std::to_string(index.fiscal_year) + " · " + xml_escape(index.agency_name) +
         "</title>\n<style>" + kInlineCss + "</style>\n</head>\n<body>\n<main>\n" +
         oit_index_body_html(index) + "</main>\n<footer>ข้อมูล ณ วันที่ " +
         index_day_th(index.generated_on) + "</footer>\n</body>\n</html>\n";
}

}  // namespace ita::report
