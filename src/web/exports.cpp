// A round's results, item scores and anonymous raw answers as CSV/XLSX downloads, written by the
// same streaming writers as `ita export` (report/export.hpp). One round is bounded by one agency,
// so the body is built in memory here. An open round's figures are its last release, marked
// provisional, and its raw answers are not released (service/release.hpp).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/privacy.hpp"
#include "io/json_error.hpp"
#include "report/export.hpp"
#include "service/calendar.hpp"
#include "service/release.hpp"
#include "service/scoring.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"

namespace ita::web {

namespace {

enum class ExportFile { ResultsCsv, ResultsXlsx, ItemsCsv, ItemsXlsx, AnswersCsv };

struct ExportFileInfo {
  const char* name;  // the route's {file}
  ExportFile file;
  const char* download;  // the saved file's name, before "-round-N.ext"
};

constexpr ExportFileInfo kExportFiles[] = {
    {"results.csv", ExportFile::ResultsCsv, "ita-results"},
    {"results.xlsx", ExportFile::ResultsXlsx, "ita-results"},
    {"items.csv", ExportFile::ItemsCsv, "ita-item-scores"},
    {"items.xlsx", ExportFile::ItemsXlsx, "ita-item-scores"},
    {"answers.csv", ExportFile::AnswersCsv, "ita-answers"},
};

constexpr const char* kCsvType = "text/csv; charset=utf-8";
constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// CSV for people first: a BOM so Excel reads the Thai text, CRLF line ends (RFC 4180).
constexpr report::CsvOptions kWebCsv{true, true};

// The round's stored answers, for report::write_answers_csv.
report::AnswerSource answers_of(store::Store& store, std::int64_t round_id) {
  return [&store, round_id](const std::function<void(const report::AnswerRecord&)>& emit) {
    store.for_each_answer(round_id, [&](const store::AnswerRow& a) {
      emit({a.tool, a.response_id, a.unit, a.option});
    });
  };
}

}  // namespace

void Exports::add_routes(Router& router) {
  route(router, "GET", "/rounds/{id}/export/{file}", this, &Exports::table);
  route(router, "GET", "/rounds/{id}/report/{file}", this, &Exports::measures_document);
}

Response Exports::table(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round =
      web_.authorized_round(r, c, {RoundAccess::Need::View, "ไม่มีสิทธิ์ดาวน์โหลดข้อมูลของรอบนี้"});
  const std::string& name = r.params.at("file");
  const ExportFileInfo* info = nullptr;
  for (const auto& f : kExportFiles) {
    if (name == f.name) info = &f;
  }
  if (info == nullptr) {
    throw HttpError(404, "ไม่พบไฟล์ " + name +
                             " (results.csv, results.xlsx, items.csv, items.xlsx หรือ answers.csv)");
  }
  const Edition& e = web_.edition_of(round);
  const report::ExportOptions options{r.query.contains("exact") && r.query.at("exact") != "0"};
  const bool xlsx = info->file == ExportFile::ResultsXlsx || info->file == ExportFile::ItemsXlsx;
  std::string body;
  if (info->file == ExportFile::AnswersCsv) {
    service::require_answers_released(round, service::thai_today());
    std::ostringstream out;
    report::CsvWriter csv(out, kWebCsv);
    std::map<ToolId, std::size_t> counts;
    for (const auto& [tool, n] : web_.store.response_counts(round.id))
      counts[tool] = static_cast<std::size_t>(n);
    std::set<ToolId> withheld;
    for (const ToolId t : small_groups(counts, web_.options.min_respondents)) withheld.insert(t);
    report::write_answers_csv(round.id, answers_of(web_.store, round.id),
                              service::oit_verdicts(web_.store, round.id), e, csv, withheld);
    csv.flush();
    body = std::move(out).str();
  } else {
    const service::ReleasedResult s = service::released_result(
        web_.store, e, round, web_.options.min_respondents, service::thai_today());
    if (!s.result) {
      const std::string message = "ยังคำนวณผลไม่ได้: " + service::reasons(s.missing);
      if (r.wants_json()) {
        return Response::json(
            {{"error", {{"status", 409}, {"message", message}, {"missing", s.missing}}}}, 409);
      }
      return Response::error(409, message, false);
    }
    const auto agency = web_.store.agency(round.agency_id);
    const Result result = without_small_group_items(*s.result, web_.options.min_respondents);
    const report::RoundRecord record{
        {agency->id, agency->name, agency->district, agency->province, agency->type},
        round.id,
        round.edition_id,
        e,
        result,
        s.provisional};
    const Edition* editions[] = {&e};
    const bool results =
        info->file == ExportFile::ResultsCsv || info->file == ExportFile::ResultsXlsx;
    auto fill = [&](report::TableSink& sink) {
      if (results) {
        report::ResultsTable table(sink, report::indicator_columns(editions), options);
        table.add(record);
        table.finish();
      } else {
        report::ItemScoresTable table(sink, options);
        table.add(record);
        table.finish();
      }
    };
    if (xlsx) {
      body = report::xlsx_table_bytes(results ? "results" : "item_scores", fill);
    } else {
      std::ostringstream out;
      report::CsvWriter csv(out, kWebCsv);
      fill(*report::csv_table(csv));
      body = std::move(out).str();
    }
  }
  Response res = Response::text(std::move(body));
  res.content_type = xlsx ? kXlsxType : kCsvType;
  res.headers.emplace_back("Content-Disposition",
                           std::string("attachment; filename=\"") + info->download + "-round-" +
                               std::to_string(round.id) + (xlsx ? ".xlsx" : ".csv") + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace ita::web
