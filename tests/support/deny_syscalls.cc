// deny_syscalls [--io-uring] <program> [args...]
//
// Runs <program> under a seccomp filter that makes the resource-control system calls fail
// with EPERM, as a hardened systemd unit does with SystemCallFilter=~@resources and
// SystemCallErrorNumber=EPERM (sched_setaffinity, setrlimit/prlimit64, setpriority, mbind,
// ..., and prlimit64 when it sets a limit). With --io-uring it denies io_uring_setup too, as some
// container runtimes do.
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  int first = 1;
  bool deny_io_uring = false;
  if (argc > 1 && std::strcmp(argv[1], "--io-uring") == 0) {
    deny_io_uring = true;
    first = 2;
  }
  if (first >= argc) {
    std::fprintf(stderr, "usage: deny_syscalls [--io-uring] <program> [args...]\n");
    return 2;
  }
  std::vector<int> denied = {SYS_sched_setaffinity,  SYS_setrlimit,      SYS_setpriority,
                             SYS_sched_setscheduler, SYS_sched_setparam, SYS_mbind,
                             SYS_set_mempolicy,      SYS_migrate_pages,  SYS_ioprio_set};
  if (deny_io_uring) denied.push_back(SYS_io_uring_setup);

  std::vector<sock_filter> program;
  program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
  program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
  program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
  // glibc's getrlimit and setrlimit both use prlimit64; deny only the calls that set a limit
  // (a non-null third argument), so reading limits still works (sanitizer runtimes need it).
  const unsigned new_limit_low = offsetof(seccomp_data, args) + 2 * sizeof(uint64_t);
  program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prlimit64, 0, 5));
  program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, new_limit_low));
  program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2));
  program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, new_limit_low + 4));
  program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
  program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)));
  for (int number : denied) {
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(number), 0, 1));
    program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)));
  }
  program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) {
    std::perror("installing the seccomp filter");
    return 1;
  }
  execvp(argv[first], argv + first);
  std::perror("exec");
  return 127;
}
