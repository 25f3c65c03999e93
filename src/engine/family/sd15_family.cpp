#include "family/sd15_family.h"

#include "family/sd15_text_conditioner.h"
#include "family/unet_denoiser.h"
#include "pipeline/model_bundle.h"

namespace semdraw::family {

namespace fs = std::filesystem;

namespace {
text::ClipTokenizer tokenizer_for(const LoadContext& context) {
  if (context.layout == io::CheckpointLayout::kDiffusersFolder)
    return text::ClipTokenizer::from_folder(context.model / "tokenizer");
  if (context.resources_dir.empty()) {
    throw std::runtime_error(context.model.string() +
                             ": a single-file checkpoint needs the bundled CLIP vocabulary "
                             "(resources/clip), but no resources folder was given");
  }
  return text::ClipTokenizer::bundled(context.resources_dir);
}

class Sd15Family final : public ModelFamily {
 public:
  std::string name() const override { return "SD1.5"; }
  std::string taesd_variant() const override { return "TAESD (madebyollin/taesd)"; }
  // Whatever no other family took: an SD1.x folder or single file (the
  // loader names what is missing from anything else).
  bool recognises(const fs::path&, io::CheckpointLayout) const override { return true; }
  void load_text_encoders(pipeline::ModelBundle& bundle, const LoadContext& context) const override {
    load_first_clip_text_encoder(bundle, context);
  }
  std::unique_ptr<Denoiser> make_denoiser(const pipeline::ModelBundle&, pipeline::UNetCall unet) const override {
    return std::make_unique<UNetDenoiser>(std::move(unet));
  }
  std::unique_ptr<TextConditioner> make_text_conditioner(const pipeline::ModelBundle& bundle,
                                                         int clip_skip) const override {
    return std::make_unique<Sd15TextConditioner>(bundle.tokenizer.get(), bundle.text_encoder, bundle.device,
                                                 bundle.dtype, clip_skip);
  }
};
}  // namespace

const ModelFamily& sd15_family() {
  static const Sd15Family family{};
  return family;
}

void load_first_clip_text_encoder(pipeline::ModelBundle& bundle, const LoadContext& context) {
  bundle.tokenizer = std::make_unique<text::ClipTokenizer>(tokenizer_for(context));
  bundle.text_encoder = nn::ClipTextEncoder(nn::ClipTextConfig::from_reader(context.text_encoder));
  context.load(*bundle.text_encoder, "text_encoder.", (context.model / "text_encoder").string(),
               nn::ClipTextEncoderImpl::optional_weights());
}

}  // namespace semdraw::family
