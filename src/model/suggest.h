#pragma once
// "did you mean ...?" for misspelt keys and names: the parser's, the planner's (sysctl keys)
// and the CLI's (commands), so it lives in the model, below all of them.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nstopo::model {

// Edit distance (insertions, deletions, substitutions and swaps of neighbours), ignoring case.
// Stops counting past `limit` and then returns limit + 1.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit);

// The candidates most likely meant by `word` (a typo away): all those at the smallest
// distance, in the order given; empty when none is close.
std::vector<std::string_view> closest_matches(std::string_view word,
                                              std::span<const std::string_view> candidates);

// "did you mean 'x'?", "did you mean 'x' or 'y'?" (at most three), or "" when nothing is close.
std::string did_you_mean(std::span<const std::string_view> matches);
// The same for the close matches of `word` among `candidates`.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace nstopo::model
