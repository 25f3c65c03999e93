#pragma once
// How an enum is spelled in files and on the command line: one table of
// {value, name} pairs per enum, read both ways. The scene's JSON and the
// engine's device/precision options use the same two functions, so every enum
// is written and parsed, and its error message lists the choices, alike.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace semdraw {

template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The name of a value, or "" for one the table lacks.
template <typename Enum, std::size_t N>
std::string name_of(const EnumName<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return {};
}

// Throws std::invalid_argument "is 'x'; expected one of a, b, c" (the caller
// prefixes the field or option).
template <typename Enum, std::size_t N>
Enum value_of(const EnumName<Enum> (&table)[N], std::string_view text) {
  std::string allowed;
  for (const auto& entry : table) {
    if (text == entry.name) return entry.value;
    allowed += std::string(allowed.empty() ? "" : ", ") + entry.name;
  }
  throw std::invalid_argument("is '" + std::string(text) + "'; expected one of " + allowed);
}

}  // namespace semdraw
