// Redis's geohash.c and geohash_helper.c, reproduced operation for operation so that scores,
// cells, distances and the order of results match Redis bit for bit.
#include "ringdb/commands/geohash.h"

#include <climits>
#include <cmath>
#include <cstdio>

namespace ringdb::commands::geo {
namespace {

constexpr double kDegreesToRadians = M_PI / 180.0;
constexpr double kMercatorMax = 20037726.37;
constexpr Range kLongitudeRange = {kLongitudeMin, kLongitudeMax};
constexpr Range kLatitudeRange = {kLatitudeMin, kLatitudeMax};

double Radians(double degrees) { return degrees * kDegreesToRadians; }
double Degrees(double radians) { return radians / kDegreesToRadians; }

// Latitude bits in the even positions, longitude bits in the odd ones.
uint64_t Interleave64(uint32_t latitude_bits, uint32_t longitude_bits) {
  static constexpr uint64_t kMasks[] = {0x5555555555555555ULL, 0x3333333333333333ULL,
                                        0x0F0F0F0F0F0F0F0FULL, 0x00FF00FF00FF00FFULL,
                                        0x0000FFFF0000FFFFULL};
  static constexpr unsigned kShifts[] = {1, 2, 4, 8, 16};
  uint64_t x = latitude_bits;
  uint64_t y = longitude_bits;
  for (int i = 4; i >= 0; i--) {
    x = (x | (x << kShifts[i])) & kMasks[i];
    y = (y | (y << kShifts[i])) & kMasks[i];
  }
  return x | (y << 1);
}

// The inverse: latitude bits in the low 32 bits, longitude bits in the high 32.
uint64_t Deinterleave64(uint64_t interleaved) {
  static constexpr uint64_t kMasks[] = {0x5555555555555555ULL, 0x3333333333333333ULL,
                                        0x0F0F0F0F0F0F0F0FULL, 0x00FF00FF00FF00FFULL,
                                        0x0000FFFF0000FFFFULL, 0x00000000FFFFFFFFULL};
  static constexpr unsigned kShifts[] = {0, 1, 2, 4, 8, 16};
  uint64_t x = interleaved;
  uint64_t y = interleaved >> 1;
  for (int i = 0; i < 6; i++) {
    x = (x | (x >> kShifts[i])) & kMasks[i];
    y = (y | (y >> kShifts[i])) & kMasks[i];
  }
  return x | (y << 32);
}

void MoveX(HashBits* hash, int direction) {
  if (direction == 0) return;
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  uint64_t zz = 0x5555555555555555ULL >> (64 - hash->step * 2);
  if (direction > 0) {
    x = x + (zz + 1);
  } else {
    x = x | zz;
    x = x - (zz + 1);
  }
  x &= (0xaaaaaaaaaaaaaaaaULL >> (64 - hash->step * 2));
  hash->bits = x | y;
}

void MoveY(HashBits* hash, int direction) {
  if (direction == 0) return;
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  uint64_t zz = 0xaaaaaaaaaaaaaaaaULL >> (64 - hash->step * 2);
  if (direction > 0) {
    y = y + (zz + 1);
  } else {
    y = y | zz;
    y = y - (zz + 1);
  }
  y &= (0x5555555555555555ULL >> (64 - hash->step * 2));
  hash->bits = x | y;
}

HashBits Moved(HashBits hash, int dx, int dy) {
  MoveX(&hash, dx);
  MoveY(&hash, dy);
  return hash;
}

// C's (uint64_t) conversion of a double as x86-64 compilers emit it: below 2^63 (or NaN) a
// signed conversion, whose out-of-range answer is 2^63 (so -1.0 gives 2^64-1); from 2^63 on,
// a signed conversion of score - 2^63 with the top bit flipped (so 2^64 and above give 0).
uint64_t ScoreBits(double score) {
  constexpr double kTwo63 = 9223372036854775808.0;
  constexpr uint64_t kIndefinite = 1ULL << 63;
  if (std::isnan(score)) return kIndefinite;
  if (score < kTwo63) {
    if (score < -kTwo63) return kIndefinite;
    return static_cast<uint64_t>(static_cast<int64_t>(score));
  }
  double offset = score - kTwo63;
  if (offset >= kTwo63) return 0;
  return static_cast<uint64_t>(static_cast<int64_t>(offset)) ^ kIndefinite;
}

void AreaCenter(const Area& area, double* longitude, double* latitude) {
  double x = (area.longitude.min + area.longitude.max) / 2;
  if (x > kLongitudeMax) x = kLongitudeMax;
  if (x < kLongitudeMin) x = kLongitudeMin;
  double y = (area.latitude.min + area.latitude.max) / 2;
  if (y > kLatitudeMax) y = kLatitudeMax;
  if (y < kLatitudeMin) y = kLatitudeMin;
  *longitude = x;
  *latitude = y;
}

bool DecodeOver(const Range& longitude_range, const Range& latitude_range, const HashBits& hash,
                Area* area) {
  if (hash.zero()) return false;
  area->hash = hash;
  uint64_t separated = Deinterleave64(hash.bits);
  double latitude_scale = latitude_range.max - latitude_range.min;
  double longitude_scale = longitude_range.max - longitude_range.min;
  uint32_t latitude_bits = static_cast<uint32_t>(separated);
  uint32_t longitude_bits = static_cast<uint32_t>(separated >> 32);
  double cells = static_cast<double>(1ULL << hash.step);
  area->latitude.min = latitude_range.min + (latitude_bits * 1.0 / cells) * latitude_scale;
  area->latitude.max = latitude_range.min + ((latitude_bits + 1) * 1.0 / cells) * latitude_scale;
  area->longitude.min = longitude_range.min + (longitude_bits * 1.0 / cells) * longitude_scale;
  area->longitude.max =
      longitude_range.min + ((longitude_bits + 1) * 1.0 / cells) * longitude_scale;
  return true;
}

}  // namespace

bool Encode(const Range& longitude_range, const Range& latitude_range, double longitude,
            double latitude, uint8_t step, HashBits* hash) {
  if (step > 32 || step == 0) return false;
  if (latitude_range.max - latitude_range.min == 0) return false;
  if (longitude_range.max - longitude_range.min == 0) return false;
  if (longitude > 180 || longitude < -180 || latitude > kLatitudeMax || latitude < kLatitudeMin) {
    return false;
  }
  hash->bits = 0;
  hash->step = step;
  if (latitude < latitude_range.min || latitude > latitude_range.max ||
      longitude < longitude_range.min || longitude > longitude_range.max) {
    return false;
  }
  double latitude_offset =
      (latitude - latitude_range.min) / (latitude_range.max - latitude_range.min);
  double longitude_offset =
      (longitude - longitude_range.min) / (longitude_range.max - longitude_range.min);
  latitude_offset *= static_cast<double>(1ULL << step);
  longitude_offset *= static_cast<double>(1ULL << step);
  hash->bits =
      Interleave64(static_cast<uint32_t>(latitude_offset), static_cast<uint32_t>(longitude_offset));
  return true;
}

bool EncodeWgs84(double longitude, double latitude, uint8_t step, HashBits* hash) {
  return Encode(kLongitudeRange, kLatitudeRange, longitude, latitude, step, hash);
}

bool Decode(const HashBits& hash, Area* area) {
  return DecodeOver(kLongitudeRange, kLatitudeRange, hash, area);
}

uint64_t Align52Bits(const HashBits& hash) { return hash.bits << (52 - hash.step * 2); }

uint64_t ScoreOf(double longitude, double latitude) {
  HashBits hash;
  EncodeWgs84(longitude, latitude, kStepMax, &hash);
  return Align52Bits(hash);
}

bool DecodeScore(double score, double* longitude, double* latitude) {
  HashBits hash{ScoreBits(score), kStepMax};
  Area area;
  if (!Decode(hash, &area)) return false;
  AreaCenter(area, longitude, latitude);
  return true;
}

std::string StandardGeohash(double score) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  double longitude = 0;
  double latitude = 0;
  HashBits hash;
  if (DecodeScore(score, &longitude, &latitude)) {
    Encode({-180, 180}, {-90, 90}, longitude, latitude, kStepMax, &hash);
  }
  std::string text(11, '0');
  for (int i = 0; i < 10; i++) {
    text[i] = kAlphabet[(hash.bits >> (52 - (i + 1) * 5)) & 0x1f];
  }
  return text;
}

double LatitudeDistance(double latitude1, double latitude2) {
  return kEarthRadiusMeters * std::fabs(Radians(latitude2) - Radians(latitude1));
}

double Distance(double longitude1, double latitude1, double longitude2, double latitude2) {
  double longitude1_r = Radians(longitude1);
  double longitude2_r = Radians(longitude2);
  double v = std::sin((longitude2_r - longitude1_r) / 2);
  // Same longitude: the haversine reduces to the latitude difference (Redis 7.2).
  if (v == 0.0) return LatitudeDistance(latitude1, latitude2);
  double latitude1_r = Radians(latitude1);
  double latitude2_r = Radians(latitude2);
  double u = std::sin((latitude2_r - latitude1_r) / 2);
  double a = u * u + std::cos(latitude1_r) * std::cos(latitude2_r) * v * v;
  return 2.0 * kEarthRadiusMeters * std::asin(std::sqrt(a));
}

uint8_t EstimateSteps(double range_meters, double latitude) {
  if (range_meters == 0) return 26;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    step++;
  }
  step -= 2;  // Make sure the range is included in most of the base cases.
  // Wider cells towards the poles.
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return static_cast<uint8_t>(step);
}

std::array<double, 4> BoundingBox(const Shape& shape) {
  double longitude = shape.longitude;
  double latitude = shape.latitude;
  double height = shape.conversion * (shape.box ? shape.height / 2 : shape.radius);
  double width = shape.conversion * (shape.box ? shape.width / 2 : shape.radius);
  const double latitude_delta = Degrees(height / kEarthRadiusMeters);
  const double longitude_delta_top =
      Degrees(width / kEarthRadiusMeters / std::cos(Radians(latitude + latitude_delta)));
  const double longitude_delta_bottom =
      Degrees(width / kEarthRadiusMeters / std::cos(Radians(latitude - latitude_delta)));
  // The hemispheres widen in opposite directions, so each takes its wider edge.
  bool southern = latitude < 0;
  return {southern ? longitude - longitude_delta_bottom : longitude - longitude_delta_top,
          latitude - latitude_delta,
          southern ? longitude + longitude_delta_bottom : longitude + longitude_delta_top,
          latitude + latitude_delta};
}

namespace {

struct Neighbours {
  HashBits north, south, east, west, north_east, north_west, south_east, south_west;
};

Neighbours NeighboursOf(const HashBits& hash) {
  Neighbours n;
  n.east = Moved(hash, 1, 0);
  n.west = Moved(hash, -1, 0);
  n.south = Moved(hash, 0, -1);
  n.north = Moved(hash, 0, 1);
  n.north_west = Moved(hash, -1, 1);
  n.south_west = Moved(hash, -1, -1);
  n.north_east = Moved(hash, 1, 1);
  n.south_east = Moved(hash, 1, -1);
  return n;
}

}  // namespace

SearchArea AreaOf(const Shape& shape) {
  std::array<double, 4> bounds = BoundingBox(shape);
  double min_longitude = bounds[0];
  double min_latitude = bounds[1];
  double max_longitude = bounds[2];
  double max_latitude = bounds[3];
  // A box's radius is the distance from its center to a corner.
  double radius_meters = shape.box ? std::sqrt((shape.width / 2) * (shape.width / 2) +
                                               (shape.height / 2) * (shape.height / 2))
                                   : shape.radius;
  radius_meters *= shape.conversion;
  int steps = EstimateSteps(radius_meters, shape.latitude);

  HashBits hash;
  Area area;
  EncodeWgs84(shape.longitude, shape.latitude, static_cast<uint8_t>(steps), &hash);
  Neighbours n = NeighboursOf(hash);
  Decode(hash, &area);

  // Near the edge of a cell the estimated step may be too fine for the neighbours to cover
  // the whole search area: then take one step coarser.
  bool decrease_step = false;
  {
    Area north, south, east, west;
    Decode(n.north, &north);
    Decode(n.south, &south);
    Decode(n.east, &east);
    Decode(n.west, &west);
    if (north.latitude.max < max_latitude) decrease_step = true;
    if (south.latitude.min > min_latitude) decrease_step = true;
    if (east.longitude.max < max_longitude) decrease_step = true;
    if (west.longitude.min > min_longitude) decrease_step = true;
  }
  if (steps > 1 && decrease_step) {
    steps--;
    EncodeWgs84(shape.longitude, shape.latitude, static_cast<uint8_t>(steps), &hash);
    n = NeighboursOf(hash);
    Decode(hash, &area);
  }

  // Drop the neighbours the search area cannot reach.
  if (steps >= 2) {
    if (area.latitude.min < min_latitude) n.south = n.south_west = n.south_east = HashBits{};
    if (area.latitude.max > max_latitude) n.north = n.north_east = n.north_west = HashBits{};
    if (area.longitude.min < min_longitude) n.west = n.south_west = n.north_west = HashBits{};
    if (area.longitude.max > max_longitude) n.east = n.south_east = n.north_east = HashBits{};
  }
  SearchArea result;
  result.cells = {hash,         n.north,      n.south,      n.east,      n.west,
                  n.north_east, n.north_west, n.south_east, n.south_west};
  result.center = area;
  return result;
}

void ScoresOf(const HashBits& cell, uint64_t* min, uint64_t* max) {
  *min = Align52Bits(cell);
  HashBits next = cell;
  next.bits++;
  *max = Align52Bits(next);
}

bool WithinShape(const Shape& shape, double longitude, double latitude, double* distance) {
  if (!shape.box) {
    *distance = Distance(shape.longitude, shape.latitude, longitude, latitude);
    return *distance <= shape.radius * shape.conversion;
  }
  double width_m = shape.width * shape.conversion;
  double height_m = shape.height * shape.conversion;
  // The latitude distance is cheaper, so it is checked first.
  if (LatitudeDistance(latitude, shape.latitude) > height_m / 2) return false;
  if (Distance(longitude, latitude, shape.longitude, latitude) > width_m / 2) return false;
  *distance = Distance(shape.longitude, shape.latitude, longitude, latitude);
  return true;
}

size_t FormatDistance(double value, char* out) {
  if (value == 0) return static_cast<size_t>(std::snprintf(out, 32, "0.0000"));
  long long scaled = std::llrint(value * 10000.0);
  unsigned long long magnitude;
  bool negative = scaled < 0;
  if (negative) {
    magnitude = scaled == LLONG_MIN ? static_cast<unsigned long long>(LLONG_MAX) + 1
                                    : static_cast<unsigned long long>(-scaled);
  } else {
    magnitude = static_cast<unsigned long long>(scaled);
  }
  return static_cast<size_t>(std::snprintf(out, 32, "%s%llu.%04llu", negative ? "-" : "",
                                           magnitude / 10000, magnitude % 10000));
}

}  // namespace ringdb::commands::geo
