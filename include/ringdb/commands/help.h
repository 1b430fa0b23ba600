// Replies of container commands (CLIENT, CONFIG, OBJECT, ...) in Redis's exact words: the
// HELP listing and the error for a subcommand given the wrong arguments.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ringdb/commands/context.h"

namespace ringdb::commands {

// A command name as Redis shows it in help and errors: upper case ("CLIENT").
inline std::string UppercaseCommandName(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// Redis's addReplyHelp: "<COMMAND> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
// then `lines`, then HELP's own entry, each a status reply. The last line reads "Print this
// help." as in Redis 7.2 (7.0 says "Prints").
inline void ReplyHelp(CommandContext& context, std::span<const char* const> lines) {
  context.reply.ArrayHeader(lines.size() + 3);
  context.reply.Simple(UppercaseCommandName(context.arg(0)) +
                       " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* line : lines) context.reply.Simple(line);
  context.reply.Simple("HELP");
  context.reply.Simple("    Print this help.");
}

// Redis's addReplySubcommandSyntaxError: a known subcommand with the wrong arguments.
inline void ReplySubcommandSyntaxError(CommandContext& context) {
  context.reply.Error("unknown subcommand or wrong number of arguments for '" +
                      std::string(context.arg(1).substr(0, 128)) + "'. Try " +
                      UppercaseCommandName(context.arg(0)) + " HELP.");
}

}  // namespace ringdb::commands
