// Commands that need the server itself: connections, introspection, configuration.
#pragma once

#include "ringdb/commands/command.h"

namespace ringdb::server {

void RegisterServerCommands(commands::CommandTable& table);

}  // namespace ringdb::server
