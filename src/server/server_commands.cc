#include "server_commands.h"

namespace ringdb::server {

void RegisterServerCommands(commands::CommandTable& table) {
  RegisterConnectionCommands(table);
  RegisterClientCommands(table);
  RegisterIntrospectionCommands(table);
  RegisterAdminCommands(table);
  RegisterInfoCommands(table);
  RegisterConfigCommands(table);
  RegisterPersistenceCommands(table);
  RegisterLatencyCommands(table);
  RegisterPubSubCommands(table);
  RegisterTransactionCommands(table);
}

}  // namespace ringdb::server
