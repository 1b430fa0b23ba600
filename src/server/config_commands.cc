// CONFIG (GET SET RESETSTAT REWRITE HELP), TIME and LASTSAVE.
#include <string>
#include <vector>

#include <memory>

#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/commands/help.h"
#include "ringdb/server/client.h"
#include "ringdb/server/config.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {

namespace {

using commands::CommandContext;
using commands::CommandSpec;

Server& ServerOf(CommandContext& context) { return *context.client->server(); }

// Redis's islocalClient: a unix socket or a loopback peer.
bool IsLocalClient(const Client& client) {
  if (client.unix_socket()) return true;
  std::string_view peer = client.peer_address;
  return peer.starts_with("127.") || peer.starts_with("::1:");
}

bool ProtectedConfigsAllowed(const Config& config, const Client& client) {
  if (config.enable_protected_configs == "yes") return true;
  return config.enable_protected_configs == "local" && IsLocalClient(client);
}

void ConfigGet(CommandContext& context) {
  auto matches = ConfigRegistry::Match(ServerOf(context).config(), context.args.subspan(2));
  context.reply.MapHeader(matches.size());
  for (const auto& [name, value] : matches) {
    context.reply.Bulk(name);
    context.reply.Bulk(value);
  }
}

void ConfigSet(CommandContext& context) {
  if (context.argc() % 2 != 0) {
    context.reply.Error(commands::errors::kSyntax);
    return;
  }
  Server& server = ServerOf(context);
  bool protected_allowed = ProtectedConfigsAllowed(server.config(), *context.client);
  Result<Config> next =
      ConfigRegistry::SetPairs(server.config(), context.args.subspan(2), protected_allowed);
  if (!next.ok()) {
    context.reply.Error(next.status().message());
    return;
  }
  Status applied = server.ReplaceConfig(*next);
  if (!applied.ok()) {
    LOG_WARNING("Failed applying new configuration: %s", applied.message().c_str());
    context.reply.Error(applied.message());
    return;
  }
  context.reply.Ok();
}

void ConfigResetStat(CommandContext& context) {
  ServerOf(context).ResetStats();
  context.reply.Ok();
}

// CONFIG REWRITE. Reading, writing and syncing the file run on the background worker (the loop
// never blocks on a disk); this client's next commands wait for the reply. See
// ReplaceFileDurably for the crash safety.
void ConfigRewrite(CommandContext& context) {
  Server& server = ServerOf(context);
  const Config& config = server.config();
  if (config.config_file.empty()) {
    context.reply.Error("The server is running without a config file");
    return;
  }
  // The job works on a copy of the configuration as it is now; the outcome travels from the
  // worker thread to the reply on the loop thread, so both lambdas share it.
  auto outcome = std::make_shared<Status>();
  server.RunJob(
      *context.client,
      [config, outcome] {
        Result<std::string> old_text = ReadWholeFile(config.config_file, true);
        *outcome = old_text.status();
        if (outcome->ok()) {
          *outcome = ReplaceFileDurably(config.config_file, RewriteConfigText(*old_text, config));
        }
      },
      [outcome](Client& client) {
        if (!outcome->ok()) {
          LOG_WARNING("CONFIG REWRITE failed: %s", outcome->message().c_str());
          client.reply.Error("Rewriting config file: " + outcome->message());
          return;
        }
        LOG_NOTICE("CONFIG REWRITE executed with success.");
        client.reply.Ok();
      });
}

void ConfigHelp(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
  };
  commands::ReplyHelp(context, kLines);
}

void Time(CommandContext& context) {
  int64_t now_us = UnixTimeUs();
  context.reply.ArrayHeader(2);
  context.reply.Bulk(std::to_string(now_us / 1000000));
  context.reply.Bulk(std::to_string(now_us % 1000000));
}

// Until snapshots exist, the last save is the moment the server started.
// Command tables keep one entry per group of lines.
// clang-format off
using commands::kAdmin;
using commands::kFast;
using commands::kLoading;
using commands::kNoscript;
using commands::kStale;

constexpr CommandSpec kConfigSubcommands[] = {
    {"get", -3, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, ConfigGet, "server", "2.0.0",
     "Returns the effective values of configuration parameters.",
     "O(N) when N is the number of configuration parameters provided", "@admin @slow @dangerous",
     "parameter [parameter ...]"},
    {"set", -4, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, ConfigSet, "server", "2.0.0",
     "Sets configuration parameters in-flight.",
     "O(N) when N is the number of configuration parameters provided", "@admin @slow @dangerous",
     "parameter value [parameter value ...]", {},
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"resetstat", 2, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, ConfigResetStat, "server",
     "2.0.0", "Resets the server's statistics.", "O(1)", "@admin @slow @dangerous", "", {},
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"rewrite", 2, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, ConfigRewrite, "server",
     "2.8.0", "Persists the effective configuration to file.", "O(1)", "@admin @slow @dangerous",
     "", {}, "request_policy:all_nodes response_policy:all_succeeded"},
    {"help", 2, kLoading | kStale, 0, 0, 0, ConfigHelp, "server", "5.0.0",
     "Returns helpful text about the different subcommands.", "O(1)", "@slow", ""},
};

constexpr CommandSpec kCommands[] = {
    {"config", -2, 0, 0, 0, 0, nullptr, "server", "2.0.0",
     "A container for server configuration commands.", "Depends on subcommand.", "@slow", "",
     kConfigSubcommands},
    {"time", 1, kLoading | kStale | kFast, 0, 0, 0, Time, "server", "2.6.0",
     "Returns the server time.", "O(1)", "@fast", "", {}, "nondeterministic_output"},
};

// clang-format on

}  // namespace

void RegisterConfigCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
