// Proactor: one io_uring ring driven by one thread. Every network and file operation is an
// io_uring submission; its completion runs a handler on the loop thread.
//
// One loop turn:
//   1. submit what was prepared and wait for at least one completion (one io_uring_enter);
//   2. reap completions in batches and run their handlers;
//   3. run the turn-end hook (the server flushes replies and the log there).
//
// Ring flags: SINGLE_ISSUER | DEFER_TASKRUN when the kernel has them (6.1+), so completions
// are processed only when the loop asks; otherwise plain rings, with a note in the log.
//
// REQUIRES: every method is called on the loop thread, except Wake().
#pragma once

#include <liburing.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ringdb/base/status.h"

namespace ringdb::io {

// An operation slot. Embed one per concurrent operation in the object that owns the
// operation; the object must outlive the operation's last completion.
struct Operation {
  using Handler = void (*)(void* owner, int result, uint32_t flags);
  Handler handler = nullptr;
  void* owner = nullptr;

  Operation() = default;
  Operation(Handler handler_in, void* owner_in) : handler(handler_in), owner(owner_in) {}
};

// Makes an Operation whose completion calls `(owner->*Method)(result, flags)`.
template <auto Method, typename Owner>
Operation MakeOperation(Owner* owner) {
  return Operation([](void* self, int result,
                      uint32_t flags) { (static_cast<Owner*>(self)->*Method)(result, flags); },
                   owner);
}

// A provided-buffer ring (io_uring_register_buf_ring): the kernel picks a buffer for each
// multishot receive, and the loop gives it back once the bytes are consumed.
class BufferRing {
 public:
  ~BufferRing();
  uint16_t group_id() const { return group_id_; }
  uint32_t buffer_bytes() const { return buffer_bytes_; }
  char* buffer(uint16_t id) const { return storage_ + static_cast<size_t>(id) * buffer_bytes_; }
  // Returns buffer `id` to the kernel.
  void Recycle(uint16_t id);
  // Buffers currently handed to the kernel.
  uint32_t available() const { return available_; }

 private:
  friend class Proactor;
  BufferRing() = default;

  io_uring* ring_ = nullptr;
  io_uring_buf_ring* buffers_ = nullptr;
  char* storage_ = nullptr;
  size_t ring_bytes_ = 0;
  uint16_t group_id_ = 0;
  uint32_t count_ = 0;
  uint32_t buffer_bytes_ = 0;
  uint32_t available_ = 0;
};

class Proactor {
 public:
  struct Options {
    unsigned submission_entries = 4096;
    bool allow_defer_taskrun = true;
  };

  static Result<std::unique_ptr<Proactor>> Create(const Options& options);
  ~Proactor();
  Proactor(const Proactor&) = delete;
  Proactor& operator=(const Proactor&) = delete;

  // A submission entry for `operation` (nullptr: the completion is ignored). Submits queued
  // entries first when the submission queue is full. Never returns nullptr.
  io_uring_sqe* Prepare(Operation* operation);

  // Registers a provided-buffer ring of `count` buffers (a power of two) of `bytes` each.
  Result<std::unique_ptr<BufferRing>> CreateBufferRing(uint16_t group_id, uint32_t count,
                                                       uint32_t bytes);

  // Runs turns until Stop(); `turn_end` runs after each turn's completions.
  void Run(const std::function<void()>& turn_end);
  void Stop() { stopping_ = true; }
  bool stopping() const { return stopping_; }

  // Submits everything prepared and waits until no operation remains in flight or
  // `timeout_ms` passes; for shutdown. Returns the number still in flight.
  int Drain(int timeout_ms);

  // What the ring was set up with, for the log and INFO.
  const std::string& features() const { return features_; }
  bool defer_taskrun() const { return defer_taskrun_; }

  // Counters for INFO.
  uint64_t turns() const { return turns_; }
  uint64_t completions() const { return completions_; }
  uint64_t enters() const { return enters_; }
  int64_t in_flight() const { return in_flight_; }

 private:
  Proactor() = default;
  void Dispatch(io_uring_cqe* cqe);
  unsigned ReapAll();

  io_uring ring_{};
  bool ring_ready_ = false;
  bool defer_taskrun_ = false;
  bool stopping_ = false;
  std::string features_;
  uint64_t turns_ = 0;
  uint64_t completions_ = 0;
  uint64_t enters_ = 0;
  int64_t in_flight_ = 0;
};

}  // namespace ringdb::io
