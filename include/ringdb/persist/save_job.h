// SaveJob: writes one snapshot of the keyspace to a file, durably, while the loop keeps
// serving.
//
//   loop                          persistence thread (io::Worker)       kernel (io_uring)
//   Pump(): Snapshot::Next  --->  Encoder::Encode(chunk) -> bytes
//   release the chunk       <---  (completion on the loop)
//   Files::Write(bytes, offset) ---------------------------------------> temp file
//   ...after the last chunk: Encoder::End, fdatasync, close, rename onto the target, fsync the
//   directory: only then is the job done and the target replaced.
//
// The loop's share of the work is retaining and releasing entries, a few microseconds per
// chunk; serializing and compressing run on the persistence thread. At most a few chunks are
// being encoded and a bounded number of bytes are waiting for the disk at any time, so the
// snapshot's memory does not grow with the dataset.
//
// On any failure (open, write, ENOSPC, fdatasync, rename) the temporary file is removed and
// the target is left as it was: a partial snapshot never replaces a good one.
//
// REQUIRES: created and driven on the loop thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "ringdb/base/status.h"
#include "ringdb/io/files.h"
#include "ringdb/io/worker.h"
#include "ringdb/persist/snapshot.h"

namespace ringdb::persist {

// Turns chunks of a snapshot into file bytes. Runs on the persistence thread, one call at a
// time, in order: Begin, Encode for every chunk, End. It only reads the chunks' entries.
class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual void Begin(std::string* out) = 0;
  virtual void Encode(const Snapshot::Chunk& chunk, std::string* out) = 0;
  virtual void End(std::string* out) = 0;
};

class SaveJob {
 public:
  struct Options {
    // The file to replace, and the directory it lives in (fsync'ed after the rename).
    std::string path;
    std::string directory;
    // Entries per chunk handed to the persistence thread.
    size_t chunk_entries = 1024;
    // Chunks being encoded at once, and encoded bytes not yet written, before Pump waits.
    size_t chunks_in_flight_max = 2;
    size_t pending_bytes_max = size_t{32} << 20;
  };

  struct Progress {
    uint64_t keys_done = 0;
    uint64_t bytes_written = 0;
  };

  using Done = std::function<void(const Status& status)>;

  // Starts writing `snapshot` (which the job owns from now on). `done` runs on the loop once,
  // when the file is durable or the job failed or was cancelled.
  SaveJob(std::unique_ptr<Snapshot> snapshot, std::unique_ptr<Encoder> encoder, io::Files* files,
          io::Worker* worker, Options options, Done done);
  // REQUIRES: finished() (the worker and the ring hold no reference to the job any more).
  ~SaveJob();
  SaveJob(const SaveJob&) = delete;
  SaveJob& operator=(const SaveJob&) = delete;

  // Hands more chunks to the persistence thread when there is room. Call once per loop turn;
  // completions call it too.
  void Pump();
  // Stops taking chunks; the job ends with an error once what is in flight has completed.
  void Cancel();
  // The job's callback has run and nothing of it is in flight.
  bool finished() const { return finished_; }

  Snapshot& snapshot() { return *snapshot_; }
  const Progress& progress() const { return progress_; }

 private:
  struct Piece;
  void OnOpened(int result);
  void OnEncoded(std::shared_ptr<Piece> piece);
  void WriteReady();
  void OnWritten(int result, size_t bytes);
  void Finish();
  void Fail(Status status);
  void Complete(Status status);
  void MaybeFinished();

  std::unique_ptr<Snapshot> snapshot_;
  std::shared_ptr<Encoder> encoder_;
  io::Files* files_;
  io::Worker* worker_;
  Options options_;
  Done done_;
  std::string temp_path_;

  int fd_ = -1;
  bool opened_ = false;
  bool exhausted_ = false;
  bool end_submitted_ = false;
  bool end_encoded_ = false;
  bool finishing_ = false;
  bool cancelled_ = false;
  bool callback_run_ = false;
  bool finished_ = false;
  Status failure_;

  size_t chunks_in_flight_ = 0;
  size_t writes_in_flight_ = 0;
  size_t file_ops_in_flight_ = 0;
  size_t pending_bytes_ = 0;
  uint64_t next_offset_ = 0;
  // Encoded pieces in file order, waiting for the file to be open.
  std::deque<std::shared_ptr<Piece>> ready_;
  Progress progress_;
};

}  // namespace ringdb::persist
