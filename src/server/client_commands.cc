// CLIENT RESET MONITOR.
#include "server_commands.h"

namespace ringdb::server {

void RegisterClientCommands(commands::CommandTable&) {}

}  // namespace ringdb::server
