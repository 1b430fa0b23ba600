// Server, blocking commands: BLPOP, BZPOPMIN, XREAD BLOCK and their kin park their client when
// there is nothing to serve, and run again when data arrives.
//
// The mechanism follows Redis 7:
//   - A blocking command that finds nothing calls Block: the client is appended to the queue
//     of every key it named (per database), and to the deadline list if it has a timeout.
//     It runs nothing else meanwhile; what it sends waits in its query buffer.
//   - Commands that create a list, sorted set or stream, or add to a stream, signal the key
//     ready (KeyReady). After the command that signalled (after EXEC for a transaction), the
//     server serves each ready key's queue front to back: a client whose key now holds data
//     of its type is unblocked and its command runs again from the start. So clients are
//     served in the order they blocked, and one push wakes as many clients as it has
//     elements. A command that blocks again while being re-run keeps its place at the head
//     of the queues and its original deadline.
//   - Deadlines are an ordered list with one io_uring timeout armed for the earliest, so a
//     timeout fires within the timer's precision, not at the next cron tick.
#include <cerrno>

#include "ringdb/base/assert.h"
#include "ringdb/base/clock.h"
#include "ringdb/server/server.h"
#include "server_internal.h"

namespace ringdb::server {

void Server::KeyReady(int db_index, std::string_view key) {
  if (blocked_clients_ == 0) return;
  const auto& queues = blocking_keys_[static_cast<size_t>(db_index)];
  if (queues.find(key) == queues.end()) return;
  for (const auto& [db, ready] : ready_keys_) {
    if (db == db_index && ready == key) return;
  }
  ready_keys_.emplace_back(db_index, std::string(key));
}

bool Server::CanBlock() const {
  return executing_client_ != nullptr && !executing_client_->in_exec;
}

void Server::Block(const commands::BlockSpec& spec) {
  Client& client = *executing_client_;
  RINGDB_ASSERT(!client.blocked);
  RINGDB_ASSERT(!spec.keys.empty());
  auto state = std::make_unique<Client::BlockState>();
  state->db_index = client.session.db_index;
  state->type = spec.type;
  state->deadline_ms = reprocessing_blocked_ ? reprocessing_deadline_ms_ : spec.deadline_ms;
  state->null_bulk_on_timeout = spec.null_bulk_on_timeout;
  state->wake_on_missing_key = spec.wake_on_missing_key;
  std::span<const std::string_view> argv = spec.argv.empty() ? executing_argv_ : spec.argv;
  state->argv.assign(argv.begin(), argv.end());
  auto& queues = blocking_keys_[static_cast<size_t>(state->db_index)];
  for (std::string_view key : spec.keys) {
    // A key named twice (BLPOP k k 0) is waited on once.
    bool seen = false;
    for (const std::string& known : state->keys) seen = seen || known == key;
    if (seen) continue;
    state->keys.emplace_back(key);
    auto it = queues.find(key);
    if (it == queues.end()) it = queues.emplace(std::string(key), std::list<Client*>()).first;
    std::list<Client*>& queue = it->second;
    state->queue_positions.push_back(reprocessing_blocked_ ? queue.insert(queue.begin(), &client)
                                                           : queue.insert(queue.end(), &client));
  }
  state->deadline_position = block_deadlines_.end();
  if (state->deadline_ms != 0) {
    state->deadline_position = block_deadlines_.emplace(state->deadline_ms, &client);
  }
  client.blocked = std::move(state);
  blocked_clients_++;
  ArmBlockTimer();
}

void Server::Unblock(Client& client) {
  RINGDB_ASSERT(client.blocked);
  Client::BlockState& state = *client.blocked;
  auto& queues = blocking_keys_[static_cast<size_t>(state.db_index)];
  for (size_t i = 0; i < state.keys.size(); i++) {
    auto it = queues.find(state.keys[i]);
    RINGDB_ASSERT(it != queues.end());
    it->second.erase(state.queue_positions[i]);
    if (it->second.empty()) queues.erase(it);
  }
  if (state.deadline_position != block_deadlines_.end()) {
    block_deadlines_.erase(state.deadline_position);
  }
  client.blocked.reset();
  RINGDB_ASSERT(blocked_clients_ > 0);
  blocked_clients_--;
  if (client.closing) return;
  // Whatever the client sent while it was blocked runs now, in order.
  if (!client.queued_for_input) {
    client.queued_for_input = true;
    input_queue_.push_back(&client);
  }
}

size_t Server::blocking_keys() const {
  size_t total = 0;
  for (const auto& queues : blocking_keys_) total += queues.size();
  return total;
}

size_t Server::blocking_keys_on_nokey() const {
  size_t total = 0;
  for (const auto& queues : blocking_keys_) {
    for (const auto& [key, queue] : queues) {
      for (const Client* client : queue) {
        if (client->blocked->wake_on_missing_key) {
          total++;
          break;
        }
      }
    }
  }
  return total;
}

void Server::ServeReadyKeys() {
  if (serving_ready_keys_) return;  // A re-run command's own signals join the loop below.
  serving_ready_keys_ = true;
  // Each round serves the keys signalled so far; serving may signal more (BLMOVE pushes to
  // its destination), which the next round serves. Every round takes data away or leaves
  // clients blocked, so the loop ends.
  while (!ready_keys_.empty()) {
    std::vector<std::pair<int, std::string>> ready;
    ready.swap(ready_keys_);
    for (const auto& [db_index, key] : ready) {
      auto& queues = blocking_keys_[static_cast<size_t>(db_index)];
      auto it = queues.find(key);
      if (it == queues.end()) continue;
      // The queue changes while clients are served (they leave it, or come back at its head
      // when they block again): walk a copy of its order.
      std::vector<Client*> waiting(it->second.begin(), it->second.end());
      for (Client* client : waiting) {
        if (!client->blocked || client->closing) continue;
        const store::Entry* entry = keyspace_->database(db_index).Peek(key, UnixTimeMs());
        // A client that wakes on a missing key (XREADGROUP) runs again whatever the key holds.
        bool wakes = client->blocked->wake_on_missing_key ||
                     (entry != nullptr && entry->type() == client->blocked->type);
        if (!wakes) continue;
        std::vector<std::string> argv = std::move(client->blocked->argv);
        int64_t deadline_ms = client->blocked->deadline_ms;
        Unblock(*client);
        std::vector<std::string_view> views(argv.begin(), argv.end());
        reprocessing_blocked_ = true;
        reprocessing_deadline_ms_ = deadline_ms;
        Execute(*client, views);
        reprocessing_blocked_ = false;
      }
    }
  }
  serving_ready_keys_ = false;
}

void Server::ReplyBlockTimeout(Client& client) {
  if (client.blocked->null_bulk_on_timeout) {
    client.reply.Null();
  } else {
    client.reply.NullArray();
  }
}

bool Server::UnblockByRequest(Client& client, bool with_error) {
  if (!client.blocked) return false;
  if (with_error) {
    client.reply.Error("-UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    ReplyBlockTimeout(client);
  }
  Unblock(client);
  QueueSend(client);
  return true;
}

void Server::ArmBlockTimer() {
  if (block_deadlines_.empty() || proactor_->stopping()) return;
  int64_t earliest_ms = block_deadlines_.begin()->first;
  if (block_timer_deadline_ms_ != 0 && block_timer_deadline_ms_ <= earliest_ms) return;
  int64_t wait_ms = std::max<int64_t>(0, earliest_ms - UnixTimeMs());
  block_timer_interval_.tv_sec = wait_ms / 1000;
  block_timer_interval_.tv_nsec = (wait_ms % 1000) * 1000000;
  if (block_timer_deadline_ms_ != 0) {
    // Move the armed timer earlier. If it has fired already, the update fails harmlessly and
    // OnBlockTimer arms the next one.
    io_uring_sqe* sqe = proactor_->Prepare(nullptr);
    io_uring_prep_timeout_update(sqe, &block_timer_interval_,
                                 reinterpret_cast<uint64_t>(&block_timer_operation_), 0);
  } else {
    io_uring_sqe* sqe = proactor_->Prepare(&block_timer_operation_);
    io_uring_prep_timeout(sqe, &block_timer_interval_, 0, 0);
  }
  block_timer_deadline_ms_ = earliest_ms;
}

void Server::OnBlockTimer(int, uint32_t) {
  block_timer_deadline_ms_ = 0;
  int64_t now_ms = UnixTimeMs();
  // A timeout passes once its millisecond has: Redis's "timeout < now" would add up to 1 ms.
  while (!block_deadlines_.empty() && block_deadlines_.begin()->first <= now_ms) {
    Client& client = *block_deadlines_.begin()->second;
    ReplyBlockTimeout(client);
    Unblock(client);
    QueueSend(client);
  }
  ArmBlockTimer();
}

void Server::SignalKeyGone(int db_index, std::string_view key, bool unconditionally) {
  if (blocked_clients_ == 0) return;
  const auto& queues = blocking_keys_[static_cast<size_t>(db_index)];
  auto it = queues.find(key);
  if (it == queues.end()) return;
  for (const Client* client : it->second) {
    if (!client->blocked->wake_on_missing_key) continue;
    if (!unconditionally) {
      const store::Entry* entry = keyspace_->database(db_index).Peek(key, UnixTimeMs());
      if (entry != nullptr && entry->type() == client->blocked->type) return;
    }
    KeyReady(db_index, key);
    return;
  }
}

void Server::SignalKeysReadyAfterSwap(int first, int second) {
  if (blocked_clients_ == 0) return;
  // Redis 7.2 wakes XREADGROUP clients whose stream the swap takes away.
  for (int db : {first, second}) {
    std::vector<std::string> keys;
    for (const auto& [key, queue] : blocking_keys_[static_cast<size_t>(db)]) keys.push_back(key);
    for (const std::string& key : keys) SignalKeyGone(db, key, true);
  }
  // Called before the swap: what db `first` will hold is what `second` holds now.
  for (auto [waiting_db, holding_db] : {std::pair{first, second}, std::pair{second, first}}) {
    for (const auto& [key, queue] : blocking_keys_[static_cast<size_t>(waiting_db)]) {
      if (keyspace_->database(holding_db).Peek(key, now_ms_) != nullptr) KeyReady(waiting_db, key);
    }
  }
}

}  // namespace ringdb::server
