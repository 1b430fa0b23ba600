"""A small, independent RDB writer for tests, written from the format description
(man/ringdb-formats.5), not from Redis's or ringdb's code: it crafts the encodings Redis no longer
writes (linked lists, ziplists, zipmaps, quicklists of ziplists, zset type 3, streams v1) so the
C++ reader is checked against a second implementation, and redis-server checks this one.
"""
import struct

# CRC-64/Jones, reflected: polynomial 0xad93d23594c935a9 bit-reversed.
_POLY = 0x95AC9329AC4BC9B5
_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ _POLY if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc64(data, crc=0):
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


assert crc64(b"123456789") == 0xE9C6D914C4B8D9CA


def b(value):
    return value if isinstance(value, bytes) else str(value).encode()


def length(n):
    if n < 1 << 6:
        return bytes([n])
    if n < 1 << 14:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    if n < 1 << 32:
        return b"\x80" + struct.pack(">I", n)
    return b"\x81" + struct.pack(">Q", n)


def string(value):
    value = b(value)
    return length(len(value)) + value


def int_string(value):
    """A string in the integer encodings (8, 16 or 32 bits)."""
    if -128 <= value <= 127:
        return b"\xc0" + struct.pack("<b", value)
    if -32768 <= value <= 32767:
        return b"\xc1" + struct.pack("<h", value)
    return b"\xc2" + struct.pack("<i", value)


def lzf_string(compressed, original_length):
    return b"\xc3" + length(len(compressed)) + length(original_length) + compressed


# ---- ziplist

def _ziplist_entry(value, prev_size):
    prev = bytes([prev_size]) if prev_size < 254 else b"\xfe" + struct.pack("<I", prev_size)
    if isinstance(value, int):
        if 0 <= value <= 12:
            enc = bytes([0xF1 + value])
        elif -128 <= value <= 127:
            enc = b"\xfe" + struct.pack("<b", value)
        elif -32768 <= value <= 32767:
            enc = b"\xc0" + struct.pack("<h", value)
        elif -(1 << 23) <= value < (1 << 23):
            enc = b"\xf0" + struct.pack("<i", value)[:3]
        elif -(1 << 31) <= value < (1 << 31):
            enc = b"\xd0" + struct.pack("<i", value)
        else:
            enc = b"\xe0" + struct.pack("<q", value)
    else:
        value = b(value)
        n = len(value)
        if n < 64:
            enc = bytes([n]) + value
        elif n < 16384:
            enc = bytes([0x40 | (n >> 8), n & 0xFF]) + value
        else:
            enc = b"\x80" + struct.pack(">I", n) + value
    return prev + enc


def ziplist(values):
    body = b""
    prev_size = 0
    last_offset = 10
    for value in values:
        entry = _ziplist_entry(value, prev_size)
        last_offset = 10 + len(body)
        body += entry
        prev_size = len(entry)
    total = 10 + len(body) + 1
    return struct.pack("<IIH", total, last_offset, min(len(values), 65535)) + body + b"\xff"


# ---- zipmap

def _zipmap_length(n):
    return bytes([n]) if n < 254 else b"\xfe" + struct.pack("<I", n)


def zipmap(pairs, free=2):
    out = bytes([len(pairs) if len(pairs) < 254 else 254])
    for key, value in pairs:
        key, value = b(key), b(value)
        out += _zipmap_length(len(key)) + key
        out += _zipmap_length(len(value)) + bytes([free]) + value + b"\x00" * free
    return out + b"\xff"


def intset(values, width):
    fmt = {2: "<h", 4: "<i", 8: "<q"}[width]
    values = sorted(values)
    return struct.pack("<II", width, len(values)) + b"".join(struct.pack(fmt, v) for v in values)


# ---- listpack

def _listpack_backlen(n):
    # Bytes from left to right; the rightmost holds the low 7 bits; every byte but the
    # leftmost has bit 7 set.
    groups = []
    while True:
        groups.append(n & 127)
        n >>= 7
        if not n:
            break
    groups.reverse()  # high groups first
    return bytes(g | (0 if i == 0 else 128) for i, g in enumerate(groups))


def _listpack_element(value):
    if isinstance(value, int):
        if 0 <= value <= 127:
            enc = bytes([value])
        elif -4096 <= value < 4096:
            v = value & 0x1FFF
            enc = bytes([0xC0 | (v >> 8), v & 0xFF])
        elif -32768 <= value < 32768:
            enc = b"\xf1" + struct.pack("<h", value)
        elif -(1 << 23) <= value < (1 << 23):
            enc = b"\xf2" + struct.pack("<i", value)[:3]
        elif -(1 << 31) <= value < (1 << 31):
            enc = b"\xf3" + struct.pack("<i", value)
        else:
            enc = b"\xf4" + struct.pack("<q", value)
    else:
        value = b(value)
        n = len(value)
        if n < 64:
            enc = bytes([0x80 | n]) + value
        elif n < 4096:
            enc = bytes([0xE0 | (n >> 8), n & 0xFF]) + value
        else:
            enc = b"\xf0" + struct.pack("<I", n) + value
    return enc + _listpack_backlen(len(enc))


def listpack(values):
    body = b"".join(_listpack_element(v) for v in values)
    total = 6 + len(body) + 1
    return struct.pack("<IH", total, min(len(values), 65535)) + body + b"\xff"


# ---- streams

def raw_id(ms, seq):
    return struct.pack(">QQ", ms, seq)


def stream_node(master, entries, master_fields):
    """A stream node listpack. entries: [(ms, seq, [(field, value), ...], deleted)]."""
    live = sum(1 for e in entries if not e[3])
    values = [live, len(entries) - live, len(master_fields), *master_fields, 0]
    for ms, seq, pairs, deleted in entries:
        fields = [f for f, _ in pairs]
        flags = (1 if deleted else 0) | (2 if fields == list(master_fields) else 0)
        element = [flags, ms - master[0], seq - master[1] if ms == master[0] else seq]
        if flags & 2:
            element += [v for _, v in pairs]
        else:
            element += [len(pairs)]
            for f, v in pairs:
                element += [f, v]
        values += element + [len(element)]
    return listpack(values)


# ---- files and payloads

def payload(type_byte, body, version=9):
    data = bytes([type_byte]) + body + struct.pack("<H", version)
    return data + struct.pack("<Q", crc64(data))


def rdb_file(records, version=9):
    """records: raw bytes after the header (opcodes, keys); adds EOF and the checksum."""
    data = b"REDIS%04d" % version + b"".join(records) + b"\xff"
    return data + struct.pack("<Q", crc64(data))


def select_db(index):
    return b"\xfe" + length(index)


def key_record(type_byte, key, body, expire_ms=None):
    out = b""
    if expire_ms is not None:
        out += b"\xfc" + struct.pack("<q", expire_ms)
    return out + bytes([type_byte]) + string(key) + body


# ---- samples of the old encodings (tests and fuzz seeds)

STREAM_ENTRIES = [(1000, 0, [("f", "a"), ("g", "b")], False),
                  (1000, 1, [("f", "c"), ("g", "d")], False),
                  (1001, 0, [("x", "y")], False),
                  (1002, 5, [("f", "gone"), ("g", "gone")], True),
                  (1003, 0, [("f", "e"), ("g", "f")], False)]


def stream_v1():
    body = length(1) + string(raw_id(1000, 0))
    body += string(stream_node((1000, 0), STREAM_ENTRIES, ["f", "g"]))
    body += length(4) + length(1003) + length(0)  # length, last ID
    body += length(1) + string("grp") + length(1000) + length(1)  # one group
    body += length(2)
    body += raw_id(1000, 0) + b"\x10\x27\x00\x00\x00\x00\x00\x00" + length(3)
    body += raw_id(1000, 1) + b"\x20\x4e\x00\x00\x00\x00\x00\x00" + length(1)
    body += length(1) + string("consumer") + b"\x30\x75\x00\x00\x00\x00\x00\x00"
    body += length(2) + raw_id(1000, 0) + raw_id(1000, 1)
    return body


def lzf_abc():
    # A literal run "abc" (control 2) and a back reference copying 21 bytes from 3 behind:
    # length code 19 = 7 + 12, distance code 2.
    return lzf_string(b"\x02abc" + bytes([(7 << 5) | 0, 12, 2]), 24)


def old_encoding_samples():
    """name -> (type byte, value bytes) for every encoding Redis no longer writes."""
    return {
        "int8": (0, int_string(-100)),
        "int16": (0, int_string(30000)),
        "int32": (0, int_string(-2000000000)),
        "lzf": (0, lzf_abc()),
        "linkedlist": (1, length(3) + string("a") + string("1") + string("z" * 100)),
        "list-ziplist": (10, string(ziplist(["x", 5, -300, 70000, 2**40, -(2**33), "y" * 70,
                                                   "w" * 300]))),
        "quicklist": (14, length(2) + string(ziplist(["a", 1, 2])) +
                      string(ziplist(["b" * 20, 12, -1]))),
        "set": (2, length(3) + string("one") + string("2") + string("three")),
        "intset16": (11, string(intset([-3, 7, 300], 2))),
        "intset64": (11, string(intset([-(2**40), 0, 2**50], 8))),
        "zset": (3, length(4) + string("a") + b"\x031.5" + string("b") + b"\xfe" +
                 string("c") + b"\xff" + string("d") + b"\x02-3"),
        "zset2": (5, length(2) + string("p") + b"\x00\x00\x00\x00\x00\x00\x04\x40" +
                  string("q") + b"\x00\x00\x00\x00\x00\x00\xe0\xbf"),
        "zset-ziplist": (12, string(ziplist(["m1", 1, "m2", "2.5", "m3", 3000000000]))),
        "hash": (4, length(2) + string("f") + string("v") + string("n") + string("1")),
        "zipmap": (9, string(zipmap([("k1", "v1"), ("k2", "x" * 300), ("", "empty")]))),
        "hash-ziplist": (13, string(ziplist(["a", 1, "b", "two", "c", -3]))),
        "big-hash-ziplist": (13, string(ziplist(
            [x for i in range(600) for x in ("f%d" % i, i)]))),
        "stream-v1": (15, stream_v1()),
    }
