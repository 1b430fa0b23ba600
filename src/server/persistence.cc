#include "ringdb/server/persistence.h"

#include <utility>

#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/server/server.h"

namespace ringdb::server {

Persistence::Persistence(Server* server) : server_(server) {}

Persistence::~Persistence() {
  // At exit a running job is abandoned (the ring and the worker are gone by now): its
  // temporary file is never renamed onto the target.
  if (job_ != nullptr && !job_->finished()) (void)job_.release();
}

Status Persistence::StartBackgroundSave(const char* reason) {
  if (job_ != nullptr) return Status::InvalidArgument("Background save already in progress");
  return Start(reason);
}

Status Persistence::Start(const char* reason) {
  RINGDB_ASSERT(job_ == nullptr);
  if (!encoder_factory_) return Status::Unsupported("no snapshot encoder is configured");
  const Config& config = server_->config();
  int64_t now_ms = UnixTimeMs();
  last_attempt_s_ = now_ms / 1000;
  started_ms_ = now_ms;
  dirty_at_start_ = server_->counters().dirty;
  // Each snapshot has an epoch above every table's: tables made since the last one (FLUSHALL
  // ASYNC, SWAPDB) carry that one's epoch at most.
  epoch_++;
  auto snapshot = std::make_unique<persist::Snapshot>(server_->keyspace(), epoch_);
  persist::SaveJob::Options options;
  options.directory = config.dir;
  options.path = config.dir + "/" + config.dbfilename;
  job_ended_ = false;
  job_ = std::make_unique<persist::SaveJob>(
      std::move(snapshot), encoder_factory_(), &server_->files(), &server_->worker(),
      std::move(options), [this](const Status& status) { OnJobDone(status); });
  LOG_NOTICE("Background saving started (%s)", reason);
  job_->Pump();
  return Status::Ok();
}

void Persistence::SaveAndWait(const char* reason, Waiter waiter) {
  if (job_ != nullptr) {
    // The running snapshot is older than what the waiter must see: end it and save afresh.
    if (!restart_after_job_) {
      LOG_NOTICE("Background saving in progress: cancelling it for a new save (%s)", reason);
      job_->Cancel();
    }
    restart_after_job_ = true;
    next_waiters_.push_back(std::move(waiter));
    return;
  }
  Status started = Start(reason);
  if (!started.ok()) {
    waiter(started);
    return;
  }
  foreground_ = true;
  waiters_.push_back(std::move(waiter));
}

void Persistence::OnJobDone(const Status& status) {
  job_ended_ = true;
  int64_t now_ms = UnixTimeMs();
  last_duration_s_ = (now_ms - started_ms_) / 1000;
  const persist::Snapshot::Stats& stats = job_->snapshot().stats();
  last_cow_bytes_ = stats.cow_bytes;
  last_pages_copied_ = stats.pages_copied;
  bool cancelled = restart_after_job_ && !status.ok();
  if (status.ok()) {
    LOG_NOTICE(
        "Background saving terminated with success (%llu keys, %llu bytes, %llu pages "
        "copied, %llu bytes of copy-on-write)",
        static_cast<unsigned long long>(job_->progress().keys_done),
        static_cast<unsigned long long>(job_->progress().bytes_written),
        static_cast<unsigned long long>(stats.pages_copied),
        static_cast<unsigned long long>(stats.cow_bytes));
    commands::Counters& counters = server_->counters();
    counters.dirty -= std::min(counters.dirty, dirty_at_start_);
    last_save_s_ = now_ms / 1000;
    last_status_ok_ = true;
    saves_++;
  } else if (cancelled) {
    LOG_NOTICE("Background saving cancelled: %s", status.message().c_str());
  } else if (foreground_) {
    // As Redis's rdbSave: a failed SAVE (or final save) is the caller's error and does not
    // mark the background status failed.
    LOG_WARNING("Saving error: %s", status.message().c_str());
  } else {
    LOG_WARNING("Background saving error: %s", status.message().c_str());
    last_status_ok_ = false;
  }
  foreground_ = false;
  std::vector<Waiter> waiters;
  waiters.swap(waiters_);
  for (Waiter& waiter : waiters) waiter(status);
}

void Persistence::TurnEnd() {
  if (job_ == nullptr) return;
  if (!job_ended_) {
    job_->Pump();
    return;
  }
  // The snapshot is over: tables it adopted can go to the background now.
  for (auto& table : job_->snapshot().TakeAdoptedTables()) {
    server_->FreeInBackground(std::move(table));
  }
  job_.reset();
  if (restart_after_job_) {
    restart_after_job_ = false;
    std::vector<Waiter> waiters;
    waiters.swap(next_waiters_);
    Status started = Start("restarted");
    foreground_ = started.ok() && !waiters.empty();
    for (Waiter& waiter : waiters) {
      if (started.ok()) {
        waiters_.push_back(std::move(waiter));
      } else {
        waiter(started);
      }
    }
  }
}

void Persistence::Cron(int64_t now_s) {
  if (job_ != nullptr) return;
  const Config& config = server_->config();
  if (scheduled_) {
    scheduled_ = false;
    Status started = Start("scheduled");
    if (!started.ok()) LOG_WARNING("Scheduled BGSAVE failed: %s", started.message().c_str());
    return;
  }
  uint64_t dirty = server_->counters().dirty;
  if (!config.save_rules.Due(now_s, last_save_s_, dirty, last_status_ok_, last_attempt_s_)) {
    return;
  }
  for (const persist::SaveRules::Rule& rule : config.save_rules.rules()) {
    if (dirty >= static_cast<uint64_t>(rule.changes) && now_s - last_save_s_ > rule.seconds) {
      LOG_NOTICE("%lld changes in %lld seconds. Saving...", static_cast<long long>(rule.changes),
                 static_cast<long long>(rule.seconds));
      break;
    }
  }
  Status started = Start("save rule");
  if (!started.ok())
    LOG_WARNING("Background saving failed to start: %s", started.message().c_str());
}

std::unique_ptr<store::Table> Persistence::AdoptTable(std::unique_ptr<store::Table> table) {
  if (job_ == nullptr) return table;
  return job_->snapshot().AdoptTable(std::move(table));
}

bool Persistence::WritesRefused() const {
  const Config& config = server_->config();
  // Asked for every command: the usual answer comes from the first test.
  return !last_status_ok_ && config.stop_writes_on_bgsave_error && !config.save_rules.empty();
}

int64_t Persistence::current_duration_s(int64_t now_ms) const {
  if (job_ == nullptr) return -1;
  return (now_ms - started_ms_) / 1000;
}

uint64_t Persistence::keys_processed() const {
  return job_ == nullptr ? 0 : job_->progress().keys_done;
}

uint64_t Persistence::keys_total() const {
  return job_ == nullptr ? 0 : job_->snapshot().total_keys();
}

uint64_t Persistence::pages_copied() const {
  return job_ == nullptr ? last_pages_copied_ : job_->snapshot().stats().pages_copied;
}

uint64_t Persistence::cow_bytes() const {
  return job_ == nullptr ? 0 : job_->snapshot().stats().cow_bytes;
}

}  // namespace ringdb::server
