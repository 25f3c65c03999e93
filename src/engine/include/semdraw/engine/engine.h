#pragma once
// The engine as the app and the CLI see it: torch-free (pimpl), one object
// per loaded model. Not thread-safe: one thread (the app's worker) owns it.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "semdraw/engine/scene.h"

namespace semdraw {

// Where the networks run. Auto: the CUDA GPU when one is usable, else the CPU.
enum class DeviceChoice { Auto, Cpu, Cuda };
// Compute dtype of the UNet and text encoder(s). Auto: fp16 on CUDA; on the
// CPU bf16 where it is computed in hardware (cpu_computes_bf16_natively(),
// about 2x faster), else fp32. Fp16 needs CUDA. Under fp16 the SD VAE stays
// fp32 (it overflows in fp16; bf16 has fp32's range and runs it in bf16).
enum class Precision { Auto, Fp32, Bf16, Fp16 };
// Their spellings ("auto", "cpu", "cuda"; "auto", "fp32", "bf16", "fp16"), as
// the CLI's options and the app's settings write them. The parsers throw
// std::invalid_argument "is '<text>'; expected one of ...".
std::string device_choice_name(DeviceChoice device);
DeviceChoice device_choice_from_name(std::string_view text);
std::string precision_name(Precision precision);
Precision precision_from_name(std::string_view text);

struct EngineOptions {
  std::string model;                                  // diffusers folder or single-file .safetensors
  std::string taesd;                                  // TAESD folder; empty: <model>/taesd when present
  std::vector<std::pair<std::string, double>> loras;  // (file, scale), fused at load
  DeviceChoice device = DeviceChoice::Auto;
  Precision precision = Precision::Auto;
  std::string resources_dir;  // bundled CLIP vocabulary for single-file models
  int clip_skip = 0;
  // On CUDA, replay the UNet from CUDA graphs captured per batch shape (much
  // faster at interactive sizes; costs the activations' memory per graph).
  bool cuda_graphs = true;
};

// The options with the environment's say applied: SEMDRAW_CUDA_GRAPHS=0 turns
// CUDA graphs off. The engine itself reads no environment; the app and the
// CLI call this where they build their options.
EngineOptions with_environment(EngineOptions options);

// How the UNet calls ran (for benchmarks and diagnostics).
struct UNetCallCounts {
  bool graphs = false;  // CUDA graphs in use (false: off, not CUDA, or a capture failed)
  int64_t eager = 0;
  int64_t graph_captures = 0;
  int64_t graph_replays = 0;
};

struct Frame {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // row-major RGB8
  uint64_t id = 0;           // increases by one per produced frame
  double denoise_ms = 0;     // UNet batch + scheduler + aggregation (device synchronised)
  double decode_ms = 0;      // latent -> pixels on the host
  double total_ms = 0;
};

// Thrown when the caller asked to stop: a progress callback returned false
// (a load or render the artist cancelled) or the interrupt hook fired. what()
// says what was stopped. Every cancellation is this type.
struct Cancelled : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown when the device (GPU or CPU) could not allocate memory, whatever
// LibTorch threw for it; what() keeps LibTorch's message. load(), render(),
// update(), step() and flush() throw it.
struct OutOfMemory : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Engine {
 public:
  // (stage, fraction); return false to cancel (load throws semdraw::Cancelled).
  using Progress = std::function<bool(const std::string& stage, double fraction)>;

  // Throws std::runtime_error with a message that names the file or field.
  static std::unique_ptr<Engine> load(const EngineOptions& options, const Progress& progress = {});
  ~Engine();

  // One-shot full-quality render ("Generate"), blocking. `progress` hears the
  // fraction done after every UNet call (each step, each tile); returning
  // false cancels the render, which then throws semdraw::Cancelled.
  using RenderProgress = std::function<bool(double fraction)>;
  Frame render(const Scene& scene, const RenderProgress& progress = {});

  // Live stream: update() records the latest scene (edits between two steps
  // merge); step() runs one UNet batch and returns one frame.
  void update(const Scene& scene);
  Frame step();
  // T steps, so the latest edit is fully visible in the next frame.
  void flush();
  int stream_steps() const;
  // Under LiveNoise::Settle: the scene has not changed for stream_steps()
  // calls, so step() would return the last frame again; nothing needs to run
  // until the next update() with a different scene.
  bool stream_settled() const;

  // Asked between the UNet's layers on the CPU, where one call can take many
  // seconds: when it returns true, the running render() or step() throws
  // semdraw::Cancelled, and a stream step stopped this way leaves the stream
  // as if it had not started. On CUDA a call takes milliseconds and is not
  // interrupted (render()'s progress still stops between calls). The function
  // is called on the engine's thread; it typically reads an atomic flag.
  void set_interrupt(std::function<bool()> requested);

  std::string device_name() const;  // "cuda" | "cpu"
  // The networks' compute dtype: "fp16", "bf16" or "fp32", with " (VAE fp32)"
  // when the full VAE is kept in fp32 (configs with force_upcast).
  std::string dtype_name() const;
  // The sampler a scene's SamplerChoice::ModelDefault runs on this model, and
  // why ("SDXL-Lightning LoRA sdxl_lightning_4step_lora.safetensors").
  SamplerChoice default_sampler() const;
  std::string default_sampler_reason() const;
  std::vector<std::string> take_warnings();
  UNetCallCounts unet_calls() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace semdraw
