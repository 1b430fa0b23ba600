// Logging in Redis's line format: "<pid>:<role> <day> <month> <year> <time>.<ms> <level> <text>",
// where level is '.' debug, '-' verbose, '*' notice, '#' warning.
//
// Lines are formatted on the calling thread and written by a background writer thread, so the
// proactor never blocks in write(2) for a log line. Before the writer starts, and after it
// stops, lines are written directly (start-up and exit are not on the request path).
#pragma once

#include <cstdarg>
#include <string>
#include <string_view>

#include "ringdb/base/status.h"

namespace ringdb {

enum class LogLevel : int { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3, kNothing = 4 };

// Parses "debug", "verbose", "notice", "warning" or "nothing".
bool ParseLogLevel(std::string_view text, LogLevel* level);
const char* LogLevelName(LogLevel level);

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

// Directs output to `path` (appended), or to stderr when `path` is empty. Returns an error
// naming the path when it cannot be opened; the previous destination stays in use.
Status SetLogFile(const std::string& path);

// Starts and stops the background writer. StopLogWriter() flushes every queued line.
void StartLogWriter();
void StopLogWriter();

void Log(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace ringdb

#define RINGDB_LOG(level, ...)                                                \
  do {                                                                        \
    if (static_cast<int>(level) >= static_cast<int>(::ringdb::GetLogLevel())) \
      ::ringdb::Log(level, __VA_ARGS__);                                      \
  } while (0)
#define LOG_DEBUG(...) RINGDB_LOG(::ringdb::LogLevel::kDebug, __VA_ARGS__)
#define LOG_VERBOSE(...) RINGDB_LOG(::ringdb::LogLevel::kVerbose, __VA_ARGS__)
#define LOG_NOTICE(...) RINGDB_LOG(::ringdb::LogLevel::kNotice, __VA_ARGS__)
#define LOG_WARNING(...) RINGDB_LOG(::ringdb::LogLevel::kWarning, __VA_ARGS__)
