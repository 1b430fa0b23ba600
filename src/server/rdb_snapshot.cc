#include "rdb_snapshot.h"

#include <sys/stat.h>

#include <cerrno>

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

namespace {

// Counts how far into the file the reader got, for INFO and the progress log.
class CountingSource final : public rdb::Source {
 public:
  CountingSource(rdb::Source* inner, std::atomic<uint64_t>* progress)
      : inner_(inner), progress_(progress) {}
  uint64_t size() const override { return inner_->size(); }
  Status ReadAt(uint64_t offset, char* out, size_t length) override {
    Status status = inner_->ReadAt(offset, out, length);
    uint64_t end = offset + length;
    if (end > progress_->load(std::memory_order_relaxed)) {
      progress_->store(end, std::memory_order_relaxed);
    }
    return status;
  }

 private:
  rdb::Source* inner_;
  std::atomic<uint64_t>* progress_;
};

}  // namespace

std::shared_ptr<LoadState> StartLoading(Server& server, std::function<void()> done) {
  const Config& config = server.config();
  auto state = std::make_shared<LoadState>();
  state->path = config.dir + "/" + config.dbfilename;
  state->start_ms = UnixTimeMs();
  state->keyspace = std::make_unique<store::Keyspace>(
      config.databases, server.keyspace().database(0).table().hash_seed());
  LOG_NOTICE("Loading RDB produced by %s...", state->path.c_str());
  // The worker gets copies of what it needs: it must not read the loop's configuration.
  store::EncodingLimits limits = server.limits().encodings;
  bool lfu = server.limits().lfu_policy;
  server.worker().Submit(
      [state, limits, lfu] {
        struct stat info {};
        if (::stat(state->path.c_str(), &info) != 0) {
          state->status = Status::FromErrno(state->path, errno);
          if (errno == ENOENT) state->status = Status::NotFound(state->path + " does not exist");
          return;
        }
        state->file_mtime_s = static_cast<int64_t>(info.st_mtime);
        state->total_bytes.store(static_cast<uint64_t>(info.st_size), std::memory_order_relaxed);
        Result<std::unique_ptr<rdb::FileSource>> file = rdb::FileSource::Open(state->path);
        if (!file.ok()) {
          state->status = file.status();
          return;
        }
        CountingSource source(file->get(), &state->loaded_bytes);
        state->status = rdb::LoadFileTwoThreads(&source, limits, state->start_ms, lfu,
                                                state->keyspace.get(), &state->stats);
      },
      std::move(done));
  return state;
}

void InstallLoaded(Server& server, LoadState& state) {
  store::Keyspace& keyspace = server.keyspace();
  std::vector<std::unique_ptr<store::Table>> loaded = state.keyspace->TakeAll();
  for (int index = 0; index < keyspace.database_count(); index++) {
    std::unique_ptr<store::Table> empty =
        keyspace.database(index).ExchangeTable(std::move(loaded[static_cast<size_t>(index)]));
    RINGDB_ASSERT(empty->size() == 0);
  }
  int64_t elapsed_ms = UnixTimeMs() - state.start_ms;
  LOG_NOTICE("Done loading RDB, keys loaded: %llu, keys expired: %llu.",
             static_cast<unsigned long long>(state.stats.keys_loaded),
             static_cast<unsigned long long>(state.stats.expired_keys_skipped));
  LOG_NOTICE("DB loaded from disk: %.3f seconds", static_cast<double>(elapsed_ms) / 1000.0);
  server.persistence().set_last_save_s(state.file_mtime_s);
  server.persistence().set_last_load(state.stats.keys_loaded, state.stats.expired_keys_skipped);
}

}  // namespace ringdb::server
