#include "text/unicode.h"

#include <algorithm>

#include "text/unicode_tables.h"

namespace semdraw::text::unicode {
namespace {

namespace t = semdraw::text::tables;

bool in_ranges(const t::CodeRange* ranges, std::size_t count, char32_t cp) {
  const t::CodeRange* end = ranges + count;
  // First range whose last code point is >= cp.
  const t::CodeRange* it =
      std::lower_bound(ranges, end, cp, [](const t::CodeRange& r, char32_t c) { return r.last < c; });
  return it != end && it->first <= cp;
}

// Hangul syllable arithmetic (Unicode 3.12): syllables are not in the tables.
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

const t::Decomposition* find_decomposition(char32_t cp) {
  const t::Decomposition* end = t::kDecompositions + t::kDecompositionsCount;
  const t::Decomposition* it =
      std::lower_bound(t::kDecompositions, end, cp, [](const t::Decomposition& d, char32_t c) { return d.cp < c; });
  return (it != end && it->cp == cp) ? it : nullptr;
}

void append_decomposed(std::u32string& out, char32_t cp) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t index = cp - kSBase;
    out.push_back(kLBase + index / kNCount);
    out.push_back(kVBase + (index % kNCount) / kTCount);
    if (index % kTCount != 0) out.push_back(kTBase + index % kTCount);
    return;
  }
  if (const t::Decomposition* d = find_decomposition(cp)) {
    append_decomposed(out, d->first);  // the first part may decompose further
    if (d->second != 0) append_decomposed(out, d->second);
    return;
  }
  out.push_back(cp);
}

// Returns 0 when the pair has no primary composite.
char32_t compose_pair(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase &&
      second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  const t::Composition* end = t::kCompositions + t::kCompositionsCount;
  const t::Composition* it = std::lower_bound(
      t::kCompositions, end, std::pair{first, second}, [](const t::Composition& c, std::pair<char32_t, char32_t> key) {
        return c.first < key.first || (c.first == key.first && c.second < key.second);
      });
  return (it != end && it->first == first && it->second == second) ? it->composite : 0;
}

}  // namespace

bool is_white_space(char32_t cp) { return in_ranges(t::kWhiteSpace, t::kWhiteSpaceCount, cp); }

bool is_letter(char32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return in_ranges(t::kLetters, t::kLettersCount, cp);
}

bool is_number(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return in_ranges(t::kNumbers, t::kNumbersCount, cp);
}

void append_lowercase(std::u32string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back((cp >= 'A' && cp <= 'Z') ? cp + 32 : cp);
    return;
  }
  for (std::size_t i = 0; i < t::kLowercaseMultiCount; ++i) {
    const t::LowercaseMulti& m = t::kLowercaseMulti[i];
    if (m.cp == cp) {
      for (char32_t c : m.lower) {
        if (c != 0) out.push_back(c);
      }
      return;
    }
  }
  const t::LowercaseRun* end = t::kLowercaseRuns + t::kLowercaseRunsCount;
  const t::LowercaseRun* it =
      std::lower_bound(t::kLowercaseRuns, end, cp, [](const t::LowercaseRun& r, char32_t c) { return r.last < c; });
  if (it != end && it->first <= cp && (cp - it->first) % static_cast<char32_t>(it->stride) == 0) {
    out.push_back(static_cast<char32_t>(static_cast<int64_t>(cp) + it->delta));
    return;
  }
  out.push_back(cp);
}

int combining_class(char32_t cp) {
  if (cp < 0x300) return 0;
  const t::CombiningClassRun* end = t::kCombiningClasses + t::kCombiningClassesCount;
  const t::CombiningClassRun* it = std::lower_bound(
      t::kCombiningClasses, end, cp, [](const t::CombiningClassRun& r, char32_t c) { return r.last < c; });
  return (it != end && it->first <= cp) ? it->combining_class : 0;
}

std::u32string nfc(std::u32string_view text) {
  // Fast path: ASCII is already NFC and is the common prompt.
  if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x80; })) {
    return std::u32string(text);
  }

  std::u32string decomposed;
  decomposed.reserve(text.size() + 8);
  for (char32_t cp : text) append_decomposed(decomposed, cp);

  // Canonical ordering: stable sort of every run of non-starters by class.
  for (std::size_t i = 0; i < decomposed.size();) {
    if (combining_class(decomposed[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < decomposed.size() && combining_class(decomposed[j]) != 0) ++j;
    std::stable_sort(decomposed.begin() + static_cast<std::ptrdiff_t>(i),
                     decomposed.begin() + static_cast<std::ptrdiff_t>(j),
                     [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    i = j;
  }

  // Canonical composition: each character after the last starter combines with
  // it unless a character in between blocks it (class 0 or >= its own class).
  std::u32string out;
  out.reserve(decomposed.size());
  std::size_t starter = std::u32string::npos;
  int last_class = 0;
  for (char32_t cp : decomposed) {
    const int cls = combining_class(cp);
    if (starter != std::u32string::npos) {
      const bool adjacent = out.size() - 1 == starter;
      if (adjacent || (last_class != 0 && last_class < cls)) {
        if (char32_t composite = compose_pair(out[starter], cp)) {
          out[starter] = composite;
          continue;
        }
      }
    }
    if (cls == 0) starter = out.size();
    out.push_back(cp);
    last_class = cls;
  }
  return out;
}

}  // namespace semdraw::text::unicode
