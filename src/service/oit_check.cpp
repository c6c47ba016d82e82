#include "service/oit_check.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <set>
#include <utility>

#include "core/scoring.hpp"
#include "io/document_text.hpp"
#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/oit.hpp"
#include "service/scoring.hpp"

namespace ita::service {

namespace {

FetchFailure failure_of(net::FetchError e) {
  switch (e) {
    case net::FetchError::None:
      return FetchFailure::None;
    case net::FetchError::BadUrl:
    case net::FetchError::Credentials:
    case net::FetchError::PrivateAddress:
      return FetchFailure::Refused;
    case net::FetchError::Timeout:
      return FetchFailure::Timeout;
    case net::FetchError::TooLarge:
      return FetchFailure::TooLarge;
    case net::FetchError::TooManyRedirects:
      return FetchFailure::TooManyRedirects;
    case net::FetchError::Truncated:
      return FetchFailure::Truncated;
    case net::FetchError::DnsFailed:
    case net::FetchError::ConnectFailed:
    case net::FetchError::TlsFailed:
    case net::FetchError::Protocol:
      break;
  }
  return FetchFailure::Unreachable;
}

}  // namespace

FetchedPage fetched_page(const net::FetchResult& r, std::chrono::milliseconds pdf_timeout) {
  FetchedPage page;
  page.url = r.url;
  page.final_url = r.final_url;
  page.failure = failure_of(r.error);
  page.status = r.status;
  if (page.failure != FetchFailure::None || r.status >= 400) return page;
  if (io::looks_like_pdf(r.content_type, r.body)) {
    page.pdf = true;
    // A PDF that pdftotext cannot read shows no text: too little content, said as such.
    page.text = io::pdf_text(r.body, pdf_timeout).value_or("");
  } else {
    page.text = io::html_text(r.body);
  }
  return page;
}

std::vector<store::OitCheckResult> classify_round(const Edition& e,
                                                  const std::vector<OitEntry>& entries,
                                                  const std::map<std::string, FetchedPage>& pages,
                                                  const std::string& agency_website) {
  std::map<std::string, const OitEntry*> by_item;
  for (const OitEntry& entry : entries) by_item[entry.item] = &entry;
  ReadinessRules rules;
  rules.fiscal_year = e.fiscal_year;
  rules.agency_domain = agency_website.empty() ? "" : agency_domain_of(agency_website);
  std::vector<store::OitCheckResult> results;
  for (const OitItem& item : e.oit.items) {
    std::vector<FetchedPage> item_pages;
    if (const auto it = by_item.find(item.code); it != by_item.end()) {
      for (const std::string& url : it->second->urls()) {
        const auto page = pages.find(url);
        item_pages.push_back(page != pages.end() ? page->second : FetchedPage{.url = url});
      }
    }
    rules.keywords = item.keywords_th;
    const ItemReadiness readiness = classify_item(item_pages, rules);
    store::OitCheckResult r{item.code, readiness.verdict, readiness.reason_th, readiness.url, 0};
    for (const FetchedPage& page : item_pages) {
      if (page.url == readiness.url) r.http_status = page.status;
    }
    results.push_back(std::move(r));
  }
  return results;
}

double predicted_oit_score(const Edition& e, const std::vector<store::OitCheckResult>& results) {
  std::map<std::string, bool> fine;
  for (const auto& r : results) fine[r.item] = r.verdict == Readiness::LikelyFine;
  std::vector<double> items;
  for (const OitItem& item : e.oit.items) items.push_back(fine[item.code] ? 100.0 : 0.0);
  const std::vector<int> indicators = e.indicators_of(ToolId::OIT);
  if (indicators.empty()) return 0;
  double sum = 0;
  for (int indicator : indicators) sum += oit_indicator_score(e, indicator, items);
  return sum / static_cast<double>(indicators.size());
}

std::int64_t begin_oit_check(store::Store& store, std::int64_t round_id,
                             std::optional<std::int64_t> by_user, std::int64_t now) {
  if (!store.round(round_id)) throw NotFound("ไม่พบรอบการประเมินที่ " + std::to_string(round_id));
  for (const store::OitCheck& c : store.oit_checks(round_id, 1, false)) {
    if (!c.finished_at && now - c.started_at < kOitCheckAbandonedAfter) {
      throw Refused("กำลังตรวจหลักฐานของรอบนี้อยู่ กรุณารอให้การตรวจครั้งก่อนเสร็จ");
    }
  }
  return store.start_oit_check(round_id, by_user, now);
}

namespace {

// Every distinct evidence URL of the round, each fetched once however many items cite it.
std::map<std::string, FetchedPage> fetch_pages(const std::vector<OitEntry>& entries,
                                               const OitCheckSettings& settings) {
  std::set<std::string> distinct;
  for (const OitEntry& entry : entries) {
    for (const std::string& url : entry.urls()) distinct.insert(url);
  }
  const std::vector<std::string> urls(distinct.begin(), distinct.end());
  std::map<std::string, FetchedPage> pages;
  for (const net::FetchResult& r : net::fetch_all(urls, settings.fetch)) {
    pages[r.url] = fetched_page(r, settings.pdf_timeout);
  }
  return pages;
}

// The total with the predicted OIT verdicts in place of the assessors', when the IIT and EIT
// scores can be computed; nothing otherwise.
std::optional<double> predicted_total(store::Store& store, const Edition& e,
                                      const store::Round& round,
                                      const std::vector<store::OitCheckResult>& results) {
  std::map<std::string, bool> verdicts;
  for (const auto& r : results) verdicts[r.item] = r.verdict == Readiness::LikelyFine;
  const RoundScore scored = score_round_with_oit(store, e, round, verdicts);
  if (!scored.result) return std::nullopt;
  return scored.result->total;
}

}  // namespace

store::OitCheck run_oit_check(store::Store& store, EditionCatalog& catalog, std::int64_t check_id,
                              std::int64_t round_id, std::optional<std::int64_t> by_user,
                              const OitCheckSettings& settings) {
  const auto round = store.round(round_id);
  if (!round) throw NotFound("ไม่พบรอบการประเมินที่ " + std::to_string(round_id));
  const Edition* e = catalog.find(round->edition_id);
  if (!e) throw NotFound("ไม่พบชุดเกณฑ์ " + round->edition_id);
  const auto agency = store.agency(round->agency_id);
  const std::vector<OitEntry> entries = oit_state(store, *e, round_id);

  store::OitCheck check;
  check.id = check_id;
  check.round_id = round_id;
  check.by_user = by_user;
  check.results = classify_round(*e, entries, fetch_pages(entries, settings),
                                 agency ? agency->website : std::string());
  check.predicted_oit = predicted_oit_score(*e, check.results);
  check.predicted_total = predicted_total(store, *e, *round, check.results);
  const std::int64_t now = unix_now();
  store.finish_oit_check(check, now);
  check.finished_at = now;
  return check;
}

std::size_t check_rounds(store::Store& store, EditionCatalog& catalog,
                         const std::vector<std::int64_t>& round_ids,
                         const OitCheckSettings& settings, std::size_t at_once,
                         const std::function<void(const RoundCheckOutcome&)>& done) {
  std::atomic<std::size_t> next{0}, checked{0};
  std::mutex report;  // serialises `done`
  auto work = [&] {
    for (std::size_t i = next++; i < round_ids.size(); i = next++) {
      RoundCheckOutcome outcome{round_ids[i], std::nullopt, ""};
      try {
        const std::int64_t id = begin_oit_check(store, outcome.round_id, std::nullopt, unix_now());
        outcome.check = run_oit_check(store, catalog, id, outcome.round_id, std::nullopt, settings);
        ++checked;
      } catch (const std::exception& e) {
        outcome.error = e.what();
      }
      std::lock_guard lock(report);
      done(outcome);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < std::max<std::size_t>(at_once, 1); ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  return checked;
}

std::optional<store::OitCheck> latest_oit_check(store::Store& store, std::int64_t round_id) {
  // A few newest: an unfinished check (running, or abandoned) may sit above the last finished.
  for (store::OitCheck& c : store.oit_checks(round_id, 5, true)) {
    if (c.finished_at) return std::move(c);
  }
  return std::nullopt;
}

OitCheckRunner::OitCheckRunner(store::Store& store, EditionCatalog& catalog,
                               OitCheckSettings settings)
    : store_(store),
      catalog_(catalog),
      settings_(std::move(settings)),
      worker_([this] { work(); }) {}

OitCheckRunner::~OitCheckRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

std::int64_t OitCheckRunner::enqueue(std::int64_t round_id, std::optional<std::int64_t> by_user) {
  std::lock_guard lock(mutex_);
  if (queue_.size() >= kMaxQueued) {
    throw Refused("มีคำขอตรวจหลักฐานรออยู่มาก กรุณาลองใหม่ในอีกสักครู่");
  }
  const std::int64_t id = begin_oit_check(store_, round_id, by_user, unix_now());
  queue_.push_back({id, round_id, by_user});
  changed_.notify_all();
  return id;
}

void OitCheckRunner::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void OitCheckRunner::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const Job job = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    try {
      run_oit_check(store_, catalog_, job.check_id, job.round_id, job.by_user, settings_);
    } catch (const std::exception& e) {
      // The check stays unfinished: its page says so, and after kOitCheckAbandonedAfter a new
      // one may start. A server thread must not die of one round's failure.
      std::cerr << "ita: the OIT check " << job.check_id << " of round " << job.round_id
                << " failed: " << e.what() << "\n";
    }
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace ita::service
