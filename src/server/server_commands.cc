#include "server_commands.h"

namespace ringdb::server {

void RegisterConnectionCommands(commands::CommandTable& table);

void RegisterServerCommands(commands::CommandTable& table) { RegisterConnectionCommands(table); }

}  // namespace ringdb::server
