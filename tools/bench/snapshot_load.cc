// snapshot_load: a steady SET/GET load for the snapshot benchmark (tools/bench/snapshot.py).
//
//   snapshot_load PORT CLIENTS SET_CLIENTS SECONDS KEYS VALUE_BYTES OUT_FILE
//
// CLIENTS connections to 127.0.0.1:PORT each keep one request in flight (pipeline 1): the
// first SET_CLIENTS send SET key:<random> <VALUE_BYTES bytes>, the rest GET key:<random>,
// keys drawn from [0, KEYS) as DEBUG POPULATE names them ("key:N"). Runs SECONDS seconds,
// then writes one record per completed request to OUT_FILE: two little-endian int64s, the
// completion time (Unix microseconds) and the latency (microseconds). The caller splits them
// into windows (before, during, after a snapshot). One thread, epoll: the load generator must
// not need more CPU than the servers it measures.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Connection {
  int fd = -1;
  bool setter = false;
  int64_t sent_us = 0;
  std::string out;
  size_t out_done = 0;
  std::string in;
};

// Length of one complete RESP reply at the start of `in` (simple, error, integer or bulk), or
// 0 when more bytes are needed.
size_t ReplyLength(const std::string& in) {
  size_t line_end = in.find("\r\n");
  if (line_end == std::string::npos) return 0;
  if (in[0] != '$') return line_end + 2;
  long long length = std::strtoll(in.c_str() + 1, nullptr, 10);
  if (length < 0) return line_end + 2;
  size_t total = line_end + 2 + static_cast<size_t>(length) + 2;
  return in.size() >= total ? total : 0;
}

std::string Bulk(const std::string& text) {
  return "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(stderr,
                 "usage: snapshot_load PORT CLIENTS SET_CLIENTS SECONDS KEYS VALUE_BYTES OUT_FILE\n"
                 "Steady pipeline-1 SET/GET load on 127.0.0.1:PORT; writes (completion us, "
                 "latency us) records to OUT_FILE.\n");
    return argc == 2 ? 0 : 2;
  }
  int port = std::atoi(argv[1]);
  int clients = std::atoi(argv[2]);
  int set_clients = std::atoi(argv[3]);
  double seconds = std::atof(argv[4]);
  uint64_t keys = std::strtoull(argv[5], nullptr, 10);
  size_t value_bytes = std::strtoull(argv[6], nullptr, 10);
  const char* out_path = argv[7];

  std::string value(value_bytes, 'x');
  std::mt19937_64 random(12345);
  int epoll_fd = epoll_create1(0);
  std::vector<Connection> connections(static_cast<size_t>(clients));
  std::vector<int64_t> records;
  records.reserve(1 << 22);

  auto next_request = [&](Connection& c) {
    std::string key = "key:" + std::to_string(random() % keys);
    if (c.setter) {
      c.out = "*3\r\n$3\r\nSET\r\n" + Bulk(key) + Bulk(value);
    } else {
      c.out = "*2\r\n$3\r\nGET\r\n" + Bulk(key);
    }
    c.out_done = 0;
    c.sent_us = NowUs();
    ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) c.out_done = static_cast<size_t>(n);
  };

  for (int i = 0; i < clients; i++) {
    Connection& c = connections[static_cast<size_t>(i)];
    c.setter = i < set_clients;
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      std::perror("connect");
      return 1;
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &event);
  }
  for (Connection& c : connections) next_request(c);

  int64_t end_us = NowUs() + static_cast<int64_t>(seconds * 1e6);
  std::vector<epoll_event> events(static_cast<size_t>(clients));
  char buffer[1 << 16];
  while (NowUs() < end_us) {
    int ready = epoll_wait(epoll_fd, events.data(), clients, 100);
    for (int e = 0; e < ready; e++) {
      Connection& c = connections[events[static_cast<size_t>(e)].data.u32];
      // A request bigger than the socket buffer finishes sending here (blocking is fine: the
      // server reads it).
      while (c.out_done < c.out.size()) {
        ssize_t n = send(c.fd, c.out.data() + c.out_done, c.out.size() - c.out_done, MSG_NOSIGNAL);
        if (n <= 0) break;
        c.out_done += static_cast<size_t>(n);
      }
      ssize_t n = recv(c.fd, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n == 0) {
        std::fprintf(stderr, "server closed a connection\n");
        return 1;
      }
      if (n < 0) continue;
      c.in.append(buffer, static_cast<size_t>(n));
      size_t length = ReplyLength(c.in);
      if (length == 0) continue;
      if (c.in[0] == '-') {
        std::fprintf(stderr, "error reply: %s\n", c.in.substr(0, length).c_str());
        return 1;
      }
      c.in.erase(0, length);
      int64_t now = NowUs();
      records.push_back(now);
      records.push_back(now - c.sent_us);
      next_request(c);
    }
  }
  FILE* out = std::fopen(out_path, "wb");
  if (out == nullptr) {
    std::perror(out_path);
    return 1;
  }
  std::fwrite(records.data(), sizeof(int64_t), records.size(), out);
  std::fclose(out);
  return 0;
}
