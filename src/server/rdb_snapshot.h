// The server's RDB snapshots: the encoder SaveJob runs on the persistence thread, and the
// start-up load of dump.rdb.
#pragma once

#include <memory>

#include "ringdb/base/status.h"
#include "ringdb/persist/save_job.h"

namespace ringdb::server {

class Server;

// An encoder for a snapshot taken now, with the server's rdbcompression, rdbchecksum and
// eviction policy (IDLE/FREQ per key as Redis writes them) and Redis's AUX fields.
std::unique_ptr<persist::Encoder> NewRdbEncoder(Server& server);

// Loads dir/dbfilename into the (empty) keyspace, if the file exists. Runs before the loop
// serves anyone. An error names the file and the offset; the server must not start then.
Status LoadRdbAtStartup(Server& server);

}  // namespace ringdb::server
