// Worker: a background thread for work that must not run on the loop (blocking file I/O such
// as CONFIG REWRITE's write-and-fsync, and later heavy persistence work).
//
// Jobs run in submission order on the worker thread. When one finishes, its completion
// callback is handed back to the loop: the worker writes an eventfd that the loop reads through
// the ring, so the loop never blocks waiting for it.
//
// Thread safety: Submit() and the completions run on the loop thread; only the job runs on the
// worker thread, and it must not touch loop-owned state.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "ringdb/base/status.h"
#include "ringdb/base/thread_annotations.h"
#include "ringdb/io/proactor.h"

namespace ringdb::io {

class Worker {
 public:
  using Job = std::function<void()>;
  using Completion = std::function<void()>;

  // Starts the thread and arms the completion read on `proactor`, which must outlive this
  // Worker.
  static Result<std::unique_ptr<Worker>> Start(Proactor* proactor);
  // Finishes the queued jobs and joins the thread. Completions not yet delivered are dropped.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues `job`; `completion` runs on the loop after it.
  void Submit(Job job, Completion completion);
  // Jobs submitted whose completion has not run yet.
  size_t pending() const { return pending_; }
  // Shutdown, step one: stops re-arming the completion read and cancels the armed one. The
  // proactor must then be drained before this Worker is destroyed.
  void Quiesce();

 private:
  explicit Worker(Proactor* proactor) : proactor_(proactor) {}
  void ThreadMain();
  void ArmRead();
  void OnWake(int result, uint32_t flags);

  Proactor* proactor_;
  int event_fd_ = -1;
  uint64_t wake_counter_ = 0;  // Read target of the eventfd; written by the kernel.
  Operation wake_operation_;
  bool read_armed_ = false;
  bool quiescing_ = false;
  size_t pending_ = 0;

  std::mutex mutex_;
  std::condition_variable wake_worker_;
  std::deque<std::pair<Job, Completion>> jobs_ RINGDB_GUARDED_BY(mutex_);
  std::deque<Completion> done_ RINGDB_GUARDED_BY(mutex_);
  bool stopping_ RINGDB_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace ringdb::io
