#include "ringdb/io/files.h"

#include <fcntl.h>

#include <utility>

namespace ringdb::io {

struct Files::Request {
  enum class Kind { kOpen, kWrite, kFdatasync, kFsync, kRename, kUnlink, kClose };
  Kind kind;
  Files* files = nullptr;
  Operation operation;
  Callback done;
  int fd = -1;
  int flags = 0;
  mode_t mode = 0;
  std::string path;
  std::string path2;
  const char* bytes = nullptr;
  size_t size = 0;
  uint64_t offset = 0;
  size_t written = 0;
};

void Files::Submit(Request* request) {
  request->files = this;
  request->operation = Operation(&Files::OnComplete, request);
  io_uring_sqe* sqe = proactor_->Prepare(&request->operation);
  switch (request->kind) {
    case Request::Kind::kOpen:
      io_uring_prep_openat(sqe, AT_FDCWD, request->path.c_str(), request->flags | O_CLOEXEC,
                           request->mode);
      break;
    case Request::Kind::kWrite: {
      size_t left = request->size - request->written;
      // One submission writes at most 1 GiB; the rest follows as a short write would.
      size_t chunk = left < (size_t{1} << 30) ? left : (size_t{1} << 30);
      io_uring_prep_write(sqe, request->fd, request->bytes + request->written,
                          static_cast<unsigned>(chunk), request->offset + request->written);
      break;
    }
    case Request::Kind::kFdatasync:
      io_uring_prep_fsync(sqe, request->fd, IORING_FSYNC_DATASYNC);
      break;
    case Request::Kind::kFsync:
      io_uring_prep_fsync(sqe, request->fd, 0);
      break;
    case Request::Kind::kRename:
      io_uring_prep_renameat(sqe, AT_FDCWD, request->path.c_str(), AT_FDCWD, request->path2.c_str(),
                             0);
      break;
    case Request::Kind::kUnlink:
      io_uring_prep_unlinkat(sqe, AT_FDCWD, request->path.c_str(), 0);
      break;
    case Request::Kind::kClose:
      io_uring_prep_close(sqe, request->fd);
      break;
  }
}

void Files::OnComplete(void* owner, int result, uint32_t /*flags*/) {
  auto* request = static_cast<Request*>(owner);
  Files* files = request->files;
  if (request->kind == Request::Kind::kWrite && result >= 0 && request->size == 0) {
    result = 0;
  } else if (request->kind == Request::Kind::kWrite && result > 0) {
    request->written += static_cast<size_t>(result);
    if (request->written < request->size) {
      files->Submit(request);  // A short write: the rest goes on from where it stopped.
      return;
    }
    result = 0;
  } else if (request->kind == Request::Kind::kWrite && result == 0 && request->size > 0) {
    result = -EIO;  // No progress at all: report it rather than spin.
  }
  files->in_flight_--;
  Callback done = std::move(request->done);
  delete request;
  done(result);
}

void Files::Open(std::string path, int flags, mode_t mode, Callback done) {
  auto* request = new Request{Request::Kind::kOpen};
  request->path = std::move(path);
  request->flags = flags;
  request->mode = mode;
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

void Files::Write(int fd, std::string_view bytes, uint64_t offset, Callback done) {
  auto* request = new Request{Request::Kind::kWrite};
  request->fd = fd;
  request->bytes = bytes.data();
  request->size = bytes.size();
  request->offset = offset;
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

void Files::Fdatasync(int fd, Callback done) {
  auto* request = new Request{Request::Kind::kFdatasync};
  request->fd = fd;
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

void Files::Fsync(int fd, Callback done) {
  auto* request = new Request{Request::Kind::kFsync};
  request->fd = fd;
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

void Files::Rename(std::string from, std::string to, Callback done) {
  auto* request = new Request{Request::Kind::kRename};
  request->path = std::move(from);
  request->path2 = std::move(to);
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

void Files::Unlink(std::string path, Callback done) {
  auto* request = new Request{Request::Kind::kUnlink};
  request->path = std::move(path);
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

void Files::Close(int fd, Callback done) {
  auto* request = new Request{Request::Kind::kClose};
  request->fd = fd;
  request->done = std::move(done);
  in_flight_++;
  Submit(request);
}

}  // namespace ringdb::io
