#include "runtime/graphed_call.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace semdraw {

namespace {
// Signatures seen but not captured are remembered only this far back.
constexpr size_t kMaxRemembered = 16;
}  // namespace

std::string tensor_signature(const std::vector<at::Tensor>& inputs) {
  std::ostringstream out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i) out << "; ";
    const at::Tensor& t = inputs[i];
    out << t.sizes() << ' ' << t.scalar_type() << ' ' << t.device();
  }
  return out.str();
}

#ifndef SEMDRAW_HAVE_CUDA
std::unique_ptr<GraphBackend> make_cuda_graph_backend() { return nullptr; }
#endif

GraphedCall::GraphedCall(TensorFunction fn, std::unique_ptr<GraphBackend> backend, GraphedCallOptions options)
    : fn_(std::move(fn)), backend_(std::move(backend)), options_(options) {
  options_.capacity = std::max(options_.capacity, 0);
  options_.capture_after = std::max(options_.capture_after, 0);
  if (!backend_ || options_.capacity == 0) stats_.disabled = true;
}

// Graphs go before anything they were captured from could (declaration order
// already ensures that; spelled out because it matters).
GraphedCall::~GraphedCall() { entries_.clear(); }

GraphedCall::Entry& GraphedCall::find_or_add(const std::string& signature) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.signature == signature; });
  if (it == entries_.end()) {
    entries_.push_front(Entry{signature, 0, nullptr});
    // Forget the oldest signatures that never got a graph.
    if (entries_.size() > kMaxRemembered) {
      for (auto last = std::prev(entries_.end()); last != entries_.begin(); --last) {
        if (!last->graph) {
          entries_.erase(last);
          break;
        }
      }
    }
  } else if (it != entries_.begin()) {
    entries_.splice(entries_.begin(), entries_, it);
  }
  return entries_.front();
}

void GraphedCall::make_room() {
  const auto captured =
      std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.graph != nullptr; });
  if (captured < options_.capacity) return;
  // The least recently used graph, searching from the back (the new entry is
  // at the front and has none yet).
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->graph) {
      it->graph.reset();
      it->eager_calls = 0;
      ++stats_.evictions;
      return;
    }
  }
}

at::Tensor GraphedCall::capture_and_run(Entry& entry, const std::vector<at::Tensor>& inputs) {
  make_room();
  try {
    entry.graph = backend_->capture(fn_, inputs);
  } catch (const std::exception& error) {
    entry.graph.reset();
    stats_.disabled = true;
    for (Entry& e : entries_) e.graph.reset();
    warnings_.push_back(std::string("CUDA graphs are off for this model: capturing the UNet for ") + entry.signature +
                        " failed (" + error.what() + "); it runs op by op, which is slower but the same");
    ++stats_.eager;
    return fn_(inputs);
  }
  ++stats_.captures;
  ++stats_.replays;
  return entry.graph->replay(inputs);
}

at::Tensor GraphedCall::operator()(const std::vector<at::Tensor>& inputs) {
  if (stats_.disabled || !backend_->accepts(inputs)) {
    ++stats_.eager;
    return fn_(inputs);
  }
  Entry& entry = find_or_add(tensor_signature(inputs));
  if (entry.graph) {
    ++stats_.replays;
    return entry.graph->replay(inputs);
  }
  if (entry.eager_calls >= options_.capture_after) return capture_and_run(entry, inputs);
  ++entry.eager_calls;
  ++stats_.eager;
  return fn_(inputs);
}

std::vector<std::string> GraphedCall::take_warnings() { return std::exchange(warnings_, {}); }

}  // namespace semdraw
