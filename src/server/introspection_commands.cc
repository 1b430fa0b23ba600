// COMMAND.
#include "server_commands.h"

namespace ringdb::server {

void RegisterIntrospectionCommands(commands::CommandTable&) {}

}  // namespace ringdb::server
