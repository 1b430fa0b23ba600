// A dataset with every type in every encoding Redis 7 has, for the persist codecs' tests.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "ringdb/testing/command_runner.h"

namespace ringdb::persist {

// Fills db 0 (and a few keys of db 3) with every type in every encoding Redis 7 has.
inline void Populate(testing::CommandRunner& runner) {
  auto run = [&](std::vector<std::string> argv) {
    std::string reply = runner.Run(argv);
    REQUIRE_MESSAGE(reply[0] != '-', argv[0] << ": " << reply);
  };
  run({"SET", "s:int", "12345"});
  run({"SET", "s:negative", "-7"});
  run({"SET", "s:int64", "9223372036854775807"});
  run({"SET", "s:embstr", "hello world"});
  run({"SET", "s:compressible", std::string(5000, 'x') + "tail"});
  std::string binary;
  for (int i = 0; i < 600; i++) binary.push_back(static_cast<char>(i * 37 % 256));
  run({"SET", "s:binary", binary});
  run({"SET", "s:empty", ""});
  run({"SET", "s:expiring", "v", "PX", "100000"});
  run({"SET", std::string("key\0with\xffzero", 13), "v"});

  run({"RPUSH", "l:listpack", "a", "1", "-2", "3000000000", "b"});
  std::vector<std::string> push = {"RPUSH", "l:quicklist"};
  for (int i = 0; i < 3000; i++) push.push_back("element-" + std::to_string(i));
  run(push);
  run({"RPUSH", "l:plain", std::string(20000, 'p'), "small", std::string(9000, 'q')});

  run({"SADD", "set:intset", "1", "-5", "100000", "70000000000"});
  run({"SADD", "set:listpack", "a", "b", "12", "c"});
  push = {"SADD", "set:hashtable"};
  for (int i = 0; i < 300; i++) push.push_back("member" + std::to_string(i));
  run(push);
  push = {"SADD", "set:big-intset"};
  for (int i = 0; i < 600; i++) push.push_back(std::to_string(i * 3));
  run(push);

  run({"ZADD", "z:listpack", "1", "a", "2.5", "b", "-inf", "c", "inf", "d", "0", "e"});
  push = {"ZADD", "z:skiplist"};
  for (int i = 0; i < 200; i++) {
    push.push_back(std::to_string(i * 0.25 - 10));
    push.push_back("m" + std::to_string(i));
  }
  run(push);
  run({"ZADD", "z:long-member", "1", std::string(100, 'z'), "2", "short"});

  run({"HSET", "h:listpack", "f1", "v1", "f2", "22", "33", "v3"});
  push = {"HSET", "h:hashtable"};
  for (int i = 0; i < 600; i++) {
    push.push_back("field" + std::to_string(i));
    push.push_back("value" + std::to_string(i));
  }
  run(push);
  run({"HSET", "h:long-value", "f", std::string(100, 'v')});

  for (int i = 1; i <= 250; i++) {
    run({"XADD", "x:stream", std::to_string(i) + "-1", "field", "value" + std::to_string(i), "n",
         std::to_string(i)});
  }
  run({"XADD", "x:stream", "300-0", "other", "shape"});
  run({"XDEL", "x:stream", "5-1", "120-1"});
  run({"XGROUP", "CREATE", "x:stream", "g1", "0"});
  run({"XGROUP", "CREATE", "x:stream", "g2", "$"});
  run({"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "x:stream", ">"});
  run({"XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "x:stream", ">"});
  run({"XGROUP", "CREATECONSUMER", "x:stream", "g1", "carol"});
  run({"XADD", "x:empty", "1-1", "a", "b"});
  run({"XDEL", "x:empty", "1-1"});

  run({"SELECT", "3"});
  run({"SET", "db3:key", "value"});
  run({"RPUSH", "db3:list", "x"});
  run({"SELECT", "0"});
}

}  // namespace ringdb::persist
