// A canonical JSON text of an entry's value, for comparing values across a save and a load
// (unit tests, the fuzzers' property checks, tools/rdb_tool's dump). Bytes are written as
// JSON strings with every byte outside printable ASCII as \u00XX, so a reader decodes them
// with latin-1 back to the exact bytes.
//
//   {"key":..., "type":"hash", "encoding":"listpack", "expire_ms":-1, "value":...}
//   string  "bytes"              list  ["a", ...] head to tail
//   set     sorted members        hash  [["field","value"], ...] sorted by field
//   zset    [["member","score %.17g"], ...] in rank order
//   stream  {"length", "last_id", "first_id", "max_deleted_id", "entries_added",
//            "entries":[["id",["f","v",...]],...],
//            "groups":[{"name","last_id","entries_read","pending":[["id",time,count,"consumer"]],
//                       "consumers":[{"name","seen_time","active_time","pending":["id"]}]}]}
#pragma once

#include <string>
#include <string_view>

#include "ringdb/store/entry.h"

namespace ringdb::testing {

// `with_encoding`: include the encoding (a loader may legitimately pick another one).
std::string EntryJson(const store::Entry& entry, bool with_encoding = true);
// Appends `bytes` as a JSON string.
void AppendJsonString(std::string_view bytes, std::string* out);

}  // namespace ringdb::testing
