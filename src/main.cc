// ringdb-server: parses the configuration, builds a Server and runs it.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "ringdb/base/log.h"
#include "ringdb/base/memory.h"
#include "ringdb/server/config.h"
#include "ringdb/server/server.h"

namespace {

void PrintUsage() {
  std::printf(
      "Usage: ringdb-server [/path/to/ringdb.conf] [--directive value ...]\n"
      "       ringdb-server --version\n"
      "       ringdb-server --help\n"
      "\n"
      "A Redis-compatible, persistent, in-memory database server.\n"
      "\n"
      "Every configuration directive can be given on the command line as --name value;\n"
      "flags override the file. Directives use Redis's names (see ringdb.conf(5)).\n"
      "\n"
      "Examples:\n"
      "  ringdb-server                                (defaults: 127.0.0.1:6379, data in ./)\n"
      "  ringdb-server /etc/ringdb/ringdb.conf\n"
      "  ringdb-server --port 7777 --dir ./data\n"
      "  ringdb-server /etc/ringdb/ringdb.conf --loglevel verbose\n");
}

}  // namespace

int main(int argc, char** argv) {
  // Huge pages for the keyspace (see UseLargeOsPages): may re-execute this program once.
  ringdb::UseLargeOsPages(argv);
  ringdb::server::Config config;
  bool show_help = false;
  bool show_version = false;
  ringdb::Status status =
      ringdb::server::ParseCommandLine(config, argc, argv, &show_help, &show_version);
  if (show_help) {
    PrintUsage();
    return 0;
  }
  if (show_version) {
    std::printf("ringdb-server v=%s redis-compat=7.2 bits=64\n", RINGDB_VERSION);
    return 0;
  }
  if (!status.ok()) {
    std::fprintf(stderr, "\n*** FATAL CONFIG ERROR (ringdb %s) ***\n%s\n", RINGDB_VERSION,
                 status.message().c_str());
    return 1;
  }
  ringdb::server::Server server(std::move(config));
  status = server.Start();
  if (!status.ok()) {
    ringdb::Log(ringdb::LogLevel::kWarning, "%s", status.message().c_str());
    ringdb::StopLogWriter();
    return 1;
  }
  int code = server.Run();
#ifndef RINGDB_SANITIZED
  // As Redis, the dataset is not freed one allocation at a time on the way out (seconds for a
  // big one): the process ends and the kernel takes the memory back at once. Sanitized builds
  // free everything, so their leak checks still see every allocation.
  std::fflush(nullptr);
  _exit(code);
#endif
  return code;
}
