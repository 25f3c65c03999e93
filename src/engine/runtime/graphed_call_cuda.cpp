// The CUDA-graph backend of GraphedCall; only in builds linked against
// LibTorch's CUDA library (graphed_call.cpp has the CPU-build stub).
#ifdef SEMDRAW_HAVE_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <algorithm>

#include "runtime/graphed_call.h"

namespace semdraw {

namespace {

// The graph reads its inputs from, and writes its output to, fixed tensors:
// a replay copies the new inputs in and clones the output out (the next
// replay overwrites it; callers keep results across calls).
class CudaCaptured : public GraphBackend::Captured {
 public:
  at::Tensor replay(const std::vector<at::Tensor>& inputs) override {
    for (size_t i = 0; i < inputs.size(); ++i) static_inputs_[i].copy_(inputs[i]);
    graph_->replay();
    return static_output_.clone();
  }

  std::unique_ptr<at::cuda::CUDAGraph> graph_;
  std::vector<at::Tensor> static_inputs_;
  at::Tensor static_output_;
};

class CudaGraphBackend : public GraphBackend {
 public:
  bool accepts(const std::vector<at::Tensor>& inputs) const override {
    return std::all_of(inputs.begin(), inputs.end(), [](const at::Tensor& t) { return t.defined() && t.is_cuda(); });
  }

  std::unique_ptr<Captured> capture(const TensorFunction& fn, const std::vector<at::Tensor>& inputs) override {
    auto captured = std::make_unique<CudaCaptured>();
    for (const at::Tensor& input : inputs) captured->static_inputs_.push_back(input.clone());

    // Capture needs a stream of its own; it starts once the inputs are there.
    const c10::cuda::CUDAStream caller = c10::cuda::getCurrentCUDAStream();
    const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool();
    at::cuda::CUDAEvent inputs_ready;
    inputs_ready.record(caller);
    inputs_ready.block(side);
    {
      const c10::cuda::CUDAStreamGuard on_side(side);
      // One eager run on the capture stream first: libraries set themselves
      // up per stream on first use (cuBLAS workspaces, cuDNN plans), which
      // must not happen inside a capture.
      fn(captured->static_inputs_);
      captured->graph_ = std::make_unique<at::cuda::CUDAGraph>();
      captured->graph_->capture_begin();
      try {
        captured->static_output_ = fn(captured->static_inputs_);
      } catch (...) {
        try {
          captured->graph_->capture_end();  // leave the stream out of capture mode
        } catch (...) {
        }
        throw;
      }
      captured->graph_->capture_end();
    }
    // Replays run on the caller's stream: after the warm-up has finished.
    at::cuda::CUDAEvent side_done;
    side_done.record(side);
    side_done.block(caller);
    return captured;
  }
};

}  // namespace

std::unique_ptr<GraphBackend> make_cuda_graph_backend() { return std::make_unique<CudaGraphBackend>(); }

}  // namespace semdraw
#endif
