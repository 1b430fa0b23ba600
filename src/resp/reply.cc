#include "ringdb/resp/reply.h"

#include <string>

#include "ringdb/base/strings.h"

namespace ringdb::resp {

void ReplyBuilder::Header(char marker, int64_t count) {
  char* p = out_->Reserve(kInt64TextMax + 3);
  p[0] = marker;
  size_t length = 1 + FormatInt64(count, p + 1);
  p[length] = '\r';
  p[length + 1] = '\n';
  out_->Commit(length + 2);
}

void ReplyBuilder::Simple(std::string_view text) {
  out_->Append("+", 1);
  out_->Append(text);
  out_->Append("\r\n", 2);
}

void ReplyBuilder::Error(std::string_view text) {
  errors_emitted_++;
  std::string line;
  line.reserve(text.size() + 8);
  line.push_back('-');
  if (!text.empty() && text[0] == '-') {
    text.remove_prefix(1);  // The text carries its own code ("-WRONGTYPE ...").
  } else {
    line.append("ERR ");
  }
  for (char c : text) line.push_back(c == '\r' || c == '\n' ? ' ' : c);
  if (error_listener_ != nullptr) error_listener_->OnErrorReply(std::string_view(line).substr(1));
  line.append("\r\n");
  out_->Append(line);
}

void ReplyBuilder::Integer(int64_t value) { Header(':', value); }

void ReplyBuilder::Bulk(std::string_view bytes) {
  Header('$', static_cast<int64_t>(bytes.size()));
  out_->Append(bytes);
  out_->Append("\r\n", 2);
}

void ReplyBuilder::Null() {
  Raw(resp3() ? std::string_view("_\r\n") : std::string_view("$-1\r\n"));
}

void ReplyBuilder::NullArray() {
  Raw(resp3() ? std::string_view("_\r\n") : std::string_view("*-1\r\n"));
}

void ReplyBuilder::ArrayHeader(size_t count) { Header('*', static_cast<int64_t>(count)); }

void ReplyBuilder::MapHeader(size_t pairs) {
  if (resp3()) {
    Header('%', static_cast<int64_t>(pairs));
  } else {
    Header('*', static_cast<int64_t>(pairs * 2));
  }
}

void ReplyBuilder::SetHeader(size_t count) {
  Header(resp3() ? '~' : '*', static_cast<int64_t>(count));
}

void ReplyBuilder::PushHeader(size_t count) {
  Header(resp3() ? '>' : '*', static_cast<int64_t>(count));
}

void ReplyBuilder::AttributeHeader(size_t pairs) { Header('|', static_cast<int64_t>(pairs)); }

void ReplyBuilder::Double(double value) {
  std::string text = FormatDoubleShortest(value);
  if (resp3()) {
    out_->Append(",", 1);
    out_->Append(text);
    out_->Append("\r\n", 2);
  } else {
    Bulk(text);
  }
}

void ReplyBuilder::Bool(bool value) {
  if (resp3()) {
    Raw(value ? std::string_view("#t\r\n") : std::string_view("#f\r\n"));
  } else {
    Raw(value ? std::string_view(":1\r\n") : std::string_view(":0\r\n"));
  }
}

void ReplyBuilder::Verbatim(std::string_view text, std::string_view format) {
  if (!resp3()) {
    Bulk(text);
    return;
  }
  Header('=', static_cast<int64_t>(text.size() + 4));
  out_->Append(format.substr(0, 3));
  out_->Append(":", 1);
  out_->Append(text);
  out_->Append("\r\n", 2);
}

void ReplyBuilder::BigNumber(std::string_view digits) {
  if (!resp3()) {
    Bulk(digits);
    return;
  }
  out_->Append("(", 1);
  out_->Append(digits);
  out_->Append("\r\n", 2);
}

}  // namespace ringdb::resp
