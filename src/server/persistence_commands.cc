// SAVE BGSAVE LASTSAVE: snapshots on demand (see persistence.h for how they run).
#include <string>

#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/server/client.h"
#include "ringdb/server/persistence.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;

Server& ServerOf(CommandContext& context) { return *context.client->server(); }

// SAVE. Redis blocks the whole server while it writes; here only the caller waits for its
// snapshot to be durable, and everyone else is served meanwhile.
void Save(CommandContext& context) {
  Server& server = ServerOf(context);
  if (server.persistence().in_progress()) {
    context.reply.Error("Background save already in progress");
    return;
  }
  Client& client = *context.client;
  uint64_t id = client.id();
  server.SuspendClient(client);
  server.persistence().SaveAndWait("SAVE", [&server, id](const Status& status) {
    server.ResumeClient(id, [&status](Client& waiting) {
      if (status.ok()) {
        waiting.reply.Ok();
      } else {
        waiting.reply.Error("ERR");
      }
    });
  });
}

// BGSAVE [SCHEDULE].
void BgSave(CommandContext& context) {
  bool schedule = false;
  if (context.argc() > 1) {
    if (context.argc() == 2 && EqualsIgnoreCase(context.arg(1), "schedule")) {
      schedule = true;
    } else {
      context.reply.Error(commands::errors::kSyntax);
      return;
    }
  }
  Server& server = ServerOf(context);
  Persistence& persistence = server.persistence();
  if (persistence.in_progress()) {
    context.reply.Error("Background save already in progress");
    return;
  }
  // Inside EXEC the snapshot would cut the transaction: it starts right after instead.
  if (context.client->in_exec) {
    persistence.Schedule();
    context.reply.Simple("Background saving scheduled");
    return;
  }
  (void)schedule;  // With no other background job, SCHEDULE starts at once, as in Redis.
  Status started = persistence.StartBackgroundSave("BGSAVE");
  if (!started.ok()) {
    context.reply.Error(started.message());
    return;
  }
  context.reply.Simple("Background saving started");
}

void LastSave(CommandContext& context) {
  context.reply.Integer(ServerOf(context).persistence().last_save_s());
}

// clang-format off
using commands::kAdmin;
using commands::kFast;
using commands::kLoading;
using commands::kNoMulti;
using commands::kNoscript;
using commands::kStale;

constexpr CommandSpec kCommands[] = {
    {"save", 1, kAdmin | kNoscript | kNoMulti, 0, 0, 0, Save, "server", "1.0.0",
     "Synchronously saves the database(s) to disk.",
     "O(N) where N is the total number of keys in all databases", "@admin @slow @dangerous", ""},
    {"bgsave", -1, kAdmin | kNoscript, 0, 0, 0, BgSave, "server", "1.0.0",
     "Asynchronously saves the database(s) to disk.",
     "O(N) where N is the total number of keys in all databases", "@admin @slow @dangerous",
     "[SCHEDULE]"},
    {"lastsave", 1, kLoading | kStale | kFast, 0, 0, 0, LastSave, "server", "1.0.0",
     "Returns the Unix timestamp of the last successful save to disk.", "O(1)",
     "@admin @fast @dangerous", "", {}, "nondeterministic_output"},
};
// clang-format on

}  // namespace

void RegisterPersistenceCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
