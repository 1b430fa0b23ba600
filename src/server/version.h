// Versions reported to clients.
#pragma once

namespace ringdb::server {

// The Redis version INFO and HELLO report, for clients that gate features on it. ringdb
// follows Redis 7.2's behaviour.
inline constexpr char kRedisVersion[] = "7.2.4";
inline constexpr char kRingdbVersion[] = RINGDB_VERSION;

}  // namespace ringdb::server
