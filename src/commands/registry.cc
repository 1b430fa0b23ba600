#include "ringdb/commands/registry.h"

#include "families.h"

namespace ringdb::commands {

void RegisterDataCommands(CommandTable& table) {
  RegisterStringCommands(table);
  RegisterKeyCommands(table);
  RegisterScanCommands(table);
  RegisterExpireCommands(table);
  RegisterObjectCommands(table);
  RegisterDatabaseCommands(table);
  RegisterSetCommands(table);
  RegisterHashCommands(table);
  RegisterStreamCommands(table);
  RegisterListCommands(table);
  RegisterListBlockingCommands(table);
  RegisterZsetCommands(table);
  RegisterBitmapCommands(table);
  RegisterHyperLogLogCommands(table);
  RegisterGeoCommands(table);
  RegisterSortCommands(table);
  RegisterDumpCommands(table);
}

}  // namespace ringdb::commands
