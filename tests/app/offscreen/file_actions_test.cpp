// The File menu through the main window: save/open round trip, failed open,
// the modified marker, the close prompt, PNG export, palettes, background.
// Dialogs are bypassed through FileActions' path methods and hooks.
#include "app/files/file_actions.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <cstring>

#include "app/commands/edit_context.h"
#include "app/commands/mask_commands.h"
#include "app/commands/region_commands.h"
#include "app/docks/banner_bar.h"
#include "app/main_window.h"
#include "app/offscreen/file_test_support.h"
#include "doc/ora_reader.h"
#include "doc/png_export.h"

namespace semdraw::app {
namespace {

using testing_support::paint;
using testing_support::same_masks;

void expect_same_masks(const doc::Document& a, const doc::Document& b) { EXPECT_TRUE(same_masks(a, b)); }

bool banner_says(MainWindow& window, const QString& part) {
  for (const QString& text : window.banner()->texts())
    if (text.contains(part)) return true;
  return false;
}

using FileActionsTest = testing_support::FileTest;

TEST_F(FileActionsTest, SaveThenOpenRoundTripsThroughTheWindow) {
  const QString path = file("lake.ora");
  doc::Document saved;
  {
    MainWindow window;
    paint(window, 0, QRect(10, 20, 100, 60), 1);
    paint(window, 1, QRect(200, 150, 90, 120), 2);
    EXPECT_TRUE(window.isWindowModified());
    ASSERT_TRUE(window.file_actions()->save_to(path));
    EXPECT_FALSE(window.isWindowModified());
    EXPECT_EQ(window.windowTitle(), "lake.ora[*] — SemanticDraw");
    EXPECT_EQ(window.file_actions()->path(), QFileInfo(path).absoluteFilePath());
    saved = window.document();
  }
  MainWindow window;
  window.show();
  paint(window, 0, QRect(0, 0, 5, 5), 3);  // something to replace
  window.edit_context()->set_current_region(0);
  ASSERT_TRUE(window.file_actions()->open_path(path));
  expect_same_masks(window.document(), saved);
  for (size_t i = 0; i < saved.regions().size(); ++i) {
    EXPECT_EQ(window.document().regions()[i].prompt, saved.regions()[i].prompt);
    EXPECT_EQ(window.document().regions()[i].name, saved.regions()[i].name);
    EXPECT_EQ(window.document().regions()[i].colour, saved.regions()[i].colour);
  }
  EXPECT_EQ(window.undo_stack()->count(), 0);  // history of the old document is gone
  EXPECT_FALSE(window.isWindowModified());
  EXPECT_EQ(window.windowTitle(), "lake.ora[*] — SemanticDraw");
  // The selection is reset to the top region.
  EXPECT_EQ(window.edit_context()->current_region(), static_cast<int>(saved.regions().size()) - 1);
}

TEST_F(FileActionsTest, FailedOpenKeepsTheDocumentAndSaysWhy) {
  MainWindow window;
  window.show();
  paint(window, 1, QRect(30, 30, 40, 40), 5);
  const doc::Document before = window.document();
  const int history = window.undo_stack()->count();
  const QString broken = file("broken.ora");
  {
    QFile f(broken);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("PK\x03\x04 this is not really a zip");
  }
  EXPECT_FALSE(window.file_actions()->open_path(broken));
  expect_same_masks(window.document(), before);
  EXPECT_EQ(window.undo_stack()->count(), history);
  EXPECT_TRUE(window.isWindowModified());
  EXPECT_TRUE(window.file_actions()->path().isEmpty());
  EXPECT_TRUE(banner_says(window, "broken.ora"));
  EXPECT_FALSE(window.file_actions()->open_path(file("missing.ora")));
  EXPECT_TRUE(banner_says(window, "missing.ora"));
  expect_same_masks(window.document(), before);
}

TEST_F(FileActionsTest, ModifiedMarkerFollowsUndoRedoAndSave) {
  MainWindow window;
  EXPECT_EQ(window.windowTitle(), "Untitled[*] — SemanticDraw");
  EXPECT_FALSE(window.isWindowModified());
  paint(window, 0, QRect(0, 0, 10, 10), 1);
  EXPECT_TRUE(window.isWindowModified());
  window.undo_stack()->undo();
  EXPECT_FALSE(window.isWindowModified());
  window.undo_stack()->redo();
  EXPECT_TRUE(window.isWindowModified());
  ASSERT_TRUE(window.file_actions()->save_to(file("a.ora")));
  EXPECT_FALSE(window.isWindowModified());
  EXPECT_EQ(window.windowTitle(), "a.ora[*] — SemanticDraw");
  window.undo_stack()->undo();  // before the saved state: modified again
  EXPECT_TRUE(window.isWindowModified());
  window.undo_stack()->redo();
  EXPECT_FALSE(window.isWindowModified());
}

TEST_F(FileActionsTest, ClosePromptCancelKeepsTheWindowOpen) {
  MainWindow window;
  window.show();
  int asked = 0;
  window.file_actions()->ask_save_changes = [&](const QString& name) {
    ++asked;
    EXPECT_EQ(name, "Untitled");
    return SaveChoice::Cancel;
  };
  EXPECT_TRUE(window.close());  // nothing changed: no question
  EXPECT_EQ(asked, 0);
  window.show();
  paint(window, 0, QRect(0, 0, 10, 10), 1);
  EXPECT_FALSE(window.close());
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(window.isVisible());
  EXPECT_TRUE(window.isWindowModified());
}

TEST_F(FileActionsTest, ClosePromptDiscardClosesWithoutSaving) {
  MainWindow window;
  window.show();
  const QString path = file("kept.ora");
  ASSERT_TRUE(window.file_actions()->save_to(path));
  const QByteArray on_disk = [&] {
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
  }();
  paint(window, 0, QRect(0, 0, 10, 10), 1);
  window.file_actions()->ask_save_changes = [](const QString& name) {
    EXPECT_EQ(name, "kept.ora");
    return SaveChoice::Discard;
  };
  EXPECT_TRUE(window.close());
  EXPECT_FALSE(window.isVisible());
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  EXPECT_EQ(f.readAll(), on_disk);
}

TEST_F(FileActionsTest, ClosePromptSaveWritesTheFileFirst) {
  MainWindow window;
  window.show();
  paint(window, 1, QRect(40, 50, 30, 20), 9);
  const QString path = file("untitled-then-saved");
  QList<PathPurpose> asked_for;
  window.file_actions()->ask_save_changes = [](const QString&) { return SaveChoice::Save; };
  window.file_actions()->ask_path = [&](PathPurpose purpose, const QString&) {
    asked_for << purpose;
    return asked_for.size() == 1 ? QString() : path;  // first: the dialog is cancelled
  };
  // Untitled: Save asks where; cancelling that cancels the close.
  EXPECT_FALSE(window.close());
  EXPECT_TRUE(window.isVisible());
  EXPECT_TRUE(window.close());
  ASSERT_EQ(asked_for, QList<PathPurpose>({PathPurpose::SaveProject, PathPurpose::SaveProject}));
  doc::Document reopened;
  QString error;
  ASSERT_TRUE(doc::open_ora(path + ".ora", &reopened, &error)) << error.toStdString();  // suffix added
  expect_same_masks(reopened, window.document());
}

TEST_F(FileActionsTest, NewAndOpenAskAboutUnsavedChangesFirst) {
  MainWindow window;
  const QString other = file("other.ora");
  ASSERT_TRUE(window.file_actions()->save_to(other));
  window.file_actions()->new_document();
  paint(window, 0, QRect(0, 0, 20, 20), 4);
  SaveChoice choice = SaveChoice::Cancel;
  int dialogs = 0;
  window.file_actions()->ask_save_changes = [&](const QString&) { return choice; };
  window.file_actions()->ask_path = [&](PathPurpose purpose, const QString&) {
    ++dialogs;
    EXPECT_EQ(purpose, PathPurpose::OpenProject);
    return other;
  };
  window.findChild<QAction*>("OpenAction")->trigger();
  EXPECT_EQ(dialogs, 0);  // cancelled before the file dialog
  EXPECT_TRUE(window.isWindowModified());
  window.findChild<QAction*>("NewAction")->trigger();
  EXPECT_EQ(window.undo_stack()->count(), 1);
  choice = SaveChoice::Discard;
  window.findChild<QAction*>("OpenAction")->trigger();
  EXPECT_EQ(dialogs, 1);
  EXPECT_EQ(window.file_actions()->path(), QFileInfo(other).absoluteFilePath());
  EXPECT_FALSE(window.isWindowModified());
  paint(window, 0, QRect(0, 0, 20, 20), 4);
  window.findChild<QAction*>("NewAction")->trigger();
  EXPECT_TRUE(window.file_actions()->path().isEmpty());
  EXPECT_EQ(window.windowTitle(), "Untitled[*] — SemanticDraw");
  EXPECT_EQ(window.document().regions().size(), 2u);
  EXPECT_EQ(window.undo_stack()->count(), 0);
}

TEST_F(FileActionsTest, ActionsHaveTheirShortcuts) {
  MainWindow window;
  const std::pair<const char*, QKeySequence> expected[] = {
      {"NewAction", QKeySequence("Ctrl+N")},       {"OpenAction", QKeySequence("Ctrl+O")},
      {"SaveAction", QKeySequence("Ctrl+S")},      {"SaveAsAction", QKeySequence("Ctrl+Shift+S")},
      {"ExportPngAction", QKeySequence("Ctrl+E")}, {"QuitAction", QKeySequence("Ctrl+Q")}};
  for (const auto& [name, keys] : expected) {
    auto* action = window.findChild<QAction*>(name);
    ASSERT_NE(action, nullptr) << name;
    EXPECT_EQ(action->shortcut(), keys) << name;
  }
  for (const char* name : {"ImportPaletteAction", "ExportPaletteAction", "LoadBackgroundAction",
                           "ClearBackgroundAction", "ExportPngOverlayAction"})
    EXPECT_NE(window.findChild<QAction*>(name), nullptr) << name;
  EXPECT_EQ(window.file_actions()->menu()->objectName(), "FileMenu");
}

TEST_F(FileActionsTest, ExportPngSaysWhenNothingIsGeneratedAndWritesChunks) {
  MainWindow window;
  int dialogs = 0;
  window.file_actions()->ask_path = [&](PathPurpose, const QString&) {
    ++dialogs;
    return file("out");
  };
  window.findChild<QAction*>("ExportPngAction")->trigger();
  EXPECT_EQ(dialogs, 0);  // no dialog for nothing
  EXPECT_TRUE(banner_says(window, "Nothing to export yet"));
  EXPECT_FALSE(QFile::exists(file("out.png")));

  paint(window, 1, QRect(0, 0, 64, 64), 0);
  QImage frame(window.document().canvas_size(), QImage::Format_RGB888);
  frame.fill(QColor(10, 20, 200));
  window.edit_context()->document()->set_generated(frame);
  window.findChild<QAction*>("ExportPngOverlayAction")->trigger();
  EXPECT_EQ(dialogs, 1);
  QImageReader reader(file("out.png"));
  const QImage image = reader.read();
  ASSERT_FALSE(image.isNull()) << reader.errorString().toStdString();
  EXPECT_TRUE(image.text(doc::kParametersChunk).contains("a red eagle, wings spread"));
  EXPECT_TRUE(image.text(doc::kParametersChunk).contains("Sampler: LCM"));
  const QJsonObject json = QJsonDocument::fromJson(image.text(doc::kProjectChunk).toUtf8()).object();
  EXPECT_EQ(json["format"].toString(), "semdraw-project");
  EXPECT_NE(image.pixelColor(500, 500), image.pixelColor(10, 10));  // the overlay where region 1 is painted
  EXPECT_EQ(image.pixelColor(500, 500), QColor(10, 20, 200));

  ASSERT_TRUE(window.file_actions()->export_png_to(file("plain.png"), false));
  EXPECT_EQ(QImage(file("plain.png")).pixelColor(10, 10), QColor(10, 20, 200));
  EXPECT_FALSE(window.file_actions()->export_png_to(file("no/such/dir/x.png"), false));
  EXPECT_TRUE(banner_says(window, "x.png"));
}

TEST_F(FileActionsTest, PaletteExportThenImportAddsRegionsAsOneUndoStep) {
  const QString path = file("palette.json");
  {
    MainWindow window;
    ASSERT_TRUE(window.file_actions()->export_palette_to(path));
  }
  MainWindow window;
  const size_t before = window.document().regions().size();
  ASSERT_TRUE(window.file_actions()->import_palette_from(path));
  ASSERT_EQ(window.document().regions().size(), before * 2);
  EXPECT_EQ(window.document().regions()[before].prompt, window.document().regions()[0].prompt);
  EXPECT_EQ(window.document().regions()[before + 1].prompt, "a red eagle, wings spread");
  EXPECT_TRUE(window.isWindowModified());
  window.undo_stack()->undo();
  EXPECT_EQ(window.document().regions().size(), before);
  EXPECT_FALSE(window.isWindowModified());
}

TEST_F(FileActionsTest, ImportsTheWebDemoPaletteAndRejectsBadOnes) {
  const QString demo = file("demo.json");
  {
    QFile f(demo);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"prompts": ["Maximalism, best quality", "a photo of Lisa", "a photo of a cat"],
                "neg_prompts": ["worst quality", "ugly", ""],
                "prompt_names": ["Background", "Lisa", "Cat"], "prompt_strengths": [1.0, 0.9, 0.8],
                "mask_strengths": [1.0, 1.0, 0.5], "mask_stds": [0.0, 8.0, 4.5], "seed": 2024})");
  }
  MainWindow window;
  ASSERT_TRUE(window.file_actions()->import_palette_from(demo));
  const auto& regions = window.document().regions();
  ASSERT_EQ(regions.size(), 4u);
  EXPECT_EQ(regions[2].name, "Lisa");
  EXPECT_EQ(regions[3].prompt, "a photo of a cat");
  EXPECT_EQ(window.document().background_prompt(), "Maximalism, best quality");
  EXPECT_EQ(window.document().seed(), 2024u);
  window.undo_stack()->undo();
  EXPECT_EQ(window.document().background_prompt(), "simple white background");
  EXPECT_EQ(window.document().regions().size(), 2u);

  const QString bad = file("bad.json");
  {
    QFile f(bad);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"prompts": ["bg", 5]})");
  }
  EXPECT_FALSE(window.file_actions()->import_palette_from(bad));
  EXPECT_TRUE(banner_says(window, "bad.json"));
  EXPECT_EQ(window.document().regions().size(), 2u);
}

TEST_F(FileActionsTest, BackgroundLoadIsAnUndoableEdit) {
  const QString picture = file("wide.png");
  QImage wide(400, 200, QImage::Format_RGB888);
  wide.fill(Qt::blue);
  for (int y = 0; y < 200; ++y)
    for (int x = 100; x < 300; ++x) wide.setPixelColor(x, y, x < 200 ? Qt::red : Qt::green);
  ASSERT_TRUE(wide.save(picture));

  MainWindow window;
  int changes = 0;
  QObject::connect(window.edit_context(), &EditContext::background_changed, [&] { ++changes; });
  ASSERT_TRUE(window.file_actions()->load_background_from(picture));
  const QImage& background = window.document().background();
  ASSERT_FALSE(background.isNull());
  EXPECT_EQ(background.size(), window.document().canvas_size());
  // Covered (scaled x2.56 to 1024x512) and centre-cropped: picture columns
  // 100..300 remain, red then green; none of the blue sides.
  EXPECT_EQ(background.pixelColor(4, 5), QColor(Qt::red));
  EXPECT_EQ(background.pixelColor(240, 100), QColor(Qt::red));
  EXPECT_EQ(background.pixelColor(272, 100), QColor(Qt::green));
  EXPECT_EQ(background.pixelColor(507, 506), QColor(Qt::green));
  EXPECT_TRUE(banner_says(window, "centre-cropped"));
  EXPECT_TRUE(window.isWindowModified());
  EXPECT_EQ(changes, 1);
  window.undo_stack()->undo();
  EXPECT_TRUE(window.document().background().isNull());
  EXPECT_FALSE(window.isWindowModified());
  window.undo_stack()->redo();
  EXPECT_FALSE(window.document().background().isNull());
  window.findChild<QAction*>("ClearBackgroundAction")->trigger();
  EXPECT_TRUE(window.document().background().isNull());
  window.undo_stack()->undo();
  EXPECT_EQ(window.document().background().pixelColor(5, 5), QColor(Qt::red));
  EXPECT_EQ(changes, 5);

  EXPECT_FALSE(window.file_actions()->load_background_from(file("nope.png")));
  EXPECT_TRUE(banner_says(window, "nope.png"));
}

TEST_F(FileActionsTest, RecentFilesListOpensAndForgetsMissingFiles) {
  MainWindow window;
  ASSERT_FALSE(window.file_actions()->recent_menu()->isEnabled());
  ASSERT_TRUE(window.file_actions()->save_to(file("one.ora")));
  ASSERT_TRUE(window.file_actions()->save_to(file("two.ora")));
  ASSERT_TRUE(window.file_actions()->open_path(file("one.ora")));
  const QStringList recent = FileActions::recent_files();
  ASSERT_EQ(recent.size(), 2);
  EXPECT_EQ(QFileInfo(recent[0]).fileName(), "one.ora");
  EXPECT_EQ(QFileInfo(recent[1]).fileName(), "two.ora");
  QList<QAction*> entries = window.file_actions()->recent_menu()->actions();
  ASSERT_EQ(entries.size(), 2);
  EXPECT_TRUE(entries[1]->text().contains("two.ora"));
  entries[1]->trigger();
  EXPECT_EQ(QFileInfo(window.file_actions()->path()).fileName(), "two.ora");
  EXPECT_EQ(QFileInfo(FileActions::recent_files().first()).fileName(), "two.ora");

  ASSERT_TRUE(QFile::remove(file("one.ora")));
  window.file_actions()->recent_menu()->actions()[1]->trigger();  // one.ora, gone
  EXPECT_TRUE(banner_says(window, "one.ora"));
  EXPECT_EQ(FileActions::recent_files().size(), 1);
  EXPECT_EQ(window.file_actions()->recent_menu()->actions().size(), 1);
}

}  // namespace
}  // namespace semdraw::app
