#include "ringdb/persist/save_job.h"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace ringdb::persist {

struct SaveJob::Piece {
  std::string bytes;
  uint64_t offset = 0;
};

SaveJob::SaveJob(std::unique_ptr<Snapshot> snapshot, std::unique_ptr<Encoder> encoder,
                 io::Files* files, io::Worker* worker, Options options, Done done)
    : snapshot_(std::move(snapshot)),
      encoder_(std::move(encoder)),
      files_(files),
      worker_(worker),
      options_(std::move(options)),
      done_(std::move(done)) {
  temp_path_ = options_.directory + "/temp-" + std::to_string(::getpid()) + "-" +
               std::to_string(snapshot_->epoch()) + ".rdb";
  file_ops_in_flight_++;
  files_->Open(temp_path_, O_WRONLY | O_CREAT | O_TRUNC, 0644,
               [this](int result) { OnOpened(result); });
  // The header is the first piece; the worker keeps submission order.
  auto piece = std::make_shared<Piece>();
  chunks_in_flight_++;
  std::shared_ptr<Encoder> encoder_ref = encoder_;
  worker_->Submit([encoder_ref, piece] { encoder_ref->Begin(&piece->bytes); },
                  [this, piece] {
                    chunks_in_flight_--;
                    OnEncoded(piece);
                    Pump();
                  });
}

SaveJob::~SaveJob() { RINGDB_ASSERT(finished_); }

void SaveJob::OnOpened(int result) {
  file_ops_in_flight_--;
  if (result < 0) {
    Fail(Status::FromErrno("Failed opening the temp RDB file " + temp_path_ +
                               " (in server root dir " + options_.directory + ") for saving",
                           -result));
    return;
  }
  fd_ = result;
  opened_ = true;
  if (cancelled_) {
    MaybeFinished();
    return;
  }
  WriteReady();
}

void SaveJob::Pump() {
  if (cancelled_ || finishing_) return;
  while (!exhausted_ && chunks_in_flight_ < options_.chunks_in_flight_max &&
         pending_bytes_ < options_.pending_bytes_max) {
    auto chunk = std::make_shared<Snapshot::Chunk>();
    if (!snapshot_->Next(options_.chunk_entries, chunk.get())) {
      exhausted_ = true;
      break;
    }
    auto piece = std::make_shared<Piece>();
    chunks_in_flight_++;
    std::shared_ptr<Encoder> encoder = encoder_;
    worker_->Submit([encoder, chunk, piece] { encoder->Encode(*chunk, &piece->bytes); },
                    [this, chunk, piece] {
                      progress_.keys_done += chunk->entries.size();
                      snapshot_->Release(chunk.get());
                      chunks_in_flight_--;
                      OnEncoded(piece);
                      Pump();
                    });
  }
  if (exhausted_ && !end_submitted_) {
    end_submitted_ = true;
    auto piece = std::make_shared<Piece>();
    chunks_in_flight_++;
    std::shared_ptr<Encoder> encoder = encoder_;
    worker_->Submit([encoder, piece] { encoder->End(&piece->bytes); },
                    [this, piece] {
                      chunks_in_flight_--;
                      end_encoded_ = true;
                      OnEncoded(piece);
                    });
  }
}

void SaveJob::OnEncoded(std::shared_ptr<Piece> piece) {
  if (cancelled_) {
    MaybeFinished();
    return;
  }
  piece->offset = next_offset_;
  next_offset_ += piece->bytes.size();
  pending_bytes_ += piece->bytes.size();
  ready_.push_back(std::move(piece));
  WriteReady();
}

void SaveJob::WriteReady() {
  if (!opened_ || cancelled_) return;
  while (!ready_.empty()) {
    std::shared_ptr<Piece> piece = std::move(ready_.front());
    ready_.pop_front();
    if (piece->bytes.empty()) continue;
    writes_in_flight_++;
    files_->Write(fd_, piece->bytes, piece->offset,
                  [this, piece](int result) { OnWritten(result, piece->bytes.size()); });
  }
  if (end_encoded_ && writes_in_flight_ == 0 && ready_.empty()) Finish();
}

void SaveJob::OnWritten(int result, size_t bytes) {
  writes_in_flight_--;
  pending_bytes_ -= bytes;
  if (result < 0) {
    Fail(Status::FromErrno("Write error saving DB on disk", -result));
    return;
  }
  progress_.bytes_written += bytes;
  if (cancelled_) {
    MaybeFinished();
    return;
  }
  if (end_encoded_ && writes_in_flight_ == 0 && ready_.empty()) {
    Finish();
    return;
  }
  Pump();
}

// Every byte is written: make the file durable, then put it in place, then make the rename
// durable. Each step starts when the one before succeeded.
void SaveJob::Finish() {
  if (finishing_) return;
  finishing_ = true;
  file_ops_in_flight_++;
  files_->Fdatasync(fd_, [this](int result) {
    file_ops_in_flight_--;
    if (result < 0) {
      Fail(Status::FromErrno("fdatasync of " + temp_path_ + " failed", -result));
      return;
    }
    int fd = fd_;
    fd_ = -1;
    file_ops_in_flight_++;
    files_->Close(fd, [this](int closed) {
      file_ops_in_flight_--;
      if (closed < 0) {
        Fail(Status::FromErrno("closing " + temp_path_ + " failed", -closed));
        return;
      }
      file_ops_in_flight_++;
      files_->Rename(temp_path_, options_.path, [this](int renamed) {
        file_ops_in_flight_--;
        if (renamed < 0) {
          Fail(Status::FromErrno("Error moving temp DB file " + temp_path_ +
                                     " on the final destination " + options_.path,
                                 -renamed));
          return;
        }
        temp_path_.clear();  // Nothing to clean up any more.
        file_ops_in_flight_++;
        files_->Open(options_.directory, O_RDONLY | O_DIRECTORY, 0, [this](int dir_fd) {
          file_ops_in_flight_--;
          if (dir_fd < 0) {
            Fail(Status::FromErrno("opening directory " + options_.directory, -dir_fd));
            return;
          }
          file_ops_in_flight_++;
          files_->Fsync(dir_fd, [this, dir_fd](int synced) {
            file_ops_in_flight_--;
            file_ops_in_flight_++;
            files_->Close(dir_fd, [this, synced](int) {
              file_ops_in_flight_--;
              if (synced < 0) {
                Fail(Status::FromErrno("fsync of directory " + options_.directory, -synced));
                return;
              }
              Complete(Status::Ok());
            });
          });
        });
      });
    });
  });
}

void SaveJob::Cancel() { Fail(Status::IoError("the snapshot was cancelled")); }

void SaveJob::Fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
  cancelled_ = true;
  ready_.clear();
  MaybeFinished();
}

// After a failure: once nothing is in flight, close and remove the temporary file, then report.
void SaveJob::MaybeFinished() {
  if (callback_run_ || chunks_in_flight_ > 0 || writes_in_flight_ > 0 || file_ops_in_flight_ > 0)
    return;
  if (fd_ >= 0) {
    int fd = fd_;
    fd_ = -1;
    file_ops_in_flight_++;
    files_->Close(fd, [this](int) {
      file_ops_in_flight_--;
      MaybeFinished();
    });
    return;
  }
  if (!temp_path_.empty() && opened_) {
    std::string path = std::move(temp_path_);
    temp_path_.clear();
    file_ops_in_flight_++;
    files_->Unlink(path, [this](int) {
      file_ops_in_flight_--;
      MaybeFinished();
    });
    return;
  }
  Complete(failure_);
}

void SaveJob::Complete(Status status) {
  if (callback_run_) return;
  callback_run_ = true;
  finished_ = true;
  Done done = std::move(done_);
  // The callback may destroy this job: nothing of it is touched afterwards.
  done(status);
}

}  // namespace ringdb::persist
