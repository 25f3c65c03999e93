// LoRA fusion at load against diffusers' load_lora_weights + fuse_lora(lora_scale=0.7)
// (tests/reference/lora_golden.py), through the real loading path:
// load_model_bundle with options.loras on the project's tiny seed-7 model.
// Three LoRAs: peft keys (lora_A/lora_B, mixed ranks, no alpha), the same with
// alphas in the file metadata (diffusers >= 0.34), and kohya keys
// (lora_unet_*/lora_te_* with alpha, fp16, 3x3-conv entries as in LCM-LoRA).
// Tolerance: fp32 on CPU, max abs error <= 1e-4 per network output.
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "io/lora.h"
#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "pipeline/model_bundle.h"
#include "semdraw/model_maker/make_model.h"
#include "support/tiny_model.h"

namespace {

using namespace semdraw;
namespace fs = std::filesystem;

class LoraParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    golden_ = new io::StateDict(io::load_safetensors(semdraw::testing::golden_dir("lora") / "golden.safetensors"));
    metadata_ = new std::map<std::string, std::string>(
        io::read_safetensors_header(semdraw::testing::golden_dir("lora") / "golden.safetensors").metadata);
  }
  static void TearDownTestSuite() {
    delete golden_;
    delete metadata_;
  }

  static pipeline::ModelBundle load(const std::vector<pipeline::LoraFile>& loras) {
    pipeline::ModelBundleOptions options;
    options.model = semdraw::test::tiny_model_dir();
    options.loras = loras;
    return pipeline::load_model_bundle(options);
  }

  static at::Tensor unet_out(pipeline::ModelBundle& bundle) {
    at::NoGradGuard no_grad;
    return bundle.unet->forward(golden_->at("sample"), golden_->at("timestep"), golden_->at("encoder_hidden_states"));
  }
  static at::Tensor text_out(pipeline::ModelBundle& bundle) {
    at::NoGradGuard no_grad;
    return bundle.text_encoder->forward(golden_->at("input_ids"));
  }

  // Fuses `file` at scale 0.7 and compares both networks with diffusers.
  static void check(const std::string& file, const std::string& name) {
    const double scale = std::stod(metadata_->at("scale"));
    ASSERT_DOUBLE_EQ(scale, 0.7);
    pipeline::ModelBundle bundle = load({{semdraw::testing::golden_dir("lora") / file, scale}});

    // The bundle says what it fused: every module, nothing unmatched.
    const std::string fused = "fused into " + metadata_->at(name + "_modules") + " weights";
    bool reported = false;
    for (const std::string& note : bundle.notes) {
      if (note.find(file) == std::string::npos) continue;
      reported = true;
      EXPECT_NE(note.find(fused), std::string::npos) << note;
      EXPECT_EQ(note.find("ignored"), std::string::npos) << note;
    }
    EXPECT_TRUE(reported) << "no note about " << file;

    const at::Tensor unet = unet_out(bundle);
    const at::Tensor text = text_out(bundle);
    EXPECT_LE(semdraw::testing::max_abs_error("lora " + name + " unet", unet, golden_->at("unet_" + name)), 1e-4);
    EXPECT_LE(semdraw::testing::max_abs_error("lora " + name + " text encoder", text, golden_->at("text_" + name)),
              1e-4);
    // The LoRA moved both networks far beyond the tolerance, so an unapplied
    // (or half-applied) LoRA cannot pass.
    EXPECT_GT((unet - golden_->at("unet_base")).abs().max().item<double>(), 0.1);
    EXPECT_GT((text - golden_->at("text_base")).abs().max().item<double>(), 0.1);
  }

  static io::StateDict* golden_;
  static std::map<std::string, std::string>* metadata_;
};

io::StateDict* LoraParity::golden_ = nullptr;
std::map<std::string, std::string>* LoraParity::metadata_ = nullptr;

// Guards the goldens: they were made from `make-model --preset tiny --seed 7`;
// if make-model's weights change, rerun tests/reference/lora_golden.py.
TEST_F(LoraParity, BaseModelIsTheOneTheGoldensWereMadeFrom) {
  pipeline::ModelBundle bundle = load({});
  EXPECT_LE(semdraw::testing::max_abs_error("lora base unet", unet_out(bundle), golden_->at("unet_base")), 1e-4)
      << "the tiny model differs from the one tests/reference/lora_golden.py used";
  EXPECT_LE(semdraw::testing::max_abs_error("lora base text encoder", text_out(bundle), golden_->at("text_base")),
            1e-4);
}

TEST_F(LoraParity, PeftKeysMatchDiffusers) { check("peft.safetensors", "peft"); }

TEST_F(LoraParity, KohyaKeysWithConvEntriesMatchDiffusers) { check("kohya.safetensors", "kohya"); }

// The peft tensors again with alphas (lora_alpha, alpha_pattern) in the file's metadata.
TEST_F(LoraParity, PeftAlphasFromFileMetadataMatchDiffusers) { check("peft_alpha.safetensors", "peft_alpha"); }

class LoraLoading : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("semdraw-lora-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string load_error(const fs::path& lora) {
    pipeline::ModelBundleOptions options;
    options.model = semdraw::test::tiny_model_dir();
    options.loras = {{lora, 1.0}};
    try {
      pipeline::load_model_bundle(options);
    } catch (const std::exception& error) {
      return error.what();
    }
    ADD_FAILURE() << "loading " << lora << " did not fail";
    return "";
  }
  fs::path dir_;
};

TEST_F(LoraLoading, AnSdxlLoraIsRefusedNamingTheFileAndTheKey) {
  const fs::path file = dir_ / "sdxl_lora.safetensors";
  io::save_safetensors(
      file, {
                {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_down.weight", at::ones({4, 640})},
                {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_up.weight", at::ones({640, 4})},
                {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.alpha", at::scalar_tensor(4.0)},
            });
  const std::string message = load_error(file);
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q"), std::string::npos) << message;
}

// make-model --lora writes a LoRA for its own model: every key must fuse.
TEST_F(LoraLoading, MakeModelsOwnLoraFusesCompletely) {
  MakeModelOptions made;
  made.preset = "tiny";
  made.seed = 7;
  made.out = (dir_ / "model").string();
  made.lora = (dir_ / "made_lora.safetensors").string();
  made.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
  make_model(made);
  const size_t keys = io::read_safetensors_header(made.lora).tensors.size();
  pipeline::ModelBundleOptions options;
  options.model = made.out;
  options.loras = {{made.lora, 0.5}};
  const pipeline::ModelBundle bundle = pipeline::load_model_bundle(options);
  const std::string expected = "(peft, scale 0.5): fused into " + std::to_string(keys / 2) + " weights";
  const auto note = std::find_if(bundle.notes.begin(), bundle.notes.end(),
                                 [&](const std::string& n) { return n.find(made.lora) != std::string::npos; });
  ASSERT_NE(note, bundle.notes.end());
  EXPECT_NE(note->find(expected), std::string::npos) << *note;
  EXPECT_EQ(note->find("ignored"), std::string::npos) << *note;
}

TEST_F(LoraLoading, APickleLoraIsRefusedLikeAPickleCheckpoint) {
  const fs::path file = dir_ / "lora.ckpt";
  std::ofstream(file, std::ios::binary) << std::string("\x80\x02}q\x00.", 6);
  const std::string message = load_error(file);
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("pickle"), std::string::npos) << message;
}

}  // namespace
