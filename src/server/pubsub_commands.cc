// SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH
// PUBSUB: the pub/sub commands, with Redis 7.2's replies.
#include <string>
#include <vector>

#include "pubsub.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/help.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;

// How one family of commands names its replies and counts a client's subscriptions.
struct Family {
  SubscriptionKind kind;
  const char* subscribed;    // "subscribe"
  const char* unsubscribed;  // "unsubscribe"
};

constexpr Family kChannels{SubscriptionKind::kChannel, "subscribe", "unsubscribe"};
constexpr Family kPatterns{SubscriptionKind::kPattern, "psubscribe", "punsubscribe"};
constexpr Family kShardChannels{SubscriptionKind::kShardChannel, "ssubscribe", "sunsubscribe"};

// The count a confirmation carries: channels plus patterns for those two families (they
// share one budget in Redis), shard channels alone for the shard family.
size_t SubscriptionCount(const Client& client, const Family& family) {
  if (family.kind == SubscriptionKind::kShardChannel) return client.subscribed(family.kind).size();
  return client.channel_and_pattern_count();
}

// A confirmation: ["subscribe", channel, count] as a push. It goes straight to the client's
// output: like every push in Redis 7.2, CLIENT REPLY OFF does not silence it. A null
// `name` (nothing was subscribed) is a null bulk.
void Confirm(Client& client, const char* word, const std::string_view* name, size_t count) {
  resp::ReplyBuilder push(&client.output, client.session.protocol);
  push.PushHeader(3);
  push.Bulk(word);
  if (name != nullptr) {
    push.Bulk(*name);
  } else {
    push.Null();
  }
  push.Integer(static_cast<int64_t>(count));
}

void SubscribeNames(CommandContext& context, const Family& family) {
  Client& client = *context.client;
  PubSubRegistry& registry = client.server()->pubsub();
  for (size_t j = 1; j < context.argc(); j++) {
    std::string_view name = context.arg(j);
    registry.Subscribe(client, family.kind, name);
    Confirm(client, family.subscribed, &name, SubscriptionCount(client, family));
  }
}

void UnsubscribeNames(CommandContext& context, const Family& family) {
  Client& client = *context.client;
  PubSubRegistry& registry = client.server()->pubsub();
  if (context.argc() > 1) {
    for (size_t j = 1; j < context.argc(); j++) {
      std::string_view name = context.arg(j);
      registry.Unsubscribe(client, family.kind, name);
      Confirm(client, family.unsubscribed, &name, SubscriptionCount(client, family));
    }
    return;
  }
  // No arguments: every subscription of the family, one confirmation each (in the set's
  // order, which Redis does not define either), or one with a null name when there is none.
  const NameSet& current = client.subscribed(family.kind);
  if (current.empty()) {
    Confirm(client, family.unsubscribed, nullptr, SubscriptionCount(client, family));
    return;
  }
  std::vector<std::string> names(current.begin(), current.end());
  for (const std::string& owned : names) {
    std::string_view name = owned;
    registry.Unsubscribe(client, family.kind, name);
    Confirm(client, family.unsubscribed, &name, SubscriptionCount(client, family));
  }
}

void Subscribe(CommandContext& context) { SubscribeNames(context, kChannels); }
void Unsubscribe(CommandContext& context) { UnsubscribeNames(context, kChannels); }
void PSubscribe(CommandContext& context) { SubscribeNames(context, kPatterns); }
void PUnsubscribe(CommandContext& context) { UnsubscribeNames(context, kPatterns); }
void SSubscribe(CommandContext& context) {
  // Inside EXEC a client may not start waiting for messages; SUBSCRIBE and PSUBSCRIBE are
  // let through there for backward compatibility, SSUBSCRIBE is not (Redis 7).
  if (context.client->in_exec) {
    context.reply.Error("SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  SubscribeNames(context, kShardChannels);
}
void SUnsubscribe(CommandContext& context) { UnsubscribeNames(context, kShardChannels); }

void Publish(CommandContext& context) {
  Server& server = *context.client->server();
  context.reply.Integer(server.Publish(context.arg(1), context.arg(2), false));
}

void SPublish(CommandContext& context) {
  Server& server = *context.client->server();
  context.reply.Integer(server.Publish(context.arg(1), context.arg(2), true));
}

// ---- PUBSUB ----

// PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the names with subscribers, matching `pattern`.
void ListChannels(CommandContext& context, SubscriptionKind kind) {
  if (context.argc() > 3) {
    commands::ReplySubcommandSyntaxError(context);
    return;
  }
  const PubSubRegistry::Index& index = context.client->server()->pubsub().index(kind);
  std::vector<std::string_view> names;
  for (const auto& [name, clients] : index) {
    if (context.argc() == 2 || GlobMatch(context.arg(2), name)) names.push_back(name);
  }
  context.reply.ArrayHeader(names.size());
  for (std::string_view name : names) context.reply.Bulk(name);
}

// PUBSUB NUMSUB / SHARDNUMSUB [name ...]: each name and its subscribers, as a flat array in
// both protocols (as Redis does).
void CountSubscribers(CommandContext& context, SubscriptionKind kind) {
  const PubSubRegistry& registry = context.client->server()->pubsub();
  context.reply.ArrayHeader((context.argc() - 2) * 2);
  for (size_t j = 2; j < context.argc(); j++) {
    const PubSubRegistry::Subscribers* clients = registry.Find(kind, context.arg(j));
    context.reply.Bulk(context.arg(j));
    context.reply.Integer(clients == nullptr ? 0 : static_cast<int64_t>(clients->size()));
  }
}

void PubSubChannels(CommandContext& context) { ListChannels(context, SubscriptionKind::kChannel); }
void PubSubShardChannels(CommandContext& context) {
  ListChannels(context, SubscriptionKind::kShardChannel);
}
void PubSubNumSub(CommandContext& context) {
  CountSubscribers(context, SubscriptionKind::kChannel);
}
void PubSubShardNumSub(CommandContext& context) {
  CountSubscribers(context, SubscriptionKind::kShardChannel);
}
void PubSubNumPat(CommandContext& context) {
  const PubSubRegistry& registry = context.client->server()->pubsub();
  context.reply.Integer(static_cast<int64_t>(registry.size(SubscriptionKind::kPattern)));
}

constexpr const char* kPubSubHelp[] = {
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
};

void PubSubHelp(CommandContext& context) { commands::ReplyHelp(context, kPubSubHelp); }

using commands::kFast;
using commands::kLoading;
using commands::kMayReplicate;
using commands::kNoscript;
using commands::kPubsub;
using commands::kStale;

constexpr uint32_t kSubscribeFlags = kPubsub | kNoscript | kLoading | kStale;
constexpr uint32_t kPublishFlags = kPubsub | kLoading | kStale | kFast | kMayReplicate;
constexpr uint32_t kIntrospectionFlags = kPubsub | kLoading | kStale;
constexpr char kSlowAcl[] = "@pubsub @slow";
constexpr char kFastAcl[] = "@pubsub @fast";

// clang-format off
constexpr CommandSpec kPubSubSubcommands[] = {
    {"channels", -2, kIntrospectionFlags, 0, 0, 0, PubSubChannels, "pubsub", "2.8.0", "Returns the active channels.", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)", kSlowAcl, "[pattern]"},
    {"numsub", -2, kIntrospectionFlags, 0, 0, 0, PubSubNumSub, "pubsub", "2.8.0", "Returns a count of subscribers to channels.", "O(N) for the NUMSUB subcommand, where N is the requested channels", kSlowAcl, "[channel [channel ...]]"},
    {"numpat", 2, kIntrospectionFlags, 0, 0, 0, PubSubNumPat, "pubsub", "2.8.0", "Returns a count of unique pattern subscriptions.", "O(1)", kSlowAcl, ""},
    {"shardchannels", -2, kIntrospectionFlags, 0, 0, 0, PubSubShardChannels, "pubsub", "7.0.0", "Returns the active shard channels.", "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).", kSlowAcl, "[pattern]"},
    {"shardnumsub", -2, kIntrospectionFlags, 0, 0, 0, PubSubShardNumSub, "pubsub", "7.0.0", "Returns the count of subscribers of shard channels.", "O(N) for the SHARDNUMSUB subcommand, where N is the requested shard channels", kSlowAcl, "[shardchannel [shardchannel ...]]"},
    {"help", 2, kLoading | kStale, 0, 0, 0, PubSubHelp, "pubsub", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)", "@slow", ""},
};

constexpr CommandSpec kCommands[] = {
    {"subscribe", -2, kSubscribeFlags, 0, 0, 0, Subscribe, "pubsub", "2.0.0", "Listens for messages published to channels.", "O(N) where N is the number of channels to subscribe to.", kSlowAcl, "channel [channel ...]"},
    {"unsubscribe", -1, kSubscribeFlags, 0, 0, 0, Unsubscribe, "pubsub", "2.0.0", "Stops listening to messages posted to channels.", "O(N) where N is the number of channels to unsubscribe.", kSlowAcl, "[channel [channel ...]]"},
    {"psubscribe", -2, kSubscribeFlags, 0, 0, 0, PSubscribe, "pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to subscribe to.", kSlowAcl, "pattern [pattern ...]"},
    {"punsubscribe", -1, kSubscribeFlags, 0, 0, 0, PUnsubscribe, "pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to unsubscribe.", kSlowAcl, "[pattern [pattern ...]]"},
    {"ssubscribe", -2, kSubscribeFlags, 1, -1, 1, SSubscribe, "pubsub", "7.0.0", "Listens for messages published to shard channels.", "O(N) where N is the number of shard channels to subscribe to.", kSlowAcl, "shardchannel [shardchannel ...]"},
    {"sunsubscribe", -1, kSubscribeFlags, 1, -1, 1, SUnsubscribe, "pubsub", "7.0.0", "Stops listening to messages posted to shard channels.", "O(N) where N is the number of shard channels to unsubscribe.", kSlowAcl, "[shardchannel [shardchannel ...]]"},
    {"publish", 3, kPublishFlags, 0, 0, 0, Publish, "pubsub", "2.0.0", "Posts a message to a channel.", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).", kFastAcl, "channel message"},
    {"spublish", 3, kPublishFlags, 1, 1, 1, SPublish, "pubsub", "7.0.0", "Post a message to a shard channel", "O(N) where N is the number of clients subscribed to the receiving shard channel.", kFastAcl, "shardchannel message"},
    {"pubsub", -2, 0, 0, 0, 0, nullptr, "pubsub", "2.8.0", "A container for Pub/Sub commands.", "Depends on subcommand.", "@slow", "", kPubSubSubcommands},
};
// clang-format on

}  // namespace

bool RepliesWithPushes(const commands::Command& command) {
  commands::Handler handler = command.spec->handler;
  return handler == Subscribe || handler == Unsubscribe || handler == PSubscribe ||
         handler == PUnsubscribe || handler == SSubscribe || handler == SUnsubscribe;
}

bool AllowedWhileSubscribed(const commands::Command& command) {
  if (RepliesWithPushes(command)) return true;
  const std::string& name = command.full_name;
  return name == "ping" || name == "quit" || name == "reset";
}

void RegisterPubSubCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
