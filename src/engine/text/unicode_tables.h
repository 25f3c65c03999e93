// Raw Unicode tables for the CLIP tokenizer, generated into unicode_tables.cpp by
// tests/reference/make_unicode_tables.py (no ICU at run time). Every array is
// sorted by code point so lookups are binary searches; unicode.h wraps them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace semdraw::text::tables {

struct CodeRange {
  char32_t first;
  char32_t last;  // inclusive
};

// Code points first, first+stride, ..., last lowercase to cp + delta.
struct LowercaseRun {
  char32_t first;
  char32_t last;
  int32_t stride;
  int32_t delta;
};

// Code points whose lowercase is several code points (U+0130 -> "i" U+0307).
struct LowercaseMulti {
  char32_t cp;
  char32_t lower[3];  // zero-terminated when shorter
};

struct CombiningClassRun {
  char32_t first;
  char32_t last;
  uint8_t combining_class;
};

// One step of a canonical decomposition: cp -> first [second]; second == 0 for singletons.
struct Decomposition {
  char32_t cp;
  char32_t first;
  char32_t second;
};

// Primary composite: first + second -> composite (sorted by first, then second).
struct Composition {
  char32_t first;
  char32_t second;
  char32_t composite;
};

extern const CodeRange kWhiteSpace[];
extern const std::size_t kWhiteSpaceCount;
extern const CodeRange kLetters[];
extern const std::size_t kLettersCount;
extern const CodeRange kNumbers[];
extern const std::size_t kNumbersCount;
extern const LowercaseRun kLowercaseRuns[];
extern const std::size_t kLowercaseRunsCount;
extern const LowercaseMulti kLowercaseMulti[];
extern const std::size_t kLowercaseMultiCount;
extern const CombiningClassRun kCombiningClasses[];
extern const std::size_t kCombiningClassesCount;
extern const Decomposition kDecompositions[];
extern const std::size_t kDecompositionsCount;
extern const Composition kCompositions[];
extern const std::size_t kCompositionsCount;

}  // namespace semdraw::text::tables
