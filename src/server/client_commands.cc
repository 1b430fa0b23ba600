// CLIENT RESET MONITOR: commands about connections, the caller's own and everyone else's.
#include <climits>
#include <optional>
#include <string>

#include "ringdb/base/log.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/commands/help.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;

Client& ClientOf(CommandContext& context) { return *context.client; }
Server& ServerOf(CommandContext& context) { return *context.client->server(); }

// ---- Client types (CLIENT LIST TYPE, CLIENT KILL TYPE) ----

enum class ClientType { kNormal, kReplica, kPubsub, kMaster };

// Redis's getClientTypeByName ("slave" is the old name of "replica").
std::optional<ClientType> ClientTypeByName(std::string_view name) {
  if (EqualsIgnoreCase(name, "normal")) return ClientType::kNormal;
  if (EqualsIgnoreCase(name, "slave") || EqualsIgnoreCase(name, "replica")) {
    return ClientType::kReplica;
  }
  if (EqualsIgnoreCase(name, "pubsub")) return ClientType::kPubsub;
  if (EqualsIgnoreCase(name, "master")) return ClientType::kMaster;
  return std::nullopt;
}

// Redis's getClientType without replication: a subscriber is a pubsub client, everyone else
// (a MONITOR client too) a normal one.
ClientType TypeOf(const Client& client) {
  return client.session.pubsub ? ClientType::kPubsub : ClientType::kNormal;
}

// Replies Redis's error and returns nullopt when `name` is not a client type.
std::optional<ClientType> ClientTypeArg(CommandContext& context, std::string_view name) {
  std::optional<ClientType> type = ClientTypeByName(name);
  if (!type) context.reply.Error("Unknown client type '" + std::string(name) + "'");
  return type;
}

// Redis's validateClientAttr: printable ASCII without spaces.
bool ValidClientAttribute(std::string_view text) {
  for (char c : text) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

// ---- CLIENT LIST / CLIENT INFO lines ----

// The flag letters of CLIENT LIST, in Redis's order; "N" when none applies.
std::string FlagLetters(const Client& client) {
  std::string flags;
  if (client.monitor) flags += 'O';
  if (client.session.pubsub) flags += 'P';
  if (client.in_multi) flags += 'x';
  if (client.postponed_by_pause || client.blocked) flags += 'b';
  if (client.dirty_cas) flags += 'd';
  if (client.close_after_reply) flags += 'c';
  if (client.unix_socket()) flags += 'U';
  if (client.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";
  return flags;
}

// One line of CLIENT LIST (no newline), with Redis 7.2's fields in Redis's order. Replies
// wait in a chain of chunks rather than Redis's static buffer plus reply list, so rbs, rbp
// and obl (the static buffer) are 0, oll counts chunks and omem is their memory.
// `argv_bytes` is the size of the command the client is running (only the caller runs one).
std::string ClientInfoLine(const Client& client, int64_t now_ms, size_t argv_bytes) {
  int64_t now_seconds = now_ms / 1000;
  size_t output_bytes = client.output.allocated_bytes();
  size_t chunks =
      (output_bytes + resp::OutputBuffer::kChunkBytes - 1) / resp::OutputBuffer::kChunkBytes;
  size_t total_bytes =
      sizeof(Client) + client.query.capacity() + output_bytes + argv_bytes + client.queued_bytes;
  std::string events;
  if (client.recv_armed) events += 'r';
  if (client.send_in_flight) events += 'w';
  std::string line;
  line.reserve(384);
  line += "id=" + std::to_string(client.id());
  line += " addr=" + client.peer_address;
  line += " laddr=" + client.local_address;
  line += " fd=" + std::to_string(client.fd());
  line += " name=" + client.name;
  line += " age=" + std::to_string(now_seconds - client.created_ms / 1000);
  line += " idle=" + std::to_string(now_seconds - client.last_interaction_ms / 1000);
  line += " flags=" + FlagLetters(client);
  line += " db=" + std::to_string(client.session.db_index);
  line += " sub=" + std::to_string(client.subscribed(SubscriptionKind::kChannel).size());
  line += " psub=" + std::to_string(client.subscribed(SubscriptionKind::kPattern).size());
  line += " ssub=" + std::to_string(client.subscribed(SubscriptionKind::kShardChannel).size());
  line += " multi=" +
          (client.in_multi ? std::to_string(client.queued_commands.size()) : std::string("-1"));
  line += " qbuf=" + std::to_string(client.query.size());
  line += " qbuf-free=" + std::to_string(client.query.tail_room());
  line += " argv-mem=" + std::to_string(argv_bytes);
  line += " multi-mem=" + std::to_string(client.queued_bytes);
  line += " rbs=0 rbp=0 obl=0";
  line += " oll=" + std::to_string(chunks);
  line += " omem=" + std::to_string(output_bytes);
  line += " tot-mem=" + std::to_string(total_bytes);
  line += " events=" + events;
  line += " cmd=" + client.last_command;
  line += " user=default redir=-1";
  line += " resp=" + std::to_string(client.session.protocol);
  line += " lib-name=" + client.library_name;
  line += " lib-ver=" + client.library_version;
  return line;
}

size_t ArgvBytes(const CommandContext& context) {
  size_t bytes = 0;
  for (std::string_view arg : context.args) bytes += arg.size();
  return bytes;
}

// Appends `client`'s line and a newline; the caller's line counts its running command.
void AppendInfoLine(CommandContext& context, const Client& client, std::string& text) {
  size_t argv_bytes = &client == context.client ? ArgvBytes(context) : 0;
  text += ClientInfoLine(client, context.now_ms, argv_bytes);
  text += '\n';
}

// ---- Subcommands ----

void ClientId(CommandContext& context) {
  context.reply.Integer(static_cast<int64_t>(ClientOf(context).id()));
}

void ClientSetName(CommandContext& context) {
  std::string_view name = context.arg(2);
  if (!ValidClientAttribute(name)) {
    context.reply.Error("Client names cannot contain spaces, newlines or special characters.");
    return;
  }
  ClientOf(context).name = std::string(name);
  context.reply.Ok();
}

void ClientGetName(CommandContext& context) {
  const Client& client = ClientOf(context);
  if (client.name.empty()) {
    context.reply.Null();
  } else {
    context.reply.Bulk(client.name);
  }
}

void ClientInfo(CommandContext& context) {
  std::string text;
  AppendInfoLine(context, ClientOf(context), text);
  context.reply.Verbatim(text);
}

// CLIENT LIST [TYPE type] or CLIENT LIST [ID id ...], one filter at a time as in Redis 7.2.
void ClientList(CommandContext& context) {
  Server& server = ServerOf(context);
  std::optional<ClientType> type;
  std::string text;
  if (context.argc() == 4 && EqualsIgnoreCase(context.arg(2), "type")) {
    type = ClientTypeArg(context, context.arg(3));
    if (!type) return;
  } else if (context.argc() > 3 && EqualsIgnoreCase(context.arg(2), "id")) {
    for (size_t j = 3; j < context.argc(); j++) {
      std::optional<int64_t> id = ParseInt64(context.arg(j));
      if (!id) {
        context.reply.Error("Invalid client ID");
        return;
      }
      Client* client = *id > 0 ? server.FindClient(static_cast<uint64_t>(*id)) : nullptr;
      if (client != nullptr) AppendInfoLine(context, *client, text);
    }
    context.reply.Verbatim(text);
    return;
  } else if (context.argc() != 2) {
    context.reply.Error(commands::errors::kSyntax);
    return;
  }
  for (const auto& [id, client] : server.clients()) {
    if (client->closing) continue;
    if (type && TypeOf(*client) != *type) continue;
    AppendInfoLine(context, *client, text);
  }
  context.reply.Verbatim(text);
}

// The filters of CLIENT KILL; a client must match every one that is set.
struct KillFilter {
  std::optional<std::string_view> address;
  std::optional<std::string_view> local_address;
  std::optional<ClientType> type;
  uint64_t id = 0;
  int64_t max_age_seconds = 0;
  bool skip_me = true;
};

bool KillFilterMatches(const KillFilter& filter, const Client& client, const Client& caller,
                       int64_t now_ms) {
  if (filter.address && client.peer_address != *filter.address) return false;
  if (filter.local_address && client.local_address != *filter.local_address) return false;
  if (filter.type && TypeOf(client) != *filter.type) return false;
  if (filter.id != 0 && client.id() != filter.id) return false;
  if (&client == &caller && filter.skip_me) return false;
  if (filter.max_age_seconds != 0 &&
      now_ms / 1000 - client.created_ms / 1000 < filter.max_age_seconds) {
    return false;
  }
  return true;
}

// Parses one "<option> <value>" pair of the new CLIENT KILL form; replies the error and
// returns false when it is not valid.
bool ParseKillOption(CommandContext& context, std::string_view option, std::string_view value,
                     KillFilter& filter) {
  if (EqualsIgnoreCase(option, "id")) {
    std::optional<int64_t> id = ParseInt64(value);
    if (!id || *id < 1) {
      context.reply.Error("client-id should be greater than 0");
      return false;
    }
    filter.id = static_cast<uint64_t>(*id);
  } else if (EqualsIgnoreCase(option, "type")) {
    filter.type = ClientTypeArg(context, value);
    if (!filter.type) return false;
  } else if (EqualsIgnoreCase(option, "addr")) {
    filter.address = value;
  } else if (EqualsIgnoreCase(option, "laddr")) {
    filter.local_address = value;
  } else if (EqualsIgnoreCase(option, "user")) {
    // ACLs are not implemented: "default" is the only user and every client's.
    if (value != "default") {
      context.reply.Error("No such user '" + std::string(value) + "'");
      return false;
    }
  } else if (EqualsIgnoreCase(option, "skipme")) {
    if (EqualsIgnoreCase(value, "yes")) {
      filter.skip_me = true;
    } else if (EqualsIgnoreCase(value, "no")) {
      filter.skip_me = false;
    } else {
      context.reply.Error(commands::errors::kSyntax);
      return false;
    }
  } else if (EqualsIgnoreCase(option, "maxage")) {
    std::optional<int64_t> age = ParseInt64(value);
    if (!age) {
      context.reply.Error("maxage is not an integer or out of range");
      return false;
    }
    if (*age <= 0) {
      context.reply.Error("maxage should be greater than 0");
      return false;
    }
    filter.max_age_seconds = *age;
  } else {
    context.reply.Error(commands::errors::kSyntax);
    return false;
  }
  return true;
}

// CLIENT KILL addr:port (old form: replies OK or an error, and may kill the caller) or
// CLIENT KILL <option> <value> ... (new form: replies how many were killed).
void ClientKill(CommandContext& context) {
  KillFilter filter;
  bool old_form = context.argc() == 3;
  if (old_form) {
    filter.address = context.arg(2);
    filter.skip_me = false;
  } else {
    for (size_t i = 2; i < context.argc(); i += 2) {
      if (i + 1 >= context.argc()) {
        context.reply.Error(commands::errors::kSyntax);
        return;
      }
      if (!ParseKillOption(context, context.arg(i), context.arg(i + 1), filter)) return;
    }
  }
  Server& server = ServerOf(context);
  Client& caller = ClientOf(context);
  int64_t killed = 0;
  bool kill_caller = false;
  for (const auto& [id, client] : server.clients()) {
    if (client->closing || !KillFilterMatches(filter, *client, caller, context.now_ms)) continue;
    if (client.get() == &caller) {
      kill_caller = true;
    } else {
      server.CloseClientAsync(*client, "killed by CLIENT KILL");
    }
    killed++;
  }
  if (old_form) {
    if (killed == 0) {
      context.reply.Error("No such client");
    } else {
      context.reply.Ok();
    }
  } else {
    context.reply.Integer(killed);
  }
  // The caller goes only after its reply: Redis flags it close-after-reply once the reply is
  // queued.
  if (kill_caller) caller.close_after_reply = true;
}

// CLIENT REPLY ON|OFF|SKIP. Only ON replies: the other two silence the reply to themselves.
void ClientReply(CommandContext& context) {
  Client& client = ClientOf(context);
  std::string_view mode = context.arg(2);
  if (EqualsIgnoreCase(mode, "on")) {
    client.reply_mode = ReplyMode::kOn;
    context.reply.Ok();
  } else if (EqualsIgnoreCase(mode, "off")) {
    client.reply_mode = ReplyMode::kOff;
  } else if (EqualsIgnoreCase(mode, "skip")) {
    if (client.reply_mode != ReplyMode::kOff) client.reply_mode = ReplyMode::kSkipNext;
  } else {
    context.reply.Error(commands::errors::kSyntax);
  }
}

void ClientNoEvict(CommandContext& context) {
  std::string_view mode = context.arg(2);
  if (EqualsIgnoreCase(mode, "on")) {
    ClientOf(context).no_evict = true;
  } else if (EqualsIgnoreCase(mode, "off")) {
    ClientOf(context).no_evict = false;
  } else {
    context.reply.Error(commands::errors::kSyntax);
    return;
  }
  context.reply.Ok();
}

// CLIENT UNBLOCK id [TIMEOUT | ERROR]: 1 when the client was blocked and is no longer.
void ClientUnblock(CommandContext& context) {
  std::optional<int64_t> id = ParseInt64(context.arg(2));
  if (!id) {
    context.reply.Error(commands::errors::kNotInteger);
    return;
  }
  bool with_error = false;
  if (context.argc() == 4) {
    if (EqualsIgnoreCase(context.arg(3), "error")) {
      with_error = true;
    } else if (!EqualsIgnoreCase(context.arg(3), "timeout")) {
      context.reply.Error("CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
  } else if (context.argc() > 4) {
    context.reply.Error(commands::errors::kSyntax);
    return;
  }
  Server& server = ServerOf(context);
  Client* target = server.FindClient(static_cast<uint64_t>(*id));
  bool unblocked = target != nullptr && server.UnblockByRequest(*target, with_error);
  context.reply.Integer(unblocked ? 1 : 0);
}

// Redis's getTimeoutFromObjectOrReply in milliseconds: the absolute deadline, or 0 for a
// timeout of 0.
std::optional<int64_t> PauseDeadline(CommandContext& context, std::string_view text) {
  std::optional<int64_t> timeout_ms = ParseInt64(text);
  if (!timeout_ms) {
    context.reply.Error("timeout is not an integer or out of range");
    return std::nullopt;
  }
  if (*timeout_ms < 0) {
    context.reply.Error("timeout is negative");
    return std::nullopt;
  }
  if (*timeout_ms == 0) return 0;
  if (*timeout_ms > LLONG_MAX - context.now_ms) {
    context.reply.Error("timeout is out of range");
    return std::nullopt;
  }
  return context.now_ms + *timeout_ms;
}

// CLIENT PAUSE timeout [WRITE|ALL]. The mode is checked before the timeout, as in Redis.
void ClientPause(CommandContext& context) {
  if (context.argc() > 4) {
    commands::ReplySubcommandSyntaxError(context);
    return;
  }
  bool writes_only = false;
  if (context.argc() == 4) {
    if (EqualsIgnoreCase(context.arg(3), "write")) {
      writes_only = true;
    } else if (!EqualsIgnoreCase(context.arg(3), "all")) {
      context.reply.Error("CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  std::optional<int64_t> deadline_ms = PauseDeadline(context, context.arg(2));
  if (!deadline_ms) return;
  ServerOf(context).Pause(*deadline_ms, writes_only);
  context.reply.Ok();
}

void ClientUnpause(CommandContext& context) {
  ServerOf(context).Unpause();
  context.reply.Ok();
}

// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; client libraries send it on connect).
void ClientSetInfo(CommandContext& context) {
  std::string_view attribute = context.arg(2);
  std::string_view value = context.arg(3);
  Client& client = ClientOf(context);
  std::string* target = nullptr;
  if (EqualsIgnoreCase(attribute, "lib-name")) {
    target = &client.library_name;
  } else if (EqualsIgnoreCase(attribute, "lib-ver")) {
    target = &client.library_version;
  } else {
    context.reply.Error("Unrecognized option '" + std::string(attribute) + "'");
    return;
  }
  if (!ValidClientAttribute(value)) {
    context.reply.Error(std::string(attribute) +
                        " cannot contain spaces, newlines or special characters.");
    return;
  }
  *target = std::string(value);
  context.reply.Ok();
}

// Redis 7.2's CLIENT HELP, byte for byte, with 7.4's lines for the ID and MAXAGE filters of
// KILL, which ringdb implements.
constexpr const char* kClientHelp[] = {
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "    * ID <client-id>",
    "      Kill connections by client id.",
    "    * MAXAGE <maxage>",
    "      Kill connections older than the specified age.",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "NO-TOUCH (ON|OFF)",
    "    Will not touch LRU/LFU stats when this mode is on.",
};

void ClientHelp(CommandContext& context) { commands::ReplyHelp(context, kClientHelp); }

// ---- RESET and MONITOR ----

// RESET: the connection's state as a new connection has it (Redis 7.2's
// clearClientConnectionState). The library name and version stay: they describe the client
// behind the connection, not a state it chose.
void Reset(CommandContext& context) {
  Client& client = ClientOf(context);
  ServerOf(context).RemoveMonitor(client);
  ServerOf(context).UnsubscribeAll(client);
  ServerOf(context).DiscardTransaction(client);
  client.session.db_index = 0;
  client.session.protocol = 2;
  client.reply.set_protocol(2);
  client.name.clear();
  client.reply_mode = ReplyMode::kOn;
  client.no_evict = false;
  context.reply.Simple("RESET");
}

// MONITOR: from now on the client receives every command the server runs. A client already
// monitoring gets no reply, as in Redis.
void Monitor(CommandContext& context) {
  Client& client = ClientOf(context);
  if (client.monitor) return;
  ServerOf(context).AddMonitor(client);
  context.reply.Ok();
}

using commands::kAdmin;
using commands::kAllowBusy;
using commands::kFast;
using commands::kLoading;
using commands::kNoAuth;
using commands::kNoscript;
using commands::kStale;

constexpr uint32_t kAdminFlags = kAdmin | kNoscript | kLoading | kStale;
constexpr uint32_t kSessionFlags = kNoscript | kLoading | kStale;
constexpr char kAdminAcl[] = "@admin @slow @dangerous @connection";
constexpr char kSessionAcl[] = "@slow @connection";
constexpr char kPerClient[] = "O(N) where N is the number of client connections";
constexpr char kKillSyntax[] =
    "<ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER "
    "username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>] | [MAXAGE maxage]> [[ID "
    "client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR "
    "ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>] | [MAXAGE maxage] ...]>";

// clang-format off
constexpr CommandSpec kClientSubcommands[] = {
    {"id", 2, kSessionFlags, 0, 0, 0, ClientId, "connection", "5.0.0", "Returns the unique client ID of the connection.", "O(1)", kSessionAcl, ""},
    {"setname", 3, kSessionFlags, 0, 0, 0, ClientSetName, "connection", "2.6.9", "Sets the connection name.", "O(1)", kSessionAcl, "connection-name", {}, "request_policy:all_nodes response_policy:all_succeeded"},
    {"getname", 2, kSessionFlags, 0, 0, 0, ClientGetName, "connection", "2.6.9", "Returns the name of the connection.", "O(1)", kSessionAcl, ""},
    {"info", 2, kSessionFlags, 0, 0, 0, ClientInfo, "connection", "6.2.0", "Returns information about the connection.", "O(1)", kSessionAcl, "", {}, "nondeterministic_output"},
    {"list", -2, kAdminFlags, 0, 0, 0, ClientList, "connection", "2.4.0", "Lists open connections.", kPerClient, kAdminAcl, "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]", {}, "nondeterministic_output"},
    {"kill", -3, kAdminFlags, 0, 0, 0, ClientKill, "connection", "2.4.0", "Terminates open connections.", kPerClient, kAdminAcl, kKillSyntax},
    {"reply", 3, kSessionFlags, 0, 0, 0, ClientReply, "connection", "3.2.0", "Instructs the server whether to reply to commands.", "O(1)", kSessionAcl, "<ON | OFF | SKIP>"},
    {"unblock", -3, kAdminFlags, 0, 0, 0, ClientUnblock, "connection", "5.0.0", "Unblocks a client blocked by a blocking command from a different connection.", "O(log N) where N is the number of client connections", kAdminAcl, "client-id [TIMEOUT | ERROR]"},
    {"no-evict", 3, kAdminFlags, 0, 0, 0, ClientNoEvict, "connection", "7.0.0", "Sets the client eviction mode of the connection.", "O(1)", kAdminAcl, "<ON | OFF>"},
    {"pause", -3, kAdminFlags, 0, 0, 0, ClientPause, "connection", "3.0.0", "Suspends commands processing.", "O(1)", kAdminAcl, "timeout [WRITE | ALL]"},
    {"unpause", 2, kAdminFlags, 0, 0, 0, ClientUnpause, "connection", "6.2.0", "Resumes processing commands from paused clients.", "O(N) Where N is the number of paused clients", kAdminAcl, ""},
    {"setinfo", 4, kSessionFlags, 0, 0, 0, ClientSetInfo, "connection", "7.2.0", "Sets information specific to the client or connection.", "O(1)", kSessionAcl, "<LIB-NAME libname | LIB-VER libver>", {}, "request_policy:all_nodes response_policy:all_succeeded"},
    {"help", 2, kLoading | kStale, 0, 0, 0, ClientHelp, "connection", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)", kSessionAcl, ""},
};

constexpr CommandSpec kCommands[] = {
    {"client", -2, 0, 0, 0, 0, nullptr, "connection", "2.4.0", "A container for client connection commands.", "Depends on subcommand.", "@slow", "", kClientSubcommands},
    {"reset", 1, kNoscript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, 0, 0, 0, Reset, "connection", "6.2.0", "Resets the connection.", "O(1)", "@fast @connection", ""},
    {"monitor", 1, kAdminFlags, 0, 0, 0, Monitor, "server", "1.0.0", "Listens for all requests received by the server in real-time.", "", "@admin @slow @dangerous", ""},
};
// clang-format on

}  // namespace

void RegisterClientCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
