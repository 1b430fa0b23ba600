#include "ringdb/io/proactor.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ringdb/base/assert.h"
#include "ringdb/base/clock.h"

namespace ringdb::io {
namespace {

// Completions reaped per batch: copied out of the ring before their handlers run, so the
// completion queue has room again while handlers submit more work.
constexpr unsigned kReapBatch = 256;

// user_data of submissions whose completion nobody waits for (cancels, fire-and-forget).
constexpr uint64_t kIgnoredUserData = 0;

}  // namespace

BufferRing::~BufferRing() {
  if (buffers_ != nullptr) {
    io_uring_unregister_buf_ring(ring_, group_id_);
    munmap(buffers_, ring_bytes_);
  }
  if (storage_ != nullptr) munmap(storage_, static_cast<size_t>(count_) * buffer_bytes_);
}

void BufferRing::Recycle(uint16_t id) {
  RINGDB_DASSERT(id < count_);
  io_uring_buf_ring_add(buffers_, buffer(id), buffer_bytes_, id, io_uring_buf_ring_mask(count_), 0);
  io_uring_buf_ring_advance(buffers_, 1);
  available_++;
}

Result<std::unique_ptr<Proactor>> Proactor::Create(const Options& options) {
  std::unique_ptr<Proactor> proactor(new Proactor());
  io_uring_params params{};
  params.flags = IORING_SETUP_CQSIZE;
  params.cq_entries = options.submission_entries * 4;

  struct Attempt {
    unsigned flags;
    const char* name;
  };
  const Attempt attempts[] = {
      {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL,
       "single-issuer,defer-taskrun,submit-all"},
      {IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN, "submit-all,coop-taskrun"},
      {0, "basic"},
  };
  int result = -EINVAL;
  for (const Attempt& attempt : attempts) {
    if (!options.allow_defer_taskrun && (attempt.flags & IORING_SETUP_DEFER_TASKRUN)) continue;
    io_uring_params tried = params;
    tried.flags |= attempt.flags;
    result = io_uring_queue_init_params(options.submission_entries, &proactor->ring_, &tried);
    if (result == 0) {
      proactor->features_ = attempt.name;
      proactor->defer_taskrun_ = (attempt.flags & IORING_SETUP_DEFER_TASKRUN) != 0;
      break;
    }
    if (result != -EINVAL) break;
  }
  if (result != 0) {
    return Status::FromErrno(
        "io_uring setup failed (is io_uring disabled by the kernel.io_uring_disabled sysctl or "
        "a seccomp policy?)",
        -result);
  }
  proactor->ring_ready_ = true;
  // A registered ring fd saves a file-table lookup on every io_uring_enter (kernel 5.18+).
  if (io_uring_register_ring_fd(&proactor->ring_) == 1)
    proactor->features_ += ",registered-ring-fd";
  return proactor;
}

Proactor::~Proactor() {
  if (ring_ready_) io_uring_queue_exit(&ring_);
}

io_uring_sqe* Proactor::Prepare(Operation* operation) {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) {
    // The submission queue is full: hand what is there to the kernel. This does not wait.
    io_uring_submit(&ring_);
    enters_++;
    sqe = io_uring_get_sqe(&ring_);
    RINGDB_ASSERT(sqe != nullptr);
  }
  // The io_uring_prep_* helpers leave user_data alone, so it can be set before them.
  if (operation == nullptr) {
    io_uring_sqe_set_data64(sqe, kIgnoredUserData);
  } else {
    io_uring_sqe_set_data(sqe, operation);
    in_flight_++;
  }
  return sqe;
}

Result<std::unique_ptr<BufferRing>> Proactor::CreateBufferRing(uint16_t group_id, uint32_t count,
                                                               uint32_t bytes) {
  RINGDB_ASSERT(count > 0);
  RINGDB_ASSERT((count & (count - 1)) == 0);
  RINGDB_ASSERT(count <= 32768);
  std::unique_ptr<BufferRing> buffers(new BufferRing());
  buffers->ring_ = &ring_;
  buffers->group_id_ = group_id;
  buffers->count_ = count;
  buffers->buffer_bytes_ = bytes;
  buffers->ring_bytes_ = count * sizeof(io_uring_buf);
  void* ring_memory = mmap(nullptr, buffers->ring_bytes_, PROT_READ | PROT_WRITE,
                           MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (ring_memory == MAP_FAILED) return Status::FromErrno("mmap of the buffer ring", errno);
  buffers->buffers_ = static_cast<io_uring_buf_ring*>(ring_memory);
  void* storage = mmap(nullptr, static_cast<size_t>(count) * bytes, PROT_READ | PROT_WRITE,
                       MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (storage == MAP_FAILED) {
    munmap(ring_memory, buffers->ring_bytes_);
    buffers->buffers_ = nullptr;
    return Status::FromErrno("mmap of the receive buffers", errno);
  }
  buffers->storage_ = static_cast<char*>(storage);
  io_uring_buf_ring_init(buffers->buffers_);
  io_uring_buf_reg registration{};
  registration.ring_addr = reinterpret_cast<uint64_t>(ring_memory);
  registration.ring_entries = count;
  registration.bgid = group_id;
  int result = io_uring_register_buf_ring(&ring_, &registration, 0);
  if (result != 0) {
    munmap(ring_memory, buffers->ring_bytes_);
    buffers->buffers_ = nullptr;
    return Status::FromErrno("registering the receive buffer ring (kernel 5.19+ needed)", -result);
  }
  const int mask = io_uring_buf_ring_mask(count);
  for (uint32_t id = 0; id < count; id++) {
    io_uring_buf_ring_add(buffers->buffers_, buffers->buffer(static_cast<uint16_t>(id)), bytes,
                          static_cast<unsigned short>(id), mask, static_cast<int>(id));
  }
  io_uring_buf_ring_advance(buffers->buffers_, static_cast<int>(count));
  buffers->available_ = count;
  return buffers;
}

void Proactor::Dispatch(io_uring_cqe* cqe) {
  completions_++;
  uint64_t data = io_uring_cqe_get_data64(cqe);
  if (data == kIgnoredUserData) return;
  auto* operation = reinterpret_cast<Operation*>(data);
  // A multishot operation stays in flight while its completions carry F_MORE.
  if ((cqe->flags & IORING_CQE_F_MORE) == 0) in_flight_--;
  operation->handler(operation->owner, cqe->res, cqe->flags);
}

unsigned Proactor::ReapAll() {
  unsigned total = 0;
  io_uring_cqe* batch[kReapBatch];
  while (true) {
    unsigned count = io_uring_peek_batch_cqe(&ring_, batch, kReapBatch);
    if (count == 0) return total;
    // Copy the completions out and release their slots before running any handler.
    struct Completion {
      uint64_t data;
      int32_t result;
      uint32_t flags;
    } copied[kReapBatch];
    for (unsigned i = 0; i < count; i++) {
      copied[i] = Completion{batch[i]->user_data, batch[i]->res, batch[i]->flags};
    }
    io_uring_cq_advance(&ring_, count);
    for (unsigned i = 0; i < count; i++) {
      io_uring_cqe cqe{};
      cqe.user_data = copied[i].data;
      cqe.res = copied[i].result;
      cqe.flags = copied[i].flags;
      Dispatch(&cqe);
    }
    total += count;
  }
}

void Proactor::Run(const std::function<void()>& turn_end) {
  while (!stopping_) {
    // One enter submits everything the last turn prepared and waits for work.
    int result = io_uring_submit_and_wait(&ring_, 1);
    enters_++;
    if (result < 0 && result != -EINTR && result != -EAGAIN && result != -EBUSY) {
      // Nothing sensible is left to do without the ring.
      RINGDB_ASSERT(!"io_uring_submit_and_wait failed");
    }
    turns_++;
    ReapAll();
    turn_end();
  }
}

int Proactor::Drain(int timeout_ms) {
  int64_t deadline_us = MonotonicUs() + static_cast<int64_t>(timeout_ms) * 1000;
  while (in_flight_ > 0) {
    int64_t left_us = deadline_us - MonotonicUs();
    if (left_us <= 0) break;
    __kernel_timespec timeout{};
    timeout.tv_sec = left_us / 1000000;
    timeout.tv_nsec = (left_us % 1000000) * 1000;
    io_uring_cqe* cqe = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
    ReapAll();
  }
  return static_cast<int>(in_flight_);
}

}  // namespace ringdb::io
