// SLOWLOG (GET LEN RESET HELP) and LATENCY (LATEST HISTORY RESET DOCTOR GRAPH HISTOGRAM HELP).
// Server::Execute feeds both: commands slower than slowlog-log-slower-than enter the slowlog,
// those slower than latency-monitor-threshold become "command" / "fast-command" events, and
// every command's time goes into its histogram while latency-tracking is on.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "ringdb/base/clock.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/help.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;

Server& ServerOf(CommandContext& context) { return *context.client->server(); }

// ---- SLOWLOG ----

constexpr int64_t kSlowlogDefaultCount = 10;

void ReplySlowlogEntry(CommandContext& context, const SlowLogEntry& entry) {
  context.reply.ArrayHeader(6);
  context.reply.Integer(static_cast<int64_t>(entry.id));
  context.reply.Integer(entry.time_seconds);
  context.reply.Integer(entry.duration_us);
  context.reply.ArrayHeader(entry.args.size());
  for (const std::string& arg : entry.args) context.reply.Bulk(arg);
  context.reply.Bulk(entry.peer_address);
  context.reply.Bulk(entry.client_name);
}

void SlowlogGet(CommandContext& context) {
  if (context.argc() > 3) {
    commands::ReplySubcommandSyntaxError(context);
    return;
  }
  int64_t count = kSlowlogDefaultCount;
  if (context.argc() == 3) {
    std::optional<int64_t> parsed = ParseInt64(context.arg(2));
    if (!parsed || *parsed < -1) {
      context.reply.Error("count should be greater than or equal to -1");
      return;
    }
    count = *parsed;
  }
  const std::deque<SlowLogEntry>& entries = ServerOf(context).slowlog().entries();
  size_t shown =
      count == -1 ? entries.size() : std::min(entries.size(), static_cast<size_t>(count));
  context.reply.ArrayHeader(shown);
  for (size_t i = 0; i < shown; i++) ReplySlowlogEntry(context, entries[i]);
}

void SlowlogLen(CommandContext& context) {
  context.reply.Integer(static_cast<int64_t>(ServerOf(context).slowlog().entries().size()));
}

void SlowlogReset(CommandContext& context) {
  ServerOf(context).slowlog().Reset();
  context.reply.Ok();
}

void SlowlogHelp(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
  };
  commands::ReplyHelp(context, kLines);
}

// ---- LATENCY: events ----

void LatencyLatest(CommandContext& context) {
  const auto& events = ServerOf(context).latency().events();
  context.reply.ArrayHeader(events.size());
  for (const auto& [name, event] : events) {
    const LatencyMonitor::Sample& last = event.samples.back();
    context.reply.ArrayHeader(4);
    context.reply.Bulk(name);
    context.reply.Integer(last.time_seconds);
    context.reply.Integer(last.latency_ms);
    context.reply.Integer(event.max_ms);
  }
}

void LatencyHistory(CommandContext& context) {
  const auto& events = ServerOf(context).latency().events();
  auto it = events.find(context.arg(2));
  if (it == events.end()) {
    context.reply.EmptyArray();
    return;
  }
  context.reply.ArrayHeader(it->second.samples.size());
  for (const LatencyMonitor::Sample& sample : it->second.samples) {
    context.reply.ArrayHeader(2);
    context.reply.Integer(sample.time_seconds);
    context.reply.Integer(sample.latency_ms);
  }
}

void LatencyReset(CommandContext& context) {
  size_t removed = ServerOf(context).latency().Reset(context.args.subspan(2));
  context.reply.Integer(static_cast<int64_t>(removed));
}

// What LATENCY DOCTOR says about one event: its samples' average, mean deviation and spacing.
struct EventSummary {
  uint64_t samples = 0;
  uint64_t average_ms = 0;
  uint64_t deviation_ms = 0;
  double period_seconds = 0;
};

EventSummary Summarize(const LatencyMonitor::Event& event, int64_t now_seconds) {
  EventSummary summary;
  uint64_t sum = 0;
  int64_t oldest = now_seconds;
  for (const LatencyMonitor::Sample& sample : event.samples) {
    sum += sample.latency_ms;
    oldest = std::min(oldest, sample.time_seconds);
  }
  summary.samples = event.samples.size();
  if (summary.samples == 0) return summary;
  summary.average_ms = sum / summary.samples;
  uint64_t deviation = 0;
  for (const LatencyMonitor::Sample& sample : event.samples) {
    int64_t delta =
        static_cast<int64_t>(sample.latency_ms) - static_cast<int64_t>(summary.average_ms);
    deviation += static_cast<uint64_t>(delta < 0 ? -delta : delta);
  }
  summary.deviation_ms = deviation / summary.samples;
  int64_t span_seconds = std::max<int64_t>(now_seconds - oldest, 1);
  summary.period_seconds = static_cast<double>(span_seconds) / static_cast<double>(summary.samples);
  return summary;
}

// Advice for the kinds of events ringdb records, in the spirit of Redis's report.
void AppendAdvice(std::string& report, const Config& config, bool command, bool fast_command) {
  report += "\nSome advice:\n\n";
  if (command) {
    report += "- Commands took " + std::to_string(config.latency_monitor_threshold_ms) +
              " ms or more. SLOWLOG GET shows the slowest ones with their arguments";
    if (config.slowlog_log_slower_than_us < 0) {
      report += "; the slowlog is off, turn it on with 'CONFIG SET slowlog-log-slower-than " +
                std::to_string(config.latency_monitor_threshold_ms * 1000) + "'";
    } else if (config.slowlog_log_slower_than_us / 1000 > config.latency_monitor_threshold_ms) {
      report += "; it records only commands slower than " +
                std::to_string(config.slowlog_log_slower_than_us) +
                " microseconds, lower slowlog-log-slower-than to see these";
    }
    report +=
        ".\n- Commands that are O(N) over big collections (KEYS, SMEMBERS, LRANGE 0 -1, deleting "
        "large keys) are the usual cause: split big values into smaller ones, use SCAN-style "
        "iteration, or UNLINK instead of DEL.\n";
  }
  if (fast_command) {
    report +=
        "- Commands that are O(1) or O(log N) were slow: the server was probably not scheduled "
        "in time. Look for a busy or oversubscribed machine, swapping, or transparent huge "
        "pages.\n";
  }
  if (!command && !fast_command) {
    report +=
        "- No specific advice for these events: compare their times with what else the "
        "machine was doing.\n";
  }
}

std::string DoctorReport(Server& server) {
  const auto& events = server.latency().events();
  const Config& config = server.config();
  if (events.empty() && config.latency_monitor_threshold_ms == 0) {
    return "Latency monitoring is disabled in this ringdb instance. Enable it with \"CONFIG SET "
           "latency-monitor-threshold <milliseconds>\": commands that take at least that long "
           "are then recorded as latency events and analysed here.\n";
  }
  if (events.empty()) {
    return "No latency spike was observed since the server started or LATENCY RESET was last "
           "called: no command took " +
           std::to_string(config.latency_monitor_threshold_ms) + " ms or more.\n";
  }
  std::string report = "Latency spikes were observed in this ringdb instance:\n\n";
  int64_t now_seconds = UnixTimeMs() / 1000;
  int number = 0;
  bool command = false;
  bool fast_command = false;
  for (const auto& [name, event] : events) {
    EventSummary summary = Summarize(event, now_seconds);
    char line[512];
    snprintf(line, sizeof(line),
             "%d. %s: %" PRIu64 " latency spikes (average %" PRIu64 "ms, mean deviation %" PRIu64
             "ms, period %.2f sec). Worst all time event %" PRIu32 "ms.\n",
             ++number, name.c_str(), summary.samples, summary.average_ms, summary.deviation_ms,
             summary.period_seconds, event.max_ms);
    report += line;
    command = command || name == "command";
    fast_command = fast_command || name == "fast-command";
  }
  AppendAdvice(report, config, command, fast_command);
  return report;
}

void LatencyDoctor(CommandContext& context) {
  context.reply.Verbatim(DoctorReport(ServerOf(context)));
}

// ---- LATENCY GRAPH ----

constexpr size_t kGraphColumns = 80;
constexpr int kGraphRows = 4;

// How long ago a sample was: "12s", "5m", "3h", "2d".
std::string AgeLabel(int64_t elapsed_seconds) {
  if (elapsed_seconds < 60) return std::to_string(elapsed_seconds) + "s";
  if (elapsed_seconds < 3600) return std::to_string(elapsed_seconds / 60) + "m";
  if (elapsed_seconds < 3600 * 24) return std::to_string(elapsed_seconds / 3600) + "h";
  return std::to_string(elapsed_seconds / (3600 * 24)) + "d";
}

void TrimRight(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

// One column per sample (the latest 80): a bar whose height scales from the lowest sample (one
// row) to the highest (four rows), and under it how long ago the sample was, read downwards.
std::string RenderGraph(std::string_view name, const LatencyMonitor::Event& event,
                        int64_t now_seconds) {
  size_t first = event.samples.size() > kGraphColumns ? event.samples.size() - kGraphColumns : 0;
  uint32_t low = UINT32_MAX;
  uint32_t high = 0;
  std::vector<std::string> labels;
  for (size_t i = first; i < event.samples.size(); i++) {
    low = std::min(low, event.samples[i].latency_ms);
    high = std::max(high, event.samples[i].latency_ms);
    labels.push_back(AgeLabel(now_seconds - event.samples[i].time_seconds));
  }
  char header[256];
  snprintf(header, sizeof(header),
           "%.*s - high %" PRIu32 " ms, low %" PRIu32 " ms (all time high %" PRIu32 " ms)\n",
           static_cast<int>(name.size()), name.data(), high, low, event.max_ms);
  std::string graph = header + std::string(kGraphColumns, '-') + "\n";
  for (int row = kGraphRows; row >= 1; row--) {
    std::string line;
    for (size_t i = first; i < event.samples.size(); i++) {
      uint32_t latency = event.samples[i].latency_ms;
      int height = high == low
                       ? kGraphRows
                       : 1 + static_cast<int>((latency - low) * (kGraphRows - 1) / (high - low));
      line.push_back(height >= row ? '#' : ' ');
    }
    TrimRight(line);
    graph += line + "\n";
  }
  size_t label_rows = 0;
  for (const std::string& label : labels) label_rows = std::max(label_rows, label.size());
  for (size_t row = 0; row < label_rows; row++) {
    std::string line;
    for (const std::string& label : labels) line.push_back(row < label.size() ? label[row] : ' ');
    TrimRight(line);
    graph += line + "\n";
  }
  return graph;
}

void LatencyGraph(CommandContext& context) {
  const auto& events = ServerOf(context).latency().events();
  auto it = events.find(context.arg(2));
  if (it == events.end()) {
    context.reply.Error("No samples available for event '" + std::string(context.arg(2)) + "'");
    return;
  }
  context.reply.Verbatim(RenderGraph(it->first, it->second, UnixTimeMs() / 1000));
}

// ---- LATENCY HISTOGRAM ----

// Cumulative counts at powers of two microseconds, only where the count grows, as Redis's
// fillCommandCDF iterates its histogram.
std::vector<std::pair<uint64_t, uint64_t>> CumulativeCounts(const LatencyHistogram& histogram) {
  std::vector<std::pair<uint64_t, uint64_t>> points;
  uint64_t previous = 0;
  for (uint64_t bound = 1; previous < histogram.total(); bound *= 2) {
    uint64_t count = histogram.CountAtOrBelow(bound);
    if (count > previous) points.emplace_back(bound, count);
    previous = count;
    if (bound > LatencyHistogram::kValueMax) break;
  }
  return points;
}

void ReplyHistogram(CommandContext& context, const commands::Command& command,
                    const LatencyHistogram& histogram) {
  context.reply.Bulk(command.full_name);
  context.reply.MapHeader(2);
  context.reply.Bulk("calls");
  context.reply.Integer(static_cast<int64_t>(histogram.total()));
  context.reply.Bulk("histogram_usec");
  auto points = CumulativeCounts(histogram);
  context.reply.MapHeader(points.size());
  for (const auto& [bound, count] : points) {
    context.reply.Integer(static_cast<int64_t>(bound));
    context.reply.Integer(static_cast<int64_t>(count));
  }
}

// The commands LATENCY HISTOGRAM reports: all that ran, or those named (a container names
// its subcommands), skipping names that are not commands.
std::vector<const commands::Command*> HistogramCommands(CommandContext& context) {
  Server& server = ServerOf(context);
  std::vector<const commands::Command*> chosen;
  auto add = [&](const commands::Command* command) {
    if (server.command_latencies().Find(command) != nullptr) chosen.push_back(command);
  };
  auto add_with_subcommands = [&](const commands::Command* command) {
    add(command);
    std::vector<const commands::Command*> subcommands;
    for (const auto& [name, sub] : command->subcommands) subcommands.push_back(sub.get());
    std::sort(subcommands.begin(), subcommands.end(),
              [](const auto* a, const auto* b) { return a->full_name < b->full_name; });
    for (const commands::Command* sub : subcommands) add(sub);
  };
  if (context.argc() == 2) {
    for (const commands::Command* command : server.command_table().all()) {
      add_with_subcommands(command);
    }
    return chosen;
  }
  for (std::string_view name : context.args.subspan(2)) {
    const commands::Command* command = server.command_table().FindFullName(name);
    if (command != nullptr) add_with_subcommands(command);
  }
  return chosen;
}

void LatencyHistogramCommand(CommandContext& context) {
  std::vector<const commands::Command*> chosen = HistogramCommands(context);
  context.reply.MapHeader(chosen.size());
  for (const commands::Command* command : chosen) {
    ReplyHistogram(context, *command, *ServerOf(context).command_latencies().Find(command));
  }
}

void LatencyHelp(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "DOCTOR",
      "    Return a human readable latency analysis report.",
      "GRAPH <event>",
      "    Return an ASCII latency graph for the <event> class.",
      "HISTORY <event>",
      "    Return time-latency samples for the <event> class.",
      "LATEST",
      "    Return the latest latency samples for all events.",
      "RESET [<event> ...]",
      "    Reset latency data of one or more <event> classes.",
      "    (default: reset all data for all event classes)",
      "HISTOGRAM [COMMAND ...]",
      // One line of Redis's text, split for width (the parentheses say it is on purpose).
      ("    Return a cumulative distribution of latencies in the format of a histogram for the "
       "specified command names."),
      "    If no commands are specified then all histograms are replied.",
  };
  commands::ReplyHelp(context, kLines);
}

// Command tables keep one entry per group of lines.
// clang-format off
using commands::kAdmin;
using commands::kLoading;
using commands::kNoscript;
using commands::kStale;

constexpr const char* kLatencyTips =
    "nondeterministic_output request_policy:all_nodes response_policy:special";

constexpr CommandSpec kSlowlogSubcommands[] = {
    {"get", -2, kAdmin | kLoading | kStale, 0, 0, 0, SlowlogGet, "server", "2.2.12",
     "Returns the slow log's entries.", "O(N) where N is the number of entries returned",
     "@admin @slow @dangerous", "[count]", {},
     "request_policy:all_nodes nondeterministic_output"},
    {"len", 2, kAdmin | kLoading | kStale, 0, 0, 0, SlowlogLen, "server", "2.2.12",
     "Returns the number of entries in the slow log.", "O(1)", "@admin @slow @dangerous", "", {},
     "request_policy:all_nodes response_policy:agg_sum nondeterministic_output"},
    {"reset", 2, kAdmin | kLoading | kStale, 0, 0, 0, SlowlogReset, "server", "2.2.12",
     "Clears all entries from the slow log.",
     "O(N) where N is the number of entries in the slowlog", "@admin @slow @dangerous", "", {},
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"help", 2, kLoading | kStale, 0, 0, 0, SlowlogHelp, "server", "6.2.0",
     "Show helpful text about the different subcommands", "O(1)", "@slow", ""},
};

constexpr CommandSpec kLatencySubcommands[] = {
    {"doctor", 2, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, LatencyDoctor, "server",
     "2.8.13", "Returns a human-readable latency analysis report.", "O(1)",
     "@admin @slow @dangerous", "", {}, kLatencyTips},
    {"graph", 3, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, LatencyGraph, "server",
     "2.8.13", "Returns a latency graph for an event.", "O(1)", "@admin @slow @dangerous",
     "event", {}, kLatencyTips},
    {"histogram", -2, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, LatencyHistogramCommand,
     "server", "7.0.0",
     "Returns the cumulative distribution of latencies of a subset or all commands.",
     "O(N) where N is the number of commands with latency information being retrieved.",
     "@admin @slow @dangerous", "[command [command ...]]", {}, kLatencyTips},
    {"history", 3, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, LatencyHistory, "server",
     "2.8.13", "Returns timestamp-latency samples for an event.", "O(1)",
     "@admin @slow @dangerous", "event", {}, kLatencyTips},
    {"latest", 2, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, LatencyLatest, "server",
     "2.8.13", "Returns the latest latency samples for all events.", "O(1)",
     "@admin @slow @dangerous", "", {}, kLatencyTips},
    {"reset", -2, kAdmin | kNoscript | kLoading | kStale, 0, 0, 0, LatencyReset, "server",
     "2.8.13", "Resets the latency data for one or more events.", "O(1)",
     "@admin @slow @dangerous", "[event [event ...]]", {},
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"help", 2, kLoading | kStale, 0, 0, 0, LatencyHelp, "server", "2.8.13",
     "Returns helpful text about the different subcommands.", "O(1)", "@slow", ""},
};

constexpr CommandSpec kCommands[] = {
    {"slowlog", -2, 0, 0, 0, 0, nullptr, "server", "2.2.12", "A container for slow log commands.",
     "Depends on subcommand.", "@slow", "", kSlowlogSubcommands},
    {"latency", -2, 0, 0, 0, 0, nullptr, "server", "2.8.13",
     "A container for latency diagnostics commands.", "Depends on subcommand.", "@slow", "",
     kLatencySubcommands},
};

// clang-format on

}  // namespace

void RegisterLatencyCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
