"""Geo command generators (mixed into generator.Generator).

Points cluster around a few centers, so searches find them: an ordinary place, both sides of
the antimeridian, the latitude limits (+-85.05112878) and the origin. Coordinates are
written with 1 to 8 decimals (and now and then as exponents, out of range, NaN or not a
number at all). Keys are mostly GEO_KEYS, sometimes the shared KEY_POOL (where other
families' strings and zsets give WRONGTYPE and non-geohash scores). Members include binary
bytes and lengths either side of zset-max-listpack-value (64); bulk GEOADDs cross
zset-max-listpack-entries (128).

Results are sorted by distance only when ASC/DESC or COUNT ask for it. A few shared spots
give equal distances, whose order shows Redis's sorts: glibc's stable qsort for a full sort,
pqsort (partial quicksort) when COUNT cuts the result.
"""

GEO_KEYS = [b"geo1", b"geo2", b"geo3"]

GEO_COMMANDS = ["GEOADD", "GEODIST", "GEOHASH", "GEOPOS", "GEOSEARCH", "GEOSEARCHSTORE",
                "GEORADIUS", "GEORADIUSBYMEMBER", "GEORADIUS_RO", "GEORADIUSBYMEMBER_RO"]

GEO_ARITY = {
    "GEOADD": -5, "GEODIST": -4, "GEOHASH": -2, "GEOPOS": -2, "GEOSEARCH": -7,
    "GEOSEARCHSTORE": -8, "GEORADIUS": -6, "GEORADIUSBYMEMBER": -5, "GEORADIUS_RO": -6,
    "GEORADIUSBYMEMBER_RO": -5,
}

GEO_WEIGHTS = {**{c: 1.0 for c in GEO_COMMANDS}, "GEOADD": 3.0, "GEOSEARCH": 2.0,
               **{c: 0.3 for c in ["ZADD", "ZREM", "ZRANGE", "ZCARD", "SET", "DEL", "OBJECT",
                                   "EXPIRE"]}}

# (longitude, latitude, spread in degrees)
_CENTERS = [(13.361389, 38.115556, 1.0), (179.9, 10.0, 0.3), (-179.9, 10.0, 0.3),
            (0.0, 85.0, 0.1), (0.0, -85.0, 0.1), (0.0, 0.0, 0.5), (-122.27, 37.80, 2.0)]

_UNITS = [b"m", b"km", b"ft", b"mi", b"M", b"Km", b"MI"]


class GeoGenerators:
    """gen_geo* methods; needs the Generator's rng, command, cased, key."""

    # ------------------------------------------------------------------ building blocks
    def geo_key(self):
        return self.rng.choice(GEO_KEYS) if self.rng.random() < 0.85 else self.key()

    def geo_member(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.7:
            return b"p%d" % rng.randrange(12)
        if roll < 0.8:
            return rng.choice([b"", b"\x00", b"a\r\nb", b"\xff\xfe", b"12", b"-5"])
        return rng.choice([b"m" * 64, b"n" * 65, b"q" * 100])

    def geo_center_member(self):
        """A member searches start from: usually one GEOADD has written."""
        if self.rng.random() < 0.9:
            return b"p%d" % self.rng.randrange(12)
        return self.geo_member()

    def _coordinate(self, value, low, high):
        rng = self.rng
        value = min(max(value, low), high)
        roll = rng.random()
        if roll < 0.85:
            return (b"%." + str(rng.randint(6, 8)).encode() + b"f") % value
        if roll < 0.93:
            return b"%.1f" % round(value, 1) if low <= round(value, 1) <= high else b"%.6f" % value
        return b"%.6e" % value

    def geo_point(self):
        """(longitude, latitude) texts: near a center, at an exact limit, or invalid."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            return rng.choice([(b"180", b"85.05112878"), (b"-180", b"-85.05112878"),
                               (b"180", b"0"), (b"-180", b"-0"), (b"0", b"85.05112878")])
        if roll < 0.06:
            return rng.choice([(b"180.000001", b"0"), (b"0", b"85.05112879"),
                               (b"-181", b"-86"), (b"nan", b"0"), (b"0", b"inf"),
                               (b"x", b"1"), (b"1", b""), (b"1e400", b"0"), (b" 1", b"2")])
        if roll < 0.1:
            # Shared spots: equal distances, ordered by Redis's qsort / pqsort.
            return rng.choice([(b"13.5", b"38.5"), (b"13.25", b"38.0")])
        x, y, spread = _CENTERS[0] if rng.random() < 0.5 else rng.choice(_CENTERS)
        x += rng.uniform(-spread, spread)
        y += rng.uniform(-spread, spread)
        if x > 180:
            x -= 360
        if x < -180:
            x += 360
        return (self._coordinate(x, -180.0, 180.0),
                self._coordinate(y, -85.05112878, 85.05112878))

    def geo_unit(self):
        if self.rng.random() < 0.04:
            return self.rng.choice([b"yd", b"", b"meters", b"k"])
        return self.rng.choice(_UNITS)

    def geo_distance(self):
        """A radius / width / height: mostly sizes that reach other points."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.96:
            return b"%g" % (10 ** rng.uniform(0, 6.5))
        return rng.choice([b"0", b"-1", b"x", b"inf", b"nan", b"1e-300", b"20000000", b""])

    def _search_options(self, store_allowed, search, storedist_flag):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            roll = rng.random()
            if roll < 0.45 and not store_allowed:
                options.append([self.cased(rng.choice(["WITHDIST", "WITHHASH", "WITHCOORD"]))])
            elif roll < 0.6:
                options.append([self.cased(rng.choice(["ASC", "DESC"]))])
            elif roll < 0.8:
                count = (str(rng.randint(1, 8)).encode() if rng.random() < 0.9
                         else rng.choice([b"0", b"-1", b"x", b"9223372036854775807"]))
                options.append([self.cased("COUNT"), count])
                if rng.random() < 0.3:
                    options.append([self.cased("ANY")])
            elif roll < 0.85:
                options.append([self.cased("ANY")])
            elif roll < 0.9 and storedist_flag:
                options.append([self.cased("STOREDIST")])
            elif roll < 0.95 and store_allowed and not search:
                options.append([self.cased(rng.choice(["STORE", "STOREDIST"])), self.geo_key()])
            elif rng.random() < 0.8:
                options.append([self.cased(rng.choice(["WITHDIST", "WITHHASH", "WITHCOORD"]))])
            else:
                options.append([self.cased("BOGUS")])
        rng.shuffle(options)
        return [x for option in options for x in option]

    def _search_from_by(self):
        rng = self.rng
        parts = []
        roll = rng.random()
        if roll < 0.5:
            parts.append([self.cased("FROMMEMBER"), self.geo_center_member()])
        elif roll < 0.97:
            parts.append([self.cased("FROMLONLAT"), *self.geo_point()])
        if rng.random() < 0.02:
            parts.append([self.cased("FROMMEMBER"), self.geo_member()])
        roll = rng.random()
        if roll < 0.5:
            parts.append([self.cased("BYRADIUS"), self.geo_distance(), self.geo_unit()])
        elif roll < 0.97:
            parts.append([self.cased("BYBOX"), self.geo_distance(), self.geo_distance(),
                          self.geo_unit()])
        rng.shuffle(parts)
        return [x for part in parts for x in part]

    # ------------------------------------------------------------------ commands
    def gen_geoadd(self):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            options.append(self.cased(rng.choice(["NX", "XX", "CH", "CH"])))
        if rng.random() < 0.04:
            triples = []
            for i in range(rng.randint(100, 140)):
                triples += [*self.geo_point(), b"b%d" % i]
        else:
            triples = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                triples += [*self.geo_point(), self.geo_member()]
            if rng.random() < 0.03:
                triples.append(self.geo_member())
        return self.command("GEOADD", self.geo_key(), *options, *triples)

    def gen_geodist(self):
        args = [self.geo_key(), self.geo_member(), self.geo_member()]
        if self.rng.random() < 0.6:
            args.append(self.geo_unit())
        if self.rng.random() < 0.03:
            args.append(b"extra")
        return self.command("GEODIST", *args)

    def gen_geohash(self):
        return self.command("GEOHASH", self.geo_key(),
                            *[self.geo_member() for _ in range(self.rng.randint(0, 4))])

    def gen_geopos(self):
        return self.command("GEOPOS", self.geo_key(),
                            *[self.geo_member() for _ in range(self.rng.randint(0, 4))])

    def gen_geosearch(self):
        return self.command("GEOSEARCH", self.geo_key(), *self._search_from_by(),
                            *self._search_options(False, True, False))

    def gen_geosearchstore(self):
        return self.command("GEOSEARCHSTORE", self.geo_key(), self.geo_key(),
                            *self._search_from_by(), *self._search_options(True, True, True))

    def _georadius(self, name, store_allowed):
        return self.command(name, self.geo_key(), *self.geo_point(), self.geo_distance(),
                            self.geo_unit(), *self._search_options(store_allowed, False, False))

    def _georadiusbymember(self, name, store_allowed):
        return self.command(name, self.geo_key(), self.geo_center_member(), self.geo_distance(),
                            self.geo_unit(), *self._search_options(store_allowed, False, False))

    def gen_georadius(self):
        return self._georadius("GEORADIUS", self.rng.random() < 0.5)

    def gen_georadius_ro(self):
        return self._georadius("GEORADIUS_RO", False)

    def gen_georadiusbymember(self):
        return self._georadiusbymember("GEORADIUSBYMEMBER", self.rng.random() < 0.5)

    def gen_georadiusbymember_ro(self):
        return self._georadiusbymember("GEORADIUSBYMEMBER_RO", False)
