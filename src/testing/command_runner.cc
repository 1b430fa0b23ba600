#include "ringdb/testing/command_runner.h"

#include "ringdb/commands/registry.h"

namespace ringdb::testing {

CommandRunner::CommandRunner(int databases, uint64_t hash_seed) : keyspace_(databases, hash_seed) {
  keyspace_.set_listener(this);
  commands::RegisterDataCommands(table_);
}

std::string CommandRunner::Run(std::initializer_list<std::string_view> argv) {
  return RunViews(std::vector<std::string_view>(argv));
}

std::string CommandRunner::Run(const std::vector<std::string>& argv) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  return RunViews(views);
}

std::string CommandRunner::RunViews(const std::vector<std::string_view>& argv) {
  resp::ReplyBuilder reply(&output_, session_.protocol);
  commands::Command* command = table_.Resolve(argv, reply);
  if (command != nullptr) {
    commands::CommandContext context(argv, reply, keyspace_, session_, limits_, counters_, this,
                                     nullptr, now_ms_);
    context.command = command;
    command->spec->handler(context);
  }
  std::string text;
  iovec vectors[64];
  while (!output_.empty()) {
    int count = output_.Gather(vectors, 64);
    size_t taken = 0;
    for (int i = 0; i < count; i++) {
      text.append(static_cast<const char*>(vectors[i].iov_base), vectors[i].iov_len);
      taken += vectors[i].iov_len;
    }
    output_.Consume(taken);
  }
  return text;
}

void CommandRunner::KeyModified(int db_index, std::string_view key) {
  events.push_back(std::to_string(db_index) + ":modified:" + std::string(key));
}

void CommandRunner::DatabaseFlushed(int db_index) {
  events.push_back(std::to_string(db_index) + ":flushed");
}

void CommandRunner::DatabasesSwapping(int first, int second) {
  events.push_back(std::to_string(first) + ":" + std::to_string(second) + ":swapping");
}

void CommandRunner::FreeInBackground(std::unique_ptr<store::Table> table) {
  events.push_back("freed:" + std::to_string(table->size()));
}

void CommandRunner::Notify(uint32_t, std::string_view event, std::string_view key, int db_index) {
  events.push_back(std::to_string(db_index) + ":" + std::string(event) + ":" + std::string(key));
}

void CommandRunner::KeyReady(int db_index, std::string_view key) {
  ready_keys.push_back(std::to_string(db_index) + ":" + std::string(key));
}

void CommandRunner::Block(const commands::BlockSpec& spec) {
  BlockRecord record;
  for (std::string_view key : spec.keys) record.keys.emplace_back(key);
  record.deadline_ms = spec.deadline_ms;
  record.null_bulk_on_timeout = spec.null_bulk_on_timeout;
  record.wake_on_missing_key = spec.wake_on_missing_key;
  for (std::string_view arg : spec.argv) record.argv.emplace_back(arg);
  blocks.push_back(std::move(record));
}

void CommandRunner::OnKeyExpired(int db_index, std::string_view key) {
  events.push_back(std::to_string(db_index) + ":expired:" + std::string(key));
}

std::string Bulk(std::string_view text) {
  return "$" + std::to_string(text.size()) + "\r\n" + std::string(text) + "\r\n";
}
std::string Integer(int64_t value) { return ":" + std::to_string(value) + "\r\n"; }
std::string Simple(std::string_view text) { return "+" + std::string(text) + "\r\n"; }
std::string Error(std::string_view text) {
  if (!text.empty() && text[0] == '-') return std::string(text) + "\r\n";
  return "-ERR " + std::string(text) + "\r\n";
}

}  // namespace ringdb::testing
