// SaveRules: Redis's `save <seconds> <changes>` directives, which start a background snapshot
// once at least <changes> writes happened and <seconds> passed since the last successful save.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/base/status.h"

namespace ringdb::persist {

class SaveRules {
 public:
  struct Rule {
    int64_t seconds = 0;
    int64_t changes = 0;
  };

  // Redis's default: after 3600 s with 1 change, 300 s with 100, 60 s with 10000.
  static SaveRules Default();
  // Parses the directive's value: pairs "seconds changes ...", or "" for no rules. Rejects
  // odd counts and negative or non-integer numbers with Redis's message.
  static Result<SaveRules> Parse(std::string_view text);

  // Redis's serverCron test: some rule is met, and after a failed snapshot at least
  // kRetryDelaySeconds have passed since that attempt.
  bool Due(int64_t now_s, int64_t last_save_s, uint64_t changes, bool last_save_ok,
           int64_t last_attempt_s) const;

  bool empty() const { return rules_.empty(); }
  const std::vector<Rule>& rules() const { return rules_; }
  // "3600 1 300 100 60 10000": the form CONFIG GET returns.
  std::string ToString() const;

  // Redis's CONFIG_BGSAVE_RETRY_DELAY.
  static constexpr int64_t kRetryDelaySeconds = 5;

 private:
  std::vector<Rule> rules_;
};

}  // namespace ringdb::persist
