// Commands that need the server itself: connections, introspection, configuration.
// Each family lives in its own file and registers its table here.
#pragma once

#include "ringdb/commands/command.h"

namespace ringdb::server {

void RegisterServerCommands(commands::CommandTable& table);

// QUIT HELLO (connection_commands.cc)
void RegisterConnectionCommands(commands::CommandTable& table);
// CLIENT RESET MONITOR (client_commands.cc)
void RegisterClientCommands(commands::CommandTable& table);
// COMMAND (introspection_commands.cc)
void RegisterIntrospectionCommands(commands::CommandTable& table);
// SHUTDOWN DEBUG (admin_commands.cc)
void RegisterAdminCommands(commands::CommandTable& table);
// INFO (info_commands.cc)
void RegisterInfoCommands(commands::CommandTable& table);
// CONFIG TIME (config_commands.cc)
void RegisterConfigCommands(commands::CommandTable& table);
// SAVE BGSAVE LASTSAVE (persistence_commands.cc)
void RegisterPersistenceCommands(commands::CommandTable& table);
// SLOWLOG LATENCY (latency_commands.cc)
void RegisterLatencyCommands(commands::CommandTable& table);
// SUBSCRIBE PUBLISH PUBSUB and the rest of pub/sub (pubsub_commands.cc)
void RegisterPubSubCommands(commands::CommandTable& table);

// MULTI EXEC DISCARD WATCH UNWATCH (transactions.cc)
void RegisterTransactionCommands(commands::CommandTable& table);
bool IsExec(const commands::Command& command);
// What runs at once between MULTI and EXEC instead of being queued: EXEC, DISCARD, MULTI,
// WATCH, QUIT, RESET.
bool RunsInsideMulti(const commands::Command& command);

// The (un)subscribe family, whose replies are pushes (Redis's cmdHasPushAsReply).
bool RepliesWithPushes(const commands::Command& command);
// What a subscribed RESP2 connection may run: the (un)subscribe family, PING, QUIT, RESET.
bool AllowedWhileSubscribed(const commands::Command& command);

}  // namespace ringdb::server
