// CONFIG TIME LASTSAVE SLOWLOG LATENCY.
#include "server_commands.h"

namespace ringdb::server {

void RegisterConfigCommands(commands::CommandTable&) {}

}  // namespace ringdb::server
