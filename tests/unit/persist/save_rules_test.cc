#include "ringdb/persist/save_rules.h"

#include <doctest/doctest.h>

namespace ringdb::persist {
namespace {

TEST_CASE("save rules parse as Redis's save directive does") {
  Result<SaveRules> rules = SaveRules::Parse("3600 1  300 100 60 10000");
  REQUIRE(rules.ok());
  CHECK(rules->rules().size() == 3);
  CHECK(rules->ToString() == "3600 1 300 100 60 10000");
  CHECK(SaveRules::Default().ToString() == "3600 1 300 100 60 10000");

  Result<SaveRules> none = SaveRules::Parse("");
  REQUIRE(none.ok());
  CHECK(none->empty());

  for (const char* bad : {"3600", "0 1", "10 -1", "10 x", "1.5 2", "10 1 20"}) {
    Result<SaveRules> parsed = SaveRules::Parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message() == "Invalid save parameters");
  }
}

TEST_CASE("a rule is due after more than its seconds with at least its changes") {
  SaveRules rules = *SaveRules::Parse("60 10");
  CHECK_FALSE(rules.Due(1060, 1000, 10, true, 0));  // exactly 60 s: not yet (Redis uses >)
  CHECK(rules.Due(1061, 1000, 10, true, 0));
  CHECK_FALSE(rules.Due(1061, 1000, 9, true, 0));
  // After a failed attempt, wait more than the retry delay since that attempt.
  CHECK_FALSE(rules.Due(1061, 1000, 10, false, 1056));
  CHECK(rules.Due(1062, 1000, 10, false, 1056));
  CHECK_FALSE(SaveRules().Due(1'000'000, 0, 1'000'000, true, 0));
}

}  // namespace
}  // namespace ringdb::persist
