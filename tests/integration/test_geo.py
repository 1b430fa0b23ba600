"""Geo commands through python3-redis (redis-py 4.3), where a real client's parsing matters:
GEOADD tuples, GEOPOS and WITHCOORD floats, GEOSEARCH's option building, GEORADIUS STORE,
binary members.

Every test runs against ringdb-server and against Debian's redis-server, so the expectations
are Redis's own.
"""
import pytest


@pytest.fixture
def client(target):
    connection = target.client()
    connection.flushall()
    yield connection
    connection.close()


def test_geoadd_geopos_geodist_geohash_round_trip_through_the_client(client):
    assert client.geoadd("Sicily", (13.361389, 38.115556, "Palermo",
                                    15.087269, 37.502669, "Catania")) == 2
    positions = client.geopos("Sicily", "Palermo", "missing")
    assert positions[0] == pytest.approx((13.36138933897018433, 38.11555639549629859))
    assert positions[1] is None
    assert client.geodist("Sicily", "Palermo", "Catania", unit="km") == 166.2742
    assert client.geohash("Sicily", "Palermo", "Catania") == ["sqc8b49rny0", "sqdtr74hyu0"]
    assert client.geoadd("Sicily", (13.5, 38.2, "Palermo"), xx=True, ch=True) == 1
    assert client.geoadd("Sicily", (1, 2, "new"), xx=True) == 0
    assert client.zcard("Sicily") == 2


def test_geosearch_options_and_store_through_the_client(client):
    client.geoadd("pts", (10.0, 10.0, b"o\x00rigin", 10.001, 10.0, "east", 10.0, 10.002,
                          "north", 11.0, 11.0, "far"))
    assert client.geosearch("pts", longitude=10, latitude=10, radius=500, unit="m",
                            sort="ASC") == [b"o\x00rigin", b"east", b"north"]
    found = client.geosearch("pts", member=b"o\x00rigin", width=300, height=300, unit="m",
                             withdist=True, withcoord=True, withhash=True, sort="DESC")
    assert [item[0] for item in found] == [b"east", b"o\x00rigin"]
    assert found[1][1] == 0.0
    assert client.georadius("pts", 10, 10, 200, unit="km", count=2, sort="ASC") == \
        [b"o\x00rigin", b"east"]
    assert client.georadiusbymember("pts", "east", 1, unit="km", store="dst") == 3
    assert client.zrange("dst", 0, -1) == [b"o\x00rigin", b"east", b"north"]
    assert client.geosearchstore("dst2", "pts", longitude=10, latitude=10, radius=1000,
                                 unit="km", storedist=True) == 4
    assert client.zscore("dst2", "east") == pytest.approx(0.1095, abs=1e-3)
    with pytest.raises(Exception, match="could not decode requested zset member"):
        client.geosearch("pts", member="nobody", radius=1, unit="m")
