// Persistence: the server's snapshots. Starts background saves (BGSAVE, SAVE, the `save`
// rules, FLUSHALL, SHUTDOWN), drives the running SaveJob each loop turn, answers the clients
// that wait for a save, and keeps the figures INFO persistence reports.
//
// One snapshot runs at a time. SAVE, FLUSHALL and SHUTDOWN wait for a save of their own: the
// client is suspended (its later commands wait) and answered when that save is durable, while
// every other client goes on being served. A save they need while another runs cancels that
// one first (as Redis kills its child) and starts when it has ended.
//
// REQUIRES: used on the loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ringdb/base/status.h"
#include "ringdb/persist/save_job.h"
#include "ringdb/persist/save_rules.h"

namespace ringdb::server {

class Server;
class Client;

class Persistence {
 public:
  using EncoderFactory = std::function<std::unique_ptr<persist::Encoder>()>;
  // Runs on the loop when the save a caller waits for has ended.
  using Waiter = std::function<void(const Status& status)>;

  explicit Persistence(Server* server);
  ~Persistence();

  void set_encoder_factory(EncoderFactory factory) { encoder_factory_ = std::move(factory); }
  // Time of the last successful save (or of start-up / the load), in Unix seconds.
  void set_last_save_s(int64_t seconds) { last_save_s_ = seconds; }

  // BGSAVE: starts a save unless one runs (then an error naming it, as Redis's).
  Status StartBackgroundSave(const char* reason);
  // BGSAVE SCHEDULE (or BGSAVE inside EXEC) while another save runs: start one when it ends.
  void Schedule() { scheduled_ = true; }
  // A save that `waiter` is told about: starts one now, or, when one is running and
  // `cancel_running` is set, cancels it and starts afresh once it has ended.
  void SaveAndWait(const char* reason, Waiter waiter);

  // serverCron's part: the `save` rules and a scheduled BGSAVE.
  void Cron(int64_t now_s);
  // Hands the running job more work; frees a finished one.
  void TurnEnd();
  // Takes a table emptied by FLUSHALL/FLUSHDB ASYNC when the running snapshot may still read
  // it; returns it back when it is the caller's to free.
  std::unique_ptr<store::Table> AdoptTable(std::unique_ptr<store::Table> table);

  bool in_progress() const { return job_ != nullptr; }
  // stop-writes-on-bgsave-error: the last background save failed and saving is configured.
  bool WritesRefused() const;

  // INFO persistence.
  int64_t last_save_s() const { return last_save_s_; }
  bool last_status_ok() const { return last_status_ok_; }
  int64_t last_duration_s() const { return last_duration_s_; }
  int64_t current_duration_s(int64_t now_ms) const;
  uint64_t saves() const { return saves_; }
  uint64_t keys_processed() const;
  uint64_t keys_total() const;
  uint64_t pages_copied() const;
  uint64_t cow_bytes() const;
  uint64_t last_cow_bytes() const { return last_cow_bytes_; }
  void set_last_load(uint64_t keys_loaded, uint64_t keys_expired) {
    last_load_keys_loaded_ = keys_loaded;
    last_load_keys_expired_ = keys_expired;
  }
  uint64_t last_load_keys_loaded() const { return last_load_keys_loaded_; }
  uint64_t last_load_keys_expired() const { return last_load_keys_expired_; }

 private:
  Status Start(const char* reason);
  void OnJobDone(const Status& status);

  Server* server_;
  EncoderFactory encoder_factory_;
  std::unique_ptr<persist::SaveJob> job_;
  bool job_ended_ = false;
  // Waiters of the running job, and of the save that starts after it.
  std::vector<Waiter> waiters_;
  std::vector<Waiter> next_waiters_;
  bool restart_after_job_ = false;
  bool scheduled_ = false;
  // The running save was started for waiters (SAVE, FLUSHALL, SHUTDOWN), not in the background.
  bool foreground_ = false;

  uint64_t epoch_ = 0;
  uint64_t dirty_at_start_ = 0;
  int64_t started_ms_ = 0;
  int64_t last_save_s_ = 0;
  int64_t last_attempt_s_ = 0;
  bool last_status_ok_ = true;
  int64_t last_duration_s_ = -1;
  uint64_t saves_ = 0;
  uint64_t last_cow_bytes_ = 0;
  uint64_t last_pages_copied_ = 0;
  uint64_t last_load_keys_loaded_ = 0;
  uint64_t last_load_keys_expired_ = 0;
};

}  // namespace ringdb::server
