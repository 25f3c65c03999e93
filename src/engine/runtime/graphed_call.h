#pragma once
// Runs a tensor function either eagerly or by replaying a CUDA graph captured
// for the inputs' signature (sizes, dtypes, devices).
//
// Why: at the sizes artists work at, one SD1.5 UNet call on a fast GPU is
// ~2,000 small kernels, and issuing them one by one from the CPU takes longer
// than running them (H100: a batch of 5 costs the same 25 ms as a batch of 1).
// A captured graph issues them all at once.
//
// Policy: a signature runs eagerly `capture_after` times before it is captured
// (a region count the artist passes through on the way to another is never
// captured); at most `capacity` graphs live at once (each holds the memory of
// its activations), the least recently used goes first. A capture that fails
// turns graphs off for good and the call runs eagerly, with a warning.
#include <ATen/ATen.h>

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

namespace semdraw {

using TensorFunction = std::function<at::Tensor(const std::vector<at::Tensor>&)>;

// How a call is captured and replayed. The CUDA one is make_cuda_graph_backend().
class GraphBackend {
 public:
  class Captured {
   public:
    virtual ~Captured() = default;
    // Runs the captured call on these inputs (same signature as captured).
    virtual at::Tensor replay(const std::vector<at::Tensor>& inputs) = 0;
  };
  virtual ~GraphBackend() = default;
  // Whether calls on these inputs can be captured at all (e.g. all on CUDA).
  virtual bool accepts(const std::vector<at::Tensor>& inputs) const = 0;
  // Throws when the function cannot be captured.
  virtual std::unique_ptr<Captured> capture(const TensorFunction& fn, const std::vector<at::Tensor>& inputs) = 0;
};

// A CUDA-graph backend, or nullptr in builds without CUDA.
std::unique_ptr<GraphBackend> make_cuda_graph_backend();

struct GraphedCallOptions {
  int capacity = 2;
  int capture_after = 2;
};

struct GraphedCallStats {
  int64_t eager = 0;     // calls run op by op
  int64_t captures = 0;  // graphs captured
  int64_t replays = 0;   // calls served by a graph (the capturing call included)
  int64_t evictions = 0;
  bool disabled = false;  // a capture failed: everything runs eagerly
};

// "[2,4,64,64] Half cuda:0; [2] Long cuda:0"
std::string tensor_signature(const std::vector<at::Tensor>& inputs);

class GraphedCall {
 public:
  // backend may be null: every call is eager.
  GraphedCall(TensorFunction fn, std::unique_ptr<GraphBackend> backend, GraphedCallOptions options = {});
  ~GraphedCall();

  at::Tensor operator()(const std::vector<at::Tensor>& inputs);

  const GraphedCallStats& stats() const { return stats_; }
  std::vector<std::string> take_warnings();

 private:
  struct Entry {
    std::string signature;
    int eager_calls = 0;
    std::unique_ptr<GraphBackend::Captured> graph;
  };
  Entry& find_or_add(const std::string& signature);
  void make_room();
  at::Tensor capture_and_run(Entry& entry, const std::vector<at::Tensor>& inputs);

  TensorFunction fn_;
  std::unique_ptr<GraphBackend> backend_;
  GraphedCallOptions options_;
  std::list<Entry> entries_;  // most recently used first
  GraphedCallStats stats_;
  std::vector<std::string> warnings_;
};

}  // namespace semdraw
