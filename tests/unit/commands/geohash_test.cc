// The geohash math of the geo commands: known answers taken from redis-server (scores, the
// decoded positions GEOPOS prints, GEOHASH strings, GEODIST), the neighbour cells, and the
// 9-cell area search against a brute-force scan of random points.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ringdb/base/strings.h"
#include "ringdb/commands/geohash.h"

namespace geo = ringdb::commands::geo;

namespace {

struct KnownPoint {
  double longitude;
  double latitude;
  uint64_t score;
  const char* decoded_longitude;
  const char* decoded_latitude;
  const char* geohash;
};

// GEOADD k <longitude> <latitude> p; ZSCORE; GEOPOS; GEOHASH on redis-server.
constexpr KnownPoint kKnownPoints[] = {
    {13.361389, 38.115556, 3479099956230698ULL, "13.36138933897018433", "38.11555639549629859",
     "sqc8b49rny0"},
    {-122.27652, 37.805186, 1367952638197536ULL, "-122.27652043104171753", "37.80518485897756165",
     "9q9p1d0znt0"},
    {180, 85.05112878, 13510798882111488ULL, "180", "85.0511287799999991", "bp05b5048p0"},
    {-180, -85.05112878, 0ULL, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"},
    {0, 0, 3377699720527872ULL, "0.00000268220901489", "0.00000126736058093", "s0000000000"},
    {-0.0001, 0.0001, 1876499844738231ULL, "-0.00009924173355103", "0.00010012148579364",
     "ebpbpbpbtd0"},
    {179.999999, -85.05, 3002399751663611ULL, "179.99999731779098511", "-85.04999956172352427",
     "pbzupvpgzf0"},
    {2.349014, 48.864716, 3663832805879806ULL, "2.34901160001754761", "48.86471570750150306",
     "u09tvrw3xg0"},
    {-63.420205, -59.390556, 670489891157573ULL, "-63.42020720243453979", "-59.39055594648431224",
     "4t6yhu6bfj0"},
    {54.33641, -72.728588, 2413206915811137ULL, "54.33640748262405396", "-72.72858820067659735",
     "j5ndk2nt600"},
    {12.917522, -22.846315, 2565386645889365ULL, "12.91752129793167114", "-22.84631502056135943",
     "k7cnjbyq840"},
    {-159.120387, 1.264818, 1137579691935506ULL, "-159.12038952112197876", "1.26481698698608369",
     "82nz5nk0440"},
};

std::string Distance(double meters) {
  char text[32];
  return std::string(text, geo::FormatDistance(meters, text));
}

}  // namespace

TEST_CASE("geohash scores, decoded positions and GEOHASH strings match redis-server") {
  for (const KnownPoint& point : kKnownPoints) {
    CAPTURE(point.longitude);
    CAPTURE(point.latitude);
    uint64_t score = geo::ScoreOf(point.longitude, point.latitude);
    CHECK(score == point.score);
    double longitude = 0;
    double latitude = 0;
    REQUIRE(geo::DecodeScore(static_cast<double>(score), &longitude, &latitude));
    CHECK(ringdb::FormatLongDoubleHuman(longitude) == point.decoded_longitude);
    CHECK(ringdb::FormatLongDoubleHuman(latitude) == point.decoded_latitude);
    CHECK(geo::StandardGeohash(static_cast<double>(score)) == point.geohash);
  }
}

TEST_CASE("GEODIST's haversine distances and their 4-decimal text match redis-server") {
  struct Pair {
    int first;
    int second;
    const char* meters;
    const char* miles;
  };
  constexpr Pair kPairs[] = {{0, 1, "10431665.6681", "6481.9526"},
                             {0, 7, "1486391.4204", "923.6031"},
                             {2, 3, "18919844.5891", "11756.2756"},
                             {4, 5, "15.7928", "0.0098"},
                             {8, 9, "4591897.9176", "2853.2802"}};
  for (const Pair& pair : kPairs) {
    double xy[4];
    REQUIRE(geo::DecodeScore(static_cast<double>(kKnownPoints[pair.first].score), &xy[0], &xy[1]));
    REQUIRE(geo::DecodeScore(static_cast<double>(kKnownPoints[pair.second].score), &xy[2], &xy[3]));
    double meters = geo::Distance(xy[0], xy[1], xy[2], xy[3]);
    CHECK(Distance(meters) == pair.meters);
    CHECK(Distance(meters / 1609.34) == pair.miles);
  }
  CHECK(Distance(0) == "0.0000");
  CHECK(Distance(0.00004) == "0.0000");
  // llrint rounds half to even: 7.2's text, where 7.0's "%.4f" says 0.0001 (the double
  // 0.00005 is a hair above the tie).
  CHECK(Distance(0.00005) == "0.0000");
  CHECK(Distance(0.00025) == "0.0002");
  CHECK(Distance(0.00035) == "0.0004");
  CHECK(Distance(1.5) == "1.5000");
  CHECK(Distance(-2.25) == "-2.2500");
}

TEST_CASE("points outside the WGS84 limits do not encode") {
  geo::HashBits hash;
  CHECK_FALSE(geo::EncodeWgs84(180.0001, 0, geo::kStepMax, &hash));
  CHECK_FALSE(geo::EncodeWgs84(-180.0001, 0, geo::kStepMax, &hash));
  CHECK_FALSE(geo::EncodeWgs84(0, 85.05112879, geo::kStepMax, &hash));
  CHECK_FALSE(geo::EncodeWgs84(0, -85.05112879, geo::kStepMax, &hash));
  CHECK_FALSE(geo::EncodeWgs84(0, 0, 0, &hash));
  CHECK(geo::EncodeWgs84(180, 85.05112878, geo::kStepMax, &hash));
  CHECK(geo::EncodeWgs84(-180, -85.05112878, geo::kStepMax, &hash));
}

TEST_CASE("scores that are no geohash decode as Redis's integer cast reads them") {
  double longitude = 0;
  double latitude = 0;
  // Negative and huge scores still decode (clamped), as in Redis.
  CHECK(geo::DecodeScore(-1, &longitude, &latitude));
  CHECK(longitude == 180);
  CHECK(latitude == geo::kLatitudeMax);
  // 2^64 and above convert to 0 (redis-server: GEOPOS of a 1e300 score).
  CHECK(geo::DecodeScore(1e300, &longitude, &latitude));
  CHECK(ringdb::FormatLongDoubleHuman(longitude) == "-179.99999731779098511");
  CHECK(ringdb::FormatLongDoubleHuman(latitude) == "-85.05112751263942528");
  CHECK(geo::DecodeScore(0.5, &longitude, &latitude));
  CHECK(ringdb::FormatLongDoubleHuman(longitude) == "-179.99999731779098511");
}

TEST_CASE("the step estimate follows the radius and widens towards the poles") {
  CHECK(geo::EstimateSteps(0, 0) == 26);
  CHECK(geo::EstimateSteps(1, 0) == 24);
  CHECK(geo::EstimateSteps(1000, 0) == 14);
  CHECK(geo::EstimateSteps(1000, 70) == 13);
  CHECK(geo::EstimateSteps(1000, -81) == 12);
  CHECK(geo::EstimateSteps(5e7, 0) == 1);
  CHECK(geo::EstimateSteps(INFINITY, 0) == 1);
}

TEST_CASE("neighbour cells surround the center cell in Redis's order") {
  geo::Shape shape;
  shape.longitude = 10.3;
  shape.latitude = 45.2;
  shape.radius = 5000;
  geo::SearchArea area = geo::AreaOf(shape);
  const geo::Area& center = area.center;
  // north, south, east, west, north-east, north-west, south-east, south-west
  constexpr int kDx[] = {0, 0, 1, -1, 1, -1, 1, -1};
  constexpr int kDy[] = {1, -1, 0, 0, 1, 1, -1, -1};
  int neighbours = 0;
  for (int i = 1; i < 9; i++) {
    if (area.cells[i].zero()) continue;  // Out of the search's reach.
    neighbours++;
    geo::Area cell;
    REQUIRE(geo::Decode(area.cells[i], &cell));
    CAPTURE(i);
    double width = center.longitude.max - center.longitude.min;
    double height = center.latitude.max - center.latitude.min;
    CHECK(cell.longitude.min == doctest::Approx(center.longitude.min + kDx[i - 1] * width));
    CHECK(cell.latitude.min == doctest::Approx(center.latitude.min + kDy[i - 1] * height));
  }
  CHECK(neighbours > 0);
  uint64_t min;
  uint64_t max;
  geo::ScoresOf(area.cells[0], &min, &max);
  uint64_t score = geo::ScoreOf(10.3, 45.2);
  CHECK(min <= score);
  CHECK(score < max);
}

// The cells the search scans hold every point inside the shape (away from the poles, where
// Redis's 9 cells are not guaranteed to cover a large area), and the shape test agrees with
// the distance formula.
TEST_CASE("area search over the 9 cells finds exactly the points a brute-force scan finds") {
  uint64_t seed = 20261130;
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> longitudes(-180, 180);
  std::uniform_real_distribution<double> latitudes(-70, 70);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int round = 0; round < 200; round++) {
    geo::Shape shape;
    shape.longitude = longitudes(rng);
    shape.latitude = latitudes(rng);
    shape.box = unit(rng) < 0.5;
    double size_m = std::pow(10, 1 + 5 * unit(rng));
    shape.radius = size_m;
    shape.width = size_m * (0.5 + unit(rng));
    shape.height = size_m * (0.5 + unit(rng));
    shape.conversion = 1;
    geo::SearchArea area = geo::AreaOf(shape);
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const geo::HashBits& cell : area.cells) {
      if (cell.zero()) continue;
      uint64_t min;
      uint64_t max;
      geo::ScoresOf(cell, &min, &max);
      ranges.emplace_back(min, max);
    }
    for (int i = 0; i < 300; i++) {
      // Points near the center, at up to twice the shape's size.
      double angle = unit(rng) * 2 * M_PI;
      double reach_m = size_m * 2 * unit(rng);
      double latitude = shape.latitude + reach_m * std::sin(angle) / 111000;
      double longitude = shape.longitude +
                         reach_m * std::cos(angle) / 111000 / std::cos(shape.latitude * M_PI / 180);
      if (longitude > 180) longitude -= 360;
      if (longitude < -180) longitude += 360;
      if (latitude > 80 || latitude < -80) continue;
      uint64_t score = geo::ScoreOf(longitude, latitude);
      double x;
      double y;
      REQUIRE(geo::DecodeScore(static_cast<double>(score), &x, &y));
      double distance = 0;
      bool inside = geo::WithinShape(shape, x, y, &distance);
      if (!inside) continue;
      CHECK(distance == geo::Distance(shape.longitude, shape.latitude, x, y));
      bool covered = false;
      for (auto [min, max] : ranges) covered |= (min <= score && score < max);
      CAPTURE(round);
      CAPTURE(longitude);
      CAPTURE(latitude);
      CHECK(covered);
    }
  }
}
