// The generation dock: every control edits the document's settings as an undo
// step (a drag of one control = one step), the seed lock and randomise, and
// canvas size changes that keep the paint where it is and undo bitwise.
#include "app/docks/generation_dock.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>
#include <functional>

#include "app/commands/edit_context.h"
#include "app/commands/settings_commands.h"
#include "app/docks/generation_presets.h"
#include "app/docks/seed_spin_box.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

class GenerationDockTest : public ::testing::Test {
 protected:
  const GenerationSettings& settings() const { return window.document().settings(); }
  QUndoStack* stack() const { return window.undo_stack(); }
  // What a user's pick in a combo box emits.
  static void pick(QComboBox* combo, int row) {
    combo->setCurrentIndex(row);
    emit combo->activated(row);
  }
  static void pick_data(QComboBox* combo, int value) { pick(combo, combo->findData(value)); }
  static void type(QLineEdit* edit, const QString& text) {
    edit->setText(text);
    emit edit->editingFinished();
  }

  // `change` makes one undo step that `check` sees; undo restores the settings
  // exactly and redo brings the change back.
  void expect_one_undoable_step(const std::function<void()>& change,
                                const std::function<bool(const GenerationSettings&)>& check) {
    const GenerationSettings before = settings();
    const int steps = stack()->count();
    QSignalSpy notified(window.edit_context(), &EditContext::settings_changed);
    change();
    EXPECT_TRUE(check(settings()));
    EXPECT_EQ(stack()->count(), steps + 1);
    EXPECT_GE(notified.count(), 1);
    const GenerationSettings after = settings();
    stack()->undo();
    EXPECT_TRUE(same_settings(settings(), before));
    stack()->redo();
    EXPECT_TRUE(same_settings(settings(), after));
  }

  MainWindow window;
  GenerationDock* dock = window.generation();
};

TEST_F(GenerationDockTest, EveryControlIsAnUndoableEdit) {
  ASSERT_NE(dock, nullptr);
  expect_one_undoable_step(
      [&] { pick(dock->step_preset_combo(), 3); },
      [](const auto& s) { return s.step_indices == std::vector<int>{0, 6, 12, 18, 24, 30, 36, 42}; });
  EXPECT_EQ(dock->step_indices_edit()->text(), "0, 6, 12, 18, 24, 30, 36, 42");
  expect_one_undoable_step([&] { type(dock->step_indices_edit(), "0 10,20"); },
                           [](const auto& s) {
                             return s.step_indices == std::vector<int>{0, 10, 20};
                           });
  EXPECT_EQ(dock->step_indices_edit()->text(), "0, 10, 20") << "shown normalised";
  EXPECT_EQ(dock->step_preset_combo()->currentIndex(), dock->step_preset_combo()->count() - 1) << "Custom";
  expect_one_undoable_step([&] { pick_data(dock->mask_mode_combo(), static_cast<int>(MaskMode::Discrete)); },
                           [](const auto& s) { return s.mask_mode == MaskMode::Discrete; });
  expect_one_undoable_step([&] { dock->bootstrap_spin()->setValue(3); },
                           [](const auto& s) { return s.bootstrap_steps == 3; });
  expect_one_undoable_step([&] { dock->cover_alpha_spin()->setValue(0.55); },
                           [](const auto& s) { return s.cover_alpha == 0.55; });
  expect_one_undoable_step([&] { dock->guidance_spin()->setValue(1.5); },
                           [](const auto& s) { return s.guidance == 1.5; });
  expect_one_undoable_step([&] { pick_data(dock->cfg_type_combo(), static_cast<int>(CfgType::Self)); },
                           [](const auto& s) { return s.cfg_type == CfgType::Self; });
  expect_one_undoable_step([&] { pick_data(dock->vae_combo(), static_cast<int>(VaeChoice::Full)); },
                           [](const auto& s) { return s.vae == VaeChoice::Full; });
  expect_one_undoable_step([&] { pick_data(dock->sampler_combo(), static_cast<int>(SamplerChoice::EulerTrailing)); },
                           [](const auto& s) { return s.sampler == SamplerChoice::EulerTrailing; });
  expect_one_undoable_step([&] { pick_data(dock->live_noise_combo(), static_cast<int>(LiveNoise::Explore)); },
                           [](const auto& s) { return s.live_noise == LiveNoise::Explore; });
  expect_one_undoable_step([&] { dock->seed_spin()->stepBy(5); }, [](const auto& s) { return s.seed == 2024 + 5; });

  // Undo everything: the widgets follow the document back to the defaults.
  while (stack()->canUndo()) stack()->undo();
  EXPECT_TRUE(same_settings(settings(), doc::default_settings()));
  EXPECT_EQ(dock->step_preset_combo()->currentIndex(), 0);
  EXPECT_EQ(dock->step_indices_edit()->text(), "0, 4, 12, 25, 37");
  EXPECT_EQ(dock->bootstrap_spin()->value(), 1);
  EXPECT_DOUBLE_EQ(dock->guidance_spin()->value(), 1.0);
  EXPECT_FALSE(dock->cfg_type_combo()->isEnabled()) << "guidance type only matters above 1";
  EXPECT_EQ(dock->mask_mode_combo()->currentData().toInt(), static_cast<int>(MaskMode::Continuous));
  EXPECT_EQ(dock->seed_spin()->value(), 2024u);
}

TEST_F(GenerationDockTest, DraggingOneControlIsOneUndoStep) {
  for (double g = 1.1; g < 2.05; g += 0.1) dock->guidance_spin()->setValue(g);
  EXPECT_EQ(stack()->count(), 1);
  EXPECT_NEAR(settings().guidance, 2.0, 1e-9);
  EXPECT_TRUE(dock->cfg_type_combo()->isEnabled());
  dock->cover_alpha_spin()->setValue(0.5);  // another control: its own step
  dock->guidance_spin()->setValue(1.2);     // and guidance again: a new step
  EXPECT_EQ(stack()->count(), 3);
  stack()->undo();
  stack()->undo();
  stack()->undo();
  EXPECT_EQ(settings().guidance, 1.0);
  EXPECT_EQ(settings().cover_alpha, 0.3);

  // A drag that ends where it started leaves no step behind.
  dock->bootstrap_spin()->setValue(2);
  dock->bootstrap_spin()->setValue(1);
  EXPECT_EQ(stack()->count(), 0);
}

TEST_F(GenerationDockTest, BadStepListsAreShownAndChangeNothing) {
  for (const char* bad : {"0, 50", "12, 4", "", "0, x", "-1", "4, 4"}) {
    type(dock->step_indices_edit(), bad);
    EXPECT_FALSE(dock->step_error_label()->isHidden()) << bad;
    EXPECT_FALSE(dock->step_error_label()->text().isEmpty()) << bad;
    EXPECT_EQ(settings().step_indices, (std::vector<int>{0, 4, 12, 25, 37})) << bad;
    EXPECT_EQ(stack()->count(), 0) << bad;
  }
  type(dock->step_indices_edit(), "0, 49");
  EXPECT_TRUE(dock->step_error_label()->isHidden());
  EXPECT_EQ(settings().step_indices, (std::vector<int>{0, 49}));
  EXPECT_EQ(settings().bootstrap_steps, 1);

  QString error;
  EXPECT_EQ(parse_step_indices("3", &error), std::vector<int>{3});
  EXPECT_FALSE(parse_step_indices("0 4 99", &error));
  EXPECT_TRUE(error.contains("99"));
}

TEST_F(GenerationDockTest, FewerStepsClampTheBootstrapSteps) {
  dock->bootstrap_spin()->setValue(5);
  pick(dock->step_preset_combo(), 1);  // Fast: 3 steps
  EXPECT_EQ(settings().step_indices, (std::vector<int>{0, 16, 32}));
  EXPECT_EQ(settings().bootstrap_steps, 3);
  EXPECT_EQ(dock->bootstrap_spin()->maximum(), 3);
  stack()->undo();
  EXPECT_EQ(settings().bootstrap_steps, 5);
}

TEST_F(GenerationDockTest, SeedsUseTheWholeUnsigned64BitRange) {
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  SeedSpinBox* seed = dock->seed_spin();
  EXPECT_EQ(seed->text(), "2024") << "shown after show()";
  QTest::keyClick(seed, Qt::Key_Up);
  EXPECT_EQ(settings().seed, 2025u);
  stack()->undo();
  seed->findChild<QLineEdit*>()->setText("18446744073709551615");
  QTest::keyClick(seed, Qt::Key_Return);
  EXPECT_EQ(settings().seed, 18446744073709551615ull);
  EXPECT_EQ(seed->text(), "18446744073709551615");
  seed->stepBy(10);  // saturates instead of wrapping to 9
  EXPECT_EQ(settings().seed, 18446744073709551615ull);
  seed->stepBy(-1);
  EXPECT_EQ(settings().seed, 18446744073709551614ull);
  EXPECT_EQ(stack()->count(), 1) << "typing then stepping the seed is one step";
  stack()->undo();
  EXPECT_EQ(settings().seed, 2024u);
  EXPECT_EQ(seed->text(), "2024");

  QString too_big = "18446744073709551616";
  int pos = 0;
  EXPECT_EQ(seed->validate(too_big, pos), QValidator::Invalid);
  QString letters = "12a";
  EXPECT_EQ(seed->validate(letters, pos), QValidator::Invalid);
  seed->findChild<QLineEdit*>()->setText("");
  QTest::keyClick(seed, Qt::Key_Return);
  EXPECT_EQ(settings().seed, 2024u) << "an empty box changes nothing";
  EXPECT_EQ(seed->text(), "2024");
  seed->stepBy(-5000);
  EXPECT_EQ(settings().seed, 0u);
}

TEST_F(GenerationDockTest, LockedSeedIsReusedUnlockedSeedIsNewEachRender) {
  EXPECT_TRUE(dock->seed_locked()) << "reproducible by default: Generate matches Live";
  EXPECT_EQ(dock->seed_for_next_render(), 2024u);
  EXPECT_EQ(dock->seed_for_next_render(), 2024u);
  EXPECT_EQ(stack()->count(), 0);

  dock->seed_lock_button()->click();
  EXPECT_FALSE(dock->seed_locked());
  const uint64_t first = dock->seed_for_next_render();
  const uint64_t second = dock->seed_for_next_render();
  EXPECT_NE(first, 2024u);
  EXPECT_NE(second, first);
  EXPECT_EQ(settings().seed, second) << "the document names the seed that made the picture";
  EXPECT_EQ(dock->seed_spin()->value(), second);
  EXPECT_EQ(stack()->count(), 2);
  stack()->undo();
  EXPECT_EQ(settings().seed, first);
  stack()->undo();
  EXPECT_EQ(settings().seed, 2024u);

  dock->set_seed_locked(true);
  auto* randomise = dock->findChild<QToolButton*>("RandomiseSeed");
  ASSERT_NE(randomise, nullptr);
  randomise->click();
  EXPECT_NE(settings().seed, 2024u);
  EXPECT_LE(settings().seed, 0xffffffffull);
  EXPECT_EQ(dock->seed_for_next_render(), settings().seed) << "randomise then lock keeps that seed";
  stack()->undo();
  EXPECT_EQ(settings().seed, 2024u);
}

class CanvasSizeTest : public GenerationDockTest {
 protected:
  void SetUp() override {
    doc::Document* document = window.edit_context()->document();
    // Paint a few pixels directly: the test is about where they go.
    document->region(0).mask.scanLine(0)[0] = 11;
    document->region(0).mask.scanLine(511)[511] = 22;
    document->region(1).mask.scanLine(100)[300] = 33;
    QImage background(512, 512, QImage::Format_RGB888);
    background.fill(QColor(40, 80, 120));
    document->set_background(background);
    for (const auto& region : window.document().regions()) masks.push_back(region.mask.copy());
  }
  int at(int region, int x, int y) const {
    return window.document().regions().at(static_cast<size_t>(region)).mask.constScanLine(y)[x];
  }
  void expect_original() const {
    EXPECT_EQ(window.document().canvas_size(), QSize(512, 512));
    for (size_t i = 0; i < masks.size(); ++i) EXPECT_EQ(window.document().regions()[i].mask, masks[i]) << i;
    EXPECT_EQ(window.document().background().size(), QSize(512, 512));
    EXPECT_EQ(window.document().background().pixelColor(0, 0), QColor(40, 80, 120));
  }
  std::vector<QImage> masks;
};

TEST_F(CanvasSizeTest, ExtendingKeepsPaintInPlaceAndUndoRestoresBitwise) {
  QSignalSpy resized(window.edit_context(), &EditContext::canvas_resized);
  ASSERT_TRUE(dock->resize_canvas(QSize(768, 640), Qt::AlignTop | Qt::AlignLeft));
  EXPECT_EQ(resized.count(), 1);
  EXPECT_EQ(window.document().canvas_size(), QSize(768, 640));
  EXPECT_EQ(at(0, 0, 0), 11);
  EXPECT_EQ(at(0, 511, 511), 22);
  EXPECT_EQ(at(1, 300, 100), 33);
  EXPECT_EQ(at(1, 700, 600), 0);
  EXPECT_EQ(window.document().background().pixelColor(700, 600), QColor(Qt::white));
  EXPECT_EQ(dock->canvas_width_spin()->value(), 768);
  EXPECT_EQ(dock->canvas_height_spin()->value(), 640);
  stack()->undo();
  expect_original();
  EXPECT_EQ(dock->canvas_width_spin()->value(), 512);
  stack()->redo();
  EXPECT_EQ(at(0, 511, 511), 22);
}

TEST_F(CanvasSizeTest, CroppingFromAPresetIsUndoneBitwise) {
  QComboBox* presets = dock->canvas_preset_combo();
  const int wide = presets->findData(QSize(1920, 768));
  ASSERT_GE(wide, 0);
  pick(presets, wide);  // centred: 704 px more each side, 128 more top and bottom
  EXPECT_EQ(window.document().canvas_size(), QSize(1920, 768));
  EXPECT_EQ(at(0, 704, 128), 11);
  EXPECT_EQ(at(1, 1004, 228), 33);

  // Now crop to 256x256 at the centre: the corner pixels go, 33 is outside too.
  dock->canvas_width_spin()->setValue(256);
  dock->canvas_height_spin()->setValue(256);
  dock->apply_canvas_button()->click();
  EXPECT_EQ(window.document().canvas_size(), QSize(256, 256));
  EXPECT_EQ(presets->currentIndex(), presets->count() - 1) << "Custom";
  EXPECT_EQ(stack()->count(), 2);
  stack()->undo();
  EXPECT_EQ(window.document().canvas_size(), QSize(1920, 768));
  EXPECT_EQ(at(0, 704, 128), 11) << "cropped pixels come back";
  EXPECT_EQ(presets->currentIndex(), wide);
  stack()->undo();
  expect_original();
}

TEST_F(CanvasSizeTest, SidesSnapToMultiplesOf8AndBadSizesAreRefused) {
  dock->canvas_width_spin()->setValue(1001);
  dock->canvas_height_spin()->setValue(515);
  dock->apply_canvas_button()->click();
  EXPECT_EQ(window.document().canvas_size(), QSize(1000, 512));
  EXPECT_EQ(dock->canvas_width_spin()->value(), 1000);
  EXPECT_FALSE(dock->resize_canvas(QSize(500, 512), Qt::AlignCenter));
  EXPECT_FALSE(dock->resize_canvas(QSize(512, kMaxCanvasSide + 8), Qt::AlignCenter));
  EXPECT_FALSE(dock->resize_canvas(QSize(0, 512), Qt::AlignCenter));
  EXPECT_EQ(stack()->count(), 1);
  EXPECT_TRUE(dock->resize_canvas(QSize(1000, 512), Qt::AlignCenter)) << "same size: nothing to do";
  EXPECT_EQ(stack()->count(), 1);
  EXPECT_EQ(canvas_size_for_image(QSize(6000, 3000)), QSize(kMaxCanvasSide, kMaxCanvasSide / 2));
  EXPECT_EQ(canvas_size_for_image(QSize(1003, 5)), QSize(1000, 8));
}

}  // namespace
}  // namespace semdraw::app
