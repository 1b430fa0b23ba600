// Status and Result<T>: how operating errors travel. Client mistakes become RESP error replies
// and never use these; programmer errors crash through RINGDB_ASSERT.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "ringdb/base/assert.h"

namespace ringdb {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk,
    kInvalidArgument,
    kNotFound,
    kCorruption,
    kIoError,
    kOutOfRange,
    kUnsupported,
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(Code::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(Code::kNotFound, std::move(message));
  }
  static Status Corruption(std::string message) {
    return Status(Code::kCorruption, std::move(message));
  }
  static Status IoError(std::string message) { return Status(Code::kIoError, std::move(message)); }
  // An I/O error from a failed system call: the message ends with strerror(error_number).
  static Status FromErrno(std::string_view what, int error_number);
  static Status OutOfRange(std::string message) {
    return Status(Code::kOutOfRange, std::move(message));
  }
  static Status Unsupported(std::string message) {
    return Status(Code::kUnsupported, std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none. (std::expected does not compile with
// clang 14 and libstdc++ 12.)
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    RINGDB_ASSERT(!std::get<1>(state_).ok());
  }

  bool ok() const { return state_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(state_);
  }
  T& value() & {
    RINGDB_ASSERT(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    RINGDB_ASSERT(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    RINGDB_ASSERT(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace ringdb

// Returns early from the enclosing function when `expression` yields a failed Status.
#define RINGDB_RETURN_IF_ERROR(expression)           \
  do {                                               \
    ::ringdb::Status ringdb_status_ = (expression);  \
    if (!ringdb_status_.ok()) return ringdb_status_; \
  } while (0)
