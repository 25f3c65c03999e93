#include "semdraw/engine/json_file.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace semdraw {

bool is_whole_number(const nlohmann::json& value) {
  if (!value.is_number()) return false;
  if (value.is_number_integer()) return true;
  const double number = value.get<double>();
  return std::isfinite(number) && number == std::floor(number);
}

std::string json_syntax_problem(const nlohmann::json::parse_error& error) {
  const std::string what = error.what();
  const size_t tag_end = what.find("] ");
  return tag_end == std::string::npos ? what : what.substr(tag_end + 2);
}

nlohmann::json read_json_file(const std::filesystem::path& file, const std::string& what) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open " + what);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    throw std::runtime_error(file.string() + ": not valid JSON: " + json_syntax_problem(error));
  }
}

}  // namespace semdraw
