// Replies shared by container commands (CONFIG, SLOWLOG, LATENCY, ...), in Redis's words.
#pragma once

#include <span>
#include <string>

#include "ringdb/commands/context.h"

namespace ringdb::server::replies {

// The name the client typed, in capitals ("CONFIG"), as Redis's help texts show it.
inline std::string UpperName(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return upper;
}

// Redis's addReplyHelp: a header line, `lines`, then HELP's own entry, as status replies.
inline void Help(commands::CommandContext& context, std::span<const char* const> lines) {
  context.reply.ArrayHeader(lines.size() + 3);
  context.reply.Simple(UpperName(context.arg(0)) +
                       " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* line : lines) context.reply.Simple(line);
  context.reply.Simple("HELP");
  context.reply.Simple("    Prints this help.");
}

// Redis's addReplySubcommandSyntaxError, for a subcommand given the wrong arguments.
inline void SubcommandSyntaxError(commands::CommandContext& context) {
  context.reply.Error("unknown subcommand or wrong number of arguments for '" +
                      std::string(context.arg(1).substr(0, 128)) + "'. Try " +
                      UpperName(context.arg(0)) + " HELP.");
}

}  // namespace ringdb::server::replies
