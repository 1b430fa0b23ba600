// Runs data commands in process, without sockets: for unit tests of command semantics with an
// injected clock. Replies come back as raw RESP bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/commands/command.h"
#include "ringdb/commands/context.h"
#include "ringdb/resp/output_buffer.h"
#include "ringdb/resp/reply.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::testing {

class CommandRunner : public commands::KeyEvents, public store::KeyspaceListener {
 public:
  explicit CommandRunner(int databases = 16, uint64_t hash_seed = 0x5eed);

  // Runs one command and returns its reply.
  std::string Run(std::initializer_list<std::string_view> argv);
  std::string Run(const std::vector<std::string>& argv);

  // The clock commands see (Unix ms). Starts at a fixed 2026 date.
  int64_t now_ms() const { return now_ms_; }
  void set_now_ms(int64_t now_ms) { now_ms_ = now_ms; }
  void AdvanceMs(int64_t delta_ms) { now_ms_ += delta_ms; }

  void set_protocol(int protocol) { session_.protocol = protocol; }
  store::Keyspace& keyspace() { return keyspace_; }
  commands::Session& session() { return session_; }
  commands::Counters& counters() { return counters_; }
  commands::Limits& limits() { return limits_; }
  commands::CommandTable& table() { return table_; }

  // Events seen, as "<db>:<event>:<key>" (keyspace notifications and expirations) and
  // "<db>:modified:<key>" / "<db>:flushed" (recorded before the flush).
  std::vector<std::string> events;

  // commands::KeyEvents
  void KeyModified(int db_index, std::string_view key) override;
  void DatabaseFlushed(int db_index) override;
  // Records "<first>:<second>:swapping".
  void DatabasesSwapping(int first, int second) override;
  // Frees at once (records "freed:<entries>").
  void FreeInBackground(std::unique_ptr<store::Table> table) override;
  void Notify(uint32_t notify_class, std::string_view event, std::string_view key,
              int db_index) override;
  // Records "<db>:<key>" in ready_keys.
  void KeyReady(int db_index, std::string_view key) override;
  bool CanBlock() const override { return can_block; }
  // Records the request in blocks; the runner itself never wakes anyone.
  void Block(const commands::BlockSpec& spec) override;

  // Keys signalled ready, as "<db>:<key>".
  std::vector<std::string> ready_keys;
  // What CanBlock answers (false: as inside MULTI).
  bool can_block = true;
  // Blocks requested: the keys, the deadline and the argv to run again.
  struct BlockRecord {
    std::vector<std::string> keys;
    int64_t deadline_ms = 0;
    bool null_bulk_on_timeout = false;
    bool wake_on_missing_key = false;
    std::vector<std::string> argv;
  };
  std::vector<BlockRecord> blocks;
  // store::KeyspaceListener
  void OnKeyExpired(int db_index, std::string_view key) override;

 private:
  std::string RunViews(const std::vector<std::string_view>& argv);

  store::Keyspace keyspace_;
  commands::CommandTable table_;
  commands::Session session_;
  commands::Counters counters_;
  commands::Limits limits_;
  resp::OutputBuffer output_;
  int64_t now_ms_ = 1795000000000;
};

// RESP helpers for expected replies.
std::string Bulk(std::string_view text);
std::string Integer(int64_t value);
std::string Simple(std::string_view text);
std::string Error(std::string_view text);  // "-ERR text" unless text starts with '-'.
inline const char kNil[] = "$-1\r\n";
inline const char kOk[] = "+OK\r\n";

}  // namespace ringdb::testing
