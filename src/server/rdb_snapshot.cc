#include "rdb_snapshot.h"

#include <sys/stat.h>

#include <string>
#include <utility>
#include <vector>

#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/base/memory.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/server/server.h"
#include "version.h"

namespace ringdb::server {
namespace {

namespace rdb = persist::rdb;

class RdbEncoder final : public persist::Encoder {
 public:
  RdbEncoder(const rdb::WriteOptions& options, std::vector<std::pair<std::string, std::string>> aux,
             rdb::EvictionPolicyKind policy, int64_t now_ms, int64_t lfu_decay_minutes)
      : writer_(options),
        aux_(std::move(aux)),
        policy_(policy),
        now_ms_(now_ms),
        lfu_decay_minutes_(lfu_decay_minutes) {}

  void Begin(std::string* out) override {
    writer_.Begin(aux_);
    writer_.TakeBytes(out);
  }

  void Encode(const persist::Snapshot::Chunk& chunk, std::string* out) override {
    if (chunk.first_of_db) writer_.SelectDb(chunk.db, chunk.db_keys, chunk.db_expires);
    for (const store::Entry* entry : chunk.entries) {
      rdb::KeyEvictionData eviction;
      if (policy_ != rdb::EvictionPolicyKind::kNone) {
        eviction = rdb::EvictionDataOf(entry->lru(), policy_, now_ms_, lfu_decay_minutes_);
      }
      writer_.Key(*entry, eviction);
    }
    writer_.TakeBytes(out);
  }

  void End(std::string* out) override {
    writer_.End();
    writer_.TakeBytes(out);
  }

 private:
  rdb::Writer writer_;
  std::vector<std::pair<std::string, std::string>> aux_;
  rdb::EvictionPolicyKind policy_;
  int64_t now_ms_;
  int64_t lfu_decay_minutes_;
};

}  // namespace

std::unique_ptr<persist::Encoder> NewRdbEncoder(Server& server) {
  const Config& config = server.config();
  rdb::WriteOptions options;
  options.compress = config.rdbcompression;
  options.checksum = config.rdbchecksum;
  int64_t now_ms = UnixTimeMs();
  // The AUX fields Redis 7 writes without replication, plus ours (Redis ignores unknown ones).
  std::vector<std::pair<std::string, std::string>> aux = {
      {"redis-ver", kRedisVersion},
      {"redis-bits", "64"},
      {"ctime", std::to_string(now_ms / 1000)},
      {"used-mem", std::to_string(AllocatedBytes())},
      {"aof-base", "0"},
      {"ringdb-ver", kRingdbVersion},
  };
  // IDLE under an LRU maxmemory-policy, FREQ under an LFU one, as Redis writes them.
  const std::string& policy = config.maxmemory_policy;
  rdb::EvictionPolicyKind kind = rdb::EvictionPolicyKind::kNone;
  if (policy.find("lru") != std::string::npos) kind = rdb::EvictionPolicyKind::kLru;
  if (policy.find("lfu") != std::string::npos) kind = rdb::EvictionPolicyKind::kLfu;
  return std::make_unique<RdbEncoder>(options, std::move(aux), kind, now_ms,
                                      server.limits().lfu_decay_time_minutes);
}

Status LoadRdbAtStartup(Server& server) {
  const Config& config = server.config();
  std::string path = config.dir + "/" + config.dbfilename;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Status::Ok();  // Nothing saved yet.
  int64_t start_ms = UnixTimeMs();
  LOG_NOTICE("Loading RDB produced by %s (%lld bytes)...", path.c_str(),
             static_cast<long long>(info.st_size));
  Result<std::unique_ptr<rdb::FileSource>> source = rdb::FileSource::Open(path);
  if (!source.ok()) {
    return Status::IoError("Fatal error loading the DB " + path + ": " + source.status().message());
  }
  rdb::LoadStats stats;
  Status loaded = rdb::LoadFile(source->get(), server.limits().encodings, start_ms,
                                server.limits().lfu_policy, &server.keyspace(), &stats);
  if (!loaded.ok()) {
    return Status::Corruption("Fatal error loading the DB " + path + ": " + loaded.message() +
                              ". Refusing to start: inspect the file, or move it away to start "
                              "empty.");
  }
  int64_t elapsed_ms = UnixTimeMs() - start_ms;
  LOG_NOTICE("Done loading RDB, keys loaded: %llu, keys expired: %llu.",
             static_cast<unsigned long long>(stats.keys_loaded),
             static_cast<unsigned long long>(stats.expired_keys_skipped));
  LOG_NOTICE("DB loaded from disk: %.3f seconds", static_cast<double>(elapsed_ms) / 1000.0);
  server.persistence().set_last_save_s(static_cast<int64_t>(info.st_mtime));
  server.persistence().set_last_load(stats.keys_loaded, stats.expired_keys_skipped);
  return Status::Ok();
}

}  // namespace ringdb::server
