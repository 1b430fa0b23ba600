#include "ringdb/resp/output_buffer.h"

#include <algorithm>
#include <new>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"

namespace ringdb::resp {
namespace {

// Pooled chunks kept per thread: enough for a few hundred busy clients, bounded so a burst
// does not pin memory forever.
constexpr size_t kPoolChunksMax = 256;

struct ChunkPool {
  void* chunks[kPoolChunksMax];
  size_t count = 0;
  ~ChunkPool() {
    for (size_t i = 0; i < count; i++) Deallocate(chunks[i]);
  }
};

thread_local ChunkPool pool;

}  // namespace

OutputBuffer::~OutputBuffer() { Clear(); }

size_t OutputBuffer::PooledChunks() { return pool.count; }

OutputBuffer::Chunk* OutputBuffer::NewChunk(size_t capacity) {
  void* memory = nullptr;
  if (capacity == kChunkBytes && pool.count > 0) {
    memory = pool.chunks[--pool.count];
  } else {
    memory = Allocate(sizeof(Chunk) + capacity);
  }
  Chunk* chunk = static_cast<Chunk*>(memory);
  chunk->next = nullptr;
  chunk->capacity = static_cast<uint32_t>(capacity);
  chunk->begin = 0;
  chunk->end = 0;
  return chunk;
}

void OutputBuffer::FreeChunk(Chunk* chunk) {
  if (chunk->capacity == kChunkBytes && pool.count < kPoolChunksMax) {
    pool.chunks[pool.count++] = chunk;
    return;
  }
  Deallocate(chunk);
}

void OutputBuffer::PushChunk(Chunk* chunk) {
  if (tail_ == nullptr) {
    head_ = tail_ = chunk;
  } else {
    tail_->next = chunk;
    tail_ = chunk;
  }
  allocated_bytes_ += chunk->capacity;
}

bool OutputBuffer::WouldExceedLimit(size_t capacity) {
  if (limit_bytes_ != 0 && allocated_bytes_ + capacity >= limit_bytes_) limit_exceeded_ = true;
  return limit_exceeded_;
}

void OutputBuffer::AppendSlow(const char* bytes, size_t length) {
  if (limit_exceeded_) return;
  // Fill what room the tail has, then add chunks. A payload larger than a chunk gets one
  // chunk of its own size, so a big bulk reply is sent from a single contiguous block.
  if (tail_ != nullptr) {
    size_t room = tail_->capacity - tail_->end;
    size_t now = std::min(room, length);
    std::memcpy(tail_->data + tail_->end, bytes, now);
    tail_->end += static_cast<uint32_t>(now);
    size_ += now;
    bytes += now;
    length -= now;
  }
  while (length > 0) {
    // A chunk's fields are 32 bits: split payloads of 4 GiB or more.
    constexpr size_t kLargeChunkMax = size_t{1} << 30;
    size_t capacity = length > kChunkBytes ? std::min(length, kLargeChunkMax) : kChunkBytes;
    if (WouldExceedLimit(capacity)) return;
    Chunk* chunk = NewChunk(capacity);
    size_t now = std::min(capacity, length);
    std::memcpy(chunk->data, bytes, now);
    chunk->end = static_cast<uint32_t>(now);
    PushChunk(chunk);
    size_ += now;
    bytes += now;
    length -= now;
  }
}

char* OutputBuffer::Reserve(size_t length) {
  RINGDB_DASSERT(length <= kChunkBytes);
  bool fits = tail_ != nullptr && tail_->capacity - tail_->end >= length;
  if (!limit_exceeded_ && !fits && !WouldExceedLimit(kChunkBytes)) {
    PushChunk(NewChunk(kChunkBytes));
    fits = true;
  }
  if (limit_exceeded_) {
    // Room whose bytes Commit drops. One per thread: the loop thread is the only writer.
    thread_local char scratch[kChunkBytes];
    return scratch;
  }
  RINGDB_ASSERT(fits);
  return tail_->data + tail_->end;
}

int OutputBuffer::Gather(iovec* vectors, int count) const {
  int filled = 0;
  for (Chunk* chunk = head_; chunk != nullptr && filled < count; chunk = chunk->next) {
    if (chunk->end == chunk->begin) continue;
    vectors[filled].iov_base = chunk->data + chunk->begin;
    vectors[filled].iov_len = chunk->end - chunk->begin;
    filled++;
  }
  return filled;
}

void OutputBuffer::Consume(size_t length) {
  RINGDB_ASSERT(length <= size_);
  size_ -= length;
  while (length > 0) {
    Chunk* chunk = head_;
    size_t available = chunk->end - chunk->begin;
    if (length < available) {
      chunk->begin += static_cast<uint32_t>(length);
      return;
    }
    length -= available;
    head_ = chunk->next;
    if (head_ == nullptr) tail_ = nullptr;
    allocated_bytes_ -= chunk->capacity;
    FreeChunk(chunk);
  }
  // Keep the empty tail chunk only if it is the standard size and still has room.
  while (head_ != nullptr && head_->begin == head_->end && head_ != tail_) {
    Chunk* chunk = head_;
    head_ = chunk->next;
    allocated_bytes_ -= chunk->capacity;
    FreeChunk(chunk);
  }
  if (head_ != nullptr && head_ == tail_ && head_->begin == head_->end) {
    head_->begin = head_->end = 0;
    if (size_ == 0) {
      allocated_bytes_ -= head_->capacity;
      FreeChunk(head_);
      head_ = tail_ = nullptr;
    }
  }
}

void OutputBuffer::Clear() {
  while (head_ != nullptr) {
    Chunk* next = head_->next;
    FreeChunk(head_);
    head_ = next;
  }
  tail_ = nullptr;
  size_ = 0;
  allocated_bytes_ = 0;
  limit_exceeded_ = false;
}

void OutputBuffer::Truncate(size_t length) {
  if (limit_exceeded_ && length >= size_) return;
  RINGDB_ASSERT(length <= size_);
  size_t keep = length;
  Chunk* chunk = head_;
  Chunk* last = nullptr;
  while (chunk != nullptr) {
    size_t available = chunk->end - chunk->begin;
    if (keep <= available) {
      chunk->end = chunk->begin + static_cast<uint32_t>(keep);
      last = chunk;
      break;
    }
    keep -= available;
    chunk = chunk->next;
  }
  if (last == nullptr) {
    Clear();
    return;
  }
  Chunk* drop = last->next;
  last->next = nullptr;
  tail_ = last;
  while (drop != nullptr) {
    Chunk* next = drop->next;
    allocated_bytes_ -= drop->capacity;
    FreeChunk(drop);
    drop = next;
  }
  size_ = length;
}

}  // namespace ringdb::resp
