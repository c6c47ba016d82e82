// The measures document of a round as a download (PDF, HTML or DOCX), as `ita report` writes it.
#include <charconv>

#include "core/analysis.hpp"
#include "report/document.hpp"
#include "report/measures_json.hpp"
#include "report/render.hpp"
#include "web/app.hpp"

namespace ita::web {

namespace {

struct DownloadFormat {
  const char* ext;
  const char* content_type;
};

constexpr DownloadFormat kFormats[] = {
    {"pdf", "application/pdf"},
    {"html", "text/html; charset=utf-8"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
};

}  // namespace

Response App::report_download(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  std::int64_t id = 0;
  const std::string& sid = r.params.at("id");
  std::from_chars(sid.data(), sid.data() + sid.size(), id);
  const auto round = store_.round(id);
  if (!round || !can_view_agency(c, round->agency_id)) throw HttpError(404, "ไม่พบรอบการประเมิน");
  const std::string& file = r.params.at("file");
  const DownloadFormat* format = nullptr;
  for (const auto& f : kFormats) {
    if (file == std::string("measures.") + f.ext) format = &f;
  }
  if (format == nullptr) throw HttpError(404, "ไม่พบไฟล์ " + file + " (measures.pdf, measures.html หรือ measures.docx)");
  const Edition& e = edition_of(*round);
  const RoundScore s = score_round(store_, e, *round);
  if (!s.result) {
    std::string why;
    for (const auto& m : s.missing) why += (why.empty() ? "" : "; ") + m;
    throw HttpError(409, "ยังจัดทำเอกสารไม่ได้: " + why);
  }
  const auto agency = store_.agency(round->agency_id);
  const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
  const Analysis a = analyze(e, *s.result);
  const MeasuresPlan plan = build_default_plan(e, a, report::builtin_measures_library());
  const bool thai_digits = r.query.contains("thai_digits") ? r.query.at("thai_digits") != "0" : true;
  const report::Document doc =
      report::build_document({e, info, *s.result, a, plan}, report::DocumentOptions{thai_digits, true});
  const report::RenderOptions options{};
  std::string body = format->ext == std::string("pdf")    ? report::render_pdf(doc, options)
                     : format->ext == std::string("html") ? report::render_html(doc, options)
                                                          : report::render_docx(doc, options);
  Response res = Response::text(std::move(body));
  res.content_type = format->content_type;
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"ita-measures-round-" + std::to_string(round->id) +
                                                      "." + format->ext + "\"");
  return res;
}

}  // namespace ita::web
