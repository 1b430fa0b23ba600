// The server's RDB snapshots: the encoder SaveJob runs on the persistence thread, and the
// start-up load of dump.rdb.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "ringdb/base/status.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/persist/save_job.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::server {

class Server;

// An encoder for a snapshot taken now, with the server's rdbcompression, rdbchecksum and
// eviction policy (IDLE/FREQ per key as Redis writes them) and Redis's AUX fields.
std::unique_ptr<persist::Encoder> NewRdbEncoder(Server& server);

// A snapshot file being loaded on the worker thread into tables of its own, which the loop
// installs when it is complete. Meanwhile the server answers -LOADING to commands that need
// the data, and INFO shows the progress.
struct LoadState {
  std::string path;
  int64_t start_ms = 0;
  // The file's size, and the bytes read so far (written by the worker, read by INFO).
  std::atomic<uint64_t> total_bytes{0};
  std::atomic<uint64_t> loaded_bytes{0};
  // Written by the worker; read by the loop after the job's completion.
  Status status;
  int64_t file_mtime_s = 0;
  persist::rdb::LoadStats stats;
  std::unique_ptr<store::Keyspace> keyspace;
};

// Starts loading dir/dbfilename on the worker. `done` runs on the loop when the load ended,
// well or not (a missing file is a NotFound status). Nothing here touches the disk on the loop.
std::shared_ptr<LoadState> StartLoading(Server& server, std::function<void()> done);

// After `state` loaded without error: puts its tables in place of the server's (empty) ones.
void InstallLoaded(Server& server, LoadState& state);

}  // namespace ringdb::server
