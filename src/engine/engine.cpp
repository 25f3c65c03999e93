#include "semdraw/engine/engine.h"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "family/family_parts.h"
#include "pipeline/model_bundle.h"
#include "pipeline/one_shot.h"
#include "pipeline/scene_tensors.h"
#include "pipeline/stream_batch.h"
#include "runtime/graphed_call.h"
#include "runtime/out_of_memory.h"
#include "runtime/synchronize.h"
#include "semdraw/engine/device.h"
#include "semdraw/engine/enum_names.h"

namespace semdraw {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

at::Device choose_device(DeviceChoice choice) {
  switch (choice) {
    case DeviceChoice::Cpu: return at::kCPU;
    case DeviceChoice::Cuda:
      if (!at::hasCUDA()) throw std::runtime_error("--device cuda: this build or machine has no usable CUDA GPU");
      return at::Device(at::kCUDA, 0);
    case DeviceChoice::Auto: break;
  }
  return at::hasCUDA() ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
}

at::ScalarType choose_dtype(Precision precision, const at::Device& device) {
  switch (precision) {
    case Precision::Fp32: return at::kFloat;
    case Precision::Bf16: return at::kBFloat16;
    case Precision::Fp16:
      if (!device.is_cuda()) throw std::runtime_error("precision fp16 needs a CUDA GPU; on the CPU use bf16 or fp32");
      return at::kHalf;
    case Precision::Auto: break;
  }
  if (device.is_cuda()) return at::kHalf;
  return cpu_computes_bf16_natively() ? at::kBFloat16 : at::kFloat;
}

constexpr EnumName<DeviceChoice> kDeviceNames[] = {
    {DeviceChoice::Auto, "auto"}, {DeviceChoice::Cpu, "cpu"}, {DeviceChoice::Cuda, "cuda"}};
constexpr EnumName<Precision> kPrecisionNames[] = {
    {Precision::Auto, "auto"}, {Precision::Fp32, "fp32"}, {Precision::Bf16, "bf16"}, {Precision::Fp16, "fp16"}};
}  // namespace

struct Engine::Impl {
  pipeline::ModelBundle bundle;
  pipeline::UNetCall unet;  // bundle.unet, through CUDA graphs where they serve
  std::function<bool()> interrupt;
  // What the model's family runs on: its denoiser (calling `unet`), text conditioner and scheduler.
  family::FamilyParts family_parts;
  std::unique_ptr<pipeline::KlCodec> full_codec;
  std::unique_ptr<pipeline::TaesdCodec> taesd_codec;
  std::unique_ptr<pipeline::StreamBatch> stream;
  VaeChoice stream_vae = VaeChoice::Taesd;
  uint64_t frames = 0;
  std::vector<std::string> warnings;

  pipeline::LatentCodec* codec(VaeChoice choice) {
    if (choice == VaeChoice::Taesd && taesd_codec) return taesd_codec.get();
    return full_codec.get();
  }

  void make_stream(VaeChoice vae) {
    stream = std::make_unique<pipeline::StreamBatch>(family_parts.models(codec(vae)));
    stream_vae = vae;
  }

  Frame to_frame(const at::Tensor& image) {
    const RgbImage rgb = pipeline::tensor_to_image(image);
    Frame frame;
    frame.width = rgb.width;
    frame.height = rgb.height;
    frame.rgb = rgb.pixels;
    frame.id = ++frames;
    return frame;
  }
};

std::string device_choice_name(DeviceChoice device) { return name_of(kDeviceNames, device); }
DeviceChoice device_choice_from_name(std::string_view text) { return value_of(kDeviceNames, text); }
std::string precision_name(Precision precision) { return name_of(kPrecisionNames, precision); }
Precision precision_from_name(std::string_view text) { return value_of(kPrecisionNames, text); }

EngineOptions with_environment(EngineOptions options) {
  const char* graphs = std::getenv("SEMDRAW_CUDA_GRAPHS");
  if (graphs && std::string_view(graphs) == "0") options.cuda_graphs = false;
  return options;
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::load(const EngineOptions& options, const Progress& progress) {
  pipeline::ModelBundleOptions bundle_options;
  bundle_options.model = options.model;
  bundle_options.taesd = options.taesd;
  for (const auto& [path, scale] : options.loras) bundle_options.loras.push_back({path, scale});
  bundle_options.resources_dir = options.resources_dir;
  bundle_options.device = choose_device(options.device);
  bundle_options.dtype = choose_dtype(options.precision, bundle_options.device);
  bundle_options.clip_skip = options.clip_skip;

  auto impl = std::make_unique<Impl>();
  impl->bundle =
      runtime::reporting_out_of_memory([&] { return pipeline::load_model_bundle(bundle_options, progress); });
  auto& bundle = impl->bundle;
  impl->warnings = bundle.notes;
  impl->unet = bundle.device.is_cuda() && options.cuda_graphs
                   ? pipeline::UNetCall(bundle.unet, make_cuda_graph_backend())
                   : pipeline::UNetCall(bundle.unet);
  impl->family_parts = family::make_family_parts(bundle, impl->unet, options.clip_skip);
  impl->full_codec = std::make_unique<pipeline::KlCodec>(bundle.vae);
  if (bundle.taesd) impl->taesd_codec = std::make_unique<pipeline::TaesdCodec>(bundle.taesd);
  impl->make_stream(VaeChoice::Taesd);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Frame Engine::render(const Scene& scene, const RenderProgress& progress) {
  return runtime::reporting_out_of_memory([&] {
    const auto start = Clock::now();
    const pipeline::PipelineModels models = impl_->family_parts.models(impl_->full_codec.get());
    pipeline::NoiseSource noise(scene.settings.seed);
    pipeline::OneShotOptions options;
    options.progress = progress;
    const auto result = pipeline::render_one_shot(models, scene, noise, options);
    Frame frame = impl_->to_frame(result.image);
    frame.denoise_ms = result.denoise_ms;
    frame.decode_ms = result.decode_ms;
    frame.total_ms = ms_since(start);
    return frame;
  });
}

void Engine::update(const Scene& scene) {
  runtime::reporting_out_of_memory([&] {
    if (scene.settings.vae != impl_->stream_vae) {
      // Validate before replacing the stream, so a bad scene leaves the
      // running stream as it was.
      Scene checked = scene;
      validate_scene(checked);
      impl_->make_stream(scene.settings.vae);
    }
    impl_->stream->update(scene);
  });
}

Frame Engine::step() {
  return runtime::reporting_out_of_memory([&] {
    const auto start = Clock::now();
    const at::Tensor latent = impl_->stream->step();
    // CUDA runs the step asynchronously: wait for it, so the split between
    // denoise and decode is the device's (the decode would wait anyway).
    synchronize(impl_->bundle.device);
    const double denoise_ms = ms_since(start);
    const auto decode_start = Clock::now();
    Frame frame = impl_->to_frame(impl_->stream->decode(latent));
    frame.decode_ms = ms_since(decode_start);
    frame.denoise_ms = denoise_ms;
    frame.total_ms = ms_since(start);
    return frame;
  });
}

void Engine::flush() {
  runtime::reporting_out_of_memory([&] { impl_->stream->flush(); });
}

int Engine::stream_steps() const { return impl_->stream->step_count(); }

bool Engine::stream_settled() const { return impl_->stream->settled(); }

void Engine::set_interrupt(std::function<bool()> requested) {
  impl_->interrupt = std::move(requested);
  if (impl_->bundle.device.is_cuda()) return;
  Impl* impl = impl_.get();  // owns the UNet, so it outlives the hook
  impl_->bundle.unet->set_between_layers([impl] {
    if (impl->interrupt && impl->interrupt()) throw Cancelled("stopped inside a UNet call");
  });
}

std::string Engine::device_name() const { return impl_->bundle.device.is_cuda() ? "cuda" : "cpu"; }

std::string Engine::dtype_name() const {
  const auto name = [](at::ScalarType dtype) -> std::string {
    if (dtype == at::kHalf) return "fp16";
    if (dtype == at::kBFloat16) return "bf16";
    if (dtype == at::kFloat) return "fp32";
    return at::toString(dtype);
  };
  const auto& bundle = impl_->bundle;
  std::string out = name(bundle.dtype);
  const auto vae = bundle.vae->parameters();
  if (!vae.empty() && vae.front().scalar_type() != bundle.dtype)
    out += " (VAE " + name(vae.front().scalar_type()) + ")";
  return out;
}

SamplerChoice Engine::default_sampler() const { return impl_->bundle.default_sampler.sampler; }

std::string Engine::default_sampler_reason() const { return impl_->bundle.default_sampler.reason; }

std::vector<std::string> Engine::take_warnings() {
  auto out = std::exchange(impl_->warnings, {});
  for (const auto& more : {impl_->stream->take_warnings(), impl_->unet.take_warnings()})
    out.insert(out.end(), more.begin(), more.end());
  return out;
}

UNetCallCounts Engine::unet_calls() const {
  const GraphedCallStats stats = impl_->unet.stats();
  UNetCallCounts counts;
  counts.graphs = !stats.disabled;
  counts.eager = stats.eager;
  counts.graph_captures = stats.captures;
  counts.graph_replays = stats.replays;
  return counts;
}

}  // namespace semdraw
