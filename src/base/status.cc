#include "ringdb/base/status.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ringdb {

Status Status::FromErrno(std::string_view what, int error_number) {
  std::string message(what);
  message += ": ";
  message += std::strerror(error_number);
  return Status(Code::kIoError, std::move(message));
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return message_;
}

namespace detail {
void AssertFailed(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "ringdb: assertion failed: %s (%s:%d)\n", expression, file, line);
  std::fflush(stderr);
  std::abort();
}
}  // namespace detail

}  // namespace ringdb
