// Redis's geohash math (geohash.c, geohash_helper.c), bit for bit: a point is a 52-bit
// interleaved score (26 steps of longitude and latitude over [-180,180] x [-85.05112878,
// 85.05112878]); an area search covers the center cell and its 8 neighbours at a step
// estimated from the radius, and filters points by haversine distance (Earth radius
// 6372797.560856 m) or by an axis-aligned box. Pure functions: no store, no replies.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace ringdb::commands::geo {

inline constexpr int kStepMax = 26;
inline constexpr double kLatitudeMin = -85.05112878;
inline constexpr double kLatitudeMax = 85.05112878;
inline constexpr double kLongitudeMin = -180;
inline constexpr double kLongitudeMax = 180;
inline constexpr double kEarthRadiusMeters = 6372797.560856;

// Redis's GeoHashBits. Both zero means "no cell" (HASHISZERO).
struct HashBits {
  uint64_t bits = 0;
  uint8_t step = 0;
  bool zero() const { return bits == 0 && step == 0; }
};

struct Range {
  double min = 0;
  double max = 0;
};

struct Area {
  HashBits hash;
  Range longitude;
  Range latitude;
};

// geohashEncode over the given ranges; false (hash untouched) when the point is outside the
// ranges or outside the WGS84 limits above, or the step is not in 1..32.
bool Encode(const Range& longitude_range, const Range& latitude_range, double longitude,
            double latitude, uint8_t step, HashBits* hash);
// geohashEncodeWGS84.
bool EncodeWgs84(double longitude, double latitude, uint8_t step, HashBits* hash);
// geohashDecode over the WGS84 ranges; false for a zero hash.
bool Decode(const HashBits& hash, Area* area);

// geohashAlign52Bits: the score of a cell's first point.
uint64_t Align52Bits(const HashBits& hash);
// The ZADD score of a point (GEOADD): EncodeWgs84 at kStepMax, aligned. REQUIRES: the point
// is within the WGS84 limits.
uint64_t ScoreOf(double longitude, double latitude);
// Redis's decodeGeohash: the center of the cell a zset score names, clamped to the limits.
// The score is converted to an integer as C's (uint64_t) cast does on x86-64.
bool DecodeScore(double score, double* longitude, double* latitude);
// GEOHASH's 11-character standard geohash of a score ([-90,90] latitudes).
std::string StandardGeohash(double score);

// Haversine distance in meters (geohashGetDistance, with Redis 7.2's latitude-only shortcut
// when the longitudes are the same).
double Distance(double longitude1, double latitude1, double longitude2, double latitude2);
double LatitudeDistance(double latitude1, double latitude2);

// A search shape (Redis's GeoShape): a circle of `radius` or a box of `width` x `height`,
// all in units of `conversion` meters, centered at (longitude, latitude).
struct Shape {
  bool box = false;
  double longitude = 0;
  double latitude = 0;
  double conversion = 1;
  double radius = 0;
  double width = 0;
  double height = 0;
};

// geohashEstimateStepsByRadius.
uint8_t EstimateSteps(double range_meters, double latitude);
// geohashBoundingBox: {min longitude, min latitude, max longitude, max latitude}.
std::array<double, 4> BoundingBox(const Shape& shape);

// The cells to scan, in the order Redis's membersOfAllNeighbors visits them: the center,
// north, south, east, west, north-east, north-west, south-east, south-west. Zeroed cells are
// skipped; so is a cell equal to the last one scanned (except against the center, as Redis).
struct SearchArea {
  std::array<HashBits, 9> cells;
  Area center;
};
SearchArea AreaOf(const Shape& shape);
// The score interval [min, max) of a cell (scoresOfGeoHashBox).
void ScoresOf(const HashBits& cell, uint64_t* min, uint64_t* max);

// geoAppendIfWithinShape's test: whether the point is inside the shape, and its distance
// from the center in meters.
bool WithinShape(const Shape& shape, double longitude, double latitude, double* distance);

// Redis 7.2's fixedpoint_d2string(value, 4): llrint(value * 10^4) written with 4 decimals.
// Returns the length; `out` needs 32 bytes.
size_t FormatDistance(double value, char* out);

}  // namespace ringdb::commands::geo
