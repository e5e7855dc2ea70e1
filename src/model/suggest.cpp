#include "model/suggest.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace nstopo::model {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// How far a word may be from a candidate and still be taken for a typo of it: one edit for
// short words, about one per four characters for longer ones.
size_t typo_budget(std::string_view word) { return std::max<size_t>(1, (word.size() + 2) / 4); }

size_t length_gap(std::string_view a, std::string_view b) {
  return a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  if (length_gap(a, b) > limit) return limit + 1;
  // Optimal string alignment distance over three rolling rows.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    size_t row_best = current[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
      row_best = std::min(row_best, current[j]);
    }
    if (row_best > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], limit + 1);
}

std::vector<std::string_view> closest_matches(std::string_view word,
                                              std::span<const std::string_view> candidates) {
  size_t budget = typo_budget(word);
  std::vector<std::string_view> best;
  size_t best_distance = budget;
  for (auto candidate : candidates) {
    if (candidate == word) continue;
    size_t distance = edit_distance(word, candidate, best_distance);
    if (distance > best_distance) continue;
    if (distance < best_distance) best.clear();
    best_distance = distance;
    best.push_back(candidate);
  }
  return best;
}

std::string did_you_mean(std::span<const std::string_view> matches) {
  constexpr size_t kMaxShown = 3;
  size_t shown = std::min(matches.size(), kMaxShown);
  if (shown == 0) return {};
  std::string list = fmt::format("'{}'", matches[0]);
  for (size_t i = 1; i < shown; ++i)
    list += fmt::format("{}'{}'", i + 1 == shown ? " or " : ", ", matches[i]);
  return fmt::format("did you mean {}?", list);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  return did_you_mean(closest_matches(word, candidates));
}

}  // namespace nstopo::model
