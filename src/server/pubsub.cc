// Pub/sub: the subscription registry, publishing (PUBLISH, SPUBLISH and keyspace
// notifications) and the delivery of push messages to subscribers.
//
// A message is formatted once per PUBLISH, in RESP2 form; a RESP3 subscriber gets the same
// bytes with '>' (push) in place of the leading '*', so the cost per subscriber is one append.
// Pushes for the client whose command is running wait until that command has replied (Redis
// 7.2: a PUBLISH to one's own channel answers the integer first, then the message), except
// for the (un)subscribe commands, whose replies are pushes themselves.
#include "pubsub.h"

#include <string>

#include "ringdb/base/assert.h"
#include "ringdb/base/strings.h"
#include "ringdb/server/server.h"

namespace ringdb::server {

namespace {

// Past this size the formatting buffers are freed after use, so that one huge message does
// not keep its copy alive.
constexpr size_t kFrameKeepBytes = 64 * 1024;

void AppendBulk(std::string& out, std::string_view bytes) {
  out += '$';
  out += std::to_string(bytes.size());
  out += "\r\n";
  out.append(bytes);
  out += "\r\n";
}

void TrimBuffer(std::string& buffer) {
  if (buffer.capacity() > kFrameKeepBytes) std::string().swap(buffer);
}

}  // namespace

// ---- PubSubRegistry ----

bool PubSubRegistry::Subscribe(Client& client, SubscriptionKind kind, std::string_view name) {
  NameSet& names = client.subscribed(kind);
  if (names.find(name) != names.end()) return false;
  names.emplace(name);
  Index& index = mutable_index(kind);
  auto it = index.find(name);
  if (it == index.end()) it = index.emplace(std::string(name), Subscribers{}).first;
  bool inserted = it->second.insert(&client).second;
  RINGDB_ASSERT(inserted);
  UpdateFlag(client);
  return true;
}

bool PubSubRegistry::Unsubscribe(Client& client, SubscriptionKind kind, std::string_view name) {
  NameSet& names = client.subscribed(kind);
  auto own = names.find(name);
  if (own == names.end()) return false;
  Index& index = mutable_index(kind);
  auto it = index.find(name);
  RINGDB_ASSERT(it != index.end());
  size_t erased = it->second.erase(&client);
  RINGDB_ASSERT(erased == 1);
  if (it->second.empty()) index.erase(it);
  // `name` may view the string being erased (UNSUBSCRIBE without arguments): erase it last.
  names.erase(own);
  UpdateFlag(client);
  return true;
}

void PubSubRegistry::UnsubscribeAll(Client& client) {
  for (int k = 0; k < kSubscriptionKinds; k++) {
    auto kind = static_cast<SubscriptionKind>(k);
    Index& index = mutable_index(kind);
    for (const std::string& name : client.subscribed(kind)) {
      auto it = index.find(name);
      RINGDB_ASSERT(it != index.end());
      it->second.erase(&client);
      if (it->second.empty()) index.erase(it);
    }
    client.subscribed(kind).clear();
  }
  UpdateFlag(client);
}

const PubSubRegistry::Subscribers* PubSubRegistry::Find(SubscriptionKind kind,
                                                        std::string_view name) const {
  const Index& map = index(kind);
  auto it = map.find(name);
  return it == map.end() ? nullptr : &it->second;
}

void PubSubRegistry::UpdateFlag(Client& client) {
  bool any = false;
  for (const NameSet& names : client.subscriptions) any = any || !names.empty();
  client.session.pubsub = any;
}

// ---- Publishing ----

void Server::UnsubscribeAll(Client& client) { pubsub_->UnsubscribeAll(client); }

resp::OutputBuffer& Server::PushTarget(Client& client) {
  if (&client == executing_client_ && !executing_push_reply_) return pending_pushes_;
  return client.output;
}

void Server::DeliverPush(Client& client, std::string_view head, std::string_view tail) {
  // Redis drops output for a client that is leaving (QUIT) but still counts it a receiver.
  if (client.closing || client.close_after_reply) return;
  resp::OutputBuffer& target = PushTarget(client);
  RINGDB_DASSERT(!head.empty());
  RINGDB_DASSERT(head[0] == '*');
  if (client.session.protocol >= 3) {
    target.Append(">", 1);
    target.Append(head.substr(1));
  } else {
    target.Append(head);
  }
  target.Append(tail);
  if (&target != &client.output) return;  // Sent (and limited) after the command.
  QueueSend(client);
  if (OutputLimitReached(client)) output_limit_victims_.push_back(&client);
}

int64_t Server::Publish(std::string_view channel, std::string_view message, bool shard) {
  SubscriptionKind kind = shard ? SubscriptionKind::kShardChannel : SubscriptionKind::kChannel;
  const PubSubRegistry::Subscribers* subscribers = pubsub_->Find(kind, channel);
  // Shard channels ignore patterns, as in Redis.
  bool patterns = !shard && pubsub_->size(SubscriptionKind::kPattern) > 0;
  if (subscribers == nullptr && !patterns) return 0;

  int64_t receivers = 0;
  std::string& head = publish_head_;
  std::string& tail = publish_tail_;
  tail.clear();
  AppendBulk(tail, channel);
  AppendBulk(tail, message);
  // Delivery never closes a client (that would change the sets being walked): clients over
  // their output limit are collected and closed afterwards.
  RINGDB_ASSERT(output_limit_victims_.empty());
  if (subscribers != nullptr) {
    head = shard ? "*3\r\n$8\r\nsmessage\r\n" : "*3\r\n$7\r\nmessage\r\n";
    for (Client* subscriber : *subscribers) {
      DeliverPush(*subscriber, head, tail);
      receivers++;
    }
  }
  if (patterns) {
    for (const auto& [pattern, clients] : pubsub_->index(SubscriptionKind::kPattern)) {
      if (!GlobMatch(pattern, channel)) continue;
      head = "*4\r\n$8\r\npmessage\r\n";
      AppendBulk(head, pattern);
      for (Client* subscriber : clients) {
        DeliverPush(*subscriber, head, tail);
        receivers++;
      }
    }
  }
  TrimBuffer(tail);
  std::vector<Client*> victims;
  victims.swap(output_limit_victims_);
  for (Client* victim : victims) CloseForOutputLimit(*victim);
  return receivers;
}

// ---- Keyspace notifications ----

void Server::Notify(uint32_t notify_class, std::string_view event, std::string_view key,
                    int db_index) {
  uint32_t flags = config_.notify_keyspace_events_flags;
  if ((flags & notify_class) == 0) return;
  // No listener at all: skip building the channel names (the usual case with notifications
  // configured but nobody subscribed).
  if (pubsub_->size(SubscriptionKind::kChannel) == 0 &&
      pubsub_->size(SubscriptionKind::kPattern) == 0) {
    return;
  }
  std::string& channel = notify_channel_;
  if (flags & commands::kNotifyKeyspace) {
    channel = "__keyspace@";
    channel += std::to_string(db_index);
    channel += "__:";
    channel.append(key);
    Publish(channel, event, false);
  }
  if (flags & commands::kNotifyKeyevent) {
    channel = "__keyevent@";
    channel += std::to_string(db_index);
    channel += "__:";
    channel.append(event);
    Publish(channel, key, false);
  }
  TrimBuffer(channel);
}

}  // namespace ringdb::server
