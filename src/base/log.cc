#include "ringdb/base/log.h"

#include "ringdb/base/thread_annotations.h"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>

namespace ringdb {
namespace {

// Queued lines beyond this are dropped (and counted) rather than letting memory grow while
// the log destination is slow.
constexpr size_t kQueuedLinesMax = 10000;

struct LogState {
  std::atomic<int> level{static_cast<int>(LogLevel::kNotice)};
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::string> queue RINGDB_GUARDED_BY(mutex);
  size_t dropped RINGDB_GUARDED_BY(mutex) = 0;
  bool writer_running RINGDB_GUARDED_BY(mutex) = false;
  bool stopping RINGDB_GUARDED_BY(mutex) = false;
  int fd RINGDB_GUARDED_BY(mutex) = STDERR_FILENO;
  std::thread writer;
};

LogState& State() {
  static LogState* state = new LogState();  // Never destroyed: logging works during exit.
  return *state;
}

void WriteAll(int fd, const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // Nowhere left to report a failing log destination.
    }
    done += static_cast<size_t>(n);
  }
}

void WriterLoop() {
  LogState& state = State();
  std::unique_lock lock(state.mutex);
  while (true) {
    state.wake.wait(lock, [&] { return state.stopping || !state.queue.empty(); });
    while (!state.queue.empty()) {
      std::string line = std::move(state.queue.front());
      state.queue.pop_front();
      int fd = state.fd;
      lock.unlock();
      WriteAll(fd, line);
      lock.lock();
    }
    if (state.dropped > 0) {
      std::string note = "ringdb: " + std::to_string(state.dropped) + " log lines dropped\n";
      state.dropped = 0;
      WriteAll(state.fd, note);
    }
    if (state.stopping) return;
  }
}

}  // namespace

bool ParseLogLevel(std::string_view text, LogLevel* level) {
  static constexpr std::pair<std::string_view, LogLevel> kNames[] = {
      {"debug", LogLevel::kDebug},     {"verbose", LogLevel::kVerbose},
      {"notice", LogLevel::kNotice},   {"warning", LogLevel::kWarning},
      {"nothing", LogLevel::kNothing},
  };
  for (const auto& [name, value] : kNames) {
    if (text.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size(); i++) {
      if ((text[i] | 0x20) != name[i]) same = false;
    }
    if (same) {
      *level = value;
      return true;
    }
  }
  return false;
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kVerbose:
      return "verbose";
    case LogLevel::kNotice:
      return "notice";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kNothing:
      return "nothing";
  }
  return "notice";
}

void SetLogLevel(LogLevel level) { State().level.store(static_cast<int>(level)); }
LogLevel GetLogLevel() {
  return static_cast<LogLevel>(State().level.load(std::memory_order_relaxed));
}

Status SetLogFile(const std::string& path) {
  LogState& state = State();
  int fd = STDERR_FILENO;
  if (!path.empty()) {
    fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::FromErrno("can't open the log file " + path, errno);
  }
  std::lock_guard lock(state.mutex);
  if (state.fd != STDERR_FILENO) ::close(state.fd);
  state.fd = fd;
  return Status::Ok();
}

void StartLogWriter() {
  LogState& state = State();
  std::lock_guard lock(state.mutex);
  if (state.writer_running) return;
  state.stopping = false;
  state.writer_running = true;
  state.writer = std::thread(WriterLoop);
}

void StopLogWriter() {
  LogState& state = State();
  {
    std::lock_guard lock(state.mutex);
    if (!state.writer_running) return;
    state.stopping = true;
  }
  state.wake.notify_one();
  state.writer.join();
  std::lock_guard lock(state.mutex);
  state.writer_running = false;
}

void Log(LogLevel level, const char* format, ...) {
  static constexpr char kLevelMarks[] = {'.', '-', '*', '#'};
  if (level == LogLevel::kNothing) return;
  timeval now;
  gettimeofday(&now, nullptr);
  tm local;
  localtime_r(&now.tv_sec, &local);
  char stamp[64];
  size_t stamp_length = strftime(stamp, sizeof(stamp), "%d %b %Y %H:%M:%S", &local);
  char head[128];
  int head_length =
      std::snprintf(head, sizeof(head), "%d:M %.*s.%03d %c ", static_cast<int>(getpid()),
                    static_cast<int>(stamp_length), stamp, static_cast<int>(now.tv_usec / 1000),
                    kLevelMarks[static_cast<int>(level)]);
  char body[1024];
  va_list args;
  va_start(args, format);
  int body_length = std::vsnprintf(body, sizeof(body), format, args);
  va_end(args);
  if (body_length < 0) body_length = 0;
  if (static_cast<size_t>(body_length) >= sizeof(body)) body_length = sizeof(body) - 1;

  std::string line;
  line.reserve(static_cast<size_t>(head_length + body_length) + 1);
  line.append(head, static_cast<size_t>(head_length));
  line.append(body, static_cast<size_t>(body_length));
  line.push_back('\n');

  LogState& state = State();
  std::unique_lock lock(state.mutex);
  if (!state.writer_running) {
    WriteAll(state.fd, line);
    return;
  }
  if (state.queue.size() >= kQueuedLinesMax) {
    state.dropped++;
    return;
  }
  state.queue.push_back(std::move(line));
  lock.unlock();
  state.wake.notify_one();
}

}  // namespace ringdb
