#include "ringdb/commands/syntax.h"

#include <algorithm>
#include <iterator>

namespace ringdb::commands {
namespace {

// ---- Lexing ----

enum class LexemeKind : uint8_t {
  kWord,
  kOpenOptional,
  kOpenRequired,
  kClose,
  kPipe,
  kEllipsis,
  kEnd
};

struct Lexeme {
  LexemeKind kind;
  std::string_view text;
  size_t offset;
};

bool IsSeparator(char c) { return c == ' ' || c == '\t' || c == '\n'; }
bool IsPunctuation(char c) { return c == '[' || c == ']' || c == '<' || c == '>' || c == '|'; }

std::vector<Lexeme> Lex(std::string_view syntax) {
  std::vector<Lexeme> lexemes;
  size_t i = 0;
  while (i < syntax.size()) {
    char c = syntax[i];
    if (IsSeparator(c)) {
      i++;
      continue;
    }
    if (IsPunctuation(c)) {
      LexemeKind kind = c == '['   ? LexemeKind::kOpenOptional
                        : c == '<' ? LexemeKind::kOpenRequired
                        : c == '|' ? LexemeKind::kPipe
                                   : LexemeKind::kClose;
      lexemes.push_back({kind, syntax.substr(i, 1), i});
      i++;
      continue;
    }
    size_t start = i;
    while (i < syntax.size() && !IsSeparator(syntax[i]) && !IsPunctuation(syntax[i])) i++;
    std::string_view word = syntax.substr(start, i - start);
    lexemes.push_back({word == "..." ? LexemeKind::kEllipsis : LexemeKind::kWord, word, start});
  }
  lexemes.push_back({LexemeKind::kEnd, {}, syntax.size()});
  return lexemes;
}

// ---- Parsing into raw items: words and bracketed groups, before folding tokens. ----

struct RawItem {
  bool is_group = false;
  std::string_view word;
  // A group: "[...]" is optional, "<...>" required; `repeats` when its content ends in "...".
  bool optional = false;
  bool repeats = false;
  std::vector<std::vector<RawItem>> alternatives;
};

struct RawSequence {
  std::vector<RawItem> items;
  bool ends_with_ellipsis = false;
};

class RawParser {
 public:
  explicit RawParser(std::vector<Lexeme> lexemes) : lexemes_(std::move(lexemes)) {}

  Result<RawSequence> ParseTop() {
    Result<RawSequence> sequence = ParseSequence(0);
    if (!sequence.ok()) return sequence;
    if (peek().kind != LexemeKind::kEnd) return Unexpected();
    return sequence;
  }

 private:
  const Lexeme& peek() const { return lexemes_[next_]; }

  Status Unexpected() const {
    const Lexeme& lexeme = peek();
    if (lexeme.kind == LexemeKind::kEnd) {
      return Status::InvalidArgument("unexpected end of syntax at offset " +
                                     std::to_string(lexeme.offset));
    }
    return Status::InvalidArgument("unexpected '" + std::string(lexeme.text) + "' at offset " +
                                   std::to_string(lexeme.offset));
  }

  // Items up to a '|', a closing bracket or the end. "..." may only end a sequence.
  Result<RawSequence> ParseSequence(int depth) {
    RawSequence sequence;
    while (true) {
      const Lexeme& lexeme = peek();
      if (lexeme.kind == LexemeKind::kWord) {
        sequence.items.push_back(RawItem{.word = lexeme.text});
        next_++;
      } else if (lexeme.kind == LexemeKind::kOpenOptional ||
                 lexeme.kind == LexemeKind::kOpenRequired) {
        Result<RawItem> group = ParseGroup(depth + 1);
        if (!group.ok()) return group.status();
        sequence.items.push_back(std::move(group.value()));
      } else if (lexeme.kind == LexemeKind::kEllipsis) {
        if (sequence.items.empty()) return Unexpected();
        next_++;
        sequence.ends_with_ellipsis = true;
        LexemeKind after = peek().kind;
        if (after != LexemeKind::kClose && after != LexemeKind::kPipe &&
            after != LexemeKind::kEnd) {
          return Unexpected();
        }
        return sequence;
      } else {
        return sequence;
      }
    }
  }

  Result<RawItem> ParseGroup(int depth) {
    if (depth > kSyntaxDepthMax) {
      return Status::InvalidArgument("groups nested too deeply at offset " +
                                     std::to_string(peek().offset));
    }
    const Lexeme& open = peek();
    bool optional = open.kind == LexemeKind::kOpenOptional;
    char closer = optional ? ']' : '>';
    next_++;
    RawItem group{.is_group = true, .optional = optional};
    std::vector<RawSequence> alternatives;
    while (true) {
      Result<RawSequence> sequence = ParseSequence(depth);
      if (!sequence.ok()) return sequence.status();
      if (sequence->items.empty()) return Unexpected();
      alternatives.push_back(std::move(sequence.value()));
      if (peek().kind != LexemeKind::kPipe) break;
      next_++;
    }
    if (peek().kind != LexemeKind::kClose || peek().text[0] != closer) {
      return Status::InvalidArgument("unbalanced '" + std::string(open.text) + "' at offset " +
                                     std::to_string(open.offset));
    }
    next_++;
    // "[a | b ...]": the ellipsis after the last alternative repeats the whole choice.
    group.repeats = alternatives.back().ends_with_ellipsis;
    for (size_t i = 0; i + 1 < alternatives.size(); i++) {
      if (alternatives[i].ends_with_ellipsis) {
        return Status::InvalidArgument("'...' inside an alternative at offset " +
                                       std::to_string(open.offset));
      }
    }
    for (RawSequence& alternative : alternatives) {
      group.alternatives.push_back(std::move(alternative.items));
    }
    return group;
  }

  std::vector<Lexeme> lexemes_;
  size_t next_ = 0;
};

// ---- Folding raw items into Redis's argument tree. ----

bool IsTokenWord(std::string_view word) {
  return std::none_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string Lowercase(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return lowered;
}

ArgumentType InferType(std::string_view name) {
  static constexpr std::string_view kIntegers[] = {
      "count",         "index",    "seconds",   "milliseconds", "timeout",     "offset",
      "start",         "end",      "stop",      "numkeys",      "db",          "port",
      "client-id",     "protover", "increment", "decrement",    "numreplicas", "destination-db",
      "index1",        "index2",   "maxage",    "cursor",       "ttl",         "number",
      "min-match-len", "bit"};
  // "key", "key1", "newkey", "source", "destination": a key name.
  if (name.starts_with("key") || name.ends_with("key") || name == "source" ||
      name == "destination") {
    return ArgumentType::kKey;
  }
  if (name == "pattern") return ArgumentType::kPattern;
  if (name.starts_with("unix-time")) return ArgumentType::kUnixTime;
  if (name == "score") return ArgumentType::kDouble;
  if (std::find(std::begin(kIntegers), std::end(kIntegers), name) != std::end(kIntegers)) {
    return ArgumentType::kInteger;
  }
  return ArgumentType::kString;
}

// Equal as arguments, ignoring how often and whether they appear.
bool SameShape(const SyntaxArgument& a, const SyntaxArgument& b) {
  return a.name == b.name && a.type == b.type && a.token == b.token && a.arguments == b.arguments;
}

SyntaxArgument MakeBlock(std::vector<SyntaxArgument> members) {
  SyntaxArgument block;
  block.type = ArgumentType::kBlock;
  // "[LIMIT offset count]": the leading token introduces the whole block.
  if (!members.front().token.empty() && members.front().type != ArgumentType::kPureToken) {
    block.token = std::move(members.front().token);
    members.front().token.clear();
  }
  block.name = block.token.empty() ? members.front().name : Lowercase(block.token);
  block.arguments = std::move(members);
  return block;
}

SyntaxArgument MakeOneof(std::vector<SyntaxArgument> alternatives) {
  SyntaxArgument oneof;
  oneof.type = ArgumentType::kOneof;
  for (const SyntaxArgument& alternative : alternatives) {
    if (!oneof.name.empty()) oneof.name += "_";
    oneof.name += alternative.name;
  }
  oneof.arguments = std::move(alternatives);
  return oneof;
}

std::vector<SyntaxArgument> Fold(const std::vector<RawItem>& items);

// The arguments a group's content folds to: one oneof for a choice, else the sequence.
std::vector<SyntaxArgument> FoldGroupContent(const RawItem& group) {
  if (group.alternatives.size() == 1) return Fold(group.alternatives.front());
  std::vector<SyntaxArgument> choices;
  for (const std::vector<RawItem>& alternative : group.alternatives) {
    std::vector<SyntaxArgument> folded = Fold(alternative);
    choices.push_back(folded.size() == 1 ? std::move(folded.front())
                                         : MakeBlock(std::move(folded)));
  }
  std::vector<SyntaxArgument> content;
  content.push_back(MakeOneof(std::move(choices)));
  return content;
}

// "x [x ...]": when the repeated content equals the last arguments folded so far, those become
// one argument that repeats. Returns false when it does not match.
bool MergeRepetition(std::vector<SyntaxArgument>& folded, std::vector<SyntaxArgument>& content) {
  size_t count = content.size();
  if (count > folded.size()) return false;
  size_t first = folded.size() - count;
  bool with_token = true;
  for (size_t i = 0; i < count; i++) {
    if (!SameShape(folded[first + i], content[i])) with_token = false;
  }
  if (!with_token) {
    // "ID client-id [client-id ...]": only the value repeats, not the token.
    if (count != 1 || folded.back().token.empty() || !content.front().token.empty()) return false;
    SyntaxArgument untokened = folded.back();
    untokened.token.clear();
    if (!SameShape(untokened, content.front())) return false;
  }
  std::vector<SyntaxArgument> repeated(std::make_move_iterator(folded.begin() + first),
                                       std::make_move_iterator(folded.end()));
  folded.resize(first);
  SyntaxArgument merged = count == 1 ? std::move(repeated.front()) : MakeBlock(std::move(repeated));
  merged.multiple = true;
  merged.multiple_token = with_token && !merged.token.empty();
  folded.push_back(std::move(merged));
  return true;
}

void FoldGroup(const RawItem& group, std::vector<SyntaxArgument>& folded) {
  std::vector<SyntaxArgument> content = FoldGroupContent(group);
  if (group.repeats && MergeRepetition(folded, content)) return;
  SyntaxArgument argument =
      content.size() == 1 ? std::move(content.front()) : MakeBlock(std::move(content));
  if (group.repeats) argument.multiple = true;
  if (group.optional) argument.optional = true;
  folded.push_back(std::move(argument));
}

std::vector<SyntaxArgument> Fold(const std::vector<RawItem>& items) {
  std::vector<SyntaxArgument> folded;
  for (size_t i = 0; i < items.size(); i++) {
    const RawItem& item = items[i];
    if (item.is_group) {
      FoldGroup(item, folded);
      continue;
    }
    if (!IsTokenWord(item.word)) {
      folded.push_back({.name = std::string(item.word), .type = InferType(item.word)});
      continue;
    }
    const RawItem* next = i + 1 < items.size() ? &items[i + 1] : nullptr;
    if (next != nullptr && !next->is_group && !IsTokenWord(next->word)) {
      // "EX seconds": a value introduced by its token.
      folded.push_back({.name = std::string(next->word),
                        .type = InferType(next->word),
                        .token = std::string(item.word)});
      i++;
    } else if (next != nullptr && next->is_group && !next->optional && !next->repeats) {
      // "TYPE <NORMAL | MASTER>": the token introduces the required group.
      FoldGroup(*next, folded);
      folded.back().token = std::string(item.word);
      folded.back().name = Lowercase(item.word);
      i++;
    } else {
      folded.push_back({.name = Lowercase(item.word),
                        .type = ArgumentType::kPureToken,
                        .token = std::string(item.word)});
    }
  }
  return folded;
}

}  // namespace

const char* ArgumentTypeName(ArgumentType type) {
  switch (type) {
    case ArgumentType::kString:
      return "string";
    case ArgumentType::kInteger:
      return "integer";
    case ArgumentType::kDouble:
      return "double";
    case ArgumentType::kKey:
      return "key";
    case ArgumentType::kPattern:
      return "pattern";
    case ArgumentType::kUnixTime:
      return "unix-time";
    case ArgumentType::kPureToken:
      return "pure-token";
    case ArgumentType::kOneof:
      return "oneof";
    case ArgumentType::kBlock:
      return "block";
  }
  RINGDB_UNREACHABLE();
}

Result<std::vector<SyntaxArgument>> ParseSyntax(std::string_view syntax) {
  if (syntax.size() > kSyntaxBytesMax) {
    return Status::InvalidArgument("syntax longer than " + std::to_string(kSyntaxBytesMax) +
                                   " bytes");
  }
  RawParser parser(Lex(syntax));
  Result<RawSequence> top = parser.ParseTop();
  if (!top.ok()) return top.status();
  std::vector<SyntaxArgument> folded = Fold(top->items);
  // A trailing bare "..." ("arg ...") repeats the last argument.
  if (top->ends_with_ellipsis) folded.back().multiple = true;
  return folded;
}

}  // namespace ringdb::commands
