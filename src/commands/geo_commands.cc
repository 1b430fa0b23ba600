// Geo commands over sorted sets (Redis 7.2's geo.c): GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH
// GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and their _RO forms. A point is a zset member
// whose score is its 52-bit geohash (geohash.h); searches scan the score ranges of the 9
// cells around the center and keep the points inside the shape.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "families.h"
#include "helpers.h"
#include "ringdb/commands/command.h"
#include "ringdb/commands/geohash.h"
#include "zset_util.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::Table;
using store::ZsetCursor;
using store::ZsetValue;
using zset::ReadZset;

// Redis's addReplyHumanLongDouble: ld2string's LD_STR_HUMAN text, a bulk string in RESP2
// and a double in RESP3.
void ReplyCoordinate(resp::ReplyBuilder& reply, double value) {
  std::string text = FormatLongDoubleHuman(static_cast<long double>(value));
  if (reply.resp3()) {
    reply.Raw(",");
    reply.Raw(text);
    reply.Raw("\r\n");
  } else {
    reply.Bulk(text);
  }
}

void ReplyDistance(resp::ReplyBuilder& reply, double meters) {
  char text[32];
  size_t length = geo::FormatDistance(meters, text);
  reply.Bulk(std::string_view(text, length));
}

// extractLongLatOrReply: two floats within the WGS84 limits.
bool LongLatArgs(CommandContext& context, size_t index, double* longitude, double* latitude) {
  std::optional<double> x = ParseDouble(context.arg(index));
  if (!x) {
    context.reply.Error(errors::kNotFloat);
    return false;
  }
  std::optional<double> y = ParseDouble(context.arg(index + 1));
  if (!y) {
    context.reply.Error(errors::kNotFloat);
    return false;
  }
  if (*x < geo::kLongitudeMin || *x > geo::kLongitudeMax || *y < geo::kLatitudeMin ||
      *y > geo::kLatitudeMax) {
    // "%f" of the largest doubles has 309 integer digits: room for two of them.
    char text[720];
    std::snprintf(text, sizeof(text), "invalid longitude,latitude pair %f,%f", *x, *y);
    context.reply.Error(text);
    return false;
  }
  *longitude = *x;
  *latitude = *y;
  return true;
}

// extractUnitOrReply: meters per unit, or a negative value after replying the error.
double UnitArg(CommandContext& context, size_t index) {
  std::string_view unit = context.arg(index);
  if (EqualsIgnoreCase(unit, "m")) return 1;
  if (EqualsIgnoreCase(unit, "km")) return 1000;
  if (EqualsIgnoreCase(unit, "ft")) return 0.3048;
  if (EqualsIgnoreCase(unit, "mi")) return 1609.34;
  context.reply.Error("unsupported unit provided. please use M, KM, FT, MI");
  return -1;
}

// extractDistanceOrReply: radius and unit.
bool RadiusArgs(CommandContext& context, size_t index, geo::Shape* shape) {
  std::optional<double> radius = ParseDouble(context.arg(index));
  if (!radius) {
    context.reply.Error("need numeric radius");
    return false;
  }
  if (*radius < 0) {
    context.reply.Error("radius cannot be negative");
    return false;
  }
  shape->radius = *radius;
  double conversion = UnitArg(context, index + 1);
  if (conversion < 0) return false;
  shape->conversion = conversion;
  shape->box = false;
  return true;
}

// extractBoxOrReply: width, height and unit.
bool BoxArgs(CommandContext& context, size_t index, geo::Shape* shape) {
  std::optional<double> width = ParseDouble(context.arg(index));
  if (!width) {
    context.reply.Error("need numeric width");
    return false;
  }
  std::optional<double> height = ParseDouble(context.arg(index + 1));
  if (!height) {
    context.reply.Error("need numeric height");
    return false;
  }
  if (*height < 0 || *width < 0) {
    context.reply.Error("height or width cannot be negative");
    return false;
  }
  shape->width = *width;
  shape->height = *height;
  double conversion = UnitArg(context, index + 2);
  if (conversion < 0) return false;
  shape->conversion = conversion;
  shape->box = true;
  return true;
}

// longLatFromMember.
bool MemberPosition(const ZsetValue& zset, std::string_view member, geo::Shape* shape) {
  std::optional<double> score = zset.Score(member);
  if (!score) return false;
  return geo::DecodeScore(*score, &shape->longitude, &shape->latitude);
}

// ---------------------------------------------------------------------------------------
// GEOADD

void Geoadd(CommandContext& context) {
  uint32_t flags = 0;
  bool ch = false;
  size_t first = 2;
  for (; first < context.argc(); first++) {
    std::string_view option = context.arg(first);
    if (EqualsIgnoreCase(option, "nx")) {
      flags |= ZsetValue::kNx;
    } else if (EqualsIgnoreCase(option, "xx")) {
      flags |= ZsetValue::kXx;
    } else if (EqualsIgnoreCase(option, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  size_t remaining = context.argc() - first;
  // No triple left is ZADD's syntax error, as GEOADD hands its arguments to ZADD.
  if (remaining % 3 != 0 || remaining == 0 ||
      ((flags & ZsetValue::kNx) && (flags & ZsetValue::kXx))) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  size_t elements = remaining / 3;
  std::vector<double> scores(elements);
  size_t member_bytes_max = 0;
  for (size_t i = 0; i < elements; i++) {
    double longitude;
    double latitude;
    if (!LongLatArgs(context, first + 3 * i, &longitude, &latitude)) return;
    scores[i] = static_cast<double>(geo::ScoreOf(longitude, latitude));
    member_bytes_max = std::max(member_bytes_max, context.arg(first + 3 * i + 2).size());
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, ZsetValue::kType)) return;
  ZsetValue::Limits limits = zset::LimitsOf(context);
  ZsetValue* zset;
  if (entry == nullptr) {
    if (flags & ZsetValue::kXx) {
      context.reply.Integer(0);
      return;
    }
    zset = ZsetValue::Create(elements, member_bytes_max, limits);
    AddObject(context, key, zset, position.hash);
  } else {
    zset = MutableObject<ZsetValue>(context, position);
  }
  int64_t added = 0;
  int64_t updated = 0;
  for (size_t i = 0; i < elements; i++) {
    ZsetValue::AddResult result =
        zset->Add(context.arg(first + 3 * i + 2), scores[i], flags, limits);
    if (result == ZsetValue::AddResult::kAdded) added++;
    if (result == ZsetValue::AddResult::kUpdated) updated++;
  }
  context.reply.Integer(ch ? added + updated : added);
  if (added + updated > 0) {
    context.KeyChanged(key, kNotifyZset, "zadd", static_cast<uint64_t>(added + updated));
  }
}

// ---------------------------------------------------------------------------------------
// GEODIST GEOHASH GEOPOS

void Geodist(CommandContext& context) {
  double to_meters = 1;
  if (context.argc() == 5) {
    to_meters = UnitArg(context, 4);
    if (to_meters < 0) return;
  } else if (context.argc() > 5) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  if (zset == nullptr) {
    context.reply.Null();
    return;
  }
  std::optional<double> score1 = zset->Score(context.arg(2));
  std::optional<double> score2 = score1 ? zset->Score(context.arg(3)) : std::nullopt;
  double xy[4];
  if (!score2 || !geo::DecodeScore(*score1, &xy[0], &xy[1]) ||
      !geo::DecodeScore(*score2, &xy[2], &xy[3])) {
    context.reply.Null();
    return;
  }
  ReplyDistance(context.reply, geo::Distance(xy[0], xy[1], xy[2], xy[3]) / to_meters);
}

void Geohash(CommandContext& context) {
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  context.reply.ArrayHeader(context.argc() - 2);
  for (size_t j = 2; j < context.argc(); j++) {
    std::optional<double> score = zset == nullptr ? std::nullopt : zset->Score(context.arg(j));
    double x;
    double y;
    if (!score || !geo::DecodeScore(*score, &x, &y)) {
      context.reply.Null();
      continue;
    }
    context.reply.Bulk(geo::StandardGeohash(*score));
  }
}

void Geopos(CommandContext& context) {
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  context.reply.ArrayHeader(context.argc() - 2);
  for (size_t j = 2; j < context.argc(); j++) {
    std::optional<double> score = zset == nullptr ? std::nullopt : zset->Score(context.arg(j));
    double x;
    double y;
    if (!score || !geo::DecodeScore(*score, &x, &y)) {
      context.reply.NullArray();
      continue;
    }
    context.reply.ArrayHeader(2);
    ReplyCoordinate(context.reply, x);
    ReplyCoordinate(context.reply, y);
  }
}

// ---------------------------------------------------------------------------------------
// GEORADIUS GEORADIUSBYMEMBER GEOSEARCH GEOSEARCHSTORE (Redis's georadiusGeneric)

enum SearchFlag : uint32_t {
  kRadiusCoords = 1,   // GEORADIUS: center from arguments 2-3.
  kRadiusMember = 2,   // GEORADIUSBYMEMBER: center from member argument 2.
  kRadiusNoStore = 4,  // The _RO forms.
  kSearch = 8,         // GEOSEARCH.
  kSearchStore = 16,   // GEOSEARCHSTORE.
};

struct GeoPoint {
  double longitude;
  double latitude;
  double distance;
  double score;
  std::string member;
};

struct SearchOptions {
  bool with_distance = false;
  bool with_hash = false;
  bool with_coordinates = false;
  bool from_member = false;
  bool from_location = false;
  bool by_radius = false;
  bool by_box = false;
  bool any = false;
  int sort = 0;  // 0 none, 1 ascending, -1 descending.
  int64_t count = 0;
  bool store_distance = false;
  std::optional<std::string_view> store_key;
};

// Appends the points of `zset` with scores in [min, max) that are inside `shape`, stopping
// at `limit` points in all when it is not zero (geoGetPointsInRange).
void PointsInRange(const ZsetValue& zset, uint64_t min, uint64_t max, const geo::Shape& shape,
                   size_t limit, std::vector<GeoPoint>* points) {
  store::ScoreRange range{static_cast<double>(min), static_cast<double>(max), false, true};
  for (ZsetCursor c = zset.FirstInRange(range); c.valid(); c.Next()) {
    double score = c.score();
    if (!range.BelowMax(score)) break;
    GeoPoint point;
    if (!geo::DecodeScore(score, &point.longitude, &point.latitude)) continue;
    if (!geo::WithinShape(shape, point.longitude, point.latitude, &point.distance)) continue;
    point.score = score;
    point.member = std::string(c.member());
    points->push_back(std::move(point));
    if (limit != 0 && points->size() >= limit) break;
  }
}

// membersOfAllNeighbors.
void PointsInArea(const ZsetValue& zset, const geo::SearchArea& area, const geo::Shape& shape,
                  size_t limit, std::vector<GeoPoint>* points) {
  size_t last_processed = 0;
  for (size_t i = 0; i < area.cells.size(); i++) {
    const geo::HashBits& cell = area.cells[i];
    if (cell.zero()) continue;
    // With huge radii neighbouring cells can coincide; each range is scanned once. As in
    // Redis, the center (index 0) is never compared.
    if (last_processed != 0 && cell.bits == area.cells[last_processed].bits &&
        cell.step == area.cells[last_processed].step) {
      continue;
    }
    if (!points->empty() && limit != 0 && points->size() >= limit) break;
    uint64_t min;
    uint64_t max;
    geo::ScoresOf(cell, &min, &max);
    PointsInRange(zset, min, max, shape, limit, points);
    last_processed = i;
  }
}

// Redis's sort_gp_asc / sort_gp_desc.
int CompareDistance(const GeoPoint& a, const GeoPoint& b, bool ascending) {
  int order = a.distance > b.distance ? 1 : (a.distance == b.distance ? 0 : -1);
  return ascending ? order : -order;
}

template <typename Compare>
void InsertionSort(GeoPoint* a, size_t n, const Compare& compare) {
  for (GeoPoint* m = a + 1; m < a + n; m++) {
    for (GeoPoint* l = m; l > a && compare(l[-1], *l) > 0; l--) std::swap(*l, l[-1]);
  }
}

template <typename Compare>
GeoPoint* Median3(GeoPoint* a, GeoPoint* b, GeoPoint* c, const Compare& compare) {
  if (compare(*a, *b) < 0) return compare(*b, *c) < 0 ? b : (compare(*a, *c) < 0 ? c : a);
  return compare(*b, *c) > 0 ? b : (compare(*a, *c) < 0 ? a : c);
}

void SwapRuns(GeoPoint* a, GeoPoint* b, ptrdiff_t count) {
  for (ptrdiff_t i = 0; i < count; i++) std::swap(a[i], b[i]);
}

// Redis's pqsort (a Bentley-McIlroy quicksort that only recurses into parts overlapping the
// wanted ranks [low, high]; without BSD's switch to insertion sort after a pass with no swap,
// as redis-server 7.0.15 answers). COUNT without ANY picks its points with it, so points at equal
// distances come out in the order Redis's partitioning leaves them, not in insertion order.
template <typename Compare>
void PartialQuicksort(GeoPoint* a, size_t n, const Compare& compare, const GeoPoint* low,
                      const GeoPoint* high) {
  auto wanted = [&](const GeoPoint* first, const GeoPoint* last) {
    return !((low < first && high < first) || (low > last && high > last));
  };
  for (;;) {
    if (n < 7) {
      InsertionSort(a, n, compare);
      return;
    }
    GeoPoint* pm = a + n / 2;
    if (n > 7) {
      GeoPoint* pl = a;
      GeoPoint* pn = a + n - 1;
      if (n > 40) {
        size_t d = n / 8;
        pl = Median3(pl, pl + d, pl + 2 * d, compare);
        pm = Median3(pm - d, pm, pm + d, compare);
        pn = Median3(pn - 2 * d, pn - d, pn, compare);
      }
      pm = Median3(pl, pm, pn, compare);
    }
    std::swap(*a, *pm);
    GeoPoint* pa = a + 1;
    GeoPoint* pb = a + 1;
    GeoPoint* pc = a + n - 1;
    GeoPoint* pd = a + n - 1;
    for (;;) {
      int order;
      while (pb <= pc && (order = compare(*pb, *a)) <= 0) {
        if (order == 0) {
          std::swap(*pa, *pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (order = compare(*pc, *a)) >= 0) {
        if (order == 0) {
          std::swap(*pc, *pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      std::swap(*pb, *pc);
      pb++;
      pc--;
    }
    GeoPoint* pn = a + n;
    ptrdiff_t r = std::min(pa - a, pb - pa);
    SwapRuns(a, pb - r, r);
    r = std::min(pd - pc, pn - pd - 1);
    SwapRuns(pb, pn - r, r);
    if ((r = pb - pa) > 1 && wanted(a, a + r - 1)) {
      PartialQuicksort(a, static_cast<size_t>(r), compare, low, high);
    }
    if ((r = pd - pc) <= 1) return;
    a = pn - r;
    n = static_cast<size_t>(r);
    if (!wanted(a, a + r - 1)) return;
  }
}

// The option loop of georadiusGeneric; replies the error and returns false.
bool ParseSearchOptions(CommandContext& context, uint32_t flags, size_t base, const ZsetValue* zset,
                        geo::Shape* shape, SearchOptions* options) {
  size_t remaining = context.argc() > base ? context.argc() - base : 0;
  for (size_t i = 0; i < remaining; i++) {
    std::string_view arg = context.arg(base + i);
    bool search = (flags & kSearch) != 0;
    bool storable = !(flags & kRadiusNoStore) && !search;
    if (EqualsIgnoreCase(arg, "withdist")) {
      options->with_distance = true;
    } else if (EqualsIgnoreCase(arg, "withhash")) {
      options->with_hash = true;
    } else if (EqualsIgnoreCase(arg, "withcoord")) {
      options->with_coordinates = true;
    } else if (EqualsIgnoreCase(arg, "any")) {
      options->any = true;
    } else if (EqualsIgnoreCase(arg, "asc")) {
      options->sort = 1;
    } else if (EqualsIgnoreCase(arg, "desc")) {
      options->sort = -1;
    } else if (EqualsIgnoreCase(arg, "count") && i + 1 < remaining) {
      std::optional<int64_t> count = ParseInt64(context.arg(base + i + 1));
      if (!count) {
        context.reply.Error(errors::kNotInteger);
        return false;
      }
      if (*count <= 0) {
        context.reply.Error("COUNT must be > 0");
        return false;
      }
      options->count = *count;
      i++;
    } else if (EqualsIgnoreCase(arg, "store") && i + 1 < remaining && storable) {
      options->store_key = context.arg(base + i + 1);
      options->store_distance = false;
      i++;
    } else if (EqualsIgnoreCase(arg, "storedist") && i + 1 < remaining && storable) {
      options->store_key = context.arg(base + i + 1);
      options->store_distance = true;
      i++;
    } else if (EqualsIgnoreCase(arg, "storedist") && search && (flags & kSearchStore)) {
      options->store_distance = true;
    } else if (EqualsIgnoreCase(arg, "frommember") && i + 1 < remaining && search &&
               !options->from_location) {
      // Without a source key the parsing goes on so that the right empty reply is chosen.
      if (zset != nullptr && !MemberPosition(*zset, context.arg(base + i + 1), shape)) {
        context.reply.Error("could not decode requested zset member");
        return false;
      }
      options->from_member = true;
      i++;
    } else if (EqualsIgnoreCase(arg, "fromlonlat") && i + 2 < remaining && search &&
               !options->from_member) {
      if (!LongLatArgs(context, base + i + 1, &shape->longitude, &shape->latitude)) return false;
      options->from_location = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "byradius") && i + 2 < remaining && search &&
               !options->by_box) {
      if (!RadiusArgs(context, base + i + 1, shape)) return false;
      options->by_radius = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "bybox") && i + 3 < remaining && search &&
               !options->by_radius) {
      if (!BoxArgs(context, base + i + 1, shape)) return false;
      options->by_box = true;
      i += 3;
    } else {
      context.reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

// The checks after the option loop; replies the error and returns false.
bool CheckSearchOptions(CommandContext& context, uint32_t flags, const SearchOptions& options) {
  if (options.store_key &&
      (options.with_distance || options.with_hash || options.with_coordinates)) {
    context.reply.Error(
        std::string(flags & kSearchStore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS") +
        " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    return false;
  }
  if ((flags & kSearch) && !(options.from_member || options.from_location)) {
    context.reply.Error("exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                        std::string(context.arg(0)));
    return false;
  }
  if ((flags & kSearch) && !(options.by_radius || options.by_box)) {
    context.reply.Error("exactly one of BYRADIUS and BYBOX can be specified for " +
                        std::string(context.arg(0)));
    return false;
  }
  if (options.any && options.count == 0) {
    context.reply.Error("the ANY argument requires COUNT argument");
    return false;
  }
  return true;
}

void ReplyPoints(CommandContext& context, const SearchOptions& options,
                 const std::vector<GeoPoint>& points, size_t returned, double conversion) {
  size_t option_length = (options.with_distance ? 1 : 0) + (options.with_coordinates ? 1 : 0) +
                         (options.with_hash ? 1 : 0);
  context.reply.ArrayHeader(returned);
  for (size_t i = 0; i < returned; i++) {
    const GeoPoint& point = points[i];
    if (option_length != 0) context.reply.ArrayHeader(option_length + 1);
    context.reply.Bulk(point.member);
    if (options.with_distance) ReplyDistance(context.reply, point.distance / conversion);
    if (options.with_hash) context.reply.Integer(static_cast<int64_t>(point.score));
    if (options.with_coordinates) {
      context.reply.ArrayHeader(2);
      ReplyCoordinate(context.reply, point.longitude);
      ReplyCoordinate(context.reply, point.latitude);
    }
  }
}

// Stores the first `returned` points as a zset under the store key (scores: geohashes, or
// distances in the unit with STOREDIST), or deletes the key when there are none.
void StorePoints(CommandContext& context, uint32_t flags, const SearchOptions& options,
                 const std::vector<GeoPoint>& points, size_t returned, double conversion) {
  ZsetValue::Limits limits = zset::LimitsOf(context);
  ZsetValue* result = ZsetValue::Create(returned, std::numeric_limits<size_t>::max(), limits);
  size_t member_bytes_max = 0;
  size_t member_bytes_total = 0;
  for (size_t i = 0; i < returned; i++) {
    const GeoPoint& point = points[i];
    double score = options.store_distance ? point.distance / conversion : point.score;
    member_bytes_max = std::max(member_bytes_max, point.member.size());
    member_bytes_total += point.member.size();
    result->Add(point.member, score, 0, limits);
  }
  result->ConvertToListpackIfFits(member_bytes_max, member_bytes_total, limits);
  zset::StoreResult(context, *options.store_key, result,
                    flags & kSearch ? "geosearchstore" : "georadiusstore");
}

void SearchGeneric(CommandContext& context, size_t source_index, uint32_t flags) {
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(source_index), &zset)) return;
  geo::Shape shape;
  SearchOptions options;
  size_t base;
  if (flags & kRadiusCoords) {
    base = 6;
    if (!LongLatArgs(context, 2, &shape.longitude, &shape.latitude)) return;
    if (!RadiusArgs(context, base - 2, &shape)) return;
  } else if (flags & kRadiusMember) {
    base = 5;
    // Without a source key the parsing goes on so that the right empty reply is chosen.
    if (zset != nullptr) {
      if (!MemberPosition(*zset, context.arg(2), &shape)) {
        context.reply.Error("could not decode requested zset member");
        return;
      }
      if (!RadiusArgs(context, base - 2, &shape)) return;
    }
  } else {
    base = 2;
    if (flags & kSearchStore) {
      base = 3;
      options.store_key = context.arg(1);
    }
  }
  if (!ParseSearchOptions(context, flags, base, zset, &shape, &options)) return;
  if (!CheckSearchOptions(context, flags, options)) return;

  if (zset == nullptr) {
    if (options.store_key) {
      Table::Position position;
      if (context.LookupWrite(*options.store_key, &position) != nullptr) {
        context.KeyChanged(*options.store_key, kNotifyGeneric, "del");
        context.db().table().Remove(position);
      }
      context.reply.Integer(0);
    } else {
      context.reply.EmptyArray();
    }
    return;
  }
  // COUNT needs the closest points first unless ANY asked for whichever come first.
  if (options.count != 0 && options.sort == 0 && !options.any) options.sort = 1;

  geo::SearchArea area = geo::AreaOf(shape);
  std::vector<GeoPoint> points;
  PointsInArea(*zset, area, shape, options.any ? static_cast<size_t>(options.count) : 0, &points);
  if (points.empty() && !options.store_key) {
    context.reply.EmptyArray();
    return;
  }
  size_t returned = points.size();
  if (options.count != 0 && static_cast<uint64_t>(options.count) < returned) {
    returned = static_cast<size_t>(options.count);
  }
  if (options.sort != 0) {
    bool ascending = options.sort > 0;
    if (returned == points.size()) {
      // glibc's qsort, as Debian builds Redis, is a stable merge sort.
      std::stable_sort(points.begin(), points.end(),
                       [ascending](const GeoPoint& a, const GeoPoint& b) {
                         return CompareDistance(a, b, ascending) < 0;
                       });
    } else {
      auto compare = [ascending](const GeoPoint& a, const GeoPoint& b) {
        return CompareDistance(a, b, ascending);
      };
      PartialQuicksort(points.data(), points.size(), compare, points.data(),
                       points.data() + returned - 1);
    }
  }
  if (options.store_key) {
    StorePoints(context, flags, options, points, returned, shape.conversion);
  } else {
    ReplyPoints(context, options, points, returned, shape.conversion);
  }
}

void Georadius(CommandContext& context) { SearchGeneric(context, 1, kRadiusCoords); }
void GeoradiusRo(CommandContext& context) {
  SearchGeneric(context, 1, kRadiusCoords | kRadiusNoStore);
}
void Georadiusbymember(CommandContext& context) { SearchGeneric(context, 1, kRadiusMember); }
void GeoradiusbymemberRo(CommandContext& context) {
  SearchGeneric(context, 1, kRadiusMember | kRadiusNoStore);
}
void Geosearch(CommandContext& context) { SearchGeneric(context, 1, kSearch); }
void Geosearchstore(CommandContext& context) { SearchGeneric(context, 2, kSearch | kSearchStore); }

constexpr const char* kRadiusComplexity =
    "O(N+log(M)) where N is the number of elements inside the bounding box of the circular "
    "area delimited by center and radius and M is the number of items inside the index.";
constexpr const char* kSearchComplexity =
    "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area "
    "around the shape provided as the filter and M is the number of items inside the shape";
constexpr const char* kRadiusSyntax =
    "key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] "
    "[COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]";
constexpr const char* kRadiusRoSyntax =
    "key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] "
    "[COUNT count [ANY]] [ASC | DESC]";
constexpr const char* kByMemberSyntax =
    "key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count "
    "[ANY]] [ASC | DESC] [STORE key | STOREDIST key]";
constexpr const char* kByMemberRoSyntax =
    "key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count "
    "[ANY]] [ASC | DESC]";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"geoadd", -5, kWrite | kDenyOom, 1, 1, 1, Geoadd, "geo", "3.2.0", "Adds one or more members to a geospatial index. The key is created if it doesn't exist.", "O(log(N)) for each item added, where N is the number of elements in the sorted set.", "@write @geo @slow", "key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]"},
    {"geodist", -4, kReadonly, 1, 1, 1, Geodist, "geo", "3.2.0", "Returns the distance between two members of a geospatial index.", "O(1)", "@read @geo @slow", "key member1 member2 [M | KM | FT | MI]"},
    {"geohash", -2, kReadonly, 1, 1, 1, Geohash, "geo", "3.2.0", "Returns members from a geospatial index as geohash strings.", "O(1) for each member requested.", "@read @geo @slow", "key [member [member ...]]"},
    {"geopos", -2, kReadonly, 1, 1, 1, Geopos, "geo", "3.2.0", "Returns the longitude and latitude of members from a geospatial index.", "O(1) for each member requested.", "@read @geo @slow", "key [member [member ...]]"},
    {"georadius", -6, kWrite | kDenyOom | kMovableKeys, 1, 1, 1, Georadius, "geo", "3.2.0", "Queries a geospatial index for members within a distance from a coordinate, optionally stores the result.", kRadiusComplexity, "@write @geo @slow", kRadiusSyntax},
    {"georadius_ro", -6, kReadonly, 1, 1, 1, GeoradiusRo, "geo", "3.2.10", "Returns members from a geospatial index that are within a distance from a coordinate.", kRadiusComplexity, "@read @geo @slow", kRadiusRoSyntax},
    {"georadiusbymember", -5, kWrite | kDenyOom | kMovableKeys, 1, 1, 1, Georadiusbymember, "geo", "3.2.0", "Queries a geospatial index for members within a distance from a member, optionally stores the result.", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", "@write @geo @slow", kByMemberSyntax},
    {"georadiusbymember_ro", -5, kReadonly, 1, 1, 1, GeoradiusbymemberRo, "geo", "3.2.10", "Returns members from a geospatial index that are within a distance from a member.", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", "@read @geo @slow", kByMemberRoSyntax},
    {"geosearch", -7, kReadonly, 1, 1, 1, Geosearch, "geo", "6.2.0", "Queries a geospatial index for members inside an area of a box or a circle.", kSearchComplexity, "@read @geo @slow", "key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]"},
    {"geosearchstore", -8, kWrite | kDenyOom, 1, 2, 1, Geosearchstore, "geo", "6.2.0", "Queries a geospatial index for members inside an area of a box or a circle, optionally stores the result.", kSearchComplexity, "@write @geo @slow", "destination source <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]"},
};
// clang-format on

}  // namespace

void RegisterGeoCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
