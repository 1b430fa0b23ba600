#include "ringdb/base/byte_buffer.h"

#include <algorithm>

#include "ringdb/base/memory.h"

namespace ringdb {

ByteBuffer::~ByteBuffer() { Release(); }

bool ByteBuffer::TryReserve(size_t more) {
  if (capacity_ - end_ >= more) return true;
  size_t used = end_ - begin_;
  char* fresh = static_cast<char*>(TryAllocate(used + more));
  if (fresh == nullptr) return false;
  if (used > 0) std::memcpy(fresh, data_ + begin_, used);
  Deallocate(data_);
  data_ = fresh;
  capacity_ = UsableSize(fresh);
  begin_ = 0;
  end_ = used;
  return true;
}

void ByteBuffer::Reserve(size_t more) {
  if (capacity_ - end_ >= more) return;
  size_t used = end_ - begin_;
  if (begin_ > 0 && capacity_ - used >= more) {
    // Sliding the live bytes to the front makes enough room.
    std::memmove(data_, data_ + begin_, used);
    begin_ = 0;
    end_ = used;
    return;
  }
  size_t needed = used + more;
  size_t grown = std::max(needed, capacity_ * 2);
  grown = std::max<size_t>(grown, 1024);
  char* fresh = static_cast<char*>(Allocate(grown));
  if (used > 0) std::memcpy(fresh, data_ + begin_, used);
  Deallocate(data_);
  data_ = fresh;
  capacity_ = UsableSize(fresh);
  begin_ = 0;
  end_ = used;
}

void ByteBuffer::Release() {
  Deallocate(data_);
  data_ = nullptr;
  begin_ = end_ = capacity_ = 0;
}

}  // namespace ringdb
