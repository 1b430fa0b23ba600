// bare_loop: the floor for ringdb's network path. A minimal io_uring server with the same
// ring set-up as ringdb (SINGLE_ISSUER | DEFER_TASKRUN, registered ring fd, multishot accept,
// multishot receive into a provided-buffer ring, one send per receive) that answers "+OK" to
// whatever arrives, parsing nothing and storing nothing. With one command per receive
// (pipeline 1) its CPU per request is what the kernel's TCP path and io_uring cost; ringdb
// cannot go below it. tools/bench/compare.py --floor measures it in the same run.
//
// Usage: bare_loop <port>     (127.0.0.1 only; stop it with a signal)
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

enum Kind : uint32_t { kAccept = 1, kReceive = 2, kSend = 3 };
constexpr unsigned kBuffers = 256;
constexpr unsigned kBufferBytes = 16 * 1024;
constexpr char kReply[] = "+OK\r\n";

uint64_t Tag(Kind kind, int fd) {
  return (static_cast<uint64_t>(kind) << 32) | static_cast<uint32_t>(fd);
}

void ArmReceive(io_uring* ring, int fd) {
  io_uring_sqe* sqe = io_uring_get_sqe(ring);
  io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = 0;
  io_uring_sqe_set_data64(sqe, Tag(kReceive, fd));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(stderr, "usage: bare_loop <port>\n");
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listener, 511) != 0) {
    std::perror("bind/listen");
    return 1;
  }
  io_uring ring;
  io_uring_params params{};
  params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
  if (io_uring_queue_init_params(4096, &ring, &params) != 0) {
    std::perror("io_uring");
    return 1;
  }
  io_uring_register_ring_fd(&ring);
  auto* buffers = static_cast<io_uring_buf_ring*>(mmap(nullptr, kBuffers * sizeof(io_uring_buf),
                                                       PROT_READ | PROT_WRITE,
                                                       MAP_ANONYMOUS | MAP_PRIVATE, -1, 0));
  char* storage = static_cast<char*>(std::malloc(kBuffers * kBufferBytes));
  io_uring_buf_ring_init(buffers);
  io_uring_buf_reg registration{};
  registration.ring_addr = reinterpret_cast<uint64_t>(buffers);
  registration.ring_entries = kBuffers;
  io_uring_register_buf_ring(&ring, &registration, 0);
  const int mask = io_uring_buf_ring_mask(kBuffers);
  for (unsigned i = 0; i < kBuffers; i++) {
    io_uring_buf_ring_add(buffers, storage + i * kBufferBytes, kBufferBytes, i, mask, i);
  }
  io_uring_buf_ring_advance(buffers, kBuffers);
  io_uring_sqe* accept = io_uring_get_sqe(&ring);
  io_uring_prep_multishot_accept(accept, listener, nullptr, nullptr, 0);
  io_uring_sqe_set_data64(accept, Tag(kAccept, listener));
  while (true) {
    io_uring_submit_and_wait(&ring, 1);
    io_uring_cqe* cqe;
    unsigned head;
    unsigned seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      seen++;
      Kind kind = static_cast<Kind>(cqe->user_data >> 32);
      int fd = static_cast<int>(static_cast<uint32_t>(cqe->user_data));
      if (kind == kAccept && cqe->res >= 0) {
        setsockopt(cqe->res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        ArmReceive(&ring, cqe->res);
      } else if (kind == kReceive) {
        if (cqe->res <= 0) {
          close(fd);
          continue;
        }
        unsigned id = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
        io_uring_buf_ring_add(buffers, storage + id * kBufferBytes, kBufferBytes, id, mask, 0);
        io_uring_buf_ring_advance(buffers, 1);
        io_uring_sqe* send = io_uring_get_sqe(&ring);
        io_uring_prep_send(send, fd, kReply, sizeof(kReply) - 1, MSG_NOSIGNAL);
        io_uring_sqe_set_data64(send, Tag(kSend, fd));
        if (!(cqe->flags & IORING_CQE_F_MORE)) ArmReceive(&ring, fd);
      }
    }
    io_uring_cq_advance(&ring, seen);
  }
}
