// The national dashboard: GET /dashboard (a Thai page) and GET /api/v1/dashboard (its model as
// JSON). Every round of the database is scored in one pass (store/national_reader.hpp) and the
// figures are kept for AppOptions::dashboard_refresh_seconds, so a national-size database is
// scanned at most once per period however many people look; the page says how old they are.
// While one request rescans, the others get the previous figures instead of waiting for it.
// An open round shows its last release of figures, or none (service/release.hpp): the dashboard
// reads releases but never takes one, since its pass holds no item scores.
// Seen by the administrator, assessors and viewers; an agency's officer sees only their own
// agency's results (as everywhere else), so not this page.
#include "core/dashboard.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <map>
#include <mutex>
#include <tuple>

#include "core/error.hpp"
#include "core/release.hpp"
#include "core/rounding.hpp"
#include "io/result_snapshot.hpp"
#include "report/chart.hpp"
#include "service/calendar.hpp"
#include "store/national_reader.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"

namespace ita::web {

using nlohmann::json;
namespace dash = ita::dashboard;

namespace {

constexpr std::size_t kPageSize = 50;
constexpr const char* kOfficersSeeTheirOwn =
    "แดชบอร์ดระดับประเทศสำหรับผู้ดูแลระบบ ผู้ประเมิน และผู้ดูผลเท่านั้น "
    "เจ้าหน้าที่ ITA ดูผลของหน่วยงานตนเองได้ที่หน้าหน่วยงาน";
constexpr const char* kToolIds[] = {"IIT", "EIT", "OIT"};

// Everything the dashboard shows, computed at one moment.
struct DashboardData {
  std::vector<dash::AgencyScore> rows;
  std::map<int, std::size_t> unscored;     // rounds without a result, per fiscal year
  std::map<int, const Edition*> editions;  // the edition of each fiscal year
  std::string as_of;                       // "YYYY-MM-DD HH:MM" Thailand time
};

std::string thailand_now() {
  const std::time_t t = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// The figures of national round `r` a reader may see today (service/release.hpp): a closed
// round's own, an open round's last release (in `releases`, by round) with its OIT as scored now;
// nothing for an open round without a release or a round that cannot be scored.
std::optional<Result> shown_result(const Edition& e, const store::NationalRound& r,
                                   const std::map<std::int64_t, std::string>& releases,
                                   std::chrono::year_month_day today) {
  if (!r.outcome.result) return std::nullopt;
  store::Round state;
  state.status = r.status;
  state.closes_at = r.closes_at;
  if (store::effective_status(state, today) == store::RoundStatus::Closed) return r.outcome.result;
  const auto it = releases.find(r.round_id);
  if (it == releases.end()) return std::nullopt;
  try {
    return with_oit_of(e, io::parse_result_snapshot(e, it->second), *r.outcome.result);
  } catch (const InputError&) {
    return std::nullopt;  // a release that does not read back: the round's page says so
  }
}

DashboardData load(const std::string& url, const io::EditionSet& editions, store::Store& store) {
  DashboardData d;
  std::map<std::int64_t, std::string> releases;
  for (auto& r : store.result_releases()) releases.emplace(r.round_id, std::move(r.result_json));
  const auto today = service::thai_today();
  store::score_all_rounds(
      url, [&](std::string_view id) { return editions.find(id); },
      [&](store::NationalRound&& r) {
        const Edition* e = editions.find(r.edition_id);
        if (e == nullptr) return;
        d.editions.try_emplace(e->fiscal_year, e);
        const std::optional<Result> shown = shown_result(*e, r, releases, today);
        if (!shown) {
          ++d.unscored[e->fiscal_year];
          return;
        }
        const Result& result = *shown;
        dash::AgencyScore s;
        s.round_id = r.round_id;
        s.agency_id = r.agency.id;
        s.name = std::move(r.agency.name);
        s.province = std::move(r.agency.province);
        s.type = std::move(r.agency.type);
        s.fiscal_year = e->fiscal_year;
        for (std::size_t t = 0; t < 3; ++t) s.tools[t] = round2(result.tool_score(kAllTools[t]));
        s.total = round2(result.total);
        s.level_code = result.level.code;
        s.level_th = result.level.label_th;
        s.level_index = result.level.rule_index;
        d.rows.push_back(std::move(s));
      });
  d.rows = dash::latest_per_agency_and_year(std::move(d.rows));
  d.as_of = thailand_now();
  return d;
}

std::string query(const Request& r, const char* key) {
  const auto it = r.query.find(key);
  return it == r.query.end() ? "" : it->second;
}

int int_query(const Request& r, const char* key, int fallback, const char* label_th) {
  const std::string v = query(r, key);
  if (v.empty()) return fallback;
  int n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 1) {
    throw HttpError(400, std::string(label_th) + "ต้องเป็นจำนวนเต็มบวก (ได้รับ \"" + v + "\")");
  }
  return n;
}

json scores(const std::array<Rounded, 3>& tools, Rounded total) {
  json j = {{"total", format2(total)}};
  for (std::size_t t = 0; t < 3; ++t) j[kToolIds[t]] = format2(tools[t]);
  return j;
}

json group_json(const dash::Group& g, const std::vector<GradeRule>& levels) {
  json j = {{"key", g.key}, {"suppressed", g.suppressed}};
  if (g.suppressed) return j;
  j["count"] = g.count;
  j["scores"] = scores(g.mean_tools, g.mean_total);
  json lv = json::array();
  for (std::size_t i = 0; i < g.level_counts.size() && i < levels.size(); ++i) {
    lv.push_back({{"code", levels[i].code}, {"count", g.level_counts[i]}});
  }
  j["levels"] = lv;
  return j;
}

// Bars of the histogram of totals, scaled to the fullest bin.
std::string histogram_svg(const std::vector<dash::Bin>& bins) {
  std::size_t top = 1;
  for (const auto& b : bins) top = std::max(top, b.count);
  const double base = 170, bar = 400.0 / static_cast<double>(bins.size());
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 440 200\" role=\"img\" "
      "aria-label=\"การกระจายของคะแนนรวม\">";
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const double height = 150.0 * static_cast<double>(bins[i].count) / static_cast<double>(top);
    const double x = 30 + bar * static_cast<double>(i);
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(base - height) +
           "\" width=\"" + std::to_string(bar - 2) + "\" height=\"" + std::to_string(height) +
           "\" fill=\"" + (bins[i].from >= 85 ? "#2e7d32" : "#c62828") + "\"><title>" +
           std::to_string(bins[i].from) + "–" + std::to_string(bins[i].to) + ": " +
           std::to_string(bins[i].count) + "</title></rect>";
    if (i % 4 == 0) {
      svg += "<text x=\"" + std::to_string(x) + "\" y=\"188\" font-size=\"11\">" +
             std::to_string(bins[i].from) + "</text>";
    }
  }
  svg += "<text x=\"410\" y=\"188\" font-size=\"11\">100</text><line x1=\"30\" y1=\"" +
         std::to_string(base) + "\" x2=\"430\" y2=\"" + std::to_string(base) +
         "\" stroke=\"#555\"/>";
  return svg + "</svg>";
}

// The mean total per fiscal year as bars on the 0–100 chart of the result page.
std::string trend_svg(const std::vector<dash::TrendPoint>& points) {
  report::BarChart chart;
  chart.threshold = 85;
  chart.threshold_label = "เกณฑ์ 85";
  chart.x_label = "ปีงบประมาณ";
  chart.y_label = "คะแนนรวมเฉลี่ย";
  for (int t = 0; t <= 100; t += 20) chart.y_tick_labels.push_back(std::to_string(t));
  for (const auto& p : points) {
    if (p.suppressed) continue;
    chart.bars.push_back({std::to_string(p.fiscal_year), p.mean_total.value(),
                          format2(p.mean_total), p.mean_total >= to_hundredths(85)});
  }
  return report::bar_chart_svg(chart);
}

std::string page_link(const dash::Filter& f, dash::SortKey key, bool desc, std::size_t page) {
  std::string q = "/dashboard?year=" + std::to_string(f.fiscal_year);
  if (!f.province.empty()) q += "&province=" + url_encode(f.province);
  if (!f.type.empty()) q += "&type=" + url_encode(f.type);
  q += "&sort=" + std::string(dash::sort_key_code(key)) + "&dir=" + (desc ? "desc" : "asc");
  if (page > 1) q += "&page=" + std::to_string(page);
  return q;
}

}  // namespace

// The scored figures, reused for `refresh` after the scan that made them started. One request
// at a time scans; while it does, the others get the previous figures (or, before the first
// scan has finished, wait for it).
struct Dashboard::Cache {
  std::mutex mutex;
  std::condition_variable loaded_cv;
  std::shared_ptr<const DashboardData> data;
  std::chrono::steady_clock::time_point loaded;
  bool loading = false;

  std::shared_ptr<const DashboardData> get(std::chrono::seconds refresh, const std::string& url,
                                           const io::EditionSet& editions, store::Store& store) {
    std::unique_lock lock(mutex);
    for (;;) {
      if (data && std::chrono::steady_clock::now() - loaded < refresh) return data;
      if (!loading) break;
      if (data) return data;  // someone is rescanning: the previous figures meanwhile
      loaded_cv.wait(lock);
    }
    loading = true;
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    std::shared_ptr<const DashboardData> fresh;
    try {
      fresh = std::make_shared<const DashboardData>(load(url, editions, store));
    } catch (...) {
      lock.lock();
      loading = false;
      loaded_cv.notify_all();
      throw;
    }
    lock.lock();
    data = fresh;
    loaded = started;
    loading = false;
    loaded_cv.notify_all();
    return fresh;
  }
};

Dashboard::Dashboard(Context& web) : web_(web), cache_(std::make_unique<Cache>()) {}

Dashboard::~Dashboard() = default;

void Dashboard::add_routes(Router& router) {
  route(router, "GET", "/dashboard", this, &Dashboard::page);
  route(router, "GET", "/api/v1/dashboard", this, &Dashboard::api);
}

Caller Dashboard::viewer(const Request& r) {
  Caller c = web_.signed_in(r);
  if (!web_.can_view_dashboard(c)) throw HttpError(403, kOfficersSeeTheirOwn);
  return c;
}

nlohmann::json Dashboard::model(const Request& r) {
  const AppOptions& settings = web_.options;
  if (settings.db_url.empty()) throw HttpError(404, "ไม่ได้เปิดใช้แดชบอร์ดระดับประเทศ");
  const std::shared_ptr<const DashboardData> data =
      cache_->get(std::chrono::seconds(settings.dashboard_refresh_seconds), settings.db_url,
                  web_.editions.snapshot(), web_.store);
  const std::vector<int> years = dash::fiscal_years(data->rows);
  dash::Filter f;
  f.fiscal_year = years.empty() ? 0 : years.back();
  f.fiscal_year = int_query(r, "year", f.fiscal_year, "ปีงบประมาณ");
  if (!years.empty() && !data->editions.contains(f.fiscal_year)) {
    std::string known;
    for (int y : years) known += (known.empty() ? "" : ", ") + std::to_string(y);
    throw HttpError(
        400, "ไม่มีผลการประเมินของปีงบประมาณ " + std::to_string(f.fiscal_year) + " (มี: " + known + ")");
  }
  f.province = query(r, "province");
  f.type = query(r, "type");
  const std::string sort_code = query(r, "sort").empty() ? "rank" : query(r, "sort");
  const auto key = dash::parse_sort_key(sort_code);
  if (!key) {
    throw HttpError(400,
                    "เรียงตาม \"" + sort_code +
                        "\" ไม่ได้: ใช้ name, province, type, iit, eit, oit, total, level หรือ rank");
  }
  const std::string dir = query(r, "dir");
  if (!dir.empty() && dir != "asc" && dir != "desc")
    throw HttpError(400, "ทิศทางการเรียงต้องเป็น asc หรือ desc");
  const bool desc = dir.empty() ? dash::descending_by_default(*key) : dir == "desc";
  const auto page = static_cast<std::size_t>(int_query(r, "page", 1, "หน้า"));

  const auto edition = data->editions.find(f.fiscal_year);
  const std::vector<GradeRule> no_rules;
  const auto& rules = edition == data->editions.end() ? no_rules : edition->second->grading.rules;
  dash::Summary s = dash::summarize(data->rows, rules, f, settings.dashboard_min_group);
  dash::sort_rows(s.rows, *key, desc);

  json m;
  m["as_of"] = data->as_of;
  m["fiscal_year"] = f.fiscal_year;
  m["fiscal_years"] = years;
  m["province"] = f.province;
  m["type"] = f.type;
  m["sort"] = sort_code;
  m["dir"] = desc ? "desc" : "asc";
  m["min_group"] = settings.dashboard_min_group;
  m["agencies"] = s.suppressed ? json(nullptr) : json(s.agencies);
  const auto unscored = data->unscored.find(f.fiscal_year);
  m["unscored_rounds"] = unscored == data->unscored.end() ? 0 : unscored->second;
  m["suppressed"] = s.suppressed;
  if (!s.suppressed) {
    m["mean_total"] = format2(s.mean_total);
    json bins = json::array();
    for (const auto& b : s.histogram)
      bins.push_back({{"from", b.from}, {"to", b.to}, {"count", b.count}});
    m["histogram"] = bins;
    json levels = json::array();
    for (const auto& l : s.levels) {
      levels.push_back({{"code", l.code},
                        {"label_th", l.label_th},
                        {"count", l.count},
                        {"percent", format2(round2(l.percent))}});
    }
    m["levels"] = levels;
  }
  json provinces = json::array(), types = json::array();
  for (const auto& g : s.provinces) provinces.push_back(group_json(g, rules));
  for (const auto& g : s.types) types.push_back(group_json(g, rules));
  m["provinces"] = provinces;
  m["types"] = types;
  json trend = json::array();
  for (const auto& p : dash::trend(data->rows, f, settings.dashboard_min_group)) {
    json j = {{"fiscal_year", p.fiscal_year}, {"suppressed", p.suppressed}};
    if (!p.suppressed) {
      j["count"] = p.count;
      j["scores"] = scores(p.mean_tools, p.mean_total);
    }
    trend.push_back(j);
  }
  m["trend"] = trend;
  const std::size_t pages = std::max<std::size_t>(1, (s.rows.size() + kPageSize - 1) / kPageSize);
  if (page > pages) throw HttpError(400, "มีเพียง " + std::to_string(pages) + " หน้า");
  m["page"] = page;
  m["pages"] = pages;
  json rows = json::array();
  for (std::size_t i = (page - 1) * kPageSize; i < std::min(s.rows.size(), page * kPageSize); ++i) {
    const auto& a = s.rows[i];
    rows.push_back({{"agency_id", a.agency_id},
                    {"round_id", a.round_id},
                    {"name", a.name},
                    {"province", a.province},
                    {"type", a.type},
                    {"scores", scores(a.tools, a.total)},
                    {"level", {{"code", a.level_code}, {"label_th", a.level_th}}},
                    {"national_rank", a.national_rank},
                    {"province_rank", a.province_rank}});
  }
  m["rows"] = rows;
  // For the page only: links and charts.
  json links;
  for (dash::SortKey k : dash::kSortKeys) {
    const bool next_desc = k == *key ? !desc : dash::descending_by_default(k);
    // The current column's header shows its direction: ▲ ascending, ▼ descending.
    links[std::string(dash::sort_key_code(k))] = {{"href", page_link(f, k, next_desc, 1)},
                                                  {"mark", k == *key ? (desc ? " ▼" : " ▲") : ""}};
  }
  m["sort_links"] = links;
  json codes = json::array();
  for (const auto& rule : rules) codes.push_back(rule.code);
  m["level_codes"] = codes;
  const dash::Choices choices = dash::choices(data->rows, f.fiscal_year);
  for (const auto& [name, list, chosen] :
       {std::tuple{"province_options", &choices.provinces, &f.province},
        std::tuple{"type_options", &choices.types, &f.type}}) {
    json options = json::array();
    for (const auto& v : *list) options.push_back({{"value", v}, {"selected", v == *chosen}});
    m[name] = options;
  }
  if (page > 1) m["prev_link"] = page_link(f, *key, desc, page - 1);
  if (page < pages) m["next_link"] = page_link(f, *key, desc, page + 1);
  if (!s.suppressed) m["histogram_svg"] = histogram_svg(s.histogram);
  if (trend.size() > 1)
    m["trend_svg"] = trend_svg(dash::trend(data->rows, f, settings.dashboard_min_group));
  return m;
}

Response Dashboard::page(Request& r) {
  Caller c = viewer(r);
  const std::size_t min_group = web_.options.dashboard_min_group;
  json m = web_.page_model(c, "แดชบอร์ดผลการประเมินระดับประเทศ");
  json d = model(r);
  // The page's copy of the model; rows are shown, the JSON is at /api/v1/dashboard.
  for (auto& [k, v] : d.items()) m["d"][k] = v;
  m["d"]["has_rows"] = !d["rows"].empty();
  m["d"]["has_trend"] = d.contains("trend_svg");
  m["d"]["min_group"] = min_group;
  json years = json::array();
  for (const auto& y : d["fiscal_years"])
    years.push_back({{"year", y}, {"selected", y == d["fiscal_year"]}});
  m["d"]["year_options"] = years;
  m["d"]["group_colspan"] = 5 + d["level_codes"].size();
  for (const char* section : {"provinces", "types"}) {
    for (auto& g : m["d"][section]) {
      if (!g.value("suppressed", false)) continue;
      g["note"] = "น้อยกว่า " + std::to_string(min_group) + " หน่วยงาน ไม่แสดงผล";
    }
  }
  return web_.page("dashboard", m);
}

Response Dashboard::api(Request& r) {
  viewer(r);
  json d = model(r);
  for (const char* page_only : {"sort_links", "prev_link", "next_link", "histogram_svg",
                                "trend_svg", "level_codes", "province_options", "type_options"})
    d.erase(page_only);
  return Response::json(d);
}

}  // namespace ita::web
