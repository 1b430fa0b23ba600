"""Transaction steps for the differential generator: MULTI EXEC DISCARD WATCH UNWATCH.

The "transactions" family wraps only commands whose replies are deterministic (no TTLs, no
random keys, no SELECT), because inside MULTI every reply is +QUEUED and EXEC returns them all
as one array, compared byte for byte: the per-command comparison rules cannot reach into it.
WATCH on the single connection of a stream is broken only by the stream's own writes and
flushes, which both servers see in the same order, so EXEC's null array is deterministic too.
Keys set with an absolute time in the past stay in the stream (SET ... PXAT <past>): WATCHing
one exercises Redis 7's already-expired-when-watched rule.
"""

TRANSACTION_COMMANDS = ["MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH"]

TRANSACTION_ARITY = {"MULTI": 1, "EXEC": 1, "DISCARD": 1, "WATCH": -2, "UNWATCH": 1}

# Weights: transaction control often enough that most transactions end within a few steps,
# data commands so there is something to queue and to watch.
TRANSACTION_FAMILY = {
    "MULTI": 1.2, "EXEC": 1.0, "DISCARD": 0.2, "WATCH": 0.8, "UNWATCH": 0.2,
    **{name: 0.5 for name in ["GET", "SET", "SETNX", "MGET", "MSET", "GETSET", "GETDEL",
                              "APPEND", "STRLEN", "INCR", "DECR", "INCRBY", "DEL", "EXISTS"]},
    "FLUSHDB": 0.03,
}


class TransactionSteps:
    """Mixed into generator.Generator: the gen_<command> methods of the family."""

    def gen_multi(self):
        return self.command("MULTI")

    def gen_exec(self):
        return self.command("EXEC")

    def gen_discard(self):
        return self.command("DISCARD")

    def gen_watch(self):
        return self.command("WATCH", *self.keys(1, 3))

    def gen_unwatch(self):
        return self.command("UNWATCH")
