// A chain of byte chunks holding replies until the socket takes them. Chunks of the standard
// size come from a per-thread pool, so a client in steady state allocates nothing per reply.
// Appending never moves bytes already written, so a send in flight may point into them.
//
// A buffer may carry a limit on the memory its chunks take (the server sets the client's hard
// output-buffer limit while a command runs). Once an append would take it to the limit or
// past it, the buffer is over its limit for good: that append and every later one are
// dropped, so a reply of any size costs at most the limit plus one chunk, and the producer
// can ask limit_exceeded() to stop early (Redis's CLIENT_CLOSE_ASAP checks). The owner is
// expected to close the client, since what the buffer holds is no longer a whole reply.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ringdb::resp {

class OutputBuffer {
 public:
  static constexpr size_t kChunkBytes = 16 * 1024;

  OutputBuffer() = default;
  ~OutputBuffer();
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;

  void Append(const char* bytes, size_t length) {
    if (length == 0) return;  // An empty view may carry a null pointer, which memcpy forbids.
    if (tail_ != nullptr && tail_->capacity - tail_->end >= length && !limit_exceeded_) {
      std::memcpy(tail_->data + tail_->end, bytes, length);
      tail_->end += static_cast<uint32_t>(length);
      size_ += length;
      return;
    }
    AppendSlow(bytes, length);
  }
  void Append(std::string_view bytes) { Append(bytes.data(), bytes.size()); }

  // Returns room for `length` contiguous bytes at the tail; Commit(written) must follow
  // before the next Append. REQUIRES: length <= kChunkBytes.
  char* Reserve(size_t length);
  void Commit(size_t written) {
    if (limit_exceeded_) return;  // Reserve handed out scratch room.
    tail_->end += static_cast<uint32_t>(written);
    size_ += written;
  }

  // The most bytes the chunks may take (0: no limit). Lowering it below what they already
  // take makes the next append exceed it.
  void set_limit_bytes(size_t limit_bytes) { limit_bytes_ = limit_bytes; }
  size_t limit_bytes() const { return limit_bytes_; }
  // Appends were dropped because of the limit. Stays set until Clear().
  bool limit_exceeded() const { return limit_exceeded_; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Fills up to `count` iovecs with the oldest unsent bytes; returns how many were filled.
  int Gather(iovec* vectors, int count) const;
  // Drops the first `length` bytes (they were sent).
  void Consume(size_t length);
  // Drops everything, and forgets that the limit was exceeded (the limit stays).
  void Clear();
  // Drops the bytes after the first `length` (undoes appends). REQUIRES: length <= size(),
  // or the limit was exceeded (the bytes past size() were dropped already).
  void Truncate(size_t length);

  // Bytes held by chunks, including unused room (the memory this buffer costs).
  size_t allocated_bytes() const { return allocated_bytes_; }

  // Chunks kept in this thread's pool for reuse.
  static size_t PooledChunks();

 private:
  struct Chunk {
    Chunk* next;
    uint32_t capacity;
    uint32_t begin;
    uint32_t end;
    char data[];
  };
  static Chunk* NewChunk(size_t capacity);
  static void FreeChunk(Chunk* chunk);
  void AppendSlow(const char* bytes, size_t length);
  void PushChunk(Chunk* chunk);
  // Whether `capacity` more bytes of chunks would reach the limit; sets limit_exceeded_.
  bool WouldExceedLimit(size_t capacity);

  Chunk* head_ = nullptr;
  Chunk* tail_ = nullptr;
  size_t size_ = 0;
  size_t allocated_bytes_ = 0;
  size_t limit_bytes_ = 0;
  bool limit_exceeded_ = false;
};

}  // namespace ringdb::resp
