#pragma once
// Turns libyaml's positions into nstopo's. libyaml counts characters (its marks' index and
// column count code points, and "\r\n" as two); every diagnostic in nstopo counts lines by
// '\n' and columns in bytes, which is where its caret lands (see diagnostic.cpp). Internal to
// src/parse.
//
// Events come in the order of the text, so one cursor walks it once; moving back (an error's
// context, an empty list item's "-") walks back from where the cursor is.
#include <cstddef>
#include <string_view>

#include "model/topology.h"

namespace nstopo::parse {

class TextPositions {
 public:
  explicit TextPositions(std::string_view text) : text_(text) {}

  // The position of the character libyaml numbers `index` (0-based).
  model::SourceLocation at_character(size_t index);
  // The position of byte `offset`, and the byte offset of character `index`.
  model::SourceLocation at_byte(size_t offset);
  size_t byte_of_character(size_t index);

 private:
  void forward();
  void back();
  model::SourceLocation here() const;

  std::string_view text_;
  size_t byte_ = 0;       // the cursor, in bytes
  size_t character_ = 0;  // the cursor, in characters
  int line_ = 1;
  size_t line_start_ = 0;  // the byte where the cursor's line starts
};

}  // namespace nstopo::parse
