// Loading a native snapshot into a keyspace (include/ringdb/persist/native.h).
//
//   calling thread                               decoder threads (`threads`)
//   Reader::NextBlock: block bytes, in order --> DecodeBlock: CRC, lz4, entries
//   insert the front block's keys, in order  <-- (done flag)
//
// The calling thread reads ahead at most kWindowPerThread blocks per decoder, so memory holds a
// bounded number of blocks whatever the file's size. The keyspace is touched only by the
// calling thread (a Table is single-threaded); decoders only allocate new entries.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "native_internal.h"
#include "ringdb/base/assert.h"
#include "ringdb/persist/native.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::persist::native {

namespace {

constexpr size_t kWindowPerThread = 4;

struct Job {
  RawBlock raw;
  DecodedBlock decoded;
  Status status;
  bool done = false;
};

// Decodes submitted jobs on its threads; with no thread, Submit decodes on the caller's.
class DecoderPool {
 public:
  DecoderPool(const store::EncodingLimits& limits, int threads) : limits_(limits) {
    for (int i = 0; i < threads; i++) threads_.emplace_back([this] { Run(); });
  }
  // Joins the threads; a job being decoded finishes first, queued ones are dropped.
  ~DecoderPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }
  DecoderPool(const DecoderPool&) = delete;
  DecoderPool& operator=(const DecoderPool&) = delete;

  void Submit(Job* job) {
    if (threads_.empty()) {
      Decode(job);
      job->done = true;
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(job);
    }
    work_.notify_one();
  }

  void Wait(Job* job) {
    if (threads_.empty()) return;
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [job] { return job->done; });
  }

 private:
  void Decode(Job* job) {
    job->status = DecodeBlock(job->raw, limits_, &job->decoded);
    // The file bytes are not needed once decoded.
    std::string().swap(job->raw.bytes);
  }

  void Run() {
    while (true) {
      Job* job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = queue_.front();
        queue_.pop_front();
      }
      Decode(job);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        job->done = true;
      }
      done_.notify_all();
    }
  }

  const store::EncodingLimits limits_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable done_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Inserts a decoded block's keys, as rdb::LoadFile does.
Status InsertKeys(DecodedBlock& block, int64_t now_ms, bool lfu_policy, store::Keyspace* keyspace,
                  rdb::LoadStats* stats) {
  auto where = [&] {
    return "offset " + std::to_string(block.offset) + ": block " + std::to_string(block.index) +
           ": ";
  };
  for (KeyRecord& key : block.keys) {
    if (key.db >= keyspace->database_count()) {
      return Status::Corruption(where() + "key in database " + std::to_string(key.db) +
                                ", which is out of range (databases " +
                                std::to_string(keyspace->database_count()) + ")");
    }
    if (key.expire_at_ms != store::kNoExpire && key.expire_at_ms < now_ms) {
      stats->expired_keys_skipped++;
      continue;  // The block releases the entry.
    }
    store::Table& table = keyspace->database(key.db).table();
    if (table.Find(key.entry->key()) != nullptr) {
      return Status::Corruption(where() + "duplicate key " + QuoteKey(key.entry->key()) +
                                " in DB " + std::to_string(key.db));
    }
    store::Entry* entry = key.entry;
    key.entry = nullptr;
    entry->set_lru(rdb::EvictionField(key.eviction, lfu_policy, now_ms));
    table.Insert(entry);
    stats->keys_loaded++;
  }
  stats->empty_keys_skipped += block.empty_keys_skipped;
  return Status::Ok();
}

}  // namespace

Status Load(rdb::Source* source, const store::EncodingLimits& limits, int64_t now_ms,
            bool lfu_policy, store::Keyspace* keyspace, rdb::LoadStats* stats, int threads) {
  Reader reader(source);
  RINGDB_RETURN_IF_ERROR(reader.Open());
  stats->aux = reader.header().aux;
  stats->functions = reader.header().functions;
  const int decoders = threads > 1 ? threads : 0;
  const size_t window_max = kWindowPerThread * static_cast<size_t>(decoders > 0 ? decoders : 1);
  // Declared before the pool, so the pool's threads are joined before the jobs go away.
  std::deque<std::unique_ptr<Job>> window;
  DecoderPool pool(limits, decoders);
  bool reading = true;
  std::string last_key;
  int last_db = -1;
  while (true) {
    while (reading && window.size() < window_max) {
      auto job = std::make_unique<Job>();
      bool end;
      Status status = reader.NextBlock(&job->raw, &end);
      if (end) {
        reading = false;
        break;
      }
      if (!status.ok()) {
        // The blocks after a damaged header cannot be found in sequence.
        job->status = status;
        job->done = true;
        reading = false;
        window.push_back(std::move(job));
        break;
      }
      pool.Submit(job.get());
      window.push_back(std::move(job));
    }
    if (window.empty()) break;
    Job* job = window.front().get();
    pool.Wait(job);
    if (!job->status.ok()) {
      // Name the keys around the damage, so an operator knows what is lost.
      std::string message = job->status.message() + "; ";
      message += last_db < 0 ? "no key before it"
                             : "last key before it " + QuoteKey(last_key) + " (DB " +
                                   std::to_string(last_db) + ")";
      std::string next_key;
      int next_db = 0;
      if (reader.FirstKeyAfter(job->raw.offset, limits, &next_key, &next_db)) {
        message +=
            ", first key after it " + QuoteKey(next_key) + " (DB " + std::to_string(next_db) + ")";
      } else {
        message += ", no good block after it";
      }
      return Status::Corruption(message);
    }
    DecodedBlock& block = job->decoded;
    if (!block.keys.empty()) {
      last_key = std::string(block.keys.back().entry->key());
      last_db = block.keys.back().db;
    }
    RINGDB_RETURN_IF_ERROR(InsertKeys(block, now_ms, lfu_policy, keyspace, stats));
    reader.Accept(block);
    window.pop_front();
  }
  return reader.Finish();
}

Status LoadFile(const std::string& path, const store::EncodingLimits& limits, int64_t now_ms,
                bool lfu_policy, store::Keyspace* keyspace, rdb::LoadStats* stats, int threads) {
  Result<std::unique_ptr<rdb::FileSource>> source = rdb::FileSource::Open(path);
  if (!source.ok()) return source.status();
  return Load(source->get(), limits, now_ms, lfu_policy, keyspace, stats, threads);
}

}  // namespace ringdb::persist::native
