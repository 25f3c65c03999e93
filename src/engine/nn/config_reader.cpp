#include "nn/config_reader.h"

#include "semdraw/engine/json_file.h"

namespace semdraw::nn {

ConfigReader::ConfigReader(nlohmann::json json, std::string source)
    : json_(std::move(json)), source_(std::move(source)) {
  if (!json_.is_object()) throw std::runtime_error(source_ + ": expected a JSON object");
}

ConfigReader ConfigReader::from_file(const std::filesystem::path& file) {
  nlohmann::json json = read_json_file(file, "config");
  return ConfigReader(std::move(json), file.string());
}

}  // namespace semdraw::nn
