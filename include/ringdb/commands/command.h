// The command table: every command's name, arity, flags, key positions, documentation and
// handler, in the shape Redis 7's COMMAND INFO / COMMAND DOCS report.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ringdb::resp {
class ReplyBuilder;
}  // namespace ringdb::resp

namespace ringdb::commands {

class CommandContext;

// Lets maps keyed by std::string be searched with a std::string_view (no temporary string).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

using Handler = void (*)(CommandContext& context);

// Redis's key-spec flags (CMD_KEY_*), in the order COMMAND INFO prints their names.
enum KeyFlag : uint32_t {
  kKeyRO = 1u << 0,
  kKeyRW = 1u << 1,
  kKeyOW = 1u << 2,
  kKeyRM = 1u << 3,
  kKeyAccess = 1u << 4,
  kKeyUpdate = 1u << 5,
  kKeyInsert = 1u << 6,
  kKeyDelete = 1u << 7,
  kKeyNotKey = 1u << 8,
  kKeyIncomplete = 1u << 9,
  kKeyVariableFlags = 1u << 10,
};
// The names of `flags` ("RW", "access", ...) in Redis's order.
std::vector<std::string_view> KeyFlagNames(uint32_t flags);

// One key argument: its index in argv (the command name being 0) and its access flags (0
// when found by a keys function that does not tell, as Redis's genericGetKeys).
struct KeyReference {
  int position;
  uint32_t flags;
  bool operator==(const KeyReference&) const = default;
};

// Redis's getkeys_proc: appends the keys of a command whose key specs cannot describe them
// for every argument vector (SORT ... STORE destination, a malformed numkeys, SET's flags).
using KeysFunction = void (*)(std::span<const std::string_view> argv,
                              std::vector<KeyReference>* keys);

// Redis 7's key specification: where the search for keys begins and how keys are found from
// there. COMMAND INFO reports them and COMMAND GETKEYS follows them (see GetKeys).
struct BeginSearch {
  enum Type : uint8_t { kUnknown, kIndex, kKeyword };
  Type type = kUnknown;
  // kIndex: the argument index. kKeyword: where the search for the keyword starts (negative:
  // counted from the end, searching backwards).
  int position = 0;
  const char* keyword = "";
};
struct FindKeys {
  enum Type : uint8_t { kUnknown, kRange, kKeynum };
  Type type = kUnknown;
  // kRange: the last key relative to the first (negative: counted from the end of argv, or
  // with `limit` > 0, that share of the remaining arguments), and the step between keys.
  int last_key = 0;
  int key_step = 0;
  int limit = 0;
  // kKeynum: where the key count is and where the keys start, both relative to the first
  // index, and the step between keys.
  int keynum_index = 0;
  int first_key = 0;
};
struct KeySpec {
  uint32_t flags = 0;
  BeginSearch begin;
  FindKeys find;
  const char* notes = "";
};

// Command flags with Redis's names (COMMAND INFO prints them).
enum CommandFlag : uint32_t {
  kWrite = 1u << 0,
  kReadonly = 1u << 1,
  kDenyOom = 1u << 2,
  kAdmin = 1u << 3,
  kPubsub = 1u << 4,
  kNoscript = 1u << 5,
  kBlocking = 1u << 6,
  kLoading = 1u << 7,
  kStale = 1u << 8,
  kSkipMonitor = 1u << 9,
  kSkipSlowlog = 1u << 10,
  kFast = 1u << 11,
  kNoAuth = 1u << 12,
  kMayReplicate = 1u << 13,
  kNoMandatoryKeys = 1u << 14,
  kNoMulti = 1u << 15,
  kAllowBusy = 1u << 16,
  kMovableKeys = 1u << 17,
  kSentinel = 1u << 18,
  // Refused unless enabled by configuration (DEBUG: enable-debug-command).
  kProtected = 1u << 19,
};

// A command as written in a family's table. Every string is a literal.
struct CommandSpec {
  const char* name;  // Lowercase; a subcommand's name is its own word ("list" of "client").
  int arity;         // Redis's convention: N exactly, -N at least N (name included).
  uint32_t flags;
  int first_key;  // 1-based; 0 when the command takes no key.
  int last_key;   // -1: the last argument.
  int key_step;
  Handler handler;    // nullptr for a container such as CLIENT.
  const char* group;  // "string", "generic", "server", "connection", ...
  const char* since;  // Redis version that introduced it.
  const char* summary;
  const char* complexity;
  const char* acl_categories;  // Space-separated, e.g. "@write @string @slow".
  // Redis-style syntax of the arguments after the name, e.g.
  // "key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]".
  const char* syntax;
  std::span<const CommandSpec> subcommands = {};
  // Extra doc flags / hints (space-separated Redis tip strings, e.g. "nondeterministic_output").
  const char* tips = "";
  // Redis's getkeys_proc when the command has one that lives with the command (SORT); the
  // others are in the key-spec table (key_specs.cc).
  KeysFunction keys = nullptr;
};

// A command in the running table: its spec plus statistics.
struct Command {
  const CommandSpec* spec = nullptr;
  std::string full_name;  // "get", "client|list"
  Command* parent = nullptr;
  StringMap<std::unique_ptr<Command>> subcommands;
  // Redis's key specs of this command (empty when it takes no key) and its keys function.
  std::span<const KeySpec> key_specs;
  KeysFunction keys = nullptr;

  // INFO commandstats.
  uint64_t calls = 0;
  uint64_t microseconds = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;

  bool has(uint32_t flag) const { return (spec->flags & flag) != 0; }
  bool is_container() const { return !subcommands.empty(); }
  // Does `argument_count` (name included) fit the arity?
  bool ArityAccepts(size_t argument_count) const {
    int arity = spec->arity;
    if (arity > 0) return argument_count == static_cast<size_t>(arity);
    return argument_count >= static_cast<size_t>(-arity);
  }
};

// Whether `text` (as a client sent it) names the command whose lowercase name is `name`.
inline bool MatchesCommandName(std::string_view text, std::string_view name) {
  if (text.size() != name.size()) return false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
    if (c != name[i]) return false;
  }
  return true;
}

class CommandTable {
 public:
  CommandTable() = default;
  CommandTable(const CommandTable&) = delete;
  CommandTable& operator=(const CommandTable&) = delete;

  void Register(std::span<const CommandSpec> specs);

  // The command named by argv[0] (any case), descending into subcommands the way Redis's
  // lookupCommand does: a container with at least one more argument yields its subcommand,
  // or nullptr if there is no such subcommand.
  Command* Lookup(std::span<const std::string_view> argv) const;
  // A top-level command by name (any case), or nullptr.
  Command* Find(std::string_view name) const;
  // A command by full name ("client|list"), any case.
  Command* FindFullName(std::string_view full_name) const;

  // Lookup plus the arity check: returns the command ready to run, or replies Redis's error
  // (unknown command, unknown subcommand, wrong number of arguments) and returns nullptr.
  // `cache` (optional) remembers the caller's last top-level command: clients tend to repeat
  // one, and matching its name skips the lookup.
  Command* Resolve(std::span<const std::string_view> argv, resp::ReplyBuilder& reply,
                   Command** cache = nullptr) const;

  // Redis's error text for argv when Lookup returned nullptr.
  std::string UnknownCommandError(std::span<const std::string_view> argv) const;
  static std::string ArityError(const Command& command);

  // Top-level commands, sorted by name.
  const std::vector<Command*>& all() const { return sorted_; }
  size_t size() const { return commands_.size(); }

  void ResetStats();

 private:
  void RebuildIndex();
  // The command or subcommand whose full name ("get", "client|list") equals `lowered`.
  Command* FindIndexed(std::string_view lowered) const;

  StringMap<std::unique_ptr<Command>> commands_;
  // Open-addressing index over every full name, searched on each command: one hash of the
  // lowercased name and usually one comparison.
  std::vector<Command*> index_;
  std::vector<Command*> sorted_;
};

// Calls fn(index) for each key position (an argument index, the name being 0) of a command
// with `argc` arguments, from its spec's first key, last key and step. Allocates nothing.
template <typename Fn>
void ForEachKeyPosition(const Command& command, size_t argc, Fn&& fn) {
  const CommandSpec& spec = *command.spec;
  if (spec.first_key <= 0) return;
  int count = static_cast<int>(argc);
  int last = spec.last_key < 0 ? count + spec.last_key : spec.last_key;
  int step = spec.key_step > 0 ? spec.key_step : 1;
  for (int i = spec.first_key; i <= last && i < count; i += step) fn(i);
}

// Redis's doesCommandHaveKeys: a keys function or a key spec of a real key.
bool HasKeys(const Command& command);

// Redis 7.2's getKeysFromCommandWithSpecs, which COMMAND GETKEYS answers from: the keys of
// argv (argv[0] naming `command`) by the key specs, or by the keys function when the specs
// fail (a malformed count, a keyword out of place) or their flags vary with the arguments.
// Empty when argv has no valid keys. REQUIRES: argv passed the command's arity check.
std::vector<KeyReference> GetKeys(const Command& command, std::span<const std::string_view> argv);

// The key positions of argv for `command` (GetKeys without the flags).
std::vector<int> KeyPositions(const Command& command, std::span<const std::string_view> argv);

}  // namespace ringdb::commands
