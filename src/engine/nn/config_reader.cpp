#include "nn/config_reader.h"

#include <fstream>

namespace semdraw::nn {

ConfigReader::ConfigReader(nlohmann::json json, std::string source)
    : json_(std::move(json)), source_(std::move(source)) {
  if (!json_.is_object()) throw std::runtime_error(source_ + ": expected a JSON object");
}

ConfigReader ConfigReader::from_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open config");
  nlohmann::json json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) throw std::runtime_error(file.string() + ": not valid JSON");
  return ConfigReader(std::move(json), file.string());
}

}  // namespace semdraw::nn
