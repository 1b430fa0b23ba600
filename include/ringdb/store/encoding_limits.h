// The sizes up to which collections keep a compact encoding (the config directives of the
// same names; Redis's defaults). Commands read them through commands::Limits; the RDB loader
// converts what it loads to the encodings they call for, as Redis's loader does.
#pragma once

#include <cstdint>

namespace ringdb::store {

struct EncodingLimits {
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  // Positive: elements per list node; -1..-5: node bytes 4, 8, 16, 32, 64 KiB.
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;
  int64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
};

}  // namespace ringdb::store
