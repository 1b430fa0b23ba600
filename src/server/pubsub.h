// The pub/sub subscriptions of one shard: for each channel, pattern and shard channel, the
// clients listening to it. Private to src/server.
//
// Invariants (asserted where they are relied on):
//   - `client` is in indexes_[kind][name] exactly when `name` is in client.subscribed(kind);
//   - no entry of an index has an empty set of clients (the last unsubscribe erases it, so
//     PUBSUB CHANNELS lists only live channels and millions of one-off channels cost nothing
//     once their subscribers are gone);
//   - client.session.pubsub is true exactly when the client has any subscription.
#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_set>

#include "ringdb/commands/command.h"
#include "ringdb/server/client.h"

namespace ringdb::server {

class PubSubRegistry {
 public:
  using Subscribers = std::unordered_set<Client*>;
  using Index = commands::StringMap<Subscribers>;

  PubSubRegistry() = default;
  PubSubRegistry(const PubSubRegistry&) = delete;
  PubSubRegistry& operator=(const PubSubRegistry&) = delete;

  // Subscribes `client` to `name`; false when it was subscribed already (nothing changes).
  bool Subscribe(Client& client, SubscriptionKind kind, std::string_view name);
  // Unsubscribes `client` from `name`; false when it was not subscribed.
  bool Unsubscribe(Client& client, SubscriptionKind kind, std::string_view name);
  // Drops every subscription of `client`, without replies (disconnect, RESET).
  void UnsubscribeAll(Client& client);

  // The clients subscribed to exactly `name`, or nullptr when there are none.
  const Subscribers* Find(SubscriptionKind kind, std::string_view name) const;
  const Index& index(SubscriptionKind kind) const { return indexes_[static_cast<int>(kind)]; }
  // Distinct names with at least one subscriber (INFO's pubsub_channels, PUBSUB NUMPAT).
  size_t size(SubscriptionKind kind) const { return index(kind).size(); }

 private:
  Index& mutable_index(SubscriptionKind kind) { return indexes_[static_cast<int>(kind)]; }
  static void UpdateFlag(Client& client);

  Index indexes_[kSubscriptionKinds];
};

}  // namespace ringdb::server
