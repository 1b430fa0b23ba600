#include "ringdb/persist/save_rules.h"

#include "ringdb/base/strings.h"

namespace ringdb::persist {

SaveRules SaveRules::Default() {
  SaveRules rules;
  rules.rules_ = {{3600, 1}, {300, 100}, {60, 10000}};
  return rules;
}

Result<SaveRules> SaveRules::Parse(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') i++;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') i++;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  // As Redis: an even count, seconds >= 1 and changes >= 0, plain integers only.
  if (words.size() % 2 != 0) return Status::InvalidArgument("Invalid save parameters");
  SaveRules rules;
  for (size_t j = 0; j < words.size(); j += 2) {
    std::optional<int64_t> seconds = ParseInt64(words[j]);
    std::optional<int64_t> changes = ParseInt64(words[j + 1]);
    if (!seconds || !changes || *seconds < 1 || *changes < 0) {
      return Status::InvalidArgument("Invalid save parameters");
    }
    rules.rules_.push_back({*seconds, *changes});
  }
  return rules;
}

bool SaveRules::Due(int64_t now_s, int64_t last_save_s, uint64_t changes, bool last_save_ok,
                    int64_t last_attempt_s) const {
  if (!last_save_ok && now_s - last_attempt_s <= kRetryDelaySeconds) return false;
  for (const Rule& rule : rules_) {
    if (changes >= static_cast<uint64_t>(rule.changes) && now_s - last_save_s > rule.seconds) {
      return true;
    }
  }
  return false;
}

std::string SaveRules::ToString() const {
  std::string text;
  for (const Rule& rule : rules_) {
    if (!text.empty()) text += ' ';
    text += std::to_string(rule.seconds) + ' ' + std::to_string(rule.changes);
  }
  return text;
}

}  // namespace ringdb::persist
