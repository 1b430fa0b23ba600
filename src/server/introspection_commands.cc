// COMMAND: the command table as Redis 7's COMMAND, COMMAND INFO, COMMAND DOCS, COMMAND LIST
// and COMMAND GETKEYS report it, built from the CommandSpec tables.
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/base/log.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/command.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/commands/help.h"
#include "ringdb/commands/syntax.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

using commands::ArgumentType;
using commands::Command;
using commands::CommandContext;
using commands::CommandSpec;
using commands::CommandTable;
using commands::SyntaxArgument;

CommandTable& TableOf(CommandContext& context) { return context.client->server()->command_table(); }

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// ---- COMMAND INFO ----

// The flags COMMAND INFO shows, in Redis's order. Redis hides may_replicate and sentinel.
std::vector<std::string_view> VisibleFlagNames(uint32_t flags) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {commands::kWrite, "write"},
      {commands::kReadonly, "readonly"},
      {commands::kDenyOom, "denyoom"},
      {commands::kAdmin, "admin"},
      {commands::kPubsub, "pubsub"},
      {commands::kNoscript, "noscript"},
      {commands::kBlocking, "blocking"},
      {commands::kLoading, "loading"},
      {commands::kStale, "stale"},
      {commands::kSkipMonitor, "skip_monitor"},
      {commands::kSkipSlowlog, "skip_slowlog"},
      {commands::kFast, "fast"},
      {commands::kNoAuth, "no_auth"},
      {commands::kNoMandatoryKeys, "no_mandatory_keys"},
      {commands::kNoMulti, "no_multi"},
      {commands::kMovableKeys, "movablekeys"},
      {commands::kAllowBusy, "allow_busy"},
  };
  std::vector<std::string_view> names;
  for (const auto& [flag, name] : kNames) {
    if (flags & flag) names.push_back(name);
  }
  return names;
}

void ReplySimpleSet(resp::ReplyBuilder& reply, const std::vector<std::string_view>& words) {
  reply.SetHeader(words.size());
  for (std::string_view word : words) reply.Simple(word);
}

void ReplyBeginSearch(resp::ReplyBuilder& reply, const commands::BeginSearch& begin) {
  reply.MapHeader(2);
  reply.Bulk("type");
  switch (begin.type) {
    case commands::BeginSearch::kIndex:
      reply.Bulk("index");
      reply.Bulk("spec");
      reply.MapHeader(1);
      reply.Bulk("index");
      reply.Integer(begin.position);
      return;
    case commands::BeginSearch::kKeyword:
      reply.Bulk("keyword");
      reply.Bulk("spec");
      reply.MapHeader(2);
      reply.Bulk("keyword");
      reply.Bulk(begin.keyword);
      reply.Bulk("startfrom");
      reply.Integer(begin.position);
      return;
    case commands::BeginSearch::kUnknown:
      reply.Bulk("unknown");
      reply.Bulk("spec");
      reply.MapHeader(0);
      return;
  }
  RINGDB_UNREACHABLE();
}

void ReplyFindKeys(resp::ReplyBuilder& reply, const commands::FindKeys& find) {
  reply.MapHeader(2);
  reply.Bulk("type");
  switch (find.type) {
    case commands::FindKeys::kRange:
      reply.Bulk("range");
      reply.Bulk("spec");
      reply.MapHeader(3);
      reply.Bulk("lastkey");
      reply.Integer(find.last_key);
      reply.Bulk("keystep");
      reply.Integer(find.key_step);
      reply.Bulk("limit");
      reply.Integer(find.limit);
      return;
    case commands::FindKeys::kKeynum:
      reply.Bulk("keynum");
      reply.Bulk("spec");
      reply.MapHeader(3);
      reply.Bulk("keynumidx");
      reply.Integer(find.keynum_index);
      reply.Bulk("firstkey");
      reply.Integer(find.first_key);
      reply.Bulk("keystep");
      reply.Integer(find.key_step);
      return;
    case commands::FindKeys::kUnknown:
      reply.Bulk("unknown");
      reply.Bulk("spec");
      reply.MapHeader(0);
      return;
  }
  RINGDB_UNREACHABLE();
}

// Redis's addReplyCommandKeySpecs: each spec as a map of its notes (when it has any), flags,
// begin_search and find_keys.
void ReplyKeySpecs(resp::ReplyBuilder& reply, const Command& command) {
  reply.SetHeader(command.key_specs.size());
  for (const commands::KeySpec& spec : command.key_specs) {
    bool has_notes = spec.notes[0] != '\0';
    reply.MapHeader(has_notes ? 4 : 3);
    if (has_notes) {
      reply.Bulk("notes");
      reply.Bulk(spec.notes);
    }
    reply.Bulk("flags");
    ReplySimpleSet(reply, commands::KeyFlagNames(spec.flags));
    reply.Bulk("begin_search");
    ReplyBeginSearch(reply, spec.begin);
    reply.Bulk("find_keys");
    ReplyFindKeys(reply, spec.find);
  }
}

// Redis's addReplyCommandInfo: a ten-element array, or null for an unknown command.
void ReplyCommandInfo(resp::ReplyBuilder& reply, const Command* command) {
  if (command == nullptr) {
    reply.Null();
    return;
  }
  const CommandSpec& spec = *command->spec;
  reply.ArrayHeader(10);
  reply.Bulk(command->full_name);
  reply.Integer(spec.arity);
  ReplySimpleSet(reply, VisibleFlagNames(spec.flags));
  reply.Integer(spec.first_key);
  reply.Integer(spec.last_key);
  reply.Integer(spec.key_step);
  ReplySimpleSet(reply, SplitWords(spec.acl_categories));
  std::vector<std::string_view> tips = SplitWords(spec.tips);
  reply.SetHeader(tips.size());
  for (std::string_view tip : tips) reply.Bulk(tip);
  ReplyKeySpecs(reply, *command);
  if (!command->is_container()) {
    reply.SetHeader(0);
    return;
  }
  reply.ArrayHeader(spec.subcommands.size());
  for (const CommandSpec& sub : spec.subcommands) {
    ReplyCommandInfo(reply, command->subcommands.at(sub.name).get());
  }
}

// A command by name for INFO and DOCS: "get" or a full name such as "client|list".
const Command* FindByName(CommandTable& table, std::string_view name) {
  return table.FindFullName(name);
}

void CommandAll(CommandContext& context) {
  const std::vector<Command*>& all = TableOf(context).all();
  context.reply.ArrayHeader(all.size());
  for (const Command* command : all) ReplyCommandInfo(context.reply, command);
}

void CommandInfo(CommandContext& context) {
  CommandTable& table = TableOf(context);
  if (context.argc() == 2) {
    CommandAll(context);
    return;
  }
  context.reply.ArrayHeader(context.argc() - 2);
  for (size_t i = 2; i < context.argc(); i++) {
    ReplyCommandInfo(context.reply, FindByName(table, context.arg(i)));
  }
}

void CommandCount(CommandContext& context) {
  context.reply.Integer(static_cast<int64_t>(TableOf(context).size()));
}

// ---- COMMAND DOCS ----

size_t ArgumentMapSize(const SyntaxArgument& argument, bool key_spec) {
  size_t size = 2;
  if (key_spec) size++;
  if (!argument.token.empty()) size++;
  if (argument.optional || argument.multiple || argument.multiple_token) size++;
  if (!argument.arguments.empty()) size++;
  return size;
}

void ReplyArguments(resp::ReplyBuilder& reply, const std::vector<SyntaxArgument>& arguments,
                    bool has_key_spec);

// Redis's addReplyCommandArgList entry: name, type, key_spec_index, token, flags, arguments.
void ReplyArgument(resp::ReplyBuilder& reply, const SyntaxArgument& argument, bool has_key_spec) {
  bool key_spec = has_key_spec && argument.type == ArgumentType::kKey;
  reply.MapHeader(ArgumentMapSize(argument, key_spec));
  reply.Bulk("name");
  reply.Bulk(argument.name);
  reply.Bulk("type");
  reply.Bulk(commands::ArgumentTypeName(argument.type));
  if (key_spec) {
    reply.Bulk("key_spec_index");
    reply.Integer(0);
  }
  if (!argument.token.empty()) {
    reply.Bulk("token");
    reply.Bulk(argument.token);
  }
  if (argument.optional || argument.multiple || argument.multiple_token) {
    std::vector<std::string_view> flags;
    if (argument.optional) flags.push_back("optional");
    if (argument.multiple) flags.push_back("multiple");
    if (argument.multiple_token) flags.push_back("multiple_token");
    reply.Bulk("flags");
    ReplySimpleSet(reply, flags);
  }
  if (!argument.arguments.empty()) {
    reply.Bulk("arguments");
    ReplyArguments(reply, argument.arguments, has_key_spec);
  }
}

void ReplyArguments(resp::ReplyBuilder& reply, const std::vector<SyntaxArgument>& arguments,
                    bool has_key_spec) {
  reply.ArrayHeader(arguments.size());
  for (const SyntaxArgument& argument : arguments) ReplyArgument(reply, argument, has_key_spec);
}

// The arguments of `spec`; empty when it has none or its syntax does not parse (logged: a
// spec's syntax is a literal, so that is a bug in the table).
std::vector<SyntaxArgument> ArgumentsOf(const Command& command) {
  Result<std::vector<SyntaxArgument>> parsed = commands::ParseSyntax(command.spec->syntax);
  if (!parsed.ok()) {
    LOG_WARNING("Syntax of '%s' does not parse: %s", command.full_name.c_str(),
                parsed.status().message().c_str());
    return {};
  }
  return std::move(parsed.value());
}

// Redis's addReplyCommandDocs: summary, since, group, complexity, arguments, subcommands.
void ReplyCommandDocs(resp::ReplyBuilder& reply, const Command& command) {
  const CommandSpec& spec = *command.spec;
  std::vector<SyntaxArgument> arguments = ArgumentsOf(command);
  bool has_complexity = spec.complexity[0] != '\0';
  reply.MapHeader(3 + (has_complexity ? 1 : 0) + (arguments.empty() ? 0 : 1) +
                  (command.is_container() ? 1 : 0));
  reply.Bulk("summary");
  reply.Bulk(spec.summary);
  reply.Bulk("since");
  reply.Bulk(spec.since);
  reply.Bulk("group");
  reply.Bulk(spec.group);
  if (has_complexity) {
    reply.Bulk("complexity");
    reply.Bulk(spec.complexity);
  }
  if (!arguments.empty()) {
    reply.Bulk("arguments");
    ReplyArguments(reply, arguments, spec.first_key > 0);
  }
  if (command.is_container()) {
    reply.Bulk("subcommands");
    reply.MapHeader(spec.subcommands.size());
    for (const CommandSpec& sub : spec.subcommands) {
      const Command& subcommand = *command.subcommands.at(sub.name);
      reply.Bulk(subcommand.full_name);
      ReplyCommandDocs(reply, subcommand);
    }
  }
}

// COMMAND DOCS [name ...]: a map from name to docs; unknown names are left out.
void CommandDocs(CommandContext& context) {
  CommandTable& table = TableOf(context);
  std::vector<const Command*> found;
  if (context.argc() == 2) {
    found.assign(table.all().begin(), table.all().end());
  } else {
    for (size_t i = 2; i < context.argc(); i++) {
      const Command* command = FindByName(table, context.arg(i));
      if (command != nullptr) found.push_back(command);
    }
  }
  context.reply.MapHeader(found.size());
  for (const Command* command : found) {
    context.reply.Bulk(command->full_name);
    ReplyCommandDocs(context.reply, *command);
  }
}

// ---- COMMAND LIST ----

enum class ListFilter { kNone, kModule, kAclCategory, kPattern };

bool InAclCategory(const CommandSpec& spec, std::string_view category) {
  for (std::string_view word : SplitWords(spec.acl_categories)) {
    if (word.starts_with('@') && EqualsIgnoreCase(word.substr(1), category)) return true;
  }
  return false;
}

bool ListFilterKeeps(ListFilter filter, std::string_view argument, const Command& command) {
  switch (filter) {
    case ListFilter::kNone:
      return true;
    case ListFilter::kModule:
      return false;  // No module commands exist.
    case ListFilter::kAclCategory:
      return InAclCategory(*command.spec, argument);
    case ListFilter::kPattern:
      return GlobMatch(argument, command.full_name, true);
  }
  RINGDB_UNREACHABLE();
}

// COMMAND LIST [FILTERBY <MODULE name | ACLCAT category | PATTERN pattern>]: every command and
// subcommand by full name.
void CommandList(CommandContext& context) {
  ListFilter filter = ListFilter::kNone;
  std::string_view argument;
  if (context.argc() == 5 && EqualsIgnoreCase(context.arg(2), "filterby")) {
    std::string_view type = context.arg(3);
    argument = context.arg(4);
    if (EqualsIgnoreCase(type, "module")) {
      filter = ListFilter::kModule;
    } else if (EqualsIgnoreCase(type, "aclcat")) {
      filter = ListFilter::kAclCategory;
    } else if (EqualsIgnoreCase(type, "pattern")) {
      filter = ListFilter::kPattern;
    }
  }
  if (context.argc() != 2 && filter == ListFilter::kNone) {
    context.reply.Error(commands::errors::kSyntax);
    return;
  }
  std::vector<std::string_view> names;
  for (const Command* command : TableOf(context).all()) {
    if (ListFilterKeeps(filter, argument, *command)) names.push_back(command->full_name);
    for (const CommandSpec& sub : command->spec->subcommands) {
      const Command& subcommand = *command->subcommands.at(sub.name);
      if (ListFilterKeeps(filter, argument, subcommand)) names.push_back(subcommand.full_name);
    }
  }
  context.reply.ArrayHeader(names.size());
  for (std::string_view name : names) context.reply.Bulk(name);
}

// ---- COMMAND GETKEYS / GETKEYSANDFLAGS ----

// Redis's getKeysSubcommandImpl.
void GetKeys(CommandContext& context, bool with_flags) {
  std::span<const std::string_view> target = context.args.subspan(2);
  const Command* command = TableOf(context).Lookup(target);
  if (command == nullptr) {
    context.reply.Error("Invalid command specified");
    return;
  }
  if (!commands::HasKeys(*command)) {
    context.reply.Error("The command has no key arguments");
    return;
  }
  if (!command->ArityAccepts(target.size())) {
    context.reply.Error("Invalid number of arguments specified for command");
    return;
  }
  std::vector<commands::KeyReference> keys = commands::GetKeys(*command, target);
  if (keys.empty() && !command->has(commands::kNoMandatoryKeys)) {
    context.reply.Error("Invalid arguments specified for command");
    return;
  }
  context.reply.ArrayHeader(keys.size());
  for (const commands::KeyReference& key : keys) {
    if (!with_flags) {
      context.reply.Bulk(target[static_cast<size_t>(key.position)]);
      continue;
    }
    context.reply.ArrayHeader(2);
    context.reply.Bulk(target[static_cast<size_t>(key.position)]);
    ReplySimpleSet(context.reply, commands::KeyFlagNames(key.flags));
  }
}

void CommandGetKeys(CommandContext& context) { GetKeys(context, false); }
void CommandGetKeysAndFlags(CommandContext& context) { GetKeys(context, true); }

// Redis 7.2's COMMAND HELP, byte for byte.
constexpr const char* kCommandHelp[] = {
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
};

void CommandHelp(CommandContext& context) { commands::ReplyHelp(context, kCommandHelp); }

using commands::kLoading;
using commands::kStale;

constexpr uint32_t kFlags = kLoading | kStale;
constexpr char kAcl[] = "@slow @connection";

// clang-format off
constexpr CommandSpec kCommandSubcommands[] = {
    {"count", 2, kFlags, 0, 0, 0, CommandCount, "server", "2.8.13", "Returns a count of commands.", "O(1)", kAcl, ""},
    {"docs", -2, kFlags, 0, 0, 0, CommandDocs, "server", "7.0.0", "Returns documentary information about one, multiple or all commands.", "O(N) where N is the number of commands to look up", kAcl, "[command-name [command-name ...]]", {}, "nondeterministic_output_order"},
    {"getkeys", -3, kFlags, 0, 0, 0, CommandGetKeys, "server", "2.8.13", "Extracts the key names from an arbitrary command.", "O(N) where N is the number of arguments to the command", kAcl, "command [arg [arg ...]]"},
    {"getkeysandflags", -3, kFlags, 0, 0, 0, CommandGetKeysAndFlags, "server", "7.0.0", "Extracts the key names and access flags for an arbitrary command.", "O(N) where N is the number of arguments to the command", kAcl, "command [arg [arg ...]]"},
    {"help", 2, kFlags, 0, 0, 0, CommandHelp, "server", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)", kAcl, ""},
    {"info", -2, kFlags, 0, 0, 0, CommandInfo, "server", "2.8.13", "Returns information about one, multiple or all commands.", "O(N) where N is the number of commands to look up", kAcl, "[command-name [command-name ...]]", {}, "nondeterministic_output_order"},
    {"list", -2, kFlags, 0, 0, 0, CommandList, "server", "7.0.0", "Returns a list of command names.", "O(N) where N is the total number of Redis commands", kAcl, "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]", {}, "nondeterministic_output_order"},
};

// COMMAND is a container whose bare form lists every command, so unlike CLIENT it has a
// handler of its own.
constexpr CommandSpec kCommands[] = {
    {"command", -1, kFlags, 0, 0, 0, CommandAll, "server", "2.8.13", "Returns detailed information about all commands.", "O(N) where N is the total number of Redis commands", kAcl, "", kCommandSubcommands, "nondeterministic_output_order"},
};
// clang-format on

}  // namespace

void RegisterIntrospectionCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
