// Pieces the stream command files share: Redis's stream ID parsing (with its C-string quirks),
// entry replies, and a reply built aside for aggregates whose length is known only at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "helpers.h"
#include "ringdb/resp/output_buffer.h"
#include "ringdb/resp/reply.h"
#include "ringdb/store/stream_value.h"

namespace ringdb::commands::stream {

using store::StreamId;
using store::StreamValue;

inline constexpr std::string_view kInvalidId =
    "Invalid stream ID specified as stream command argument";

// An argument as Redis's C code sees it where it uses strcmp, strcasecmp or "%s": up to its
// first NUL byte.
inline std::string_view CText(std::string_view argument) {
  size_t nul = argument.find('\0');
  return nul == std::string_view::npos ? argument : argument.substr(0, nul);
}

// strcasecmp(argument, name) == 0.
inline bool IsOption(std::string_view argument, std::string_view name) {
  return EqualsIgnoreCase(CText(argument), name);
}

// Redis's string2ull: a canonical non-negative integer, or whatever strtoull accepts in full
// (leading blanks, a sign, leading zeros; "-1" wraps as strtoull wraps it).
std::optional<uint64_t> ParseUnsigned(std::string_view text);

// Redis's streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = missing_seq), "-" and "+"
// (refused when `strict`), and "<ms>-*" when seq_given is not null (then *seq_given says
// whether a sequence was given). Replies the error when `reply` and returns nullopt on error.
std::optional<StreamId> ParseId(CommandContext& context, std::string_view argument,
                                uint64_t missing_seq, bool strict, bool* seq_given = nullptr,
                                bool reply = true);
// A range bound with the "(" exclusive prefix (XRANGE, XPENDING, XAUTOCLAIM): the start is
// moved one ID up / the end one ID down, or "invalid start/end ID for the interval".
std::optional<StreamId> ParseRangeStart(CommandContext& context, std::string_view argument);
std::optional<StreamId> ParseRangeEnd(CommandContext& context, std::string_view argument);

// "-NOGROUP ..." texts name keys and groups as C strings.
std::string NoGroupError(std::string_view key, std::string_view group);

void ReplyId(resp::ReplyBuilder& reply, StreamId id);
// [id, [field, value, ...]] for the entry the iterator just returned.
void ReplyEntry(resp::ReplyBuilder& reply, StreamValue::Iterator& it, StreamId id,
                int64_t field_count);
// The entry `id` as ReplyEntry writes it. REQUIRES: the stream holds it.
void ReplyEntryById(resp::ReplyBuilder& reply, const StreamValue& stream, StreamId id);
// How many live entries [start, end] holds, counting at most `count` (0: no limit).
size_t CountRange(const StreamValue& stream, StreamId start, StreamId end, bool reverse,
                  size_t count);
// Redis's streamReplyWithRange without a group: an array of entries.
size_t ReplyRange(resp::ReplyBuilder& reply, const StreamValue& stream, StreamId start,
                  StreamId end, size_t count, bool reverse);

// The node limits the configuration sets.
inline StreamValue::NodeLimits NodeLimitsOf(const CommandContext& context) {
  return {context.limits.encodings.stream_node_max_bytes,
          context.limits.encodings.stream_node_max_entries};
}

// A reply written aside and appended to the real one later, for an aggregate whose length is
// known only once its elements are written (Redis's deferred lengths). Its chunks come from
// the per-thread pool, so this allocates nothing in steady state.
class ScratchReply {
 public:
  explicit ScratchReply(const CommandContext& context)
      : builder_(&buffer_, context.reply.protocol()) {}
  resp::ReplyBuilder& builder() { return builder_; }
  // Appends everything written so far to `target` and empties the scratch.
  void MoveTo(resp::ReplyBuilder& target);

 private:
  resp::OutputBuffer buffer_;
  resp::ReplyBuilder builder_;
};

// Handlers of stream_group_commands.cc, registered by stream_commands.cc's table.
void XGroupCommand(CommandContext& context);
void XGroupHelp(CommandContext& context);
void XAck(CommandContext& context);
void XPending(CommandContext& context);
void XClaim(CommandContext& context);
void XAutoClaim(CommandContext& context);
void XInfoStream(CommandContext& context);
void XInfoGroups(CommandContext& context);
void XInfoConsumers(CommandContext& context);
void XInfoHelp(CommandContext& context);

}  // namespace ringdb::commands::stream
