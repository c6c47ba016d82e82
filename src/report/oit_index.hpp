#pragma once
// An agency's public OIT index (core/oit_index.hpp) as HTML: the body the web's public page
// /p/{agency}/oit/{year} shows inside its layout, and the self-contained page `ita oit index`
// writes for the agency's own website. Every text and URL is escaped (xml_escape); only http(s)
// URLs become links.
#include <chrono>
#include <string>

#include "core/oit_index.hpp"

namespace ita::report {

// A day as the index shows it: "3 ธ.ค. 2569" (abbreviated Thai month, Buddhist Era year).
// Precondition: d.ok().
std::string index_day_th(std::chrono::year_month_day d);

// The index's HTML body: the agency's name (<h1>), the heading "การเปิดเผยข้อมูลสาธารณะ (OIT)
// ประจำปีงบประมาณ พ.ศ. …", its website when known, and a table (caption, th scope) of the items
// in order: code, name, each evidence URL as a link (rel="noopener nofollow", a new tab) or
// "ยังไม่มีลิงก์", and "ตรวจล่าสุด" (index_day_th, or "—"). No script, no style. Pure.
std::string oit_index_body_html(const OitIndex& index);

// A whole page, lang="th", with its CSS inline (the Thai font stack "Sarabun, 'TH Sarabun New',
// Loma, sans-serif"), no script and no link to any other file: oit_index_body_html and the day it
// was made, to publish as it is. Pure.
std::string oit_index_document(const OitIndex& index);

}  // namespace ita::report
