// SHUTDOWN DEBUG.
#include "server_commands.h"

namespace ringdb::server {

void RegisterAdminCommands(commands::CommandTable&) {}

}  // namespace ringdb::server
