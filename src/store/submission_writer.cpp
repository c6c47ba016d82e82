#include "store/submission_writer.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>
#include <utility>
#include <vector>

namespace ita::store {

namespace {

SubmitOutcome failed(std::string message) {
  SubmitOutcome o;
  o.status = SubmitOutcome::Status::Failed;
  o.message = std::move(message);
  return o;
}

}  // namespace

SubmissionWriter::SubmissionWriter(Store& store, WriterOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  thread_ = std::thread([this] { run(); });
}

SubmissionWriter::SubmissionWriter(std::unique_ptr<Store> own, WriterOptions options)
    : own_(std::move(own)), store_(*own_), options_(std::move(options)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  thread_ = std::thread([this] { run(); });
}

SubmissionWriter::~SubmissionWriter() {
  stop();
}

void SubmissionWriter::submit(NewResponse r, Done done) {
  std::string refused;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refused = "the server is shutting down; the response was not stored";
    } else if (queue_.size() >= options_.max_queued) {
      refused = "too many responses are waiting to be stored; the response was not stored";
    } else {
      queue_.push_back({std::move(r), std::move(done)});
    }
  }
  if (!refused.empty()) {
    done(failed(refused));
    return;
  }
  wake_.notify_one();
}

void SubmissionWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

SubmissionWriter::Stats SubmissionWriter::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.queued = queue_.size();
  return s;
}

void SubmissionWriter::run() {
  using Clock = std::chrono::steady_clock;
  const auto interval = options_.mix_interval;
  const bool periodic = interval.count() > 0;
  std::optional<std::int64_t> pass = 0;  // the pass under way: rounds up to this id are mixed
  Clock::time_point due = Clock::now();  // when the pass under way, or the next, is due
  std::deque<Item> batch;
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      const auto work = [&] { return !queue_.empty() || stopping_; };
      if (pass) {
        // Mixing goes on when nothing is queued.
      } else if (periodic) {
        wake_.wait_until(lock, due, work);
      } else {
        wake_.wait(lock, work);
      }
      stopping = stopping_;
      // No waiting for a batch to fill: what arrived during the previous commit is the batch.
      const std::size_t n = std::min(queue_.size(), options_.max_batch);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (n > 0) {
        ++stats_.batches;
        stats_.responses += n;
        stats_.largest = std::max(stats_.largest, n);
      }
    }
    const bool wrote = !batch.empty();
    if (wrote) {
      write(batch);
      batch.clear();
    } else if (stopping) {
      // Everything handed over is answered: a last, whole pass, then the thread ends.
      for (std::optional<std::int64_t> at = 0; at;) at = mix(*at);
      return;
    }
    const auto now = Clock::now();
    if (!pass && periodic && now >= due) pass = 0;
    if (pass && (!wrote || (periodic && now >= due + interval))) {
      pass = mix(*pass);
      if (!pass) due = Clock::now() + interval;
    }
  }
}

std::optional<std::int64_t> SubmissionWriter::mix(std::int64_t after) {
  try {
    const std::optional<MixStep> step = store_.mix_step(after, options_.mix_rows);
    std::lock_guard lock(mutex_);
    if (!step) {
      ++stats_.mix_passes;
      return std::nullopt;
    }
    stats_.mixed += step->rows;
    return std::max(after, step->round_id);
  } catch (const std::exception& e) {
    // Only the database's message. The rounds stay marked; the next pass mixes them.
    std::cerr << "ita: mixing stored survey responses failed, tried again later: " << e.what()
              << std::endl;
    return std::nullopt;
  }
}

void SubmissionWriter::write(std::deque<Item>& batch) {
  std::vector<NewResponse> responses;
  responses.reserve(batch.size());
  for (auto& item : batch) responses.push_back(std::move(item.response));
  std::vector<SubmitOutcome> outcomes;
  try {
    std::function<void()> hook;
    if (options_.before_commit) hook = [&] { options_.before_commit(responses.size()); };
    outcomes = store_.submit_responses(responses, hook);
    if (outcomes.size() != batch.size()) throw StoreError("the store answered a batch partly");
  } catch (const std::exception& e) {
    // Only the database's message: it names no respondent, answer or code.
    std::cerr << "ita: storing a batch of " << batch.size()
              << " survey responses failed, none of them was stored: " << e.what() << std::endl;
    outcomes.assign(batch.size(), failed("the database did not commit its batch"));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      batch[i].done(outcomes[i]);
    } catch (const std::exception& e) {  // a broken callback must not end the writer
      std::cerr << "ita: answering a stored survey response failed: " << e.what() << std::endl;
    }
  }
}

}  // namespace ita::store
