// Geo commands: Redis 7.2's replies and errors (texts checked against redis-server), RESP3
// shapes, keyspace events, the STORE forms, and a randomized comparison of GEOSEARCH with a
// model (std::map of member -> coordinates, searched by brute force) that crosses the
// sorted-set encoding thresholds by count and by member length.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/commands/geohash.h"
#include "ringdb/testing/command_runner.h"

using namespace ringdb::testing;
namespace geo = ringdb::commands::geo;

namespace {

std::string Int(int64_t value) { return ":" + std::to_string(value) + "\r\n"; }
std::string Err(const std::string& text) { return "-ERR " + text + "\r\n"; }

void AddSicily(CommandRunner& runner) {
  REQUIRE(runner.Run({"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269",
                      "37.502669", "Catania"}) == Int(2));
}

}  // namespace

TEST_CASE("GEOADD stores geohash scores and GEOPOS GEOHASH GEODIST read them as Redis") {
  CommandRunner runner;
  AddSicily(runner);
  CHECK(runner.Run({"ZSCORE", "Sicily", "Palermo"}) == Bulk("3479099956230698"));
  CHECK(runner.Run({"GEOPOS", "Sicily", "Palermo", "nx"}) ==
        "*2\r\n*2\r\n" + Bulk("13.36138933897018433") + Bulk("38.11555639549629859") + "*-1\r\n");
  CHECK(runner.Run({"GEOHASH", "Sicily", "Palermo", "Catania", "x"}) ==
        "*3\r\n" + Bulk("sqc8b49rny0") + Bulk("sqdtr74hyu0") + "$-1\r\n");
  CHECK(runner.Run({"GEODIST", "Sicily", "Palermo", "Catania", "km"}) == Bulk("166.2742"));
  CHECK(runner.Run({"GEODIST", "Sicily", "Palermo", "Catania"}) == Bulk("166274.1516"));
  CHECK(runner.Run({"GEODIST", "Sicily", "Palermo", "nx"}) == "$-1\r\n");
  CHECK(runner.Run({"GEODIST", "nokey", "a", "b"}) == "$-1\r\n");
  CHECK(runner.Run({"GEODIST", "Sicily", "Palermo", "Catania", "yd"}) ==
        Err("unsupported unit provided. please use M, KM, FT, MI"));
  CHECK(runner.Run({"GEODIST", "Sicily", "Palermo", "Catania", "km", "x"}) == Err("syntax error"));
  CHECK(runner.Run({"GEOPOS", "nokey", "a"}) == "*1\r\n*-1\r\n");
  CHECK(runner.Run({"GEOHASH", "nokey"}) == "*0\r\n");
  runner.set_protocol(3);
  CHECK(runner.Run({"GEOPOS", "Sicily", "Palermo", "nx"}) ==
        "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n");
  CHECK(runner.Run({"GEODIST", "nokey", "a", "b"}) == "_\r\n");
}

TEST_CASE("GEOADD options, errors and events follow ZADD under Redis 7.2") {
  CommandRunner runner;
  CHECK(runner.Run({"GEOADD", "k", "200", "10", "m"}) ==
        Err("invalid longitude,latitude pair 200.000000,10.000000"));
  CHECK(runner.Run({"GEOADD", "k", "1", "85.06", "m"}) ==
        Err("invalid longitude,latitude pair 1.000000,85.060000"));
  CHECK(runner.Run({"GEOADD", "k", "x", "1", "m"}) == Err("value is not a valid float"));
  CHECK(runner.Run({"GEOADD", "k", "nan", "1", "m"}) == Err("value is not a valid float"));
  CHECK(runner.Run({"GEOADD", "k", "1", "2", "m", "3"}) == Err("syntax error"));
  CHECK(runner.Run({"GEOADD", "k", "nx", "xx", "1", "2", "m"}) == Err("syntax error"));
  CHECK(runner.Run({"GEOADD", "k", "ch", "ch", "ch"}) == Err("syntax error"));
  CHECK(runner.Run({"GEOADD", "k", "xx", "1", "2", "m"}) == Int(0));
  CHECK(runner.Run({"EXISTS", "k"}) == Int(0));
  runner.events.clear();
  CHECK(runner.Run({"GEOADD", "k", "1", "2", "a", "3", "4", "b"}) == Int(2));
  CHECK(std::count(runner.events.begin(), runner.events.end(), "0:zadd:k") == 1);
  CHECK(runner.Run({"GEOADD", "k", "nx", "ch", "5", "5", "a", "6", "6", "c"}) == Int(1));
  CHECK(runner.Run({"GEOADD", "k", "xx", "ch", "5", "5", "a", "6", "6", "d"}) == Int(1));
  CHECK(runner.Run({"GEOADD", "k", "5", "5", "a"}) == Int(0));
  CHECK(runner.Run({"ZCARD", "k"}) == Int(3));
  CHECK(runner.Run({"SET", "s", "x"}) == "+OK\r\n");
  const std::string wrong_type =
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  CHECK(runner.Run({"GEOADD", "s", "1", "2", "a"}) == wrong_type);
  CHECK(runner.Run({"GEOPOS", "s", "a"}) == wrong_type);
  CHECK(runner.Run({"GEOHASH", "s", "a"}) == wrong_type);
  CHECK(runner.Run({"GEODIST", "s", "a", "b"}) == wrong_type);
  CHECK(runner.Run({"GEOSEARCH", "s", "frommember", "a", "byradius", "1", "m"}) == wrong_type);
  CHECK(runner.Run({"GEORADIUS", "s", "1", "2", "1", "m"}) == wrong_type);
}

TEST_CASE("GEOSEARCH and GEORADIUS reply as Redis with every WITH option and sort order") {
  CommandRunner runner;
  AddSicily(runner);
  CHECK(runner.Run({"GEOSEARCH", "Sicily", "fromlonlat", "15", "37", "bybox", "400", "400", "km",
                    "asc", "withcoord", "withdist", "withhash"}) ==
        "*2\r\n*4\r\n" + Bulk("Catania") + Bulk("56.4413") + Int(3479447370796909) + "*2\r\n" +
            Bulk("15.08726745843887329") + Bulk("37.50266842333162032") + "*4\r\n" +
            Bulk("Palermo") + Bulk("190.4424") + Int(3479099956230698) + "*2\r\n" +
            Bulk("13.36138933897018433") + Bulk("38.11555639549629859"));
  CHECK(runner.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "desc"}) ==
        "*2\r\n" + Bulk("Palermo") + Bulk("Catania"));
  CHECK(runner.Run({"GEORADIUS", "Sicily", "15", "37", "100", "km"}) == "*1\r\n" + Bulk("Catania"));
  CHECK(runner.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "count", "1"}) ==
        "*1\r\n" + Bulk("Catania"));
  CHECK(runner.Run({"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "withdist", "asc"}) ==
        "*2\r\n*2\r\n" + Bulk("Palermo") + Bulk("0.0000") + "*2\r\n" + Bulk("Catania") +
            Bulk("166.2742"));
  CHECK(runner.Run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "1", "m"}) ==
        "*1\r\n" + Bulk("Palermo"));
  CHECK(runner.Run({"GEOSEARCH", "Sicily", "fromlonlat", "0", "0", "byradius", "1", "m"}) ==
        "*0\r\n");
  CHECK(runner.Run({"GEOSEARCH", "nokey", "frommember", "x", "byradius", "1", "m"}) == "*0\r\n");
  runner.set_protocol(3);
  CHECK(runner.Run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "1", "m",
                    "withcoord", "withdist"}) ==
        "*1\r\n*3\r\n" + Bulk("Palermo") + Bulk("0.0000") +
            "*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n");
}

TEST_CASE("geo search errors carry Redis's texts in Redis's order") {
  CommandRunner runner;
  AddSicily(runner);
  auto run = [&](std::initializer_list<std::string_view> argv) { return runner.Run(argv); };
  CHECK(run({"GEOSEARCH", "Sicily", "byradius", "1", "m", "asc", "asc"}) ==
        Err("exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"));
  CHECK(run({"geosearch", "Sicily", "frommember", "Palermo", "asc", "desc", "asc"}) ==
        Err("exactly one of BYRADIUS and BYBOX can be specified for geosearch"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "fromlonlat", "1", "2", "byradius",
             "1", "m"}) == Err("syntax error"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "x", "byradius", "1", "m"}) ==
        Err("could not decode requested zset member"));
  CHECK(run({"GEORADIUSBYMEMBER", "Sicily", "x", "y", "m"}) ==
        Err("could not decode requested zset member"));
  CHECK(run({"GEORADIUSBYMEMBER", "nokey", "x", "y", "m"}) == "*0\r\n");
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "-1", "m"}) ==
        Err("radius cannot be negative"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "x", "m"}) ==
        Err("need numeric radius"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "bybox", "x", "1", "m"}) ==
        Err("need numeric width"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "bybox", "1", "x", "m"}) ==
        Err("need numeric height"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "bybox", "1", "-1", "m"}) ==
        Err("height or width cannot be negative"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "bybox", "1", "1", "yd"}) ==
        Err("unsupported unit provided. please use M, KM, FT, MI"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "1", "m", "count", "0"}) ==
        Err("COUNT must be > 0"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "1", "m", "count", "x"}) ==
        Err("value is not an integer or out of range"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "1", "m", "any"}) ==
        Err("the ANY argument requires COUNT argument"));
  CHECK(run({"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "1", "m", "store", "d"}) ==
        Err("syntax error"));
  CHECK(run({"GEORADIUS_RO", "Sicily", "1", "2", "1", "m", "store", "d"}) == Err("syntax error"));
  CHECK(run({"GEORADIUS", "Sicily", "1", "2", "1", "m", "store", "d", "withdist"}) ==
        Err("STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD "
            "options"));
  CHECK(run({"GEOSEARCHSTORE", "d", "Sicily", "frommember", "Palermo", "byradius", "1", "m",
             "withhash"}) ==
        Err("GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"));
  CHECK(run({"GEORADIUS", "Sicily", "181", "2", "1", "m"}) ==
        Err("invalid longitude,latitude pair 181.000000,2.000000"));
}

TEST_CASE("STORE and STOREDIST write a sorted set, delete the target on no result") {
  CommandRunner runner;
  AddSicily(runner);
  CHECK(runner.Run({"SET", "d", "x"}) == "+OK\r\n");
  CHECK(runner.Run({"EXPIRE", "d", "100"}) == Int(1));
  runner.events.clear();
  CHECK(runner.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "store", "d"}) == Int(2));
  CHECK(std::count(runner.events.begin(), runner.events.end(), "0:georadiusstore:d") == 1);
  CHECK(runner.Run({"TTL", "d"}) == Int(-1));
  CHECK(runner.Run({"ZRANGE", "d", "0", "-1", "withscores"}) ==
        "*4\r\n" + Bulk("Palermo") + Bulk("3479099956230698") + Bulk("Catania") +
            Bulk("3479447370796909"));
  CHECK(runner.Run({"OBJECT", "ENCODING", "d"}) == Bulk("listpack"));
  CHECK(runner.Run({"GEOSEARCHSTORE", "e", "Sicily", "fromlonlat", "15", "37", "byradius", "200",
                    "km", "storedist", "count", "1"}) == Int(1));
  CHECK(runner.Run({"ZRANGE", "e", "0", "-1", "withscores"}) ==
        "*2\r\n" + Bulk("Catania") + Bulk("56.4412578701582"));
  runner.events.clear();
  CHECK(runner.Run({"GEOSEARCHSTORE", "e", "Sicily", "fromlonlat", "0", "0", "byradius", "1",
                    "km"}) == Int(0));
  CHECK(std::count(runner.events.begin(), runner.events.end(), "0:del:e") == 1);
  CHECK(runner.Run({"EXISTS", "e"}) == Int(0));
  CHECK(runner.Run({"GEOSEARCHSTORE", "d", "nokey", "frommember", "x", "byradius", "1", "km"}) ==
        Int(0));
  CHECK(runner.Run({"EXISTS", "d"}) == Int(0));
  // The source as its own destination.
  CHECK(runner.Run({"GEOSEARCHSTORE", "Sicily", "Sicily", "frommember", "Palermo", "byradius", "1",
                    "km"}) == Int(1));
  CHECK(runner.Run({"ZRANGE", "Sicily", "0", "-1"}) == "*1\r\n" + Bulk("Palermo"));
}

namespace {

struct ModelPoint {
  double longitude;
  double latitude;
};

// The members of `model` inside the circle, by brute force over the decoded positions.
std::set<std::string> ModelSearch(const std::map<std::string, ModelPoint>& model,
                                  const geo::Shape& shape) {
  std::set<std::string> found;
  for (const auto& [member, point] : model) {
    double x;
    double y;
    REQUIRE(geo::DecodeScore(static_cast<double>(geo::ScoreOf(point.longitude, point.latitude)), &x,
                             &y));
    double distance;
    if (geo::WithinShape(shape, x, y, &distance)) found.insert(member);
  }
  return found;
}

}  // namespace

TEST_CASE("random GEOADD / ZREM / GEOSEARCH agree with a brute-force model across encodings") {
  uint64_t seed = 0x9e0;
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  CommandRunner runner;
  runner.limits().encodings.zset_max_listpack_entries = 8;
  runner.limits().encodings.zset_max_listpack_value = 10;
  std::map<std::string, ModelPoint> model;
  // A small region so that searches find points; members short and long (past the value
  // limit), with NUL and CR LF bytes.
  auto member = [&]() {
    int n = static_cast<int>(rng() % 40);
    std::string text = "m" + std::to_string(n);
    if (n % 7 == 0) text += std::string(12, '\0');
    if (n % 11 == 0) text += "\r\n\xff";
    return text;
  };
  for (int step = 0; step < 4000; step++) {
    double roll = unit(rng);
    CAPTURE(step);
    if (roll < 0.5) {
      ModelPoint point{10 + unit(rng), 45 + unit(rng)};
      std::string name = member();
      char x[64];
      char y[64];
      std::snprintf(x, sizeof(x), "%.6f", point.longitude);
      std::snprintf(y, sizeof(y), "%.6f", point.latitude);
      point.longitude = std::strtod(x, nullptr);
      point.latitude = std::strtod(y, nullptr);
      bool added = model.count(name) == 0;
      model[name] = point;
      CHECK(runner.Run({"GEOADD", "g", x, y, name}) == Int(added ? 1 : 0));
    } else if (roll < 0.6) {
      std::string name = member();
      bool removed = model.erase(name) > 0;
      CHECK(runner.Run({"ZREM", "g", name}) == Int(removed ? 1 : 0));
    } else {
      geo::Shape shape;
      shape.longitude = 10 + unit(rng);
      shape.latitude = 45 + unit(rng);
      shape.box = unit(rng) < 0.4;
      shape.radius = 100 * unit(rng);
      shape.width = 150 * unit(rng);
      shape.height = 150 * unit(rng);
      shape.conversion = 1000;
      char x[64];
      char y[64];
      char a[64];
      char b[64];
      std::snprintf(x, sizeof(x), "%.17g", shape.longitude);
      std::snprintf(y, sizeof(y), "%.17g", shape.latitude);
      std::snprintf(a, sizeof(a), "%.17g", shape.box ? shape.width : shape.radius);
      std::snprintf(b, sizeof(b), "%.17g", shape.height);
      std::string reply =
          shape.box ? runner.Run({"GEOSEARCH", "g", "fromlonlat", x, y, "bybox", a, b, "km"})
                    : runner.Run({"GEOSEARCH", "g", "fromlonlat", x, y, "byradius", a, "km"});
      std::set<std::string> expected = ModelSearch(model, shape);
      size_t offset = 0;
      std::vector<std::string> got = ReadBulkArray(reply, &offset);
      CHECK(std::set<std::string>(got.begin(), got.end()) == expected);
      CHECK(got.size() == expected.size());
    }
    if (step % 500 == 0 && !model.empty()) {
      std::string encoding = runner.Run({"OBJECT", "ENCODING", "g"});
      CHECK((encoding == Bulk("listpack") || encoding == Bulk("skiplist")));
    }
  }
  CHECK(runner.Run({"ZCARD", "g"}) == Int(static_cast<int64_t>(model.size())));
}

TEST_CASE("COUNT picks among equal distances as Redis's partial quicksort does") {
  CommandRunner runner;
  for (int i = 1; i <= 20; i++) {
    REQUIRE(runner.Run({"GEOADD", "t", "10", "10", "m" + std::to_string(i)}) == Int(1));
  }
  REQUIRE(runner.Run({"GEOADD", "t", "10.1", "10", "far"}) == Int(1));
  auto members = [&](std::initializer_list<std::string_view> argv) {
    size_t offset = 0;
    return ReadBulkArray(runner.Run(argv), &offset);
  };
  // Answers of redis-server.
  using Names = std::vector<std::string>;
  CHECK(members({"GEORADIUS", "t", "10", "10", "100", "km", "count", "5"}) ==
        Names{"m1", "m10", "m11", "m12", "m13"});
  CHECK(members({"GEORADIUS", "t", "10", "10", "100", "km", "desc", "count", "3"}) ==
        Names{"far", "m10", "m11"});
  CHECK(members({"GEORADIUS", "t", "10", "10", "100", "km", "asc"}).size() == 21);
}

TEST_CASE("a partition pass without swaps does not fall back to insertion sort") {
  CommandRunner runner;
  // The distances from "c" are 101, 80, 83, 30, 53, 0, 0, 5233 km in scan order (redis-server
  // answers d before c for COUNT 1 and 2, where a stable order would put c first).
  REQUIRE(runner.Run({"GEOADD",    "g",   "12.855106", "37.140373", "p1",  "12.681771",
                      "37.435417", "q",   "13.099997", "37.263360", "p10", "12.955592",
                      "37.862712", "n12", "13.589157", "37.599999", "m",   "13.25",
                      "38.0",      "c",   "13.25",     "38.0",      "d",   "-0.085747",
                      "84.905008", "far"}) == Int(8));
  size_t offset = 0;
  std::vector<std::string> first = ReadBulkArray(
      runner.Run({"GEORADIUSBYMEMBER", "g", "c", "5845.76", "km", "COUNT", "2"}), &offset);
  CHECK(first == std::vector<std::string>{"d", "c"});
}
