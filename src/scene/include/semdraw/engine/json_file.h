#pragma once
// Reading a JSON file with errors an artist can act on: the file is named and
// a syntax error says where it is ("line 3, column 5").
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace semdraw {

// Throws std::runtime_error "FILE: cannot open WHAT" or "FILE: not valid JSON:
// at line L, column C: ...".
nlohmann::json read_json_file(const std::filesystem::path& file, const std::string& what);

// A JSON number with no fractional part (64 or 64.0 or 1.28e2; not 64.9, not
// NaN): what a field meant to hold a whole number accepts.
bool is_whole_number(const nlohmann::json& value);

// nlohmann's parse error without its "[json.exception.parse_error.101]" tag.
std::string json_syntax_problem(const nlohmann::json::parse_error& error);

}  // namespace semdraw
