#include <array>

#include <doctest/doctest.h>

#include "model/suggest.h"

using namespace nstopo;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps") {
  CHECK(model::edit_distance("addresses", "addresses", 5) == 0);
  CHECK(model::edit_distance("adresses", "addresses", 5) == 1);
  CHECK(model::edit_distance("eth0", "eht0", 5) == 1);  // a swap of neighbours is one edit
  CHECK(model::edit_distance("mtu", "mac", 5) == 2);
  CHECK(model::edit_distance("MTU", "mtu", 5) == 0);     // case is ignored
  CHECK(model::edit_distance("a", "abcdefgh", 3) == 4);  // past the limit: limit + 1
}

TEST_CASE("close matches are typos, and ties are all offered") {
  constexpr std::array<std::string_view, 4> keys = {"interfaces", "routes", "sysctls", "services"};
  CHECK(model::did_you_mean("interface", keys) == "did you mean 'interfaces'?");
  CHECK(model::did_you_mean("sevrices", keys) == "did you mean 'services'?");
  CHECK(model::did_you_mean("firewall", keys).empty());
  constexpr std::array<std::string_view, 3> names = {"nsA", "nsB", "host"};
  CHECK(model::did_you_mean("nsC", names) == "did you mean 'nsA' or 'nsB'?");
  constexpr std::array<std::string_view, 5> many = {"a1", "a2", "a3", "a4", "zz"};
  CHECK(model::did_you_mean("a0", many) == "did you mean 'a1', 'a2' or 'a3'?");
  // A word never suggests itself.
  CHECK(model::did_you_mean("routes", keys).empty());
}
