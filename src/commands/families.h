// Each command family registers its table here.
#pragma once

#include "ringdb/commands/command.h"

namespace ringdb::commands {

void RegisterStringCommands(CommandTable& table);
void RegisterKeyCommands(CommandTable& table);
void RegisterScanCommands(CommandTable& table);
void RegisterExpireCommands(CommandTable& table);
void RegisterObjectCommands(CommandTable& table);
void RegisterDatabaseCommands(CommandTable& table);
void RegisterSetCommands(CommandTable& table);
void RegisterHashCommands(CommandTable& table);
void RegisterStreamCommands(CommandTable& table);
void RegisterListCommands(CommandTable& table);
void RegisterListBlockingCommands(CommandTable& table);
void RegisterZsetCommands(CommandTable& table);
void RegisterBitmapCommands(CommandTable& table);
void RegisterHyperLogLogCommands(CommandTable& table);
void RegisterGeoCommands(CommandTable& table);
void RegisterSortCommands(CommandTable& table);
void RegisterDumpCommands(CommandTable& table);

}  // namespace ringdb::commands
