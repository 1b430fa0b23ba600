// Replies shared by commands with subcommands (CLIENT, COMMAND, DEBUG): Redis's HELP layout
// and its "unknown subcommand" error for a subcommand given the wrong arguments.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ringdb/commands/context.h"

namespace ringdb::server {

// argv[0] in uppercase, as Redis names a command in help and errors ("CLIENT").
inline std::string UppercaseCommandName(const commands::CommandContext& context) {
  std::string name(context.arg(0));
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return name;
}

// Redis's addReplyHelp: a header line, the command's lines, then the HELP entry, each a
// simple string.
inline void ReplyHelp(commands::CommandContext& context, std::span<const char* const> lines) {
  context.reply.ArrayHeader(lines.size() + 3);
  context.reply.Simple(UppercaseCommandName(context) +
                       " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* line : lines) context.reply.Simple(line);
  context.reply.Simple("HELP");
  context.reply.Simple("    Print this help.");
}

// Redis's addReplySubcommandSyntaxError.
inline void ReplySubcommandSyntaxError(commands::CommandContext& context) {
  context.reply.Error("unknown subcommand or wrong number of arguments for '" +
                      std::string(context.arg(1).substr(0, 128)) + "'. Try " +
                      UppercaseCommandName(context) + " HELP.");
}

}  // namespace ringdb::server
