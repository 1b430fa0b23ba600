// QUIT HELLO RESET: commands about the connection itself.
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"
#include "version.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;

Client& ClientOf(CommandContext& context) { return *context.client; }

void Quit(CommandContext& context) {
  context.reply.Ok();
  ClientOf(context).close_after_reply = true;
}

// Redis's validateClientName: printable ASCII without spaces.
bool ValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

void Hello(CommandContext& context) {
  int64_t version = 0;
  size_t next = 1;
  if (context.argc() >= 2) {
    std::optional<int64_t> parsed = ParseInt64(context.arg(next++));
    if (!parsed) {
      context.reply.Error("Protocol version is not an integer or out of range");
      return;
    }
    version = *parsed;
    if (version < 2 || version > 3) {
      context.reply.Error("-NOPROTO unsupported protocol version");
      return;
    }
  }
  std::optional<std::string_view> name;
  for (size_t j = next; j < context.argc(); j++) {
    size_t more = context.argc() - 1 - j;
    std::string_view option = context.arg(j);
    if (EqualsIgnoreCase(option, "auth") && more >= 2) {
      // There are no ACL users yet: "default" has no password, as in a fresh Redis.
      if (context.arg(j + 1) != "default") {
        context.reply.Error("-WRONGPASS invalid username-password pair or user is disabled.");
        return;
      }
      j += 2;
    } else if (EqualsIgnoreCase(option, "setname") && more >= 1) {
      name = context.arg(j + 1);
      if (!ValidClientName(*name)) {
        context.reply.Error("Client names cannot contain spaces, newlines or special characters.");
        return;
      }
      j++;
    } else {
      context.reply.Error("Syntax error in HELLO option '" + std::string(option) + "'");
      return;
    }
  }
  Client& client = ClientOf(context);
  if (name) client.name = std::string(*name);
  if (version != 0) {
    client.session.protocol = static_cast<int>(version);
    client.reply.set_protocol(static_cast<int>(version));
  }
  context.reply.MapHeader(7);
  context.reply.Bulk("server");
  context.reply.Bulk("redis");
  context.reply.Bulk("version");
  context.reply.Bulk(kRedisVersion);
  context.reply.Bulk("proto");
  context.reply.Integer(client.session.protocol);
  context.reply.Bulk("id");
  context.reply.Integer(static_cast<int64_t>(client.id()));
  context.reply.Bulk("mode");
  context.reply.Bulk("standalone");
  context.reply.Bulk("role");
  context.reply.Bulk("master");
  context.reply.Bulk("modules");
  context.reply.EmptyArray();
}

constexpr CommandSpec kCommands[] = {
    {"quit", -1,
     commands::kAllowBusy | commands::kNoAuth | commands::kLoading | commands::kStale |
         commands::kFast | commands::kNoscript,
     0, 0, 0, Quit, "connection", "1.0.0", "Closes the connection.", "O(1)", "@fast @connection",
     ""},
    {"hello", -1,
     commands::kNoscript | commands::kLoading | commands::kStale | commands::kFast |
         commands::kNoAuth | commands::kSentinel | commands::kAllowBusy,
     0, 0, 0, Hello, "connection", "6.0.0", "Handshakes with the Redis server.", "O(1)",
     "@fast @connection", "[protover [AUTH username password] [SETNAME clientname]]"},
};

}  // namespace

void RegisterConnectionCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
