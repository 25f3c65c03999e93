#pragma once
// A small "--name value" argument reader shared by the subcommands, so every
// command reports unknown or malformed options the same way.
#include <climits>
#include <cstdint>
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
  // An integer option in [lo, hi] (fallback when absent). Fractions, trailing
  // text and values out of range are refused with a message naming the option
  // and the range: nothing is truncated or wrapped.
  long long integer(const std::string& name, long long fallback, long long lo = LLONG_MIN,
                    long long hi = LLONG_MAX) const;
  // The same for a C++ int (the range defaults to int's).
  int int_option(const std::string& name, int fallback, int lo = INT_MIN, int hi = INT_MAX) const;
  // A seed: any integer from 0 to 2^64 - 1.
  uint64_t seed(const std::string& name, uint64_t fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace semdraw::cli
