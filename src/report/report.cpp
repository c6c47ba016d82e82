#include "report/report.hpp"

#include "core/analysis.hpp"
#include "core/error.hpp"
#include "core/thai.hpp"
#include "io/atomic_file.hpp"
#include "io/json_error.hpp"
#include "io/result_input.hpp"
#include "report/document.hpp"
#include "report/measures_json.hpp"
#include "report/render.hpp"

namespace ita::report {

namespace {

struct Loaded {
  io::EditionSet editions;
  io::ScoredInput scored;
  Analysis analysis;
};

Loaded load(const ReportRequest& r) {
  io::EditionSet set = io::EditionSet::builtin();
  std::optional<std::string> edition = r.edition;
  if (r.edition_file) {
    const Edition& e = set.add_file(*r.edition_file);
    if (!edition) edition = e.id;
  }
  io::ScoredInput scored = io::score_file(r.input, set, io::ScoreOptions{edition});
  Analysis analysis = analyze(*scored.edition, scored.result);
  return Loaded{std::move(set), std::move(scored), std::move(analysis)};
}

MeasuresPlan plan_for(const ReportRequest& r, const Loaded& l) {
  const Edition& e = *l.scored.edition;
  if (!r.measures_file) return build_default_plan(e, l.analysis, builtin_measures_library());
  MeasuresPlan plan = load_measures(*r.measures_file);
  const auto problems = check_plan(e, plan);
  if (!problems.empty())
    throw io::FileError(*r.measures_file, problems.front().path, problems.front().message);
  return plan;
}

// "2024-07-01" → "2024-07-01T00:00:00Z"; a full UTC timestamp is kept as is.
std::optional<std::string> creation_timestamp(const std::optional<std::string>& date) {
  if (!date) return std::nullopt;
  const std::string& s = *date;
  if (parse_iso_date(s)) return s + "T00:00:00Z";
  const bool shaped =
      s.size() == 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z';
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t k = from; k < from + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
    }
    return true;
  };
  if (shaped && parse_iso_date(s.substr(0, 10)) && digits(11, 2) && digits(14, 2) &&
      digits(17, 2) && std::stoi(s.substr(11, 2)) < 24 && std::stoi(s.substr(14, 2)) < 60 &&
      std::stoi(s.substr(17, 2)) < 60) {
    return s;
  }
  throw InputError(
      "creation_date",
      "expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, found \"" + s + "\"");
}

}  // namespace

std::optional<Format> parse_format(std::string_view code) {
  if (code == "pdf") return Format::Pdf;
  if (code == "html") return Format::Html;
  if (code == "docx") return Format::Docx;
  return std::nullopt;
}

std::string render(Format f, const Document& doc, const RenderOptions& options) {
  switch (f) {
    case Format::Html:
      return render_html(doc, options);
    case Format::Docx:
      return render_docx(doc, options);
    case Format::Pdf:
      break;
  }
  return render_pdf(doc, options);
}

std::string_view content_type(Format f) {
  switch (f) {
    case Format::Html:
      return "text/html; charset=utf-8";
    case Format::Docx:
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case Format::Pdf:
      break;
  }
  return "application/pdf";
}

std::string_view format_code(Format f) {
  switch (f) {
    case Format::Html:
      return "html";
    case Format::Docx:
      return "docx";
    case Format::Pdf:
      break;
  }
  return "pdf";
}

void write_report(const ReportRequest& request) {
  const RenderOptions render_options{creation_timestamp(request.creation_date)};
  const Loaded l = load(request);
  const MeasuresPlan plan = plan_for(request, l);
  const ReportData data{*l.scored.edition, l.scored.agency, l.scored.result, l.analysis, plan};
  const Document doc = build_document(data, DocumentOptions{request.thai_digits, request.be_dates});
  io::write_file_atomically(request.out, render(request.format, doc, render_options));
}

std::string default_measures(const ReportRequest& request) {
  const Loaded l = load(request);
  return measures_json(
             build_default_plan(*l.scored.edition, l.analysis, builtin_measures_library()))
             .dump(2) +
         "\n";
}

}  // namespace ita::report
