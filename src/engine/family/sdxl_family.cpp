#include "family/sdxl_family.h"

#include "family/sd15_family.h"
#include "family/sdxl_denoiser.h"
#include "family/sdxl_text_conditioner.h"
#include "pipeline/model_bundle.h"

namespace semdraw::family {

namespace fs = std::filesystem;

namespace {
class SdxlFamily final : public ModelFamily {
 public:
  std::string name() const override { return "SDXL"; }
  std::string taesd_variant() const override { return "TAESDXL (madebyollin/taesdxl)"; }
  // A diffusers folder with a second text encoder. (SDXL single files are
  // refused before loading, by io/checkpoint_family.cpp.)
  bool recognises(const fs::path& model, io::CheckpointLayout layout) const override {
    std::error_code ec;
    return layout == io::CheckpointLayout::kDiffusersFolder && fs::is_directory(model / "text_encoder_2", ec);
  }
  void load_text_encoders(pipeline::ModelBundle& bundle, const LoadContext& context) const override {
    load_first_clip_text_encoder(bundle, context);
    const fs::path second = context.model / "text_encoder_2";
    bundle.tokenizer_2 =
        std::make_unique<text::ClipTokenizer>(text::ClipTokenizer::from_folder(context.model / "tokenizer_2"));
    bundle.text_encoder_2 = nn::ClipTextEncoder(nn::ClipTextConfig::from_file(second / "config.json"));
    context.load(*bundle.text_encoder_2, io::kTextEncoder2Prefix, second.string(),
                 nn::ClipTextEncoderImpl::optional_weights());
  }
  std::unique_ptr<Denoiser> make_denoiser(const pipeline::ModelBundle&, pipeline::UNetCall unet) const override {
    return std::make_unique<SdxlDenoiser>(std::move(unet));
  }
  std::unique_ptr<TextConditioner> make_text_conditioner(const pipeline::ModelBundle& bundle,
                                                         int clip_skip) const override {
    return std::make_unique<SdxlTextConditioner>(bundle.tokenizer.get(), bundle.text_encoder, bundle.tokenizer_2.get(),
                                                 bundle.text_encoder_2, bundle.device, bundle.dtype, clip_skip);
  }
};
}  // namespace

const ModelFamily& sdxl_family() {
  static const SdxlFamily family{};
  return family;
}

}  // namespace semdraw::family
