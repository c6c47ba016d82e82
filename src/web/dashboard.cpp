// The national dashboard: GET /dashboard (a Thai page) and GET /api/v1/dashboard (its model as
// JSON). Every round of the database is scored in one pass (store/national_reader.hpp) and the
// figures are kept for AppOptions::dashboard_refresh_seconds, so a national-size database is
// scanned at most once per period however many people look; the page says how old they are.
// A rescan runs on a thread of its own while requests get the previous figures.
// An open round shows its last release of figures, or none (service/release.hpp): the dashboard
// reads releases but never takes one, since its pass holds no item scores.
// Seen by the administrator, assessors and viewers; an agency's officer sees only their own
// agency's results (as everywhere else), so not this page.
#include "core/dashboard.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>

#include "core/error.hpp"
#include "core/release.hpp"
#include "core/rounding.hpp"
#include "core/thai.hpp"
#include "io/json_error.hpp"
#include "io/result_snapshot.hpp"
#include "report/chart.hpp"
#include "report/export.hpp"
#include "service/calendar.hpp"
#include "store/national_reader.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/views.hpp"

namespace ita::web {

using nlohmann::json;
namespace dash = ita::dashboard;

namespace {

constexpr std::size_t kPageSize = 50;
constexpr const char* kOfficersSeeTheirOwn =
    "แดชบอร์ดระดับประเทศสำหรับผู้ดูแลระบบ ผู้ประเมิน และผู้ดูผลเท่านั้น "
    "เจ้าหน้าที่ ITA ดูผลของหน่วยงานตนเองได้ที่หน้าหน่วยงาน";
constexpr const char* kToolIds[] = {"IIT", "EIT", "OIT"};

}  // namespace

// Everything the dashboard shows, computed at one moment (declared in web/areas.hpp).
struct DashboardData {
  std::vector<dash::AgencyScore> rows;
  std::map<int, std::size_t> unscored;     // rounds without a result, per fiscal year
  std::map<int, const Edition*> editions;  // the edition of each fiscal year
  std::string as_of;                       // "YYYY-MM-DD HH:MM" Thailand time
};

namespace {

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

// The distribution of totals: counts per 5-point bin, 85 and above in the "meets" colour.
std::string histogram_svg(const std::vector<dash::Bin>& bins) {
  report::Histogram chart;
  chart.title = "การกระจายของคะแนนรวม: จำนวนหน่วยงานในแต่ละช่วงคะแนน";
  chart.x_label = "คะแนนรวม";
  chart.y_label = "จำนวนหน่วยงาน";
  chart.strong_legend = "85 คะแนนขึ้นไป";
  chart.weak_legend = "ต่ำกว่า 85 คะแนน";
  for (const auto& b : bins)
    chart.bins.push_back({double(b.from), double(b.to), b.count, b.from >= 85});
  return report::histogram_svg(chart);
}

// The mean total of each province shown (not suppressed), best first; ties by name.
std::string provinces_svg(const std::vector<dash::Group>& provinces) {
  std::vector<const dash::Group*> shown;
  for (const auto& g : provinces) {
    if (!g.suppressed) shown.push_back(&g);
  }
  std::stable_sort(shown.begin(), shown.end(), [](const dash::Group* a, const dash::Group* b) {
    return a->mean_total > b->mean_total;
  });
  report::RankedBarChart chart;
  chart.title = "คะแนนรวมเฉลี่ยรายจังหวัด เรียงจากมากไปน้อย";
  chart.x_label = "คะแนนรวมเฉลี่ย";
  chart.threshold_label = "เกณฑ์ 85";
  chart.strong_legend = "85 คะแนนขึ้นไป";
  chart.weak_legend = "ต่ำกว่า 85 คะแนน";
  for (const dash::Group* g : shown) {
    chart.bars.push_back({g->key, g->mean_total.value(), format2(g->mean_total),
                          g->mean_total >= to_hundredths(85)});
  }
  return report::ranked_bar_chart_svg(chart);
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

// The query of the page's filters and search ("year=2569&province=…&q=…"), without the order.
std::string filter_query(const dash::Filter& f, const std::string& search) {
  std::string q = "year=" + std::to_string(f.fiscal_year);
  if (!f.province.empty()) q += "&province=" + url_encode(f.province);
  if (!f.type.empty()) q += "&type=" + url_encode(f.type);
  if (!search.empty()) q += "&q=" + url_encode(search);
  return q;
}

std::string order_query(dash::SortKey key, bool desc) {
  return "sort=" + std::string(dash::sort_key_code(key)) + "&dir=" + (desc ? "desc" : "asc");
}

std::string page_link(const dash::Filter& f, const std::string& search, dash::SortKey key,
                      bool desc, std::size_t page) {
  std::string q = "/dashboard?" + filter_query(f, search) + "&" + order_query(key, desc);
  if (page > 1) q += "&page=" + std::to_string(page);
  return q;
}

// `s` with ASCII letters in lower case (Thai has no case).
std::string folded(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// The search text of `q`: trimmed, 100 bytes at most (HttpError 400 beyond).
std::string search_text(const std::string& q) {
  const auto from = q.find_first_not_of(" \t\r\n");
  if (from == std::string::npos) return "";
  const std::string t = q.substr(from, q.find_last_not_of(" \t\r\n") - from + 1);
  if (t.size() > 100) throw HttpError(400, "คำค้นหาหน่วยงานยาวเกิน 100 ไบต์");
  return t;
}

// What one request asks of the figures: the year, filters, search and order, and the summary
// they give. The summary's rows are those whose name contains the search (as typed, letters of
// other scripts than Thai in any case), in the requested order; its figures (counts, means,
// levels) are the filter's, whatever the search.
struct Selection {
  std::vector<int> years;
  dash::Filter filter;
  std::string search;
  std::string sort_code;
  dash::SortKey key = dash::SortKey::Rank;
  bool desc = false;
  const std::vector<GradeRule>* rules = nullptr;
  dash::Summary summary;
};

Selection select_rows(const Request& r, const DashboardData& data, std::size_t min_group) {
  static const std::vector<GradeRule> no_rules;
  Selection sel;
  sel.years = dash::fiscal_years(data.rows);
  dash::Filter& f = sel.filter;
  f.fiscal_year = sel.years.empty() ? 0 : sel.years.back();
  f.fiscal_year = int_query(r, "year", f.fiscal_year, "ปีงบประมาณ");
  if (!sel.years.empty() && !data.editions.contains(f.fiscal_year)) {
    std::string known;
    for (int y : sel.years) known += (known.empty() ? "" : ", ") + std::to_string(y);
    throw HttpError(
        400, "ไม่มีผลการประเมินของปีงบประมาณ " + std::to_string(f.fiscal_year) + " (มี: " + known + ")");
  }
  f.province = query(r, "province");
  f.type = query(r, "type");
  sel.search = search_text(query(r, "q"));
  sel.sort_code = query(r, "sort").empty() ? "rank" : query(r, "sort");
  const auto key = dash::parse_sort_key(sel.sort_code);
  if (!key) {
    throw HttpError(400,
                    "เรียงตาม \"" + sel.sort_code +
                        "\" ไม่ได้: ใช้ name, province, type, iit, eit, oit, total, level หรือ rank");
  }
  sel.key = *key;
  const std::string dir = query(r, "dir");
  if (!dir.empty() && dir != "asc" && dir != "desc")
    throw HttpError(400, "ทิศทางการเรียงต้องเป็น asc หรือ desc");
  sel.desc = dir.empty() ? dash::descending_by_default(*key) : dir == "desc";
  const auto edition = data.editions.find(f.fiscal_year);
  sel.rules = edition == data.editions.end() ? &no_rules : &edition->second->grading.rules;
  sel.summary = dash::summarize(data.rows, *sel.rules, f, min_group);
  if (!sel.search.empty()) {
    const std::string needle = folded(sel.search);
    std::erase_if(sel.summary.rows, [&](const dash::AgencyScore& a) {
      return folded(a.name).find(needle) == std::string::npos;
    });
  }
  dash::sort_rows(sel.summary.rows, *key, sel.desc);
  return sel;
}

// The rows of the agency table, in their order, as report/export's tables write them: text cells
// neutralised against formulas in CSV, scores as numbers.
void agency_table(report::TableSink& sink, const std::vector<dash::AgencyScore>& rows) {
  sink.columns({{"national_rank", "อันดับ", 8},
                {"agency_id", "รหัสหน่วยงาน", 12},
                {"agency_name", "หน่วยงาน", 40},
                {"province", "จังหวัด", 16},
                {"agency_type", "ประเภทหน่วยงาน", 18},
                {"fiscal_year", "ปีงบประมาณ", 11},
                {"iit", "IIT", 8},
                {"eit", "EIT", 8},
                {"oit", "OIT", 8},
                {"total", "คะแนนรวม", 10},
                {"level_code", "ระดับ", 8},
                {"province_rank", "อันดับในจังหวัด", 14}});
  for (const auto& a : rows) {
    const report::TableCell cells[] = {
        report::TableCell::of_integer(static_cast<std::int64_t>(a.national_rank)),
        report::TableCell::of_integer(a.agency_id),
        report::TableCell::of_text(a.name),
        report::TableCell::of_text(a.province),
        report::TableCell::of_text(a.type),
        report::TableCell::of_integer(a.fiscal_year),
        report::TableCell::of_score(a.tools[0].value()),
        report::TableCell::of_score(a.tools[1].value()),
        report::TableCell::of_score(a.tools[2].value()),
        report::TableCell::of_score(a.total.value()),
        report::TableCell::of_text(a.level_code),
        report::TableCell::of_integer(static_cast<std::int64_t>(a.province_rank))};
    sink.row(cells);
  }
  sink.finish();
}

// What only the page shows (the API leaves them out): sort and page links, filter choices,
// download links, charts.
void add_page_parts(json& m, const Selection& sel, const DashboardData& data, std::size_t page,
                    std::size_t pages, const std::vector<dash::TrendPoint>& points) {
  const dash::Filter& f = sel.filter;
  const dash::Summary& s = sel.summary;
  json links;
  for (dash::SortKey k : dash::kSortKeys) {
    const bool next_desc = k == sel.key ? !sel.desc : dash::descending_by_default(k);
    // The current column's header shows its direction: ▲ ascending, ▼ descending.
    links[std::string(dash::sort_key_code(k))] = {
        {"href", page_link(f, sel.search, k, next_desc, 1)},
        {"mark", k == sel.key ? (sel.desc ? " ▼" : " ▲") : ""}};
  }
  m["sort_links"] = links;
  json codes = json::array();
  for (const auto& rule : *sel.rules) codes.push_back(rule.code);
  m["level_codes"] = codes;
  const dash::Choices choices = dash::choices(data.rows, f.fiscal_year);
  for (const auto& [name, list, chosen] :
       {std::tuple{"province_options", &choices.provinces, &f.province},
        std::tuple{"type_options", &choices.types, &f.type}}) {
    json options = json::array();
    for (const auto& v : *list) options.push_back({{"value", v}, {"selected", v == *chosen}});
    m[name] = options;
  }
  if (page > 1) m["prev_link"] = page_link(f, sel.search, sel.key, sel.desc, page - 1);
  if (page < pages) m["next_link"] = page_link(f, sel.search, sel.key, sel.desc, page + 1);
  const std::string download = filter_query(f, sel.search) + "&" + order_query(sel.key, sel.desc);
  m["csv_link"] = "/dashboard/export/agencies.csv?" + download;
  m["xlsx_link"] = "/dashboard/export/agencies.xlsx?" + download;
  if (!s.suppressed) m["histogram_svg"] = histogram_svg(s.histogram);
  if (std::any_of(s.provinces.begin(), s.provinces.end(),
                  [](const dash::Group& g) { return !g.suppressed; }))
    m["provinces_svg"] = provinces_svg(s.provinces);
  if (points.size() > 1) m["trend_svg"] = trend_svg(points);
}

}  // namespace

// The scored figures, reused for `refresh` after the scan that made them started. When they are
// older, the request that notices it starts a rescan on the cache's own thread and, like every
// request meanwhile, gets the previous figures: no request waits for a national scan, except
// before the first one has finished (there are no figures to show yet) and with a refresh of 0
// (every request asks for figures as of now).
struct Dashboard::Cache {
  std::mutex mutex;  // guards everything below
  std::condition_variable loaded_cv;
  std::shared_ptr<const DashboardData> data;
  std::chrono::steady_clock::time_point loaded;
  bool loading = false;
  std::exception_ptr failed;  // the last scan's error, for requests that have no figures yet
  std::thread rescan;         // the background scan; joined before the next and on destruction

  ~Cache() {
    std::unique_lock lock(mutex);
    loaded_cv.wait(lock, [&] { return !loading; });
    lock.unlock();
    if (rescan.joinable()) rescan.join();
  }

  // Scans (without the lock) and publishes the result; returns the figures or throws.
  std::shared_ptr<const DashboardData> scan(std::unique_lock<std::mutex>& lock,
                                            const std::string& url, const io::EditionSet& editions,
                                            store::Store& store) {
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    std::shared_ptr<const DashboardData> fresh;
    std::exception_ptr error;
    try {
      fresh = std::make_shared<const DashboardData>(load(url, editions, store));
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (fresh) {
      data = fresh;
      loaded = started;
    }
    failed = error;
    loading = false;
    loaded_cv.notify_all();
    if (error) std::rethrow_exception(error);
    return fresh;
  }

  std::shared_ptr<const DashboardData> get(std::chrono::seconds refresh, const std::string& url,
                                           const io::EditionSet& editions, store::Store& store) {
    std::unique_lock lock(mutex);
    if (refresh.count() == 0) {  // figures as of now: this request scans (one at a time)
      loaded_cv.wait(lock, [&] { return !loading; });
      loading = true;
      return scan(lock, url, editions, store);
    }
    if (data && std::chrono::steady_clock::now() - loaded < refresh) return data;
    if (!loading) {
      loading = true;
      if (rescan.joinable()) rescan.join();  // the previous scan has finished (loading was false)
      // Its own copy of the editions (a map of shared pointers): the caller's is a snapshot.
      rescan = std::thread([this, url, editions, &store] {
        std::unique_lock inner(mutex);
        try {
          scan(inner, url, editions, store);
        } catch (const std::exception& e) {
          std::cerr << "ita serve: the dashboard's figures could not be refreshed: " << e.what()
                    << std::endl;
        }
      });
    }
    if (data) return data;  // the previous figures while the rescan runs
    loaded_cv.wait(lock, [&] { return !loading; });
    if (!data && failed) std::rethrow_exception(failed);
    return data;
  }

  // The figures of the database `web` serves, at most dashboard_refresh_seconds old.
  std::shared_ptr<const DashboardData> figures(Context& web) {
    const AppOptions& settings = web.options;
    if (settings.db_url.empty()) throw HttpError(404, "ไม่ได้เปิดใช้แดชบอร์ดระดับประเทศ");
    return get(std::chrono::seconds(settings.dashboard_refresh_seconds), settings.db_url,
               web.editions.snapshot(), web.store);
  }
};

// Rendered bodies of the page for the current figures: every request with the same query and
// caller kind gets the same bytes until the figures change, so under load a page costs what
// its layout costs, not a render of the whole model (bench/README.md, http_dashboard).
class Dashboard::Pages {
 public:
  // The body stored for `key` with these very figures, or null.
  std::shared_ptr<const std::string> find(const std::shared_ptr<const DashboardData>& figures,
                                          const std::string& key) {
    std::lock_guard lock(mutex_);
    if (figures != figures_) return nullptr;
    const auto it = bodies_.find(key);
    return it == bodies_.end() ? nullptr : it->second;
  }
  // Stores a body; bodies of older figures are dropped, and the oldest beyond kMax.
  void put(const std::shared_ptr<const DashboardData>& figures, std::string key,
           std::shared_ptr<const std::string> body) {
    std::lock_guard lock(mutex_);
    if (figures != figures_) {
      figures_ = figures;
      bodies_.clear();
      order_.clear();
    }
    if (!bodies_.emplace(key, std::move(body)).second) return;
    order_.push_back(std::move(key));
    if (order_.size() > kMax) {
      bodies_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  static constexpr std::size_t kMax = 256;  // about 100 KiB each at national scale
  std::mutex mutex_;                        // guards everything below
  std::shared_ptr<const DashboardData> figures_;
  std::map<std::string, std::shared_ptr<const std::string>> bodies_;
  std::deque<std::string> order_;  // keys, oldest first
};

Dashboard::Dashboard(Context& web)
    : web_(web), cache_(std::make_unique<Cache>()), pages_(std::make_unique<Pages>()) {}

Dashboard::~Dashboard() = default;

void Dashboard::add_routes(Router& router) {
  route(router, "GET", "/dashboard", this, &Dashboard::page);
  route(router, "GET", "/api/v1/dashboard", this, &Dashboard::api);
  route(router, "GET", "/dashboard/export/{file}", this, &Dashboard::download);
}

Caller Dashboard::viewer(const Request& r) {
  Caller c = web_.signed_in(r);
  if (!web_.can_view_dashboard(c)) throw HttpError(403, kOfficersSeeTheirOwn);
  return c;
}

nlohmann::json Dashboard::model(const Request& r, const DashboardData& figures) {
  const AppOptions& settings = web_.options;
  const DashboardData* data = &figures;
  const Selection sel = select_rows(r, *data, settings.dashboard_min_group);
  const dash::Filter& f = sel.filter;
  const dash::Summary& s = sel.summary;
  const auto page = static_cast<std::size_t>(int_query(r, "page", 1, "หน้า"));

  json m;
  m["as_of"] = data->as_of;
  m["fiscal_year"] = f.fiscal_year;
  m["fiscal_years"] = sel.years;
  m["province"] = f.province;
  m["type"] = f.type;
  m["q"] = sel.search;
  m["sort"] = sel.sort_code;
  m["dir"] = sel.desc ? "desc" : "asc";
  m["min_group"] = settings.dashboard_min_group;
  m["agencies"] = s.suppressed ? json(nullptr) : json(s.agencies);
  m["matches"] = s.rows.size();
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
  for (const auto& g : s.provinces) provinces.push_back(group_json(g, *sel.rules));
  for (const auto& g : s.types) types.push_back(group_json(g, *sel.rules));
  m["provinces"] = provinces;
  m["types"] = types;
  const std::vector<dash::TrendPoint> points =
      dash::trend(data->rows, f, settings.dashboard_min_group);
  json trend = json::array();
  for (const auto& p : points) {
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
  add_page_parts(m, sel, *data, page, pages, points);
  return m;
}

// The body of the page (templates/dashboard.mustache, without the layout) for the figures, the
// request's query and what the caller may open.
std::string Dashboard::body(const Request& r, const Caller& c, const DashboardData& figures) {
  const std::size_t min_group = web_.options.dashboard_min_group;
  json m;
  json d = model(r, figures);
  // The page's copy of the model; rows are shown, the JSON is at /api/v1/dashboard.
  for (auto& [k, v] : d.items()) m["d"][k] = v;
  json& p = m["d"];
  p["has_rows"] = !d["rows"].empty();
  p["has_trend"] = d.contains("trend_svg");
  p["has_provinces_chart"] = d.contains("provinces_svg");
  p["min_group"] = min_group;
  const bool has_province = !d["province"].get<std::string>().empty();
  const bool has_type = !d["type"].get<std::string>().empty();
  const bool has_q = !d["q"].get<std::string>().empty();
  p["has_province"] = has_province;
  p["has_type"] = has_type;
  p["has_q"] = has_q;
  p["filtered"] = has_province || has_type || has_q;
  json years = json::array();
  for (const auto& y : d["fiscal_years"])
    years.push_back({{"year", y}, {"selected", y == d["fiscal_year"]}});
  p["year_options"] = years;
  p["group_colspan"] = 5 + d["level_codes"].size();
  p["province_count"] = d["provinces"].size();
  std::size_t withheld = 0;
  for (const auto& g : d["provinces"]) withheld += g.value("suppressed", false) ? 1 : 0;
  p["provinces_withheld"] = withheld;
  p["has_provinces_withheld"] = withheld > 0;
  // People read the time of the figures as a Thai date: "3 ธ.ค. 2569 21:57".
  const std::string as_of = d["as_of"];
  if (const auto day = parse_iso_date(std::string_view(as_of).substr(0, 10))) {
    p["as_of_th"] = std::to_string(static_cast<unsigned>(day->day())) + " " +
                    std::string(thai_month_abbrev(static_cast<unsigned>(day->month()))) + " " +
                    std::to_string(static_cast<int>(day->year()) + 543) + as_of.substr(10);
  } else {
    p["as_of_th"] = as_of;
  }
  p["type_count"] = d["types"].size();
  p["level_count"] = d["level_codes"].size();
  for (const char* section : {"provinces", "types"}) {
    for (auto& g : p[section]) {
      if (!g.value("suppressed", false)) continue;
      g["note"] = "น้อยกว่า " + std::to_string(min_group) + " หน่วยงาน ไม่แสดงผล";
    }
  }
  // A level reads once: "AA", or "ดีมาก (AA)" when an edition names it otherwise.
  if (p.contains("levels")) {
    for (auto& l : p["levels"]) {
      const std::string code = l["code"], label = l["label_th"];
      l["text"] = label == code || label.empty() ? code : label + " (" + code + ")";
    }
  }
  // Names link to the agency's page for those who may open it (context.hpp, can_view_agency).
  for (auto& row : p["rows"]) {
    const std::int64_t id = row["agency_id"];
    if (web_.can_view_agency(c, id)) row["href"] = "/agencies/" + std::to_string(id);
  }
  return render_fragment("dashboard", m);
}

Response Dashboard::page(Request& r) {
  Caller c = viewer(r);
  const std::shared_ptr<const DashboardData> figures = cache_->figures(web_);
  // Bodies differ by the query (filters, search, order, page) and by whether names link: for all
  // agencies (administrators, assessors) or for the caller's own.
  std::string key =
      c.user->role == store::Role::Admin || c.user->role == store::Role::Assessor
          ? "all"
          : "agency " + (c.user->agency_id ? std::to_string(*c.user->agency_id) : "-");
  for (const auto& [name, value] : r.query) {
    if (name != "done") key += "\n" + name + "=" + value;
  }
  std::shared_ptr<const std::string> content = pages_->find(figures, key);
  if (!content) {
    content = std::make_shared<const std::string>(body(r, c, *figures));
    pages_->put(figures, std::move(key), content);
  }
  const json m = web_.page_model(c, "แดชบอร์ดผลการประเมินระดับประเทศ");
  return Response::html(render_layout(m, *content));
}

// The agency table of the page (every page of it, same filters, search and order) as CSV or
// XLSX; nothing when the filtered set is smaller than the minimum group.
Response Dashboard::download(Request& r) {
  viewer(r);
  const std::string& file = r.params.at("file");
  const bool xlsx = file == "agencies.xlsx";
  if (!xlsx && file != "agencies.csv")
    throw HttpError(404, "ไม่พบไฟล์ " + file + " (agencies.csv หรือ agencies.xlsx)");
  const std::shared_ptr<const DashboardData> data = cache_->figures(web_);
  const std::size_t min_group = web_.options.dashboard_min_group;
  const Selection sel = select_rows(r, *data, min_group);
  if (sel.summary.suppressed) {
    throw HttpError(409, "หน่วยงานตามตัวกรองนี้มีน้อยกว่า " + std::to_string(min_group) +
                             " หน่วยงาน จึงไม่แสดงผลและดาวน์โหลดไม่ได้");
  }
  const auto fill = [&](report::TableSink& sink) { agency_table(sink, sel.summary.rows); };
  std::string body;
  if (xlsx) {
    body = report::xlsx_table_bytes("agencies", fill);
  } else {
    std::ostringstream out;
    report::CsvWriter csv(out, {true, true});  // a BOM so Excel reads Thai; CRLF (RFC 4180)
    fill(*report::csv_table(csv));
    csv.flush();
    body = std::move(out).str();
  }
  Response res = Response::text(std::move(body));
  res.content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                          : "text/csv; charset=utf-8";
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"ita-dashboard-" +
                                                      std::to_string(sel.filter.fiscal_year) +
                                                      (xlsx ? ".xlsx" : ".csv") + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

Response Dashboard::api(Request& r) {
  viewer(r);
  json d = model(r, *cache_->figures(web_));
  for (const char* page_only :
       {"sort_links", "prev_link", "next_link", "histogram_svg", "provinces_svg", "trend_svg",
        "level_codes", "province_options", "type_options", "csv_link", "xlsx_link"})
    d.erase(page_only);
  return Response::json(d);
}

}  // namespace ita::web
