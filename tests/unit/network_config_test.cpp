// Bad input for the text encoder / VAE / TAESD: a config.json with a missing
// or wrong field names the file and the field; weights made for a different
// configuration give one error listing what is missing / mis-shaped.
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "io/safetensors.h"
#include "nn/autoencoder_kl.h"
#include "nn/clip_text_encoder.h"
#include "nn/load_weights.h"
#include "nn/taesd.h"

namespace {

namespace fs = std::filesystem;
using namespace semdraw;

fs::path data_dir(const std::string& topic) { return fs::path(SEMDRAW_SOURCE_DIR) / "tests" / "data" / topic; }

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

// Writes `json` as config.json in a per-test folder and returns its path.
class ConfigFile {
 public:
  explicit ConfigFile(const nlohmann::json& json) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("semdraw-net-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    fs::create_directories(dir_);
    path_ = dir_ / "config.json";
    std::ofstream(path_) << json.dump(1);
  }
  ~ConfigFile() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path dir_, path_;
};

template <typename Parse>
std::string error_of(Parse parse) {
  try {
    parse();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

template <typename Config>
void expect_field_error(const std::string& topic, const std::string& field, const nlohmann::json& value,
                        const std::string& problem) {
  nlohmann::json json = read_json(data_dir(topic) / "config.json");
  if (value.is_discarded()) {
    json.erase(field);
  } else {
    json[field] = value;
  }
  const ConfigFile file(json);
  const std::string message = error_of([&] { Config::from_file(file.path()); });
  EXPECT_NE(message.find(file.path().string()), std::string::npos) << message;
  EXPECT_NE(message.find("'" + field + "'"), std::string::npos) << message;
  EXPECT_NE(message.find(problem), std::string::npos) << message;
}

const nlohmann::json kRemove = nlohmann::json(nlohmann::json::value_t::discarded);

TEST(NetworkConfig, CommittedConfigsParse) {
  EXPECT_EQ(nn::ClipTextConfig::from_file(data_dir("clip_text") / "config.json").hidden_act, "quick_gelu");
  EXPECT_EQ(nn::AutoencoderKLConfig::from_file(data_dir("vae") / "config.json").block_out_channels,
            (std::vector<int64_t>{32, 64}));
  EXPECT_EQ(nn::TaesdConfig::from_file(data_dir("taesd") / "config.json").num_decoder_blocks,
            (std::vector<int64_t>{2, 2, 2, 1}));
}

TEST(NetworkConfig, MissingFieldsAreNamed) {
  expect_field_error<nn::ClipTextConfig>("clip_text", "hidden_size", kRemove, "is missing");
  expect_field_error<nn::ClipTextConfig>("clip_text", "num_hidden_layers", kRemove, "is missing");
  expect_field_error<nn::AutoencoderKLConfig>("vae", "block_out_channels", kRemove, "is missing");
  expect_field_error<nn::AutoencoderKLConfig>("vae", "latent_channels", kRemove, "is missing");
  expect_field_error<nn::TaesdConfig>("taesd", "encoder_block_out_channels", kRemove, "is missing");
}

TEST(NetworkConfig, WrongValuesAreNamed) {
  expect_field_error<nn::ClipTextConfig>("clip_text", "num_attention_heads", "four", "wrong type");
  expect_field_error<nn::ClipTextConfig>("clip_text", "num_attention_heads", 5, "must divide");
  expect_field_error<nn::ClipTextConfig>("clip_text", "hidden_act", "swish", "supported");
  expect_field_error<nn::AutoencoderKLConfig>("vae", "norm_num_groups", 24, "must divide");
  expect_field_error<nn::AutoencoderKLConfig>("vae", "down_block_types",
                                              nlohmann::json::array({"DownEncoderBlock2D", "AttnDownEncoderBlock2D"}),
                                              "only DownEncoderBlock2D");
  expect_field_error<nn::TaesdConfig>("taesd", "act_fn", "silu", "only relu");
  expect_field_error<nn::TaesdConfig>("taesd", "num_encoder_blocks", nlohmann::json::array({1, 2}), "one entry per");
}

std::string load_error(torch::nn::Module& module, const fs::path& weights,
                       const std::vector<std::string>& optional = {}) {
  return error_of([&] { nn::load_weights(module, io::load_safetensors(weights), "", "test network", optional); });
}

TEST(NetworkWeights, TextEncoderWithMoreLayersListsTheMissingOnes) {
  auto config = nn::ClipTextConfig::from_file(data_dir("clip_text") / "config.json");
  config.num_hidden_layers = 3;
  nn::ClipTextEncoder encoder(config);
  const std::string message =
      load_error(*encoder, data_dir("clip_text") / "model.safetensors", nn::ClipTextEncoderImpl::optional_weights());
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
  EXPECT_NE(message.find("text_model.encoder.layers.2."), std::string::npos) << message;
}

TEST(NetworkWeights, TextEncoderOfAnotherWidthListsMisShapedWeights) {
  auto config = nn::ClipTextConfig::from_file(data_dir("clip_text") / "config.json");
  config.intermediate_size = 40;
  nn::ClipTextEncoder encoder(config);
  const std::string message =
      load_error(*encoder, data_dir("clip_text") / "model.safetensors", nn::ClipTextEncoderImpl::optional_weights());
  EXPECT_NE(message.find("wrong shape"), std::string::npos) << message;
  EXPECT_NE(message.find("mlp.fc1.weight is [37,32], expected [40,32]"), std::string::npos) << message;
}

TEST(NetworkWeights, VaeOfAnotherConfigListsMissingAndMisShaped) {
  auto config = nn::AutoencoderKLConfig::from_file(data_dir("vae") / "config.json");
  config.block_out_channels = {32, 32, 64};
  nn::AutoencoderKL vae(config);
  const std::string message = load_error(*vae, data_dir("vae") / "diffusion_pytorch_model.safetensors");
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
  EXPECT_NE(message.find("wrong shape"), std::string::npos) << message;
}

TEST(NetworkWeights, VaeWithoutMidAttentionReportsTheUnexpectedWeights) {
  auto config = nn::AutoencoderKLConfig::from_file(data_dir("vae") / "config.json");
  config.mid_block_add_attention = false;
  nn::AutoencoderKL vae(config);
  const std::string message = load_error(*vae, data_dir("vae") / "diffusion_pytorch_model.safetensors");
  EXPECT_NE(message.find("unexpected"), std::string::npos) << message;
  EXPECT_NE(message.find("mid_block.attentions.0"), std::string::npos) << message;
}

TEST(NetworkWeights, TaesdWithOtherBlockCountsListsMissingWeights) {
  auto config = nn::TaesdConfig::from_file(data_dir("taesd") / "config.json");
  config.num_decoder_blocks = {3, 3, 3, 1};  // the real TAESD's; the golden model has [2,2,2,1]
  nn::Taesd taesd(config);
  const std::string message = load_error(*taesd, data_dir("taesd") / "diffusion_pytorch_model.safetensors");
  EXPECT_NE(message.find("decoder.layers."), std::string::npos) << message;
}

}  // namespace
