#include "ringdb/io/worker.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace ringdb::io {

Result<std::unique_ptr<Worker>> Worker::Start(Proactor* proactor) {
  std::unique_ptr<Worker> worker(new Worker(proactor));
  worker->event_fd_ = eventfd(0, EFD_CLOEXEC);
  if (worker->event_fd_ < 0) return Status::FromErrno("eventfd for the background worker", errno);
  worker->wake_operation_ = MakeOperation<&Worker::OnWake>(worker.get());
  worker->thread_ = std::thread([raw = worker.get()] { raw->ThreadMain(); });
  worker->ArmRead();
  return worker;
}

Worker::~Worker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_worker_.notify_one();
  if (thread_.joinable()) thread_.join();
  // A read may still be armed on the eventfd; the proactor is drained or destroyed before
  // this object in shutdown, and closing the fd ends the read.
  if (event_fd_ >= 0) close(event_fd_);
}

void Worker::Submit(Job job, Completion completion) {
  pending_++;
  {
    std::lock_guard lock(mutex_);
    jobs_.emplace_back(std::move(job), std::move(completion));
  }
  wake_worker_.notify_one();
}

void Worker::ThreadMain() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_worker_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // Stopping, and every queued job has run.
    auto [job, completion] = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
    done_.push_back(std::move(completion));
    uint64_t one = 1;
    // A full eventfd counter cannot happen (it would take 2^64 - 1 wakes); a failed write
    // only delays the completion to the next one.
    [[maybe_unused]] ssize_t written = write(event_fd_, &one, sizeof(one));
  }
}

void Worker::Quiesce() {
  quiescing_ = true;
  if (read_armed_) {
    io_uring_sqe* sqe = proactor_->Prepare(nullptr);
    io_uring_prep_cancel(sqe, &wake_operation_, 0);
  }
}

void Worker::ArmRead() {
  io_uring_sqe* sqe = proactor_->Prepare(&wake_operation_);
  io_uring_prep_read(sqe, event_fd_, &wake_counter_, sizeof(wake_counter_), 0);
  read_armed_ = true;
}

void Worker::OnWake(int, uint32_t) {
  read_armed_ = false;
  std::deque<Completion> ready;
  {
    std::lock_guard lock(mutex_);
    ready.swap(done_);
  }
  for (Completion& completion : ready) {
    pending_--;
    completion();
  }
  if (!quiescing_) ArmRead();
}

}  // namespace ringdb::io
