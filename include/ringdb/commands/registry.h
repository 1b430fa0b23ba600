// Registration of the data commands (strings, keys, databases). The server registers its own
// (CLIENT, INFO, CONFIG, ...) next to these.
#pragma once

#include "ringdb/commands/command.h"

namespace ringdb::commands {

void RegisterDataCommands(CommandTable& table);

}  // namespace ringdb::commands
