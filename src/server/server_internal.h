// Constants shared by the files that implement Server (server.cc: lifecycle and cron;
// connection_io.cc: sockets and backpressure; execute.cc: running commands). Private to
// src/server.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringdb::server {

inline constexpr uint16_t kBufferGroup = 0;
// Receive buffers shared by all connections: a client holds one only while its bytes are
// parsed, so a few hundred serve thousands of clients; when they run out a client falls back
// to a one-shot receive into its own buffer.
inline constexpr uint32_t kReceiveBuffers = 256;
inline constexpr uint32_t kReceiveBufferBytes = 16 * 1024;
// Backpressure: a client with this much output waiting runs no more commands until it drains
// below the resume mark, and once this much of its input is waiting too, the server stops
// receiving from it, so TCP flow control pushes back on the sender.
inline constexpr size_t kOutputPauseBytes = 1024 * 1024;
inline constexpr size_t kOutputResumeBytes = 256 * 1024;
inline constexpr size_t kInputPauseBytes = 1024 * 1024;
// How much of a reply silenced by CLIENT REPLY OFF/SKIP is built before it is cut short.
inline constexpr size_t kDiscardedReplyBytesMax = 1024 * 1024;
inline constexpr char kMaxClientsError[] = "-ERR max number of clients reached\r\n";

}  // namespace ringdb::server
