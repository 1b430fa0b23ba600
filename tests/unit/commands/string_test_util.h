// Helpers shared by the string command tests: peeking at stored entries, planting values of
// other types, and a stand-in for a snapshot that shares every entry of the pages it sees.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "placeholder_value.h"
#include "ringdb/store/entry.h"
#include "ringdb/store/table.h"
#include "ringdb/testing/command_runner.h"

namespace ringdb::testing {

// The entry stored under `key` in database 0 (expired or not), or nullptr.
inline store::Entry* Stored(CommandRunner& runner, std::string_view key) {
  return runner.keyspace().database(0).table().Find(key);
}

// OBJECT ENCODING of `key` in database 0, or "none".
inline std::string EncodingOf(CommandRunner& runner, std::string_view key) {
  store::Entry* entry = Stored(runner, key);
  return entry == nullptr ? "none" : store::EncodingName(entry->ObjectEncoding());
}

// Plants a list under `key` in database 0, to provoke WRONGTYPE.
inline void PlantList(CommandRunner& runner, std::string_view key) {
  runner.keyspace().database(0).table().Insert(PlaceholderEntry(key, store::ValueType::kList));
}

// Holds a reference to every entry of each page it is shown, as a snapshot's copy of the
// page would: those entries become shared and must not change in place any more.
class SharingObserver : public store::MutationObserver {
 public:
  ~SharingObserver() {
    for (store::Entry* entry : held) store::Entry::Release(entry);
  }
  void BeforePageMutation(store::Table&, const store::Page& page) override {
    page.ForEach([&](store::Entry* entry) {
      entry->Retain();
      held.push_back(entry);
    });
  }
  // The value the snapshot saw for `key`, or "<absent>".
  std::string SeenValue(std::string_view key) const {
    for (store::Entry* entry : held) {
      if (entry->key() == key) return std::string(entry->value());
    }
    return "<absent>";
  }
  std::vector<store::Entry*> held;
};

// Starts a pretend snapshot of database 0: the next change to any page shows it to
// `observer` first.
inline void StartSnapshot(CommandRunner& runner, SharingObserver& observer) {
  store::Table& table = runner.keyspace().database(0).table();
  table.set_observer(&observer);
  table.set_epoch(table.epoch() + 1);
}

inline std::string Array(std::initializer_list<std::string> items) {
  std::string text = "*" + std::to_string(items.size()) + "\r\n";
  for (const std::string& item : items) text += item;
  return text;
}

inline const char kWrongType[] =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
inline const char kNotInteger[] = "-ERR value is not an integer or out of range\r\n";
inline const char kSyntaxError[] = "-ERR syntax error\r\n";
inline const char kEmptyBulk[] = "$0\r\n\r\n";

}  // namespace ringdb::testing
