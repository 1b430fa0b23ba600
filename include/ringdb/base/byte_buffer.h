// A growable byte buffer with a consumed prefix: bytes are appended at the end and dropped from
// the front. Used for a client's unparsed input.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace ringdb {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer();
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  std::string_view view() const { return {data_ + begin_, end_ - begin_}; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  size_t capacity() const { return capacity_; }
  // Room after the end without reallocating.
  size_t tail_room() const { return capacity_ - end_; }

  void Append(std::string_view bytes) {
    if (tail_room() < bytes.size()) Reserve(bytes.size());
    std::memcpy(data_ + end_, bytes.data(), bytes.size());
    end_ += bytes.size();
  }
  // Makes room for at least `more` bytes after the end; moves data to the front first when
  // that is enough.
  void Reserve(size_t more);
  // Like Reserve, but returns false (changing nothing) when the memory is not available.
  bool TryReserve(size_t more);
  // Where to write up to tail_room() bytes; Commit(n) makes them part of the buffer.
  char* tail() { return data_ + end_; }
  void Commit(size_t bytes) { end_ += bytes; }
  void Consume(size_t bytes) {
    begin_ += bytes;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void Clear() { begin_ = end_ = 0; }
  // Frees the storage.
  void Release();

 private:
  char* data_ = nullptr;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t capacity_ = 0;
};

}  // namespace ringdb
