"""A small, strict RESP2/RESP3 reader and writer for the differential harness.

The reader returns every reply twice: as the exact bytes the server sent (what the harness
compares) and as a parsed tree (what the few normalization rules inspect). It refuses anything
that is not well-formed RESP, so a framing bug in a server's reply writer shows up as a
ProtocolViolation naming the offending bytes rather than as a confusing mismatch later.

Tree nodes are (kind, value) tuples, kind being the RESP type byte as a one-character str:
    '+' bytes          simple string         '-' bytes          simple error
    ':' int            integer               '$' bytes | None   bulk string (None: RESP2 null)
    '*' list | None    array (None: null)    '_' None           RESP3 null
    '#' bool           boolean               ',' bytes          double (its exact text)
    '(' int            big number            '!' bytes          bulk error
    '=' bytes          verbatim ("txt:...")  '%' [(k, v), ...]  map
    '~' list           set                   '>' list           push
    '|' ([(k, v)], node)  attributes followed by the reply they annotate
encode(tree) writes a tree back in the canonical form, so encode(parse(raw)) == raw for every
reply a conforming server sends.
"""
import socket

_LINE_KINDS = "+-:_#,("
_BLOB_KINDS = "$!="
_AGGREGATE_KINDS = "*%~>|"

# Bounds on what the reader accepts, so a broken server cannot make the harness allocate
# without limit: nesting depth, elements per aggregate, bytes per bulk.
DEPTH_MAX = 64
ELEMENTS_MAX = 10_000_000
BULK_BYTES_MAX = 1 << 31


class ProtocolViolation(Exception):
    """The peer sent bytes that are not a well-formed RESP reply."""


class ConnectionClosed(Exception):
    """The peer closed the connection before a whole reply arrived."""


def encode_command(args):
    """The RESP multibulk request for `args` (bytes, str or int each)."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        elif isinstance(arg, int):
            arg = str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


class Reader:
    """Reads whole replies from a socket, keeping the exact bytes of each."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = bytearray()
        self.position = 0
        # recv_into one reused buffer: a fresh 1 MiB bytes object per recv costs an mmap (and
        # a memset under meson's MALLOC_PERTURB_) on every reply.
        self.scratch = bytearray(1 << 20)
        self.scratch_view = memoryview(self.scratch)

    def _fill(self):
        if hasattr(self.sock, "recv_into"):
            count = self.sock.recv_into(self.scratch)
            chunk = self.scratch_view[:count]
        else:
            chunk = self.sock.recv(1 << 20)
            count = len(chunk)
        if not count:
            raise ConnectionClosed("connection closed by peer")
        self.buffer += chunk

    def _line(self):
        while True:
            end = self.buffer.find(b"\r\n", self.position)
            if end >= 0:
                line = bytes(self.buffer[self.position : end])
                self.position = end + 2
                return line
            self._fill()

    def _exact(self, length):
        while len(self.buffer) - self.position < length:
            self._fill()
        data = bytes(self.buffer[self.position : self.position + length])
        self.position += length
        return data

    def read(self):
        """One reply as (raw bytes, tree)."""
        # Drop consumed bytes only between replies: `start` must stay valid while one is read.
        if self.position > 1 << 20:
            del self.buffer[: self.position]
            self.position = 0
        start = self.position
        tree = self._node(0)
        raw = bytes(self.buffer[start : self.position])
        # The harness compares `raw`; check it against the parse so a reader bug cannot make
        # two different replies look equal.
        assert raw and encode(tree) == raw, "RESP reader lost track of a reply's bytes"
        return raw, tree

    def _node(self, depth):
        if depth > DEPTH_MAX:
            raise ProtocolViolation("reply nested deeper than %d levels" % DEPTH_MAX)
        line = self._line()
        if not line:
            raise ProtocolViolation("empty line where a reply type was expected")
        kind = chr(line[0])
        body = line[1:]
        if kind in _LINE_KINDS:
            return _line_node(kind, body)
        if kind in _BLOB_KINDS:
            return self._blob(kind, body)
        if kind in _AGGREGATE_KINDS:
            return self._aggregate(kind, body, depth)
        raise ProtocolViolation("unknown reply type byte %r in line %r" % (kind, line[:80]))

    def _blob(self, kind, body):
        length = _parse_length(body, kind)
        if length == -1:
            if kind != "$":
                raise ProtocolViolation("null length is only valid for '$', not %r" % kind)
            return ("$", None)
        if length > BULK_BYTES_MAX:
            raise ProtocolViolation("bulk of %d bytes exceeds the reader's bound" % length)
        data = self._exact(length + 2)
        if data[-2:] != b"\r\n":
            raise ProtocolViolation("%r payload of %d bytes not followed by CRLF" % (kind, length))
        payload = data[:-2]
        if kind == "=" and (len(payload) < 4 or payload[3:4] != b":"):
            raise ProtocolViolation("verbatim string without a 3-byte format: %r" % payload[:20])
        return (kind, payload)

    def _aggregate(self, kind, body, depth):
        count = _parse_length(body, kind)
        if count == -1:
            if kind != "*":
                raise ProtocolViolation("null length is only valid for '*', not %r" % kind)
            return ("*", None)
        if count > ELEMENTS_MAX:
            raise ProtocolViolation("aggregate of %d elements exceeds the bound" % count)
        if kind in "%|":
            pairs = [(self._node(depth + 1), self._node(depth + 1)) for _ in range(count)]
            if kind == "%":
                return ("%", pairs)
            return ("|", (pairs, self._node(depth + 1)))
        return (kind, [self._node(depth + 1) for _ in range(count)])


def _parse_length(body, kind):
    text = body.decode("ascii", "replace")
    if text == "-1":
        return -1
    if not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        raise ProtocolViolation("bad length %r after %r" % (body[:40], kind))
    return int(text)


def _line_node(kind, body):
    if b"\r" in body or b"\n" in body:
        raise ProtocolViolation("bare CR or LF inside a %r line: %r" % (kind, body[:80]))
    if kind in "+-":
        return (kind, body)
    if kind in ":(":
        text = body.decode("ascii", "replace")
        digits = text[1:] if text[:1] == "-" else text
        if not digits.isdigit() or (len(digits) > 1 and digits[0] == "0") or text == "-0":
            raise ProtocolViolation("bad integer %r after %r" % (body[:40], kind))
        return (kind, int(text))
    if kind == "_":
        if body:
            raise ProtocolViolation("RESP3 null with a payload: %r" % body[:40])
        return ("_", None)
    if kind == "#":
        if body not in (b"t", b"f"):
            raise ProtocolViolation("boolean must be t or f, got %r" % body[:40])
        return ("#", body == b"t")
    if not body:
        raise ProtocolViolation("empty double")
    return (",", body)


def encode(tree):
    """The canonical RESP bytes of a tree as produced by Reader."""
    kind, value = tree
    if kind in "+-,":
        return kind.encode() + value + b"\r\n"
    if kind in ":(":
        return b"%s%d\r\n" % (kind.encode(), value)
    if kind == "_":
        return b"_\r\n"
    if kind == "#":
        return b"#t\r\n" if value else b"#f\r\n"
    if kind in "$!=":
        if value is None:
            return b"$-1\r\n"
        return b"%s%d\r\n%s\r\n" % (kind.encode(), len(value), value)
    if kind in "*~>":
        if value is None:
            return b"*-1\r\n"
        return b"%s%d\r\n" % (kind.encode(), len(value)) + b"".join(encode(v) for v in value)
    if kind == "%":
        return b"%%%d\r\n" % len(value) + b"".join(encode(k) + encode(v) for k, v in value)
    if kind == "|":
        pairs, node = value
        head = b"|%d\r\n" % len(pairs) + b"".join(encode(k) + encode(v) for k, v in pairs)
        return head + encode(node)
    raise ValueError("unknown node kind %r" % kind)


def is_null(tree):
    """RESP2's null bulk or null array, or RESP3's null."""
    kind, value = tree
    return kind == "_" or (kind in "$*" and value is None)


def is_error(tree):
    return tree[0] in "-!"


def aggregate_items(tree):
    """The elements of an array or set (or None when `tree` is neither)."""
    kind, value = tree
    if kind in "*~" and value is not None:
        return value
    return None


class Connection:
    """One TCP connection speaking RESP: send a command, read its reply."""

    def __init__(self, port, host="127.0.0.1", timeout_s=20.0):
        self.sock = socket.create_connection((host, port), timeout=timeout_s)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = Reader(self.sock)

    def send(self, args):
        self.sock.sendall(encode_command(args))

    def read(self):
        return self.reader.read()

    def call(self, *args):
        self.send(list(args))
        return self.read()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
