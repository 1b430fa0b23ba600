// Writes replies in RESP2 or RESP3 into an OutputBuffer. The same call produces the right
// form for the client's protocol: Null() is "$-1" in RESP2 and "_" in RESP3, a map is a flat
// array in RESP2, and so on.
#pragma once

#include <cstdint>
#include <string_view>

#include "ringdb/resp/output_buffer.h"

namespace ringdb::resp {

// Told about every error reply, so the server can keep errorstats.
class ErrorListener {
 public:
  virtual void OnErrorReply(std::string_view text) = 0;

 protected:
  ~ErrorListener() = default;
};

class ReplyBuilder {
 public:
  // *out must outlive this builder (or until set_output moves it elsewhere).
  explicit ReplyBuilder(OutputBuffer* out, int protocol = 2) : out_(out), protocol_(protocol) {}

  void set_output(OutputBuffer* out) { out_ = out; }
  OutputBuffer* output() const { return out_; }
  void set_protocol(int protocol) { protocol_ = protocol; }
  int protocol() const { return protocol_; }
  bool resp3() const { return protocol_ >= 3; }
  void set_error_listener(ErrorListener* listener) { error_listener_ = listener; }

  void Ok() { Raw("+OK\r\n"); }
  void Simple(std::string_view text);
  // As Redis's addReplyError: a text that starts with '-' carries its own code
  // ("-WRONGTYPE ..."); any other text is sent as "-ERR <text>". CR and LF become spaces so
  // the reply stays one line.
  void Error(std::string_view text);
  void Integer(int64_t value);
  void Bulk(std::string_view bytes);
  void Null();
  void NullArray();
  void ArrayHeader(size_t count);
  void MapHeader(size_t pairs);
  void SetHeader(size_t count);
  void PushHeader(size_t count);
  void AttributeHeader(size_t pairs);
  // RESP3 ",<double>" (shortest round-trip text, as Redis 7.2); RESP2 a bulk string of it.
  void Double(double value);
  void Bool(bool value);
  // RESP3 verbatim string "=<len>\r\ntxt:<text>"; RESP2 a bulk string.
  void Verbatim(std::string_view text, std::string_view format = "txt");
  void BigNumber(std::string_view digits);
  void Raw(std::string_view bytes) { out_->Append(bytes); }
  // An empty array ("*0").
  void EmptyArray() { Raw("*0\r\n"); }

  uint64_t errors_emitted() const { return errors_emitted_; }

  // The output went over its limit (OutputBuffer::limit_exceeded): what follows is dropped
  // and the client is to be closed, so a loop producing a long reply may stop.
  bool limit_exceeded() const { return out_->limit_exceeded(); }

 private:
  void Header(char marker, int64_t count);

  OutputBuffer* out_;
  int protocol_;
  ErrorListener* error_listener_ = nullptr;
  uint64_t errors_emitted_ = 0;
};

}  // namespace ringdb::resp
