#include "cli/args.h"

#include <stdexcept>

namespace semdraw::cli {

Args::Args(const std::vector<std::string>& args, const std::set<std::string>& options,
           const std::set<std::string>& flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // "--name", "--name=value", or a one-letter "-o" that the command declares.
    const bool long_option = arg.rfind("--", 0) == 0 && arg != "--";
    const bool short_option = arg.size() == 2 && arg[0] == '-' && options.count(arg.substr(1));
    if (!long_option && !short_option) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(long_option ? 2 : 1), value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (options.count(name)) {
      if (i + 1 >= args.size()) throw std::runtime_error("option " + arg + " needs a value");
      value = args[++i];
    }
    if (!options.count(name) && !flags.count(name)) throw std::runtime_error("unknown option --" + name);
    values_[name] = value;
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  const auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

std::string Args::require(const std::string& name) const {
  auto value = get(name);
  if (!value || value->empty()) throw std::runtime_error("option --" + name + " is required");
  return *value;
}

long long Args::integer(const std::string& name, long long fallback) const {
  const auto value = get(name);
  if (!value) return fallback;
  try {
    size_t used = 0;
    const long long number = std::stoll(*value, &used);
    if (used != value->size()) throw std::invalid_argument("trailing characters");
    return number;
  } catch (const std::exception&) {
    throw std::runtime_error("option --" + name + " expects an integer, got '" + *value + "'");
  }
}

}  // namespace semdraw::cli
