#include "parse/text_positions.h"

namespace nstopo::parse {
namespace {

// A UTF-8 continuation byte (10xxxxxx) is part of the character before it.
bool starts_character(char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }

}  // namespace

model::SourceLocation TextPositions::at_character(size_t index) {
  byte_of_character(index);
  return here();
}

size_t TextPositions::byte_of_character(size_t index) {
  // Forward past the continuation bytes too: to the first byte of character `index`.
  while (byte_ < text_.size() && (character_ < index || !starts_character(text_[byte_])))
    forward();
  while (character_ > index) back();
  return byte_;
}

model::SourceLocation TextPositions::at_byte(size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  while (byte_ < offset) forward();
  while (byte_ > offset) back();
  return here();
}

// character_ counts the characters that start before byte_.
void TextPositions::forward() {
  char c = text_[byte_++];
  if (starts_character(c)) ++character_;
  if (c == '\n') {
    ++line_;
    line_start_ = byte_;
  }
}

void TextPositions::back() {
  char c = text_[--byte_];
  if (starts_character(c)) --character_;
  if (c == '\n') {
    --line_;
    size_t previous = byte_ == 0 ? std::string_view::npos : text_.rfind('\n', byte_ - 1);
    line_start_ = previous == std::string_view::npos ? 0 : previous + 1;
  }
}

model::SourceLocation TextPositions::here() const {
  return {line_, static_cast<int>(byte_ - line_start_) + 1};
}

}  // namespace nstopo::parse
