// Choosing, remembering and finding models at start-up.
#include "app/model/model_chooser.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <cstdlib>

#include "app/model/model_settings.h"
#include "support/tiny_model.h"

namespace semdraw::app {
namespace {

class ModelSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.isValid());
    unsetenv("SEMDRAW_MODEL");
  }
  QString touch(const QString& name) {
    const QString path = dir.filePath(name);
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::WriteOnly));
    return path;
  }
  QTemporaryDir dir;
};

TEST_F(ModelSettingsTest, RemembersTheLastModelWithLorasDeviceAndPrecision) {
  QSettings store(dir.filePath("settings.ini"), QSettings::IniFormat);
  EngineOptions options;
  options.model = semdraw::test::tiny_model_dir().string();
  options.taesd = "/some/taesd";
  options.device = DeviceChoice::Cpu;
  options.precision = Precision::Fp32;
  options.loras = {{"/a/lcm.safetensors", 1.0}, {"/b/style.safetensors", 0.65}};
  remember_model(store, options);
  const auto back = last_model(store);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->model, options.model);
  EXPECT_EQ(back->taesd, options.taesd);
  EXPECT_EQ(back->device, DeviceChoice::Cpu);
  EXPECT_EQ(back->precision, Precision::Fp32);
  EXPECT_EQ(back->loras, options.loras);
  EXPECT_FALSE(back->resources_dir.empty()) << "single files need the bundled vocabulary";
}

TEST_F(ModelSettingsTest, RelativePathsAreRememberedAbsolute) {
  QSettings store(dir.filePath("settings.ini"), QSettings::IniFormat);
  const QString model = touch("relative.safetensors");
  const QString previous = QDir::currentPath();
  ASSERT_TRUE(QDir::setCurrent(dir.path()));
  EngineOptions options;
  options.model = "relative.safetensors";  // as typed after `semdraw --model`
  options.loras = {{"lora.safetensors", 0.5}};
  remember_model(store, options);
  ASSERT_TRUE(QDir::setCurrent(QDir::rootPath()));  // the next start, from elsewhere
  const auto back = last_model(store);
  QDir::setCurrent(previous);
  ASSERT_TRUE(back.has_value()) << "found from another working directory";
  EXPECT_EQ(QString::fromStdString(back->model), model);
  EXPECT_EQ(QString::fromStdString(back->loras[0].first), dir.filePath("lora.safetensors"));
  EXPECT_EQ(recent_models(store).value(0), model);
}

TEST_F(ModelSettingsTest, RecentModelsAreNewestFirstCappedAndOnlyExisting) {
  QSettings store(dir.filePath("settings.ini"), QSettings::IniFormat);
  QStringList made;
  for (int i = 0; i < kMaxRecentModels + 2; ++i) {
    EngineOptions options;
    options.model = touch(QString("m%1.safetensors").arg(i)).toStdString();
    remember_model(store, options);
    made << QString::fromStdString(options.model);
  }
  EngineOptions again;
  again.model = made[kMaxRecentModels + 1].toStdString();
  remember_model(store, again);  // no duplicate
  QStringList recent = recent_models(store);
  ASSERT_EQ(recent.size(), kMaxRecentModels);
  EXPECT_EQ(recent.front(), made.back());
  EXPECT_EQ(recent[1], made[kMaxRecentModels]);
  QFile::remove(recent[1]);
  recent = recent_models(store);
  EXPECT_EQ(recent.size(), kMaxRecentModels - 1) << "a deleted model drops out";
}

TEST_F(ModelSettingsTest, StartupPrefersTheArgumentThenTheRememberedModel) {
  QSettings store(dir.filePath("settings.ini"), QSettings::IniFormat);
  // Nothing remembered, nothing in models/ of the source tree: none.
  const auto nothing = startup_model(std::nullopt, store);
  if (nothing) GTEST_SKIP() << "this machine has a model in models/ or the Hugging Face cache";
  const QString tiny = QString::fromStdString(semdraw::test::tiny_model_dir().string());
  EngineOptions remembered;
  remembered.model = tiny.toStdString();
  remembered.loras = {{"/x/lcm.safetensors", 1.0}};
  remember_model(store, remembered);
  const auto from_settings = startup_model(std::nullopt, store);
  ASSERT_TRUE(from_settings.has_value());
  EXPECT_EQ(from_settings->loras.size(), 1u) << "the remembered LoRAs come back";

  const QString other = touch("other.safetensors");
  const auto from_argument = startup_model(other, store);
  ASSERT_TRUE(from_argument.has_value());
  EXPECT_EQ(from_argument->model, other.toStdString());
  EXPECT_TRUE(from_argument->loras.empty());
  // A typo in --model is an error that names it, never a silent fallback.
  try {
    startup_model(QString("/no/such/model"), store);
    FAIL() << "expected an error";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("/no/such/model"), std::string::npos) << error.what();
  }
}

TEST_F(ModelSettingsTest, ChooserListsRecentAndDiscoveredModelsAndReturnsTheChoice) {
  QDir(dir.path()).mkdir("models");
  const QString found = dir.filePath("models/found.safetensors");
  QFile(found).open(QIODevice::WriteOnly);
  const QString recent = touch("recent.safetensors");
  ModelChooser chooser({recent}, dir.filePath("models"));
  ASSERT_EQ(chooser.model_list()->count(), 2);
  EXPECT_TRUE(chooser.model_list()->item(0)->text().contains("recent"));
  EXPECT_TRUE(chooser.model_list()->item(1)->text().contains("found.safetensors"));
  EXPECT_EQ(chooser.options().model, recent.toStdString()) << "the most recent is preselected";

  EngineOptions previous;
  previous.model = found.toStdString();
  previous.device = DeviceChoice::Cuda;
  previous.precision = Precision::Bf16;
  previous.loras = {{"/l/lcm.safetensors", 0.8}};
  chooser.set_options(previous);
  chooser.add_lora("/l/style.safetensors", 0.5);
  const EngineOptions chosen = chooser.options();
  EXPECT_EQ(chosen.model, found.toStdString());
  EXPECT_EQ(chosen.device, DeviceChoice::Cuda);
  EXPECT_EQ(chosen.precision, Precision::Bf16);
  ASSERT_EQ(chosen.loras.size(), 2u);
  EXPECT_EQ(chosen.loras[0].first, "/l/lcm.safetensors");
  EXPECT_DOUBLE_EQ(chosen.loras[0].second, 0.8);
  EXPECT_DOUBLE_EQ(chosen.loras[1].second, 0.5);
  EXPECT_EQ(chooser.model_list()->count(), 2) << "an already listed model is selected, not added twice";
}

}  // namespace
}  // namespace semdraw::app
