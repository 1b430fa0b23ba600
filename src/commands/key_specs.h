// Redis 7's key specifications and keys functions (getkeys_proc) of the commands, by full
// name. CommandTable::Register attaches them to each command.
#pragma once

#include <span>
#include <string_view>

#include "ringdb/commands/command.h"

namespace ringdb::commands {

// The key specs of the command or subcommand named `full_name` ("get", "object|encoding");
// empty when it takes no key.
std::span<const KeySpec> FindKeySpecs(std::string_view full_name);

// Its keys function, or nullptr.
KeysFunction FindKeysFunction(std::string_view full_name);

}  // namespace ringdb::commands
