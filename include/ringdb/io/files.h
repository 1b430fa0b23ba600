// Files: the storage interface of the loop. Every file operation the loop needs (open, write at
// an offset, fdatasync, fsync, rename, unlink, close) is an io_uring submission; its callback
// runs on the loop with the result: >= 0 on success (a descriptor for Open), or -errno.
//
// Write hands the kernel the whole buffer and resubmits after a short write, so its callback
// sees either 0 (every byte written) or an error. The caller keeps the bytes alive until then.
//
// REQUIRES: used on the loop thread, like the Proactor it submits to.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ringdb/io/proactor.h"

namespace ringdb::io {

class Files {
 public:
  using Callback = std::function<void(int result)>;

  explicit Files(Proactor* proactor) : proactor_(proactor) {}
  Files(const Files&) = delete;
  Files& operator=(const Files&) = delete;

  void Open(std::string path, int flags, mode_t mode, Callback done);
  void Write(int fd, std::string_view bytes, uint64_t offset, Callback done);
  void Fdatasync(int fd, Callback done);
  void Fsync(int fd, Callback done);
  void Rename(std::string from, std::string to, Callback done);
  void Unlink(std::string path, Callback done);
  void Close(int fd, Callback done);

  // Operations submitted whose callback has not run yet.
  size_t in_flight() const { return in_flight_; }

 private:
  struct Request;
  void Submit(Request* request);
  static void OnComplete(void* owner, int result, uint32_t flags);

  Proactor* proactor_;
  size_t in_flight_ = 0;
};

}  // namespace ringdb::io
