#include "ringdb/commands/command.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include "key_specs.h"
#include "ringdb/base/assert.h"
#include "ringdb/base/hash.h"
#include "ringdb/base/strings.h"
#include "ringdb/resp/reply.h"

namespace ringdb::commands {
namespace {

// Command names are short; longer argv[0] cannot name a command.
constexpr size_t kCommandNameMax = 64;
// The index's hash seed: the names are ours, not a client's, so a fixed seed is fine.
constexpr uint64_t kIndexSeed = 0x636f6d6d616e6473ULL;

// Lowercases `name` into `buffer`; returns false when it is too long to be a command.
bool LowerName(std::string_view name, char* buffer, std::string_view* lowered) {
  if (name.size() > kCommandNameMax) return false;
  for (size_t i = 0; i < name.size(); i++) {
    char c = name[i];
    buffer[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  *lowered = std::string_view(buffer, name.size());
  return true;
}

Command* FindIn(const StringMap<std::unique_ptr<Command>>& map, std::string_view name) {
  char buffer[kCommandNameMax] = {};
  std::string_view lowered;
  if (!LowerName(name, buffer, &lowered)) return nullptr;
  auto it = map.find(lowered);
  return it == map.end() ? nullptr : it->second.get();
}

void AttachKeys(Command& command) {
  command.key_specs = FindKeySpecs(command.full_name);
  command.keys =
      command.spec->keys != nullptr ? command.spec->keys : FindKeysFunction(command.full_name);
}

}  // namespace

void CommandTable::Register(std::span<const CommandSpec> specs) {
  for (const CommandSpec& spec : specs) {
    auto command = std::make_unique<Command>();
    command->spec = &spec;
    command->full_name = spec.name;
    AttachKeys(*command);
    for (const CommandSpec& sub : spec.subcommands) {
      auto child = std::make_unique<Command>();
      child->spec = &sub;
      child->full_name = std::string(spec.name) + "|" + sub.name;
      child->parent = command.get();
      AttachKeys(*child);
      command->subcommands.emplace(sub.name, std::move(child));
    }
    RINGDB_ASSERT(commands_.find(spec.name) == commands_.end());
    sorted_.push_back(command.get());
    commands_.emplace(spec.name, std::move(command));
  }
  std::sort(sorted_.begin(), sorted_.end(),
            [](const Command* a, const Command* b) { return a->full_name < b->full_name; });
  RebuildIndex();
}

void CommandTable::RebuildIndex() {
  size_t names = 0;
  for (const auto& [name, command] : commands_) names += 1 + command->subcommands.size();
  size_t slots = 64;
  while (slots < names * 4) slots *= 2;  // At most a quarter full: probes stay short.
  index_.assign(slots, nullptr);
  auto insert = [&](Command* command) {
    size_t slot = Hash64(command->full_name, kIndexSeed) & (slots - 1);
    while (index_[slot] != nullptr) slot = (slot + 1) & (slots - 1);
    index_[slot] = command;
  };
  for (auto& [name, command] : commands_) {
    insert(command.get());
    for (auto& [sub_name, sub] : command->subcommands) insert(sub.get());
  }
}

Command* CommandTable::FindIndexed(std::string_view lowered) const {
  if (index_.empty()) return nullptr;
  size_t mask = index_.size() - 1;
  for (size_t slot = Hash64(lowered, kIndexSeed) & mask;; slot = (slot + 1) & mask) {
    Command* command = index_[slot];
    if (command == nullptr) return nullptr;
    if (command->full_name == lowered) return command;
  }
}

Command* CommandTable::Find(std::string_view name) const {
  char buffer[kCommandNameMax];
  std::string_view lowered;
  if (!LowerName(name, buffer, &lowered)) return nullptr;
  return FindIndexed(lowered);
}

Command* CommandTable::FindFullName(std::string_view full_name) const {
  size_t bar = full_name.find('|');
  if (bar == std::string_view::npos) return Find(full_name);
  Command* parent = Find(full_name.substr(0, bar));
  if (parent == nullptr) return nullptr;
  return FindIn(parent->subcommands, full_name.substr(bar + 1));
}

Command* CommandTable::Lookup(std::span<const std::string_view> argv) const {
  Command* command = Find(argv[0]);
  if (command == nullptr || argv.size() == 1 || !command->is_container()) return command;
  // Subcommands are indexed under "<container>|<subcommand>".
  char buffer[2 * kCommandNameMax + 1];
  std::string_view parent = command->full_name;
  std::string_view sub = argv[1];
  if (sub.size() > kCommandNameMax) return nullptr;
  std::memcpy(buffer, parent.data(), parent.size());
  buffer[parent.size()] = '|';
  std::string_view lowered;
  LowerName(sub, buffer + parent.size() + 1, &lowered);
  return FindIndexed(std::string_view(buffer, parent.size() + 1 + sub.size()));
}

Command* CommandTable::Resolve(std::span<const std::string_view> argv, resp::ReplyBuilder& reply,
                               Command** cache) const {
  Command* command = nullptr;
  if (cache != nullptr && *cache != nullptr && MatchesCommandName(argv[0], (*cache)->full_name)) {
    command = *cache;
  } else {
    command = Lookup(argv);
    // Containers are not cached: their subcommand changes from call to call.
    if (cache != nullptr && command != nullptr && command->parent == nullptr &&
        !command->is_container()) {
      *cache = command;
    }
  }
  if (command == nullptr) {
    reply.Error(UnknownCommandError(argv));
    return nullptr;
  }
  if (!command->ArityAccepts(argv.size())) {
    command->rejected_calls++;
    reply.Error(ArityError(*command));
    return nullptr;
  }
  return command;
}

namespace {

// Redis formats these with "%.*s" over C strings: the text ends at a NUL byte or at
// `precision` bytes, whichever comes first.
std::string_view CString(std::string_view text, size_t precision) {
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) text = text.substr(0, nul);
  return text.substr(0, precision);
}

}  // namespace

std::string CommandTable::UnknownCommandError(std::span<const std::string_view> argv) const {
  std::string error;
  Command* container = Find(argv[0]);
  if (container != nullptr && container->is_container()) {
    std::string upper(CString(argv[0], std::string_view::npos));
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    error =
        "unknown subcommand '" + std::string(CString(argv[1], 128)) + "'. Try " + upper + " HELP.";
  } else {
    std::string args;
    for (size_t i = 1; i < argv.size() && args.size() < 128; i++) {
      size_t precision = 128 - args.size();
      args += "'";
      args += CString(argv[i], precision);
      args += "' ";
    }
    error = "unknown command '" + std::string(CString(argv[0], 128)) +
            "', with args beginning with: " + args;
  }
  for (char& c : error) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return error;
}

std::string CommandTable::ArityError(const Command& command) {
  return "wrong number of arguments for '" + command.full_name + "' command";
}

void CommandTable::ResetStats() {
  for (auto& [name, command] : commands_) {
    command->calls = command->microseconds = command->rejected_calls = command->failed_calls = 0;
    for (auto& [sub_name, sub] : command->subcommands) {
      sub->calls = sub->microseconds = sub->rejected_calls = sub->failed_calls = 0;
    }
  }
}

std::vector<std::string_view> KeyFlagNames(uint32_t flags) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {kKeyRO, "RO"},
      {kKeyRW, "RW"},
      {kKeyOW, "OW"},
      {kKeyRM, "RM"},
      {kKeyAccess, "access"},
      {kKeyUpdate, "update"},
      {kKeyInsert, "insert"},
      {kKeyDelete, "delete"},
      {kKeyNotKey, "not_key"},
      {kKeyIncomplete, "incomplete"},
      {kKeyVariableFlags, "variable_flags"},
  };
  std::vector<std::string_view> names;
  for (const auto& [flag, name] : kNames) {
    if (flags & flag) names.push_back(name);
  }
  return names;
}

namespace {

// The union of the specs' flags, or with `inverted`, of the flags each spec lacks (Redis's
// getAllKeySpecsFlags).
uint32_t AllKeySpecFlags(const Command& command, bool inverted) {
  uint32_t flags = 0;
  for (const KeySpec& spec : command.key_specs) flags |= inverted ? ~spec.flags : spec.flags;
  return flags;
}

// Where a spec's keys start: the index, or the argument after its keyword (0: the keyword is
// absent, so the spec has no keys here; -1: the spec cannot be searched).
int BeginOf(const BeginSearch& begin, std::span<const std::string_view> argv) {
  int argc = static_cast<int>(argv.size());
  if (begin.type == BeginSearch::kIndex) return begin.position;
  if (begin.type != BeginSearch::kKeyword) return -1;
  // As Redis: forwards from a positive start up to (not including) the last argument, or
  // backwards from a negative one; the keyword is compared as a C string.
  bool forwards = begin.position > 0;
  int start = forwards ? begin.position : argc + begin.position;
  int stop = forwards ? argc - 1 : 1;
  for (int i = start; i != stop; i += start <= stop ? 1 : -1) {
    if (i >= argc || i < 1) break;
    std::string_view word = argv[static_cast<size_t>(i)];
    size_t nul = word.find('\0');
    if (EqualsIgnoreCase(nul == std::string_view::npos ? word : word.substr(0, nul),
                         begin.keyword)) {
      return i + 1;
    }
  }
  return 0;
}

// Redis's getKeysUsingKeySpecs without its partial mode: appends every spec's keys, or
// returns false when a spec cannot be followed for argv (a bad key count, keys past the end,
// an unknown or incomplete spec).
bool KeysFromSpecs(const Command& command, std::span<const std::string_view> argv,
                   std::vector<KeyReference>* keys) {
  int argc = static_cast<int>(argv.size());
  for (const KeySpec& spec : command.key_specs) {
    if (spec.flags & kKeyNotKey) continue;
    int first = BeginOf(spec.begin, argv);
    if (first < 0) return false;
    if (first == 0) continue;
    int last = 0;
    int step = spec.find.key_step;
    if (spec.find.type == FindKeys::kRange) {
      if (spec.find.last_key >= 0) {
        last = first + spec.find.last_key;
      } else if (spec.find.limit == 0) {
        last = argc + spec.find.last_key;
      } else {
        RINGDB_ASSERT(spec.find.last_key == -1);
        last = first + ((argc - first) / spec.find.limit + spec.find.last_key);
      }
    } else if (spec.find.type == FindKeys::kKeynum) {
      // Redis checks the count's offset, not its index, against argc.
      if (spec.find.keynum_index >= argc) return false;
      int count_index = first + spec.find.keynum_index;
      if (count_index >= argc) return false;
      std::optional<int64_t> count = ParseInt64(argv[static_cast<size_t>(count_index)]);
      if (!count || *count < 0) return false;
      first += spec.find.first_key;
      // Redis adds the count as an int: a count past the int range wraps, as there.
      last = static_cast<int>(static_cast<uint32_t>(first) +
                              static_cast<uint32_t>(static_cast<int>(*count)) - 1u);
    } else {
      return false;
    }
    if (last >= argc || last < first || first >= argc) return false;
    for (int i = first; i <= last; i += step) keys->push_back({i, spec.flags});
    if (spec.flags & kKeyIncomplete) return false;
  }
  return true;
}

}  // namespace

bool HasKeys(const Command& command) {
  return command.keys != nullptr || (AllKeySpecFlags(command, true) & kKeyNotKey) != 0;
}

std::vector<KeyReference> GetKeys(const Command& command, std::span<const std::string_view> argv) {
  std::vector<KeyReference> keys;
  bool has_specs = (AllKeySpecFlags(command, true) & kKeyNotKey) != 0;
  bool variable_flags = (AllKeySpecFlags(command, false) & kKeyVariableFlags) != 0;
  if (has_specs && !variable_flags) {
    if (KeysFromSpecs(command, argv, &keys)) return keys;
    keys.clear();
  }
  if (command.keys != nullptr) command.keys(argv, &keys);
  return keys;
}

std::vector<int> KeyPositions(const Command& command, std::span<const std::string_view> argv) {
  std::vector<int> positions;
  for (const KeyReference& key : GetKeys(command, argv)) positions.push_back(key.position);
  return positions;
}

}  // namespace ringdb::commands
