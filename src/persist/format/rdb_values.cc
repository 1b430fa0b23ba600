// The RDB reader's value decoders (Redis's rdbLoadObject) for every type and encoding Redis
// ever wrote. Blobs (listpacks, ziplists, zipmaps, intsets, stream nodes) are validated whole
// before any element is used. A current listpack or intset within the configured limits is
// adopted as it is (as Redis keeps it) once every rule the store's readers rely on is checked;
// everything else is rebuilt through the store's own operations, so it ends in the encoding
// the limits call for. An element that appears twice, a count that does not match, an empty
// collection are reported, never trusted.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>

#include "rdb_reader_impl.h"
#include "ringdb/base/strings.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/store/intset.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/stream_node.h"
#include "ringdb/store/stream_value.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::persist::rdb {
namespace {

using store::ListpackValue;
using store::Object;

// Owns an object under construction; releases it on an early (error) return.
class ObjectHolder {
 public:
  explicit ObjectHolder(Object* object) : object_(object) {}
  ~ObjectHolder() {
    if (object_ != nullptr) Object::Release(object_);
  }
  ObjectHolder(const ObjectHolder&) = delete;
  ObjectHolder& operator=(const ObjectHolder&) = delete;
  Object* Release() {
    Object* object = object_;
    object_ = nullptr;
    return object;
  }

 private:
  Object* object_;
};

// Presizing hints are capped: a declared count is only bounded by the bytes left, and tables
// grow as members arrive anyway.
constexpr uint64_t kSizeHintMax = 1 << 16;

uint64_t Hint(uint64_t count) { return std::min(count, kSizeHintMax); }

size_t NonNegative(int64_t value) { return value < 0 ? 0 : static_cast<size_t>(value); }

store::ListLimits ListLimitsOf(const store::EncodingLimits& limits) {
  return {limits.list_max_listpack_size, limits.list_compress_depth};
}
store::SetLimits SetLimitsOf(const store::EncodingLimits& limits) {
  return {NonNegative(limits.set_max_intset_entries), NonNegative(limits.set_max_listpack_entries),
          NonNegative(limits.set_max_listpack_value)};
}
store::HashLimits HashLimitsOf(const store::EncodingLimits& limits) {
  return {NonNegative(limits.hash_max_listpack_entries),
          NonNegative(limits.hash_max_listpack_value)};
}
store::ZsetValue::Limits ZsetLimitsOf(const store::EncodingLimits& limits) {
  return {limits.zset_max_listpack_entries, limits.zset_max_listpack_value};
}

// The elements of a blob as texts, whatever the blob's format.
struct BlobTexts {
  std::vector<std::string> texts;
};

void CollectBlobElement(void* context, const BlobElement& element) {
  char scratch[24];
  static_cast<BlobTexts*>(context)->texts.emplace_back(element.Text(scratch));
}

// Decodes a ziplist (`ziplist` true) or a listpack blob into its elements' texts after
// validating the whole blob; the message of an invalid one names the kind.
Status BlobElements(std::string_view blob, bool ziplist, std::vector<std::string>* texts) {
  texts->clear();
  if (ziplist) {
    BlobTexts collected;
    size_t count;
    RINGDB_RETURN_IF_ERROR(WalkZiplist(blob, &collected, CollectBlobElement, &count));
    *texts = std::move(collected.texts);
    return Status::Ok();
  }
  if (!store::Listpack::Validate(blob, true)) return Status::Corruption("listpack is invalid");
  store::Listpack listpack = store::Listpack::FromBytes(blob);
  char scratch[24];
  for (uint32_t p = listpack.First(); p != store::Listpack::kNone; p = listpack.Next(p)) {
    texts->emplace_back(listpack.Get(p).Text(scratch));
  }
  return Status::Ok();
}

// A zset score as a listpack or ziplist stores it: integer text or a double's text.
std::optional<double> ParseScore(std::string_view text) {
  std::optional<double> score = ParseDouble(text);
  if (!score || std::isnan(*score)) return std::nullopt;
  return score;
}

// A listpack blob a value may adopt as it is: valid (deep), a multiple of `group` elements
// (2: pairs), and no duplicate among every group's first element (members, fields).
Result<store::Listpack> AdoptableListpack(std::string_view blob, size_t group, uint64_t start,
                                          const char* what) {
  std::string where = "offset " + std::to_string(start) + ": " + what + " ";
  if (!store::Listpack::Validate(blob, true))
    return Status::Corruption(where + "listpack is invalid");
  store::Listpack listpack = store::Listpack::FromBytes(blob);
  std::unordered_set<std::string> seen;
  size_t index = 0;
  char scratch[24];
  for (uint32_t p = listpack.First(); p != store::Listpack::kNone; p = listpack.Next(p), index++) {
    if (index % group != 0) continue;
    if (!seen.emplace(listpack.Get(p).Text(scratch)).second) {
      return Status::Corruption(where + "listpack has a duplicate element");
    }
  }
  if (index % group != 0)
    return Status::Corruption(where + "listpack has an odd number of elements");
  return listpack;
}

// The longest element among every `step`-th one from the first (members, or all elements).
size_t LongestElement(const store::Listpack& listpack, size_t step) {
  size_t longest = 0;
  size_t index = 0;
  char scratch[24];
  for (uint32_t p = listpack.First(); p != store::Listpack::kNone; p = listpack.Next(p), index++) {
    if (index % step == 0) longest = std::max(longest, listpack.Get(p).Text(scratch).size());
  }
  return longest;
}

// A sorted set's listpack must hold number scores (not NaN) in the order the commands rely
// on: by score, then by member bytes. Redis writes them so; anything else is corrupt.
Status CheckZsetListpack(const store::Listpack& listpack, uint64_t start) {
  std::string where = "offset " + std::to_string(start) + ": sorted set listpack ";
  std::string previous_member;
  double previous_score = 0;
  bool first = true;
  char member_scratch[24];
  char score_scratch[24];
  for (uint32_t p = listpack.First(); p != store::Listpack::kNone;) {
    uint32_t score_position = listpack.Next(p);
    std::string_view member = listpack.Get(p).Text(member_scratch);
    std::optional<double> score = ParseScore(listpack.Get(score_position).Text(score_scratch));
    if (!score) return Status::Corruption(where + "has a score that is not a number");
    if (!first && (*score < previous_score ||
                   (*score == previous_score && member <= std::string_view(previous_member)))) {
      return Status::Corruption(where + "is not sorted by score and member");
    }
    first = false;
    previous_score = *score;
    previous_member.assign(member);
    p = listpack.Next(score_position);
  }
  return Status::Ok();
}

store::StreamId DecodeRawId(const char* bytes) {
  store::StreamId id;
  for (int i = 0; i < 8; i++) id.ms = id.ms << 8 | static_cast<uint8_t>(bytes[i]);
  for (int i = 8; i < 16; i++) id.seq = id.seq << 8 | static_cast<uint8_t>(bytes[i]);
  return id;
}

}  // namespace

Status Reader::Impl::ReadValue(uint8_t type, std::string_view key, int64_t expire_at_ms,
                               store::Entry** entry, bool* empty) {
  *entry = nullptr;
  *empty = false;
  Object* object = nullptr;
  switch (type) {
    case kTypeString: {
      std::string value;
      RINGDB_RETURN_IF_ERROR(ReadString(&value));
      store::Encoding encoding = store::Encoding::kRaw;
      if (value.size() <= kInt64TextMax && ParseInt64(value)) {
        encoding = store::Encoding::kInt;
      } else if (value.size() <= store::kEmbstrBytesMax) {
        encoding = store::Encoding::kEmbstr;
      }
      *entry = store::Entry::New(key, value, store::ValueType::kString, encoding, expire_at_ms);
      return Status::Ok();
    }
    case kTypeList:
    case kTypeListZiplist:
    case kTypeListQuicklist:
    case kTypeListQuicklist2:
      RINGDB_RETURN_IF_ERROR(ReadList(type, &object));
      break;
    case kTypeSet:
    case kTypeSetIntset:
    case kTypeSetListpack:
      RINGDB_RETURN_IF_ERROR(ReadSet(type, &object));
      break;
    case kTypeZset:
    case kTypeZset2:
    case kTypeZsetZiplist:
    case kTypeZsetListpack:
      RINGDB_RETURN_IF_ERROR(ReadZset(type, &object));
      break;
    case kTypeHash:
    case kTypeHashZipmap:
    case kTypeHashZiplist:
    case kTypeHashListpack:
      RINGDB_RETURN_IF_ERROR(ReadHash(type, &object));
      break;
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeStreamListpacks3:
      RINGDB_RETURN_IF_ERROR(ReadStream(type, &object));
      break;
    case kTypeModulePreGa:
    case kTypeModule2: {
      uint64_t module_id;
      RINGDB_RETURN_IF_ERROR(ReadLength(&module_id));
      return ModuleError(*this, module_id, "a value");
    }
    default:
      return Error("unknown value type " + std::to_string(type));
  }
  if (object == nullptr) {
    *empty = true;
    return Status::Ok();
  }
  *entry = store::Entry::NewObject(key, object, expire_at_ms);
  return Status::Ok();
}

// ---- Lists

Status Reader::Impl::ReadList(uint8_t type, Object** object) {
  const store::ListLimits limits = ListLimitsOf(limits_);
  auto* list = new store::ListValue();
  ObjectHolder holder(list);
  auto push = [&](std::string_view element) {
    list->PrepareGrowth(element.size(), 1, limits);
    list->Push(element, store::ListEnd::kTail);
  };
  std::string blob;
  std::vector<std::string> texts;
  if (type == kTypeList) {
    uint64_t count;
    RINGDB_RETURN_IF_ERROR(ReadCount(&count, "list element"));
    for (uint64_t i = 0; i < count; i++) {
      RINGDB_RETURN_IF_ERROR(ReadString(&blob));
      push(blob);
    }
  } else if (type == kTypeListZiplist) {
    uint64_t start = offset_;
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    Status status = BlobElements(blob, true, &texts);
    if (!status.ok())
      return Status::Corruption("offset " + std::to_string(start) + ": " + status.message());
    for (const std::string& text : texts) push(text);
  } else {
    uint64_t nodes;
    RINGDB_RETURN_IF_ERROR(ReadCount(&nodes, "quicklist node"));
    for (uint64_t i = 0; i < nodes; i++) {
      uint64_t container = kContainerPacked;
      if (type == kTypeListQuicklist2) {
        RINGDB_RETURN_IF_ERROR(ReadLength(&container));
        if (container != kContainerPlain && container != kContainerPacked) {
          return Error("quicklist node container " + std::to_string(container) + " is unknown");
        }
      }
      uint64_t start = offset_;
      RINGDB_RETURN_IF_ERROR(ReadString(&blob));
      if (container == kContainerPlain) {
        push(blob);
        continue;
      }
      if (type == kTypeListQuicklist) {
        Status status = BlobElements(blob, true, &texts);
        if (!status.ok())
          return Status::Corruption("offset " + std::to_string(start) + ": " + status.message());
        // Redis skips empty nodes silently; the key as a whole must not end up empty.
        for (const std::string& text : texts) push(text);
        continue;
      }
      if (!store::Listpack::Validate(blob, true)) {
        return Status::Corruption("offset " + std::to_string(start) +
                                  ": quicklist node listpack is invalid");
      }
      store::Listpack node = store::Listpack::FromBytes(blob);
      if (node.empty()) continue;
      list->AppendNode(std::move(node), false, limits);
    }
  }
  if (list->size() == 0) return Status::Ok();
  list->FinishLoad(limits);
  *object = holder.Release();
  return Status::Ok();
}

// ---- Sets

Status Reader::Impl::ReadSet(uint8_t type, Object** object) {
  const store::SetLimits limits = SetLimitsOf(limits_);
  std::vector<std::string> members;
  uint64_t start = offset_;
  std::string blob;
  store::SetValue* set = nullptr;
  std::unique_ptr<ObjectHolder> holder;
  auto add = [&](std::string_view member, uint64_t size_hint) -> bool {
    if (set == nullptr) {
      set = store::SetValue::Create(member, Hint(size_hint), limits);
      holder = std::make_unique<ObjectHolder>(set);
    }
    return set->Add(member, limits);
  };
  if (type == kTypeSet) {
    uint64_t count;
    RINGDB_RETURN_IF_ERROR(ReadCount(&count, "set member"));
    for (uint64_t i = 0; i < count; i++) {
      uint64_t member_start = offset_;
      RINGDB_RETURN_IF_ERROR(ReadString(&blob));
      if (!add(blob, count)) {
        return Status::Corruption("offset " + std::to_string(member_start) +
                                  ": duplicate set member");
      }
    }
  } else if (type == kTypeSetIntset) {
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    if (!store::Intset::Validate(blob)) {
      return Status::Corruption("offset " + std::to_string(start) + ": intset is invalid");
    }
    store::Intset intset = store::Intset::FromBytes(blob);
    if (intset.empty()) return Status::Ok();
    if (intset.size() <= limits.intset_entries_max()) {
      // Redis keeps the blob as it is when it fits the limit.
      *object = store::SetValue::FromIntset(std::move(intset));
      return Status::Ok();
    }
    char scratch[24];
    for (size_t i = 0; i < intset.size(); i++) {
      // Strictly ascending (Validate), so never a duplicate.
      bool added = add({scratch, FormatInt64(intset.Get(i), scratch)}, intset.size());
      RINGDB_ASSERT(added);
    }
  } else {
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    Result<store::Listpack> listpack = AdoptableListpack(blob, 1, start, "set");
    if (!listpack.ok()) return listpack.status();
    if (listpack->empty()) return Status::Ok();
    size_t count = listpack->size();
    size_t longest = LongestElement(*listpack, 1);
    set = store::SetValue::FromListpack(std::move(listpack).value());
    holder = std::make_unique<ObjectHolder>(set);
    // Redis 7.2 keeps a listpack set that fits the limits and converts a bigger one.
    if (count > limits.listpack_entries || longest > limits.listpack_value) {
      set->Convert(store::Encoding::kHashtable, count);
    }
  }
  if (set == nullptr) return Status::Ok();
  *object = holder->Release();
  return Status::Ok();
}

// ---- Sorted sets

Status Reader::Impl::ReadZset(uint8_t type, Object** object) {
  const store::ZsetValue::Limits limits = ZsetLimitsOf(limits_);
  uint64_t start = offset_;
  store::ZsetValue* zset = nullptr;
  std::unique_ptr<ObjectHolder> holder;
  size_t member_bytes_max = 0;
  size_t member_bytes_total = 0;
  auto add = [&](std::string_view member, double score, uint64_t size_hint) -> bool {
    if (zset == nullptr) {
      zset = store::ZsetValue::Create(Hint(size_hint), 0, limits);
      holder = std::make_unique<ObjectHolder>(zset);
    }
    member_bytes_max = std::max(member_bytes_max, member.size());
    member_bytes_total += member.size();
    return zset->Add(member, score, 0, limits) == store::ZsetValue::AddResult::kAdded;
  };
  if (type == kTypeZset || type == kTypeZset2) {
    uint64_t count;
    RINGDB_RETURN_IF_ERROR(ReadCount(&count, "sorted set member"));
    std::string member;
    for (uint64_t i = 0; i < count; i++) {
      uint64_t member_start = offset_;
      RINGDB_RETURN_IF_ERROR(ReadString(&member));
      double score;
      if (type == kTypeZset) {
        RINGDB_RETURN_IF_ERROR(ReadDoubleText(&score));
      } else {
        RINGDB_RETURN_IF_ERROR(ReadBinaryDouble(&score));
      }
      if (std::isnan(score)) return Error("sorted set score is NaN");
      if (!add(member, score, count)) {
        return Status::Corruption("offset " + std::to_string(member_start) +
                                  ": duplicate sorted set member");
      }
    }
  } else if (type == kTypeZsetListpack) {
    std::string blob;
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    Result<store::Listpack> listpack = AdoptableListpack(blob, 2, start, "sorted set");
    if (!listpack.ok()) return listpack.status();
    if (listpack->empty()) return Status::Ok();
    RINGDB_RETURN_IF_ERROR(CheckZsetListpack(*listpack, start));
    size_t count = listpack->size() / 2;
    size_t longest = LongestElement(*listpack, 2);
    zset = store::ZsetValue::FromListpack(std::move(listpack).value());
    holder = std::make_unique<ObjectHolder>(zset);
    if (limits.entries_max < 0 || count > static_cast<uint64_t>(limits.entries_max) ||
        limits.value_bytes_max < 0 || longest > static_cast<uint64_t>(limits.value_bytes_max)) {
      zset->ConvertToSkiplist(count);
    }
  } else {
    std::string blob;
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    std::vector<std::string> texts;
    Status status = BlobElements(blob, type == kTypeZsetZiplist, &texts);
    std::string where = "offset " + std::to_string(start) + ": sorted set ";
    if (!status.ok()) return Status::Corruption(where + status.message());
    if (texts.size() % 2 != 0) return Status::Corruption(where + "has an odd number of elements");
    for (size_t i = 0; i < texts.size(); i += 2) {
      std::optional<double> score = ParseScore(texts[i + 1]);
      if (!score) return Status::Corruption(where + "score is not a number");
      if (!add(texts[i], *score, texts.size() / 2)) {
        return Status::Corruption(where + "has a duplicate member");
      }
    }
  }
  if (zset == nullptr) return Status::Ok();
  if (!zset->is_listpack()) {
    zset->ConvertToListpackIfFits(member_bytes_max, member_bytes_total, limits);
  }
  *object = holder->Release();
  return Status::Ok();
}

// ---- Hashes

Status Reader::Impl::ReadHash(uint8_t type, Object** object) {
  const store::HashLimits limits = HashLimitsOf(limits_);
  uint64_t start = offset_;
  auto* hash = new store::HashValue();
  ObjectHolder holder(hash);
  if (type == kTypeHash) {
    uint64_t count;
    RINGDB_RETURN_IF_ERROR(ReadCount(&count, "hash field"));
    if (count > limits.listpack_entries_max) hash->ConvertToTable(Hint(count));
    std::string field;
    std::string value;
    for (uint64_t i = 0; i < count; i++) {
      uint64_t field_start = offset_;
      RINGDB_RETURN_IF_ERROR(ReadString(&field));
      RINGDB_RETURN_IF_ERROR(ReadString(&value));
      if (!hash->Set(field, value, limits)) {
        return Status::Corruption("offset " + std::to_string(field_start) +
                                  ": duplicate hash field");
      }
    }
  } else if (type == kTypeHashListpack) {
    std::string blob;
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    Result<store::Listpack> listpack = AdoptableListpack(blob, 2, start, "hash");
    if (!listpack.ok()) return listpack.status();
    if (listpack->empty()) return Status::Ok();
    size_t count = listpack->size() / 2;
    size_t longest = LongestElement(*listpack, 1);
    store::HashValue* adopted = store::HashValue::FromListpack(std::move(listpack).value());
    Object::Release(holder.Release());
    *object = adopted;
    if (count > limits.listpack_entries_max || longest > limits.listpack_value_max) {
      adopted->ConvertToTable(count);
    }
    return Status::Ok();
  } else {
    std::string blob;
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    std::vector<std::string> texts;
    Status status;
    if (type == kTypeHashZipmap) {
      BlobTexts collected;
      size_t count;
      status = WalkZipmap(blob, &collected, CollectBlobElement, &count);
      texts = std::move(collected.texts);
    } else {
      status = BlobElements(blob, type == kTypeHashZiplist, &texts);
    }
    std::string where = "offset " + std::to_string(start) + ": hash ";
    if (!status.ok()) return Status::Corruption(where + status.message());
    if (texts.size() % 2 != 0) return Status::Corruption(where + "has an odd number of elements");
    if (texts.size() / 2 > limits.listpack_entries_max) {
      hash->ConvertToTable(Hint(texts.size() / 2));
    }
    for (size_t i = 0; i < texts.size(); i += 2) {
      if (!hash->Set(texts[i], texts[i + 1], limits)) {
        return Status::Corruption(where + "has a duplicate field");
      }
    }
  }
  if (hash->size() == 0) return Status::Ok();
  *object = holder.Release();
  return Status::Ok();
}

// ---- Streams

Status Reader::Impl::ReadStream(uint8_t type, Object** object) {
  auto* stream = new store::StreamValue();
  ObjectHolder holder(stream);
  uint64_t nodes;
  RINGDB_RETURN_IF_ERROR(ReadCount(&nodes, "stream node"));
  std::string id_bytes;
  std::string blob;
  uint64_t live_total = 0;
  bool any_entry = false;
  store::StreamId previous_last;
  for (uint64_t i = 0; i < nodes; i++) {
    uint64_t start = offset_;
    RINGDB_RETURN_IF_ERROR(ReadString(&id_bytes));
    if (id_bytes.size() != 16)
      return Status::Corruption("offset " + std::to_string(start) +
                                ": stream node key is not 16 bytes");
    store::StreamId master = DecodeRawId(id_bytes.data());
    start = offset_;
    RINGDB_RETURN_IF_ERROR(ReadString(&blob));
    Result<store::StreamNodeSummary> summary = store::ValidateStreamNode(blob, master);
    if (!summary.ok())
      return Status::Corruption("offset " + std::to_string(start) + ": " +
                                summary.status().message());
    // Nodes are ordered by master ID, and a node's master ID (its first entry ever) is above
    // every entry of the nodes before it: StreamValue seeks nodes by master ID.
    if (any_entry && master <= previous_last) {
      return Status::Corruption("offset " + std::to_string(start) + ": stream node " +
                                master.ToString() + " is not after the previous node");
    }
    any_entry = true;
    previous_last = summary->last_id;
    // A node of tombstones only is invisible; Redis would have deleted it.
    if (summary->live == 0) continue;
    live_total += summary->live;
    stream->AppendLoadedNode(master, store::Listpack::FromBytes(blob));
  }
  uint64_t length;
  store::StreamId last_id;
  RINGDB_RETURN_IF_ERROR(ReadLength(&length));
  RINGDB_RETURN_IF_ERROR(ReadLength(&last_id.ms));
  RINGDB_RETURN_IF_ERROR(ReadLength(&last_id.seq));
  if (length != live_total) {
    return Error("stream length " + std::to_string(length) + " but its nodes hold " +
                 std::to_string(live_total) + " entries");
  }
  if (any_entry && last_id < previous_last) {
    return Error("stream last ID " + last_id.ToString() + " is below its last entry " +
                 previous_last.ToString());
  }
  stream->set_length(length);
  stream->set_last_id(last_id);
  if (type == kTypeStreamListpacks) {
    stream->RecomputeFirstId();
    stream->set_entries_added(length);
  } else {
    store::StreamId first_id;
    store::StreamId max_deleted;
    uint64_t entries_added;
    RINGDB_RETURN_IF_ERROR(ReadLength(&first_id.ms));
    RINGDB_RETURN_IF_ERROR(ReadLength(&first_id.seq));
    RINGDB_RETURN_IF_ERROR(ReadLength(&max_deleted.ms));
    RINGDB_RETURN_IF_ERROR(ReadLength(&max_deleted.seq));
    RINGDB_RETURN_IF_ERROR(ReadLength(&entries_added));
    stream->set_first_id(first_id);
    stream->set_max_deleted_id(max_deleted);
    stream->set_entries_added(entries_added);
  }
  RINGDB_RETURN_IF_ERROR(ReadStreamGroups(type, stream));
  *object = holder.Release();
  return Status::Ok();
}

Status Reader::Impl::ReadStreamGroups(uint8_t type, store::StreamValue* stream) {
  uint64_t groups;
  RINGDB_RETURN_IF_ERROR(ReadCount(&groups, "consumer group"));
  std::string name;
  char raw_id[16];
  for (uint64_t g = 0; g < groups; g++) {
    uint64_t group_start = offset_;
    RINGDB_RETURN_IF_ERROR(ReadString(&name));
    store::StreamId last_id;
    RINGDB_RETURN_IF_ERROR(ReadLength(&last_id.ms));
    RINGDB_RETURN_IF_ERROR(ReadLength(&last_id.seq));
    int64_t entries_read;
    if (type == kTypeStreamListpacks) {
      entries_read = stream->EstimateDistanceFromFirstEverEntry(last_id);
    } else {
      uint64_t value;
      RINGDB_RETURN_IF_ERROR(ReadLength(&value));
      entries_read = static_cast<int64_t>(value);
    }
    store::StreamGroup* group = stream->CreateGroup(name, last_id, entries_read);
    if (group == nullptr) {
      return Status::Corruption("offset " + std::to_string(group_start) +
                                ": duplicate consumer group '" + name + "'");
    }
    uint64_t pending;
    RINGDB_RETURN_IF_ERROR(ReadCount(&pending, "pending entry"));
    for (uint64_t i = 0; i < pending; i++) {
      RINGDB_RETURN_IF_ERROR(ReadBytes(raw_id, sizeof(raw_id)));
      store::StreamId id = DecodeRawId(raw_id);
      uint64_t delivery_time;
      uint64_t delivery_count;
      RINGDB_RETURN_IF_ERROR(ReadU64Le(&delivery_time));
      RINGDB_RETURN_IF_ERROR(ReadLength(&delivery_count));
      auto [it, inserted] = group->pending.try_emplace(id);
      if (!inserted) return Error("duplicate pending entry " + id.ToString());
      it->second.delivery_time_ms = static_cast<int64_t>(delivery_time);
      it->second.delivery_count = delivery_count;
    }
    uint64_t consumers;
    RINGDB_RETURN_IF_ERROR(ReadCount(&consumers, "consumer"));
    for (uint64_t c = 0; c < consumers; c++) {
      uint64_t consumer_start = offset_;
      RINGDB_RETURN_IF_ERROR(ReadString(&name));
      uint64_t seen_time;
      RINGDB_RETURN_IF_ERROR(ReadU64Le(&seen_time));
      // Before stream type 3 there is no active time; Redis takes the seen time for it.
      uint64_t active_time = seen_time;
      if (type == kTypeStreamListpacks3) RINGDB_RETURN_IF_ERROR(ReadU64Le(&active_time));
      store::StreamConsumer* consumer =
          group->CreateConsumer(name, static_cast<int64_t>(seen_time));
      if (consumer == nullptr) {
        return Status::Corruption("offset " + std::to_string(consumer_start) +
                                  ": duplicate consumer '" + name + "'");
      }
      consumer->active_time_ms = static_cast<int64_t>(active_time);
      uint64_t owned;
      RINGDB_RETURN_IF_ERROR(ReadCount(&owned, "consumer pending entry"));
      for (uint64_t i = 0; i < owned; i++) {
        RINGDB_RETURN_IF_ERROR(ReadBytes(raw_id, sizeof(raw_id)));
        store::StreamId id = DecodeRawId(raw_id);
        auto it = group->pending.find(id);
        if (it == group->pending.end()) {
          return Error("consumer pending entry " + id.ToString() + " is not in the group's");
        }
        if (it->second.consumer != nullptr) {
          return Error("pending entry " + id.ToString() + " has two consumers");
        }
        it->second.consumer = consumer;
        consumer->pending[id] = &it->second;
      }
    }
    for (const auto& [id, entry] : group->pending) {
      if (entry.consumer == nullptr) {
        return Error("pending entry " + id.ToString() + " of a group has no consumer");
      }
    }
  }
  return Status::Ok();
}

}  // namespace ringdb::persist::rdb
