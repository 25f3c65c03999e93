#pragma once
// A small "--name value" argument reader shared by the subcommands, so every
// command reports unknown or malformed options the same way.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace semdraw::cli {

class Args {
 public:
  // `flags` take no value; `options` take one. Everything not starting with
  // "--" is positional. Throws std::runtime_error on unknown options.
  Args(const std::vector<std::string>& args, const std::set<std::string>& options,
       const std::set<std::string>& flags = {});

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  long long integer(const std::string& name, long long fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace semdraw::cli
