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
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace ita::store {

struct WriterOptions {
  std::size_t max_batch = 1024;    // responses per transaction
  std::size_t max_queued = 20000;  // beyond this, submit() answers `Failed` (overloaded) at once
  // Runs inside each batch's transaction after its rows are written, before COMMIT, with the
  // batch's size; an exception from it fails the batch (tests inject failures with it).
  std::function<void(std::size_t)> before_commit;
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
    std::uint64_t batches = 0;    // transactions attempted
    std::uint64_t responses = 0;  // responses in them
    std::size_t largest = 0;      // the largest batch
    std::size_t queued = 0;       // waiting now for the next batch
  };
  Stats stats() const;

 private:
  struct Item {
    NewResponse response;
    Done done;
  };
  void run();
  void write(std::deque<Item>& batch);

  std::unique_ptr<Store> own_;
  Store& store_;
  WriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace ita::store
