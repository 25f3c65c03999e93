#include "nn/load_weights.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "nn/tensor_checks.h"

namespace semdraw::nn {

namespace {

void list_some(std::ostringstream& out, const char* label, const std::vector<std::string>& names) {
  if (names.empty()) return;
  constexpr size_t kShown = 5;
  out << "\n  " << names.size() << ' ' << label << ':';
  for (size_t i = 0; i < std::min(kShown, names.size()); ++i) out << "\n    " << names[i];
  if (names.size() > kShown) out << "\n    ... and " << names.size() - kShown << " more";
}
}  // namespace

io::StateDict module_state(const torch::nn::Module& module, const std::string& prefix) {
  io::StateDict state;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) state[prefix + item.key()] = item.value();
  for (const auto& item : module.named_buffers(/*recurse=*/true)) state[prefix + item.key()] = item.value();
  return state;
}

void load_weights(torch::nn::Module& module, const io::StateDict& weights, const std::string& prefix,
                  const std::string& what, const std::vector<std::string>& optional) {
  const io::StateDict targets = module_state(module);
  const std::set<std::string> tolerated(optional.begin(), optional.end());
  std::vector<std::string> missing, mis_shaped, unexpected;
  for (const auto& [name, target] : targets) {
    const auto found = weights.find(prefix + name);
    if (found == weights.end()) {
      if (!tolerated.count(name)) missing.push_back(prefix + name);
      continue;
    }
    if (found->second.sizes() != target.sizes()) {
      mis_shaped.push_back(prefix + name + " is " + shape_string(found->second.sizes()) + ", expected " +
                           shape_string(target.sizes()));
    }
  }
  for (auto it = weights.lower_bound(prefix); it != weights.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    if (!targets.count(it->first.substr(prefix.size()))) unexpected.push_back(it->first);
  }
  if (!missing.empty() || !mis_shaped.empty() || !unexpected.empty()) {
    std::ostringstream out;
    out << what << ": the weights do not match the network built from its config";
    list_some(out, "missing", missing);
    list_some(out, "with the wrong shape", mis_shaped);
    list_some(out, "unexpected", unexpected);
    throw std::runtime_error(out.str());
  }
  at::NoGradGuard no_grad;
  for (const auto& [name, target] : targets) {
    const auto found = weights.find(prefix + name);
    if (found == weights.end()) continue;
    const_cast<at::Tensor&>(target).copy_(found->second);
  }
}

}  // namespace semdraw::nn
