#pragma once
// The OIT readiness check (issue #15): every evidence URL of a round fetched (net/fetch.hpp),
// its text read (io/document_text.hpp), each item classified (core/oit_readiness.hpp), the OIT
// score and total predicted as if every likely-fine item passed, and the outcome kept as the
// round's check history. A prediction for the agency's officers, never a review: the
// assessor's verdicts are untouched. Who may run a check is the caller's to decide.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/edition.hpp"
#include "core/oit_readiness.hpp"
#include "net/fetch.hpp"
#include "service/edition_catalog.hpp"
#include "store/store.hpp"

namespace ita::service {

// How a check fetches and reads: the net layer's limits (allow_private and allow_addresses stay
// unset outside tests: no evidence URL may reach the server's own network) and the PDF reader's
// time limit.
struct OitCheckSettings {
  net::FetchOptions fetch;
  std::chrono::milliseconds pdf_timeout{10000};
};

// An unfinished check older than this (seconds) is taken as abandoned: its server stopped.
inline constexpr std::int64_t kOitCheckAbandonedAfter = 15 * 60;

// What one fetch gave, in the domain's words: the failure mapped, the text of an HTML page or of
// a PDF (read by pdftotext in a child process within `pdf_timeout`). Pure but for that child.
FetchedPage fetched_page(const net::FetchResult& r, std::chrono::milliseconds pdf_timeout);

// Each item of `e` classified from the pages of its evidence URLs (`pages`: URL → page), in the
// edition's order: an item without evidence is NoEvidence. The agency's domain is that of
// `agency_website` ("" : not checked). Pure.
std::vector<store::OitCheckResult> classify_round(const Edition& e,
                                                  const std::vector<OitEntry>& entries,
                                                  const std::map<std::string, FetchedPage>& pages,
                                                  const std::string& agency_website);

// The OIT tool score of `e` if the likely-fine items of `results` passed and every other item
// failed. Pure.
double predicted_oit_score(const Edition& e, const std::vector<store::OitCheckResult>& results);

// Records a check of round `round_id` begun now for `by_user` and returns its id. Throws NotFound
// for an unknown round; Refused ("กำลังตรวจหลักฐานของรอบนี้อยู่ …") while a check of the round
// that started less than kOitCheckAbandonedAfter ago is unfinished; store errors.
std::int64_t begin_oit_check(store::Store& store, std::int64_t round_id,
                             std::optional<std::int64_t> by_user, std::int64_t now);

// Runs check `check_id` of round `round_id` (begun with begin_oit_check): fetches every evidence
// URL of the round, classifies the items, predicts the OIT score (and the total when the round's
// IIT and EIT have respondents) and finishes the check in one transaction. Returns the finished
// check. A URL's failure is its item's verdict, never an exception; throws NotFound for an
// unknown round or edition, store errors.
store::OitCheck run_oit_check(store::Store& store, EditionCatalog& catalog, std::int64_t check_id,
                              std::int64_t round_id, std::optional<std::int64_t> by_user,
                              const OitCheckSettings& settings);

// Checks every round of `round_ids` (a national pre-check: `ita oit check --all`), `at_once`
// rounds at a time, each on its own thread with its own connections, so that a slow agency
// website holds up only its own round. Memory stays bounded by `at_once` rounds' pages. Calls
// `done` (serialised, from the checking threads) with each finished check, or with the round
// and the error's message when a round could not be checked (it is skipped, the others go on).
// Returns how many rounds were checked.
struct RoundCheckOutcome {
  std::int64_t round_id = 0;
  std::optional<store::OitCheck> check;  // set when the round was checked
  std::string error;                     // why not, otherwise
};
std::size_t check_rounds(store::Store& store, EditionCatalog& catalog,
                         const std::vector<std::int64_t>& round_ids,
                         const OitCheckSettings& settings, std::size_t at_once,
                         const std::function<void(const RoundCheckOutcome&)>& done);

// The round's newest finished check with its results, or nothing. Leaves the store unchanged.
std::optional<store::OitCheck> latest_oit_check(store::Store& store, std::int64_t round_id);

// Runs checks one at a time on its own thread, so that no web request waits for the network.
// Checks of several server processes run in each process that queued them.
class OitCheckRunner {
 public:
  OitCheckRunner(store::Store& store, EditionCatalog& catalog, OitCheckSettings settings);
  // Lets the running check finish (bounded by the fetch timeouts); queued ones stay unfinished.
  ~OitCheckRunner();
  OitCheckRunner(const OitCheckRunner&) = delete;
  OitCheckRunner& operator=(const OitCheckRunner&) = delete;

  // Begins a check (begin_oit_check, same throws) and queues it; returns its id. Throws Refused
  // ("มีคำขอตรวจรออยู่มาก …") when kMaxQueued checks already wait.
  std::int64_t enqueue(std::int64_t round_id, std::optional<std::int64_t> by_user);
  // Blocks until no check is queued or running.
  void wait_idle();

  static constexpr std::size_t kMaxQueued = 32;

 private:
  struct Job {
    std::int64_t check_id;
    std::int64_t round_id;
    std::optional<std::int64_t> by_user;
  };
  void work();

  store::Store& store_;
  EditionCatalog& catalog_;
  const OitCheckSettings settings_;
  std::mutex mutex_;  // guards queue_, busy_ and stopping_
  std::condition_variable changed_;
  std::deque<Job> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;  // last: starts after the members it uses
};

}  // namespace ita::service
