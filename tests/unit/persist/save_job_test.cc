// SaveJob on a real ring and worker thread: the file it leaves is the keyspace at the epoch
// although the loop changes keys between chunks, and a failed write leaves the old file alone.
#include "ringdb/persist/save_job.h"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "ringdb/io/files.h"
#include "ringdb/io/proactor.h"
#include "ringdb/io/worker.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::persist {
namespace {

using store::Entry;

// "db key value\n" per key, in the order the chunks come: enough to check what was written.
class LineEncoder final : public Encoder {
 public:
  void Begin(std::string* out) override { *out += "BEGIN\n"; }
  void Encode(const Snapshot::Chunk& chunk, std::string* out) override {
    for (const Entry* entry : chunk.entries) {
      *out += std::to_string(chunk.db) + " " + std::string(entry->key()) + " " +
              std::string(entry->value()) + "\n";
    }
  }
  void End(std::string* out) override { *out += "END\n"; }
};

std::string TempDir() {
  char pattern[] = "/tmp/ringdb-save-job-XXXXXX";
  REQUIRE(mkdtemp(pattern) != nullptr);
  return pattern;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Loop {
  std::unique_ptr<io::Proactor> proactor;
  std::unique_ptr<io::Worker> worker;
  std::unique_ptr<io::Files> files;

  Loop() {
    auto created = io::Proactor::Create({});
    REQUIRE(created.ok());
    proactor = std::move(*created);
    auto started = io::Worker::Start(proactor.get());
    REQUIRE(started.ok());
    worker = std::move(*started);
    files = std::make_unique<io::Files>(proactor.get());
  }
  ~Loop() {
    worker->Quiesce();
    proactor->Drain(1000);
  }
};

// Runs `job` to its end on `loop`, calling `between` once per turn; returns the job's status.
template <typename Between>
Status RunToEnd(Loop& loop, std::unique_ptr<Snapshot> snapshot, const std::string& path,
                const std::string& dir, Between between) {
  Status outcome = Status::IoError("not finished");
  bool done = false;
  SaveJob::Options options;
  options.path = path;
  options.directory = dir;
  options.chunk_entries = 50;
  SaveJob job(std::move(snapshot), std::make_unique<LineEncoder>(), loop.files.get(),
              loop.worker.get(), options, [&](const Status& status) {
                outcome = status;
                done = true;
                loop.proactor->Stop();
              });
  job.Pump();
  loop.proactor->Run([&] {
    if (!done) {
      between();
      job.Pump();
    }
  });
  CHECK(job.finished());
  return outcome;
}

TEST_CASE("a save job writes the keyspace at its epoch while keys change") {
  Loop loop;
  store::Keyspace keyspace(2, 4242);
  std::map<std::string, std::string> expected;
  for (int i = 0; i < 3000; i++) {
    std::string key = "k" + std::to_string(i);
    std::string value = "v" + std::to_string(i);
    int db = i % 2;
    keyspace.database(db).table().Insert(
        Entry::New(key, value, store::ValueType::kString, store::Encoding::kRaw, store::kNoExpire));
    expected[std::to_string(db) + " " + key] = value;
  }
  std::string dir = TempDir();
  std::string path = dir + "/dump.rdb";
  std::mt19937 random(7);
  auto snapshot = std::make_unique<Snapshot>(keyspace, 1);
  Status status = RunToEnd(loop, std::move(snapshot), path, dir, [&] {
    for (int i = 0; i < 20; i++) {
      int n = static_cast<int>(random() % 4000);
      std::string key = "k" + std::to_string(n);
      store::Database& database = keyspace.database(n % 2);
      if (random() % 2 == 0) {
        database.Erase(key);
      } else {
        database.Put(Entry::New(key, "changed", store::ValueType::kString, store::Encoding::kRaw,
                                store::kNoExpire));
      }
    }
  });
  REQUIRE(status.ok());
  std::string text = ReadFile(path);
  REQUIRE(text.rfind("BEGIN\n", 0) == 0);
  REQUIRE(text.size() >= 4);
  CHECK(text.substr(text.size() - 4) == "END\n");
  std::map<std::string, std::string> got;
  std::istringstream lines(text.substr(6, text.size() - 10));
  std::string db, key, value;
  while (lines >> db >> key >> value) {
    CHECK_MESSAGE(got.emplace(db + " " + key, value).second, "twice: " << key);
  }
  CHECK(got == expected);
  // Only the target is left in the directory: the temporary file was renamed onto it.
  int files = 0;
  for ([[maybe_unused]] const auto& item : std::filesystem::directory_iterator(dir)) files++;
  CHECK(files == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a failed save leaves the previous file and no temporary file") {
  Loop loop;
  store::Keyspace keyspace(1, 99);
  for (int i = 0; i < 20000; i++) {
    keyspace.database(0).table().Insert(Entry::New("key" + std::to_string(i), std::string(64, 'x'),
                                                   store::ValueType::kString, store::Encoding::kRaw,
                                                   store::kNoExpire));
  }
  std::string dir = TempDir();
  std::string path = dir + "/dump.rdb";
  {
    std::ofstream old(path);
    old << "the last good snapshot";
  }
  // A file size limit makes the writes fail (EFBIG) part way, as a full disk would (ENOSPC).
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit saved{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
  rlimit small = saved;
  small.rlim_cur = 64 * 1024;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  Status status = RunToEnd(loop, std::make_unique<Snapshot>(keyspace, 1), path, dir, [] {});
  REQUIRE(setrlimit(RLIMIT_FSIZE, &saved) == 0);
  CHECK_FALSE(status.ok());
  CHECK(status.message().find("Write error saving DB on disk") != std::string::npos);
  CHECK(ReadFile(path) == "the last good snapshot");
  int files = 0;
  for ([[maybe_unused]] const auto& item : std::filesystem::directory_iterator(dir)) files++;
  CHECK(files == 1);
  // Every entry went back to one reference.
  keyspace.database(0).table().ForEach([](Entry* entry) { CHECK(entry->refcount() == 1); });
  std::filesystem::remove_all(dir);
}

TEST_CASE("a save into a missing directory fails with the path in the message") {
  Loop loop;
  store::Keyspace keyspace(1, 5);
  keyspace.database(0).table().Insert(
      Entry::New("a", "b", store::ValueType::kString, store::Encoding::kRaw, store::kNoExpire));
  Status status = RunToEnd(loop, std::make_unique<Snapshot>(keyspace, 1),
                           "/nonexistent-ringdb-dir/dump.rdb", "/nonexistent-ringdb-dir", [] {});
  CHECK_FALSE(status.ok());
  CHECK(status.message().find("/nonexistent-ringdb-dir") != std::string::npos);
}

}  // namespace
}  // namespace ringdb::persist
