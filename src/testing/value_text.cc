// Canonical JSON text of entries (include/ringdb/testing/value_text.h).
#include "ringdb/testing/value_text.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "ringdb/store/hash_value.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/object.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/stream_value.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::testing {
namespace {

void AppendStrings(const std::vector<std::string>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); i++) {
    if (i > 0) out->push_back(',');
    AppendJsonString(items[i], out);
  }
  out->push_back(']');
}

std::string Score(double score) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.17g", score);
  return text;
}

void AppendStream(const store::StreamValue& stream, std::string* out) {
  *out += "{\"length\":" + std::to_string(stream.length());
  *out += ",\"last_id\":\"" + stream.last_id().ToString() + "\"";
  *out += ",\"first_id\":\"" + stream.first_id().ToString() + "\"";
  *out += ",\"max_deleted_id\":\"" + stream.max_deleted_id().ToString() + "\"";
  *out += ",\"entries_added\":" + std::to_string(stream.entries_added());
  *out += ",\"entries\":[";
  store::StreamValue::Iterator it(stream, store::StreamId{}, store::StreamId::Max(), false);
  store::StreamId id;
  int64_t fields;
  bool first = true;
  char scratch_field[24];
  char scratch_value[24];
  while (it.Next(&id, &fields)) {
    if (!first) out->push_back(',');
    first = false;
    std::vector<std::string> items;
    for (int64_t i = 0; i < fields; i++) {
      store::ListpackValue field;
      store::ListpackValue value;
      it.NextField(&field, &value);
      items.emplace_back(field.Text(scratch_field));
      items.emplace_back(value.Text(scratch_value));
    }
    *out += "[\"" + id.ToString() + "\",";
    AppendStrings(items, out);
    out->push_back(']');
  }
  *out += "],\"groups\":[";
  if (stream.groups() != nullptr) {
    bool first_group = true;
    for (const auto& [name, group] : *stream.groups()) {
      if (!first_group) out->push_back(',');
      first_group = false;
      *out += "{\"name\":";
      AppendJsonString(name, out);
      *out += ",\"last_id\":\"" + group->last_id.ToString() + "\"";
      *out += ",\"entries_read\":" + std::to_string(group->entries_read) + ",\"pending\":[";
      bool first_pending = true;
      for (const auto& [pending_id, pending] : group->pending) {
        if (!first_pending) out->push_back(',');
        first_pending = false;
        *out += "[\"" + pending_id.ToString() + "\"," + std::to_string(pending.delivery_time_ms) +
                "," + std::to_string(pending.delivery_count) + ",";
        AppendJsonString(pending.consumer == nullptr ? "" : pending.consumer->name, out);
        out->push_back(']');
      }
      *out += "],\"consumers\":[";
      bool first_consumer = true;
      for (const auto& [consumer_name, consumer] : group->consumers) {
        if (!first_consumer) out->push_back(',');
        first_consumer = false;
        *out += "{\"name\":";
        AppendJsonString(consumer_name, out);
        *out += ",\"seen_time\":" + std::to_string(consumer->seen_time_ms) +
                ",\"active_time\":" + std::to_string(consumer->active_time_ms) + ",\"pending\":[";
        bool first_id = true;
        for (const auto& [pending_id, pending] : consumer->pending) {
          if (!first_id) out->push_back(',');
          first_id = false;
          *out += "\"" + pending_id.ToString() + "\"";
        }
        *out += "]}";
      }
      *out += "]}";
    }
  }
  *out += "]}";
}

void AppendValue(const store::Entry& entry, std::string* out) {
  char scratch[24];
  switch (entry.type()) {
    case store::ValueType::kString:
      AppendJsonString(entry.value(), out);
      return;
    case store::ValueType::kList: {
      const auto& list = static_cast<const store::ListValue&>(*entry.object());
      std::vector<std::string> items;
      list.Visit(0, false, [&](const store::ListpackValue& value) {
        items.emplace_back(value.Text(scratch));
        return true;
      });
      AppendStrings(items, out);
      return;
    }
    case store::ValueType::kSet: {
      const auto& set = static_cast<const store::SetValue&>(*entry.object());
      std::vector<std::string> items;
      set.ForEach(
          [&](const store::ListpackValue& value) { items.emplace_back(value.Text(scratch)); });
      std::sort(items.begin(), items.end());
      AppendStrings(items, out);
      return;
    }
    case store::ValueType::kZset: {
      const auto& zset = static_cast<const store::ZsetValue&>(*entry.object());
      out->push_back('[');
      if (zset.size() > 0) {
        for (store::ZsetCursor cursor = zset.At(0); cursor.valid(); cursor.Next()) {
          if (cursor.rank() > 0) out->push_back(',');
          out->push_back('[');
          AppendJsonString(cursor.member(), out);
          out->push_back(',');
          AppendJsonString(Score(cursor.score()), out);
          out->push_back(']');
        }
      }
      out->push_back(']');
      return;
    }
    case store::ValueType::kHash: {
      const auto& hash = static_cast<const store::HashValue&>(*entry.object());
      std::vector<std::pair<std::string, std::string>> pairs;
      hash.ForEach([&](std::string_view field, std::string_view value) {
        pairs.emplace_back(std::string(field), std::string(value));
      });
      std::sort(pairs.begin(), pairs.end());
      out->push_back('[');
      for (size_t i = 0; i < pairs.size(); i++) {
        if (i > 0) out->push_back(',');
        out->push_back('[');
        AppendJsonString(pairs[i].first, out);
        out->push_back(',');
        AppendJsonString(pairs[i].second, out);
        out->push_back(']');
      }
      out->push_back(']');
      return;
    }
    case store::ValueType::kStream:
      AppendStream(static_cast<const store::StreamValue&>(*entry.object()), out);
      return;
  }
}

}  // namespace

void AppendJsonString(std::string_view bytes, std::string* out) {
  out->push_back('"');
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      *out += escaped;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

std::string EntryJson(const store::Entry& entry, bool with_encoding) {
  std::string out = "{\"key\":";
  AppendJsonString(entry.key(), &out);
  out += ",\"type\":\"";
  out += store::TypeName(entry.type());
  out += "\"";
  if (with_encoding) {
    out += ",\"encoding\":\"";
    out += store::EncodingName(entry.ObjectEncoding());
    out += "\"";
  }
  out += ",\"expire_ms\":" + std::to_string(entry.expire_at_ms()) + ",\"value\":";
  AppendValue(entry, &out);
  out += "}";
  return out;
}

}  // namespace ringdb::testing
