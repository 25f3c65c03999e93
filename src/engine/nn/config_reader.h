#pragma once
// Reads a diffusers/transformers config.json with errors that name the file
// and the field, so a hand-edited or truncated config is easy to fix.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace semdraw::nn {

class ConfigReader {
 public:
  // Parses the file; throws std::runtime_error("<file>: ...") if it is
  // missing, unreadable, not JSON or not a JSON object.
  static ConfigReader from_file(const std::filesystem::path& file);
  ConfigReader(nlohmann::json json, std::string source);

  // Required field: throws "<file>: field 'name' is missing" or
  // "<file>: field 'name' should be <type>: <why>".
  template <typename T>
  T get(const std::string& name) const {
    if (!json_.contains(name) || json_.at(name).is_null()) fail(name, "is missing");
    return convert<T>(name);
  }
  // Optional field with a default (also used when the field is null).
  template <typename T>
  T get_or(const std::string& name, T fallback) const {
    if (!json_.contains(name) || json_.at(name).is_null()) return fallback;
    return convert<T>(name);
  }
  bool has(const std::string& name) const { return json_.contains(name) && !json_.at(name).is_null(); }
  const nlohmann::json& json() const { return json_; }
  const std::string& source() const { return source_; }

  [[noreturn]] void fail(const std::string& name, const std::string& problem) const {
    throw std::runtime_error(source_ + ": field '" + name + "' " + problem);
  }

 private:
  template <typename T>
  T convert(const std::string& name) const {
    try {
      return json_.at(name).get<T>();
    } catch (const nlohmann::json::exception& error) {
      fail(name, std::string("has the wrong type (") + error.what() + ")");
    }
  }

  nlohmann::json json_;
  std::string source_;
};

}  // namespace semdraw::nn
