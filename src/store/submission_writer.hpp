#pragma once
// Group commit of survey responses. Request threads hand a validated response to the writer and
// return at once; one writer thread takes everything queued (up to `max_batch`), stores it with
// Store::submit_responses in ONE transaction, commits, and only then calls each response's
// `done` with its outcome. So a caller that acknowledges on `Stored` acknowledges a committed
// response, and a commit costs one disk flush per batch instead of one per response.
//
// When a batch fails (database error, failed commit), every response of it gets `Failed` and
// none of it is stored. stop() (and the destructor) refuses new responses with `Failed`, stores
// what is queued, then joins the thread: nothing handed over is left without an answer.
//
// Mixing (Store::mix_step; README, "Threat model for anonymity"): when no batch is waiting, the
// writer rewrites the responses of the rounds that received any, one step (transaction) of at
// most `mix_rows` responses at a time, so a batch waits for one step at most. A pass mixes every
// round marked: one when the writer starts (what a previous run left: a crash), then at most
// every `mix_interval`, and a last one in stop() after the last batch. If batches never let it
// idle, it takes one step after each batch once a pass is an interval late. So the files show
// the order responses arrived in only for those stored since the last pass began.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "store/store.hpp"

namespace ita::store {

struct WriterOptions {
  std::size_t max_batch = 1024;    // responses per transaction
  std::size_t max_queued = 20000;  // beyond this, submit() answers `Failed` (overloaded) at once
  // Runs inside each batch's transaction after its rows are written, before COMMIT, with the
  // batch's size; an exception from it fails the batch (tests inject failures with it).
  std::function<void(std::size_t)> before_commit;
  // Mixing: the time from the end of one pass to the start of the next; zero: passes only when
  // the writer starts and stops.
  std::chrono::milliseconds mix_interval{std::chrono::seconds(60)};
  // Responses per mixing step: a step of 2,000 took 40–50 ms on SQLite, 100–150 ms on
  // PostgreSQL (the development machine).
  std::size_t mix_rows = 2000;
};

class SubmissionWriter {
 public:
  using Done = std::function<void(const SubmitOutcome&)>;

  // Writes through `store`, which it may share with other threads (calls are serialised by the
  // store); `own` when given is a store the writer owns (its own connection) and uses instead.
  SubmissionWriter(Store& store, WriterOptions options = {});
  SubmissionWriter(std::unique_ptr<Store> own, WriterOptions options = {});
  ~SubmissionWriter();
  SubmissionWriter(const SubmissionWriter&) = delete;
  SubmissionWriter& operator=(const SubmissionWriter&) = delete;

  // Queues `r`; `done` is called exactly once, on the writer thread after the commit (or at once
  // on the calling thread when the writer is stopped or overloaded). `done` must not throw.
  void submit(NewResponse r, Done done);
  // Stores what is queued, answers it, and ends the thread. Idempotent.
  void stop();

  struct Stats {
    std::uint64_t batches = 0;     // transactions attempted
    std::uint64_t responses = 0;   // responses in them
    std::size_t largest = 0;       // the largest batch
    std::size_t queued = 0;        // waiting now for the next batch
    std::uint64_t mix_passes = 0;  // mixing passes completed: every round marked was mixed
    std::int64_t mixed = 0;        // responses rewritten by mixing
  };
  Stats stats() const;

 private:
  struct Item {
    NewResponse response;
    Done done;
  };
  void run();
  void write(std::deque<Item>& batch);
  // One mixing step of the pass that has mixed the rounds up to `after`; returns where the pass
  // stands, or nothing when it is over (done, or failed: reported on stderr).
  std::optional<std::int64_t> mix(std::int64_t after);

  std::unique_ptr<Store> own_;
  Store& store_;
  WriterOptions options_;
  mutable std::mutex mutex_;  // guards queue_, stopping_ and stats_
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace ita::store
