// INFO.
#include "server_commands.h"

namespace ringdb::server {

void RegisterInfoCommands(commands::CommandTable&) {}

}  // namespace ringdb::server
