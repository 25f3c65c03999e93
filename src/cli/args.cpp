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

namespace {

// Whole decimal digits with an optional leading minus; anything else (a
// fraction, an exponent, spaces, a '+') is not an integer option.
bool plain_integer_text(const std::string& text) {
  const size_t digits = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == digits) return false;
  for (size_t i = digits; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

}  // namespace

long long Args::integer(const std::string& name, long long fallback, long long lo, long long hi) const {
  const auto value = get(name);
  if (!value) return fallback;
  const std::string where = "option --" + name;
  if (!plain_integer_text(*value)) throw std::runtime_error(where + " expects a whole number, got '" + *value + "'");
  long long number = 0;
  bool overflow = false;  // beyond long long: past any range
  try {
    number = std::stoll(*value);
  } catch (const std::out_of_range&) {
    overflow = true;
  }
  if ((overflow && (*value)[0] != '-') || (!overflow && number > hi))
    throw std::runtime_error(where + " is too large: '" + *value + "' (at most " + std::to_string(hi) + ")");
  if (overflow || number < lo)
    throw std::runtime_error(where + " must be at least " + std::to_string(lo) + ", got '" + *value + "'");
  return number;
}

int Args::int_option(const std::string& name, int fallback, int lo, int hi) const {
  return static_cast<int>(integer(name, fallback, lo, hi));
}

uint64_t Args::seed(const std::string& name, uint64_t fallback) const {
  const auto value = get(name);
  if (!value) return fallback;
  const bool digits = plain_integer_text(*value) && (*value)[0] != '-';
  try {
    if (digits) return std::stoull(*value);
  } catch (const std::out_of_range&) {
  }
  throw std::runtime_error("option --" + name + " must be a whole number from 0 to 18446744073709551615, got '" +
                           *value + "'");
}

}  // namespace semdraw::cli
