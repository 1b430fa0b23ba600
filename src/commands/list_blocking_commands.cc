// Blocking list commands: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH (t_list.c's
// blockingPopGenericCommand and blmoveGenericCommand). Each serves at once when a key holds a
// list; otherwise it parks the client (CommandContext::Block) and the server runs it again from
// the start when a list appears under one of its keys, as Redis 7 does. Inside MULTI, where
// no client may block, an empty result replies the null of a timeout at once.
#include <cstdint>
#include <optional>

#include "families.h"
#include "helpers.h"
#include "list_ops.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::ListEnd;
using store::ListpackValue;
using store::ListValue;
using store::Table;

std::optional<ListEnd> EndArg(CommandContext& context, size_t index) {
  if (EqualsIgnoreCase(context.arg(index), "left")) return ListEnd::kHead;
  if (EqualsIgnoreCase(context.arg(index), "right")) return ListEnd::kTail;
  context.reply.Error(errors::kSyntax);
  return std::nullopt;
}

// Parks the client on `keys` until one holds a list, or replies null when it may not block:
// a null bulk for BLMOVE / BRPOPLPUSH (`move`), else a null array. A timeout replies a null
// array for all of them, as Redis's replyToBlockedClientTimedOut does (RESP2 *-1 even for
// BLMOVE).
void BlockOnLists(CommandContext& context, std::span<const std::string_view> keys,
                  int64_t deadline_ms, bool move) {
  if (!context.CanBlock()) {
    if (move) {
      context.reply.Null();
    } else {
      context.reply.NullArray();
    }
    return;
  }
  BlockSpec spec;
  spec.keys = keys;
  spec.type = ListValue::kType;
  spec.deadline_ms = deadline_ms;
  context.Block(spec);
}

// BLPOP/BRPOP key [key ...] timeout
void BlockingPop(CommandContext& context, ListEnd end) {
  std::optional<int64_t> deadline = BlockDeadline(context, context.args.back(), true);
  if (!deadline) return;
  std::span<const std::string_view> keys = context.args.subspan(1, context.argc() - 2);
  for (std::string_view key : keys) {
    Table::Position position;
    Entry* entry = context.LookupWrite(key, &position);
    if (entry == nullptr) continue;
    if (RejectWrongType(context, entry, ListValue::kType)) return;
    if (ObjectOf<ListValue>(entry)->size() == 0) continue;
    context.reply.ArrayHeader(2);
    context.reply.Bulk(key);
    PopFromList(context, position, key, end, 1,
                [&](const ListpackValue& value) { ReplyListElement(context.reply, value); });
    return;
  }
  BlockOnLists(context, keys, *deadline, false);
}

void BLPop(CommandContext& context) { BlockingPop(context, ListEnd::kHead); }
void BRPop(CommandContext& context) { BlockingPop(context, ListEnd::kTail); }

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: lmpopGenericCommand's order
// (numkeys, direction, COUNT, then the timeout).
void BLMPop(CommandContext& context) {
  std::optional<MPopArguments> parsed = ParseMPopArguments(context, 2);
  if (!parsed) return;
  std::optional<int64_t> deadline = BlockDeadline(context, context.arg(1), true);
  if (!deadline) return;
  if (PopFromFirstList(context, parsed->keys, parsed->end, parsed->count)) return;
  BlockOnLists(context, parsed->keys, *deadline, false);
}

// blmoveGenericCommand: a missing source blocks; an existing one is LMOVE (which checks the
// destination's type, so a client woken with a wrong-typed destination gets WRONGTYPE).
void BlockingMove(CommandContext& context, ListEnd from, ListEnd to, size_t timeout_index) {
  std::optional<int64_t> deadline = BlockDeadline(context, context.arg(timeout_index), true);
  if (!deadline) return;
  std::string_view source = context.arg(1);
  const Entry* entry = context.LookupWrite(source);
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  if (entry == nullptr) {
    BlockOnLists(context, context.args.subspan(1, 1), *deadline, true);
    return;
  }
  MoveListElement(context, source, context.arg(2), from, to);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
void BLMove(CommandContext& context) {
  std::optional<ListEnd> from = EndArg(context, 3);
  if (!from) return;
  std::optional<ListEnd> to = EndArg(context, 4);
  if (!to) return;
  BlockingMove(context, *from, *to, 5);
}

// BRPOPLPUSH source destination timeout
void BRPopLPush(CommandContext& context) {
  BlockingMove(context, ListEnd::kTail, ListEnd::kHead, 3);
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"blpop", -3, kWrite | kNoscript | kBlocking, 1, -2, 1, BLPop, "list", "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "O(N) where N is the number of provided keys.", "@write @list @slow @blocking", "key [key ...] timeout"},
    {"brpop", -3, kWrite | kNoscript | kBlocking, 1, -2, 1, BRPop, "list", "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "O(N) where N is the number of provided keys.", "@write @list @slow @blocking", "key [key ...] timeout"},
    {"blmpop", -5, kWrite | kBlocking | kMovableKeys, 0, 0, 0, BLMPop, "list", "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", "@write @list @slow @blocking", "timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]"},
    {"blmove", 6, kWrite | kDenyOom | kNoscript | kBlocking, 1, 2, 1, BLMove, "list", "6.2.0", "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", "O(1)", "@write @list @slow @blocking", "source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout"},
    {"brpoplpush", 4, kWrite | kDenyOom | kNoscript | kBlocking, 1, 2, 1, BRPopLPush, "list", "2.2.0", "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", "O(1)", "@write @list @slow @blocking", "source destination timeout"},
};
// clang-format on

}  // namespace

void RegisterListBlockingCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
