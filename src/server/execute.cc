// Server, part three: running a command for a client, with everything around it: reply modes,
// protected commands, statistics, the slow log, MONITOR, output limits and jobs that run on
// the background worker.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/base/strings.h"
#include "ringdb/server/server.h"
#include "server_commands.h"
#include "server_internal.h"

namespace ringdb::server {

// Redis's shared.bgsaveerr.
constexpr const char* kWritesRefusedAfterSaveError =
    "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
    "disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB "
    "error.";

namespace {

// Appends every byte of `source` to `target` and empties `source`.
void MoveOutput(resp::OutputBuffer& source, resp::OutputBuffer& target) {
  iovec vectors[16];
  while (!source.empty()) {
    int count = source.Gather(vectors, 16);
    size_t moved = 0;
    for (int i = 0; i < count; i++) {
      target.Append(static_cast<const char*>(vectors[i].iov_base), vectors[i].iov_len);
      moved += vectors[i].iov_len;
    }
    source.Consume(moved);
  }
}

}  // namespace

bool Server::DeferredByPause(const Client& client, std::span<const std::string_view> argv) const {
  if (pause_deadline_ms_ == 0 || !pause_writes_only_ || client.monitor) return false;
  // As in Redis, commands that fail the lookup or the arity check are answered at once.
  const commands::Command* command = commands_.Lookup(argv);
  if (command == nullptr || !command->ArityAccepts(argv.size())) return false;
  constexpr uint32_t kReplicated = commands::kWrite | commands::kMayReplicate;
  // EXEC is a write when its queue holds one (Redis's is_may_replicate_command).
  if (client.in_multi && IsExec(*command)) return (client.queued_flags & kReplicated) != 0;
  return (command->spec->flags & kReplicated) != 0;
}

void Server::Execute(Client& client, std::span<const std::string_view> argv) {
  // One clock read gives both the command's notion of "now" and the start of its duration
  // (Redis also times commands with the wall clock).
  int64_t start_us = UnixTimeUs();
  now_ms_ = start_us / 1000;
  bool silent = client.reply_mode == ReplyMode::kOff || client.reply_mode == ReplyMode::kSkip;
  resp::OutputBuffer discarded;
  // A reply nobody will read need not be built in full: past this much, loops that only
  // produce a reply stop (Redis appends nothing at all then).
  discarded.set_limit_bytes(kDiscardedReplyBytesMax);
  if (silent) client.reply.set_output(&discarded);
  // While the command runs, its reply stops growing at the hard output-buffer limit (as
  // Redis's CLIENT_CLOSE_ASAP stops appends), so that a reply of a billion elements costs no
  // more memory than the limit before the client is closed for it below.
  client.output.set_limit_bytes(static_cast<size_t>(OutputLimitOf(client).hard_bytes));

  current_command_failed_ = false;
  commands::Command* command = nullptr;
  if (argv.size() != 1 && commands::MatchesCommandName(argv[0], "exec")) {
    // EXEC's own arity error aborts the transaction (Redis's execCommandAbort).
    RejectCommand(client, commands_.Find("exec"), "wrong number of arguments for 'exec' command");
  } else {
    command = commands_.Resolve(argv, client.reply, &client.cached_command);
  }
  if (command != nullptr && !ProtectedCommandAllowed(client, *command)) {
    RejectCommand(client, command,
                  "DEBUG command not allowed. If the enable-debug-command option is set to "
                  "\"local\", you can run it from a local connection, otherwise you need to set "
                  "this option in the configuration file, and then restart the server.");
    command = nullptr;
  }
  if (command != nullptr && load_ != nullptr && !command->has(commands::kLoading)) {
    RejectCommand(client, command, "-LOADING Redis is loading the dataset in memory");
    command = nullptr;
  }
  // stop-writes-on-bgsave-error: after a failed save, writes (and PING, so that monitoring
  // notices) are refused until a save succeeds, as in Redis.
  if (command != nullptr && persistence_->WritesRefused() &&
      (command->has(commands::kWrite) || command->full_name == "ping")) {
    RejectCommand(client, command, kWritesRefusedAfterSaveError);
    command = nullptr;
  }
  if (command != nullptr && client.in_multi && command->has(commands::kNoMulti)) {
    RejectCommand(client, command, "Command not allowed inside a transaction");
    command = nullptr;
  }
  if (command != nullptr && client.session.pubsub && client.session.protocol == 2 &&
      !AllowedWhileSubscribed(*command)) {
    // A RESP2 connection cannot tell replies from messages once subscribed (RESP3 can).
    RejectCommand(client, command,
                  "Can't execute '" + command->full_name +
                      "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
                      "allowed in this context");
    command = nullptr;
  }
  executing_client_ = &client;
  executing_argv_ = argv;
  if (command == nullptr) {
    FlagTransaction(client);
  } else {
    client.last_command = command->full_name;
    if (client.in_multi && !RunsInsideMulti(*command)) {
      QueueCommand(client, *command, argv);
    } else {
      Call(client, *command, argv, start_us);
    }
  }
  executing_client_ = nullptr;
  executing_argv_ = {};

  if (silent) {
    client.reply.set_output(&client.output);
    // CLIENT REPLY ON and RESET switch replies back on from within a silenced command; Redis
    // clears the flag before replying, so that command's own reply is sent.
    if (client.reply_mode == ReplyMode::kOn) MoveOutput(discarded, client.output);
  }
  // Messages this client's own command published to it follow the command's reply. They are
  // pushes, so CLIENT REPLY OFF does not silence them (Redis 7.2).
  if (!pending_pushes_.empty()) {
    if (client.closing) {
      pending_pushes_.Clear();
    } else {
      MoveOutput(pending_pushes_, client.output);
    }
  }
  // CLIENT REPLY SKIP silences exactly the command after it.
  if (client.reply_mode == ReplyMode::kSkip) {
    client.reply_mode = ReplyMode::kOn;
  } else if (client.reply_mode == ReplyMode::kSkipNext) {
    client.reply_mode = ReplyMode::kSkip;
  }
  // Pushes and monitor lines for this client are limited by the checks where they are made.
  bool over_limit = client.output.limit_exceeded();
  client.output.set_limit_bytes(0);
  if (over_limit) CloseForOutputLimit(client);
  if (!client.closing && !client.output.empty()) {
    QueueSend(client);
    CheckOutputLimits(client);
    if (client.output.size() >= kOutputPauseBytes) client.input_paused = true;
  }
  // Clients blocked on keys this command filled are served right after it, as in Redis.
  if (!ready_keys_.empty()) ServeReadyKeys();
}

void Server::Call(Client& client, commands::Command& command,
                  std::span<const std::string_view> argv, int64_t start_us) {
  // EXEC calls this for each queued command while its own call is in progress: the outer
  // command's error flag and push mode are restored afterwards, so that EXEC is not counted
  // failed for its commands' errors (as in Redis).
  commands::Command* outer_command = current_command_;
  bool outer_failed = current_command_failed_;
  bool outer_push_reply = executing_push_reply_;
  current_command_ = &command;
  current_command_failed_ = false;
  executing_push_reply_ = RepliesWithPushes(command);

  commands::CommandContext context(argv, client.reply, *keyspace_, client.session, limits_,
                                   counters_, this, &client, now_ms_);
  context.command = &command;
  command.spec->handler(context);
  int64_t duration_us = std::max<int64_t>(0, UnixTimeUs() - start_us);
  command.calls++;
  command.microseconds += static_cast<uint64_t>(duration_us);
  stats_.command_time_us += static_cast<uint64_t>(duration_us);
  if (config_.latency_tracking) command_latencies_.Record(&command, duration_us);
  if (current_command_failed_) command.failed_calls++;
  stats_.total_commands_processed++;
  client.commands_processed++;
  if (config_.slowlog_log_slower_than_us >= 0 &&
      duration_us >= config_.slowlog_log_slower_than_us && !command.has(commands::kSkipSlowlog)) {
    slowlog_.Add(argv, duration_us, now_ms_, client.peer_address, client.name,
                 static_cast<size_t>(config_.slowlog_max_len));
  }
  if (config_.latency_monitor_threshold_ms > 0 &&
      duration_us / 1000 >= config_.latency_monitor_threshold_ms) {
    latency_.Add(command.has(commands::kFast) ? "fast-command" : "command", now_ms_,
                 static_cast<uint32_t>(duration_us / 1000));
  }
  if (!monitors_.empty() && !command.has(commands::kSkipMonitor) &&
      !command.has(commands::kAdmin)) {
    FeedMonitors(client, argv);
  }

  current_command_ = outer_command;
  current_command_failed_ = outer_failed;
  executing_push_reply_ = outer_push_reply;
}

void Server::RejectCommand(Client& client, commands::Command* command, const std::string& text) {
  FlagTransaction(client);
  if (command != nullptr) command->rejected_calls++;
  if (command != nullptr && IsExec(*command)) {
    // A refused EXEC ends the transaction and says so (Redis's execCommandAbort).
    DiscardTransaction(client);
    client.reply.Error("-EXECABORT Transaction discarded because of: " + text);
    return;
  }
  client.reply.Error(text);
}

bool Server::ProtectedCommandAllowed(const Client& client, const commands::Command& command) const {
  const commands::Command& top = command.parent != nullptr ? *command.parent : command;
  if (!top.has(commands::kProtected)) return true;
  const std::string& setting = config_.enable_debug_command;
  if (setting == "yes") return true;
  if (setting != "local") return false;
  // Redis's islocalClient: a Unix socket or a loopback peer.
  if (client.unix_socket()) return true;
  std::string_view peer = client.peer_address;
  return peer.rfind("127.0.0.1:", 0) == 0 || peer.rfind("::1:", 0) == 0;
}

const OutputBufferLimit& Server::OutputLimitOf(const Client& client) const {
  // Redis's client types: a subscriber is limited by the pubsub class. MONITOR clients are
  // too, here (Redis counts them normal, whose default is unlimited), so that a monitor that
  // stops reading cannot grow without bound either.
  return client.monitor || client.session.pubsub ? config_.output_limit_pubsub
                                                 : config_.output_limit_normal;
}

bool Server::OutputLimitReached(Client& client) {
  const OutputBufferLimit& limit = OutputLimitOf(client);
  int64_t used = static_cast<int64_t>(client.output.allocated_bytes());
  bool hard = limit.hard_bytes > 0 && used >= limit.hard_bytes;
  bool soft = false;
  if (limit.soft_bytes > 0 && used >= limit.soft_bytes) {
    // As Redis counts: in whole seconds of the clock, and only once more than soft_seconds
    // have passed since the limit was first seen exceeded (never at that first sight).
    if (client.soft_limit_reached_ms == 0) {
      client.soft_limit_reached_ms = now_ms_;
    } else {
      int64_t elapsed_seconds = now_ms_ / 1000 - client.soft_limit_reached_ms / 1000;
      soft = elapsed_seconds > limit.soft_seconds;
    }
  } else {
    client.soft_limit_reached_ms = 0;
  }
  return hard || soft;
}

void Server::CloseForOutputLimit(Client& client) {
  if (client.closing) return;
  LOG_WARNING(
      "Client id=%llu addr=%s scheduled to be closed ASAP for overcoming of output buffer "
      "limits.",
      static_cast<unsigned long long>(client.id()), client.peer_address.c_str());
  stats_.client_output_buffer_limit_disconnections++;
  CloseClientAsync(client, "output buffer limit");
}

void Server::CheckOutputLimits(Client& client) {
  if (OutputLimitReached(client)) CloseForOutputLimit(client);
}

void Server::FeedMonitors(const Client& client, std::span<const std::string_view> argv) {
  std::string line = "+";
  char stamp[32];
  int64_t now_us = UnixTimeUs();
  snprintf(stamp, sizeof(stamp), "%lld.%06lld", static_cast<long long>(now_us / 1000000),
           static_cast<long long>(now_us % 1000000));
  line += stamp;
  line += " [" + std::to_string(client.session.db_index) + " ";
  if (client.unix_socket()) {
    line += "unix:" + config_.unixsocket;
  } else {
    line += client.peer_address;
  }
  line += "]";
  for (std::string_view arg : argv) {
    line += " ";
    AppendQuoted(line, arg);
  }
  line += "\r\n";
  // Closing a monitor edits monitors_: those over their limit are closed after the walk.
  RINGDB_ASSERT(output_limit_victims_.empty());
  for (Client* monitor : monitors_) {
    if (monitor->closing) continue;
    monitor->output.Append(line);
    QueueSend(*monitor);
    if (OutputLimitReached(*monitor)) output_limit_victims_.push_back(monitor);
  }
  std::vector<Client*> victims;
  victims.swap(output_limit_victims_);
  for (Client* victim : victims) CloseForOutputLimit(*victim);
}

void Server::AddMonitor(Client& client) {
  if (client.monitor) return;
  client.monitor = true;
  monitors_.push_back(&client);
}

void Server::RemoveMonitor(Client& client) {
  if (!client.monitor) return;
  std::erase(monitors_, &client);
  client.monitor = false;
}

void Server::SuspendClient(Client& client) { client.waiting_for_job = true; }

void Server::ResumeClient(uint64_t id, const std::function<void(Client&)>& reply) {
  Client* waiting = FindClient(id);
  if (waiting == nullptr) return;  // The client left; its reply goes nowhere.
  waiting->waiting_for_job = false;
  reply(*waiting);
  if (!waiting->output.empty()) QueueSend(*waiting);
  if (!waiting->queued_for_input) {
    waiting->queued_for_input = true;
    input_queue_.push_back(waiting);
  }
}

void Server::RunJob(Client& client, std::function<void()> job, std::function<void(Client&)> reply) {
  SuspendClient(client);
  uint64_t id = client.id();
  worker_->Submit(std::move(job),
                  [this, id, reply = std::move(reply)] { ResumeClient(id, reply); });
}

}  // namespace ringdb::server
