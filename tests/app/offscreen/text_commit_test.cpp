// Typed text reaches the document without Enter or Tab (issue 13): the free
// text fields commit on every keystroke, one undo step per typing burst, and
// the validated fields (step list, seed) are committed before saving, exports,
// renders and quitting. Reloads from the document leave the cursor alone.
#include <gtest/gtest.h>

#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QUndoStack>

#include "app/commands/edit_context.h"
#include "app/docks/background_dock.h"
#include "app/docks/generation_dock.h"
#include "app/docks/palette_dock.h"
#include "app/docks/region_editor.h"
#include "app/docks/seed_spin_box.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "app/offscreen/file_test_support.h"
#include "doc/ora_reader.h"

namespace semdraw::app {
namespace {

class TextCommitTest : public testing_support::FileTest {
 protected:
  void SetUp() override {
    FileTest::SetUp();
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  }
  const doc::Region& current() const {
    return window.document().regions()[static_cast<size_t>(window.edit_context()->current_region())];
  }
  QUndoStack* stack() const { return window.undo_stack(); }
  RegionEditor* editor() const { return window.palette()->editor(); }
  // Replaces a field's text the way an artist does: select all, type. No
  // Enter, and no focus change (which would commit through editingFinished).
  static void retype(QLineEdit* field, const QString& text) {
    field->selectAll();
    QTest::keyClicks(field, text);
  }
  doc::Document reopen(const QString& path) {
    doc::Document loaded;
    QString why;
    EXPECT_TRUE(doc::open_ora(path, &loaded, &why)) << why.toStdString();
    return loaded;
  }

  MainWindow window;
};

TEST_F(TextCommitTest, TypingInARegionPromptChangesTheDocumentAtOnce) {
  retype(editor()->prompt_edit(), "a golden eagle");
  EXPECT_EQ(current().prompt, "a golden eagle");
  EXPECT_FALSE(stack()->isClean());
  EXPECT_TRUE(window.isWindowModified()) << "the title gets its *";
  EXPECT_EQ(stack()->count(), 1) << "one typing burst, one undo step";

  retype(editor()->name_edit(), "Hawk");
  EXPECT_EQ(current().name, "Hawk");
  retype(editor()->findChild<QLineEdit*>("RegionNegativePrompt"), "blurry");
  EXPECT_EQ(current().negative_prompt, "blurry");
  EXPECT_EQ(stack()->count(), 3) << "each field its own step";
}

TEST_F(TextCommitTest, OneUndoStepPerTypingBurst) {
  QLineEdit* prompt = editor()->prompt_edit();
  const QString original = current().prompt;
  retype(prompt, "a golden eagle");
  stack()->undo();
  EXPECT_EQ(current().prompt, original) << "one undo reverts the whole burst";
  EXPECT_EQ(prompt->text(), original) << "the field follows undo";
  stack()->redo();
  EXPECT_EQ(prompt->text(), "a golden eagle");

  QTest::keyClick(prompt, Qt::Key_Return);  // ends the burst
  QTest::keyClicks(prompt, " at dusk");
  EXPECT_EQ(current().prompt, "a golden eagle at dusk");
  EXPECT_EQ(stack()->count(), 2) << "Enter, then more typing: a second step";
  stack()->undo();
  EXPECT_EQ(current().prompt, "a golden eagle");
  EXPECT_EQ(prompt->text(), "a golden eagle");
  stack()->undo();
  EXPECT_EQ(current().prompt, original);
  EXPECT_TRUE(stack()->isClean());

  // Typed and deleted again: no step left behind.
  QTest::keyClick(prompt, Qt::Key_End);
  QTest::keyClicks(prompt, "xy");
  QTest::keyClick(prompt, Qt::Key_Backspace);
  QTest::keyClick(prompt, Qt::Key_Backspace);
  EXPECT_EQ(current().prompt, original);
  EXPECT_TRUE(stack()->isClean());
}

TEST_F(TextCommitTest, TheCursorStaysWhereTheArtistTypes) {
  QLineEdit* prompt = editor()->prompt_edit();
  ASSERT_EQ(prompt->text(), "a red eagle, wings spread");
  prompt->setCursorPosition(5);  // after "a red"
  QTest::keyClicks(prompt, "dish");
  EXPECT_EQ(current().prompt, "a reddish eagle, wings spread");
  EXPECT_EQ(prompt->cursorPosition(), 9);
  QTest::keyClick(prompt, Qt::Key_Backspace);
  EXPECT_EQ(prompt->cursorPosition(), 8);
  EXPECT_EQ(current().prompt, "a reddis eagle, wings spread");

  QLineEdit* background = window.background_dock()->prompt_edit();
  background->setCursorPosition(0);
  QTest::keyClicks(background, "a ");
  EXPECT_EQ(background->cursorPosition(), 2);
  EXPECT_EQ(window.document().background_prompt(), "a simple white background");
}

TEST_F(TextCommitTest, BackgroundPromptsCommitAsYouTypeOneStepPerBurst) {
  QLineEdit* prompt = window.background_dock()->prompt_edit();
  retype(prompt, "a misty forest");
  EXPECT_EQ(window.document().background_prompt(), "a misty forest");
  EXPECT_TRUE(window.isWindowModified());
  EXPECT_EQ(stack()->count(), 1);
  QTest::keyClick(prompt, Qt::Key_Return);
  QTest::keyClicks(prompt, " at dawn");
  retype(window.background_dock()->negative_edit(), "people");
  EXPECT_EQ(window.document().background_negative_prompt(), "people");
  EXPECT_EQ(stack()->count(), 3);
  stack()->undo();
  stack()->undo();
  EXPECT_EQ(window.document().background_prompt(), "a misty forest");
  EXPECT_EQ(prompt->text(), "a misty forest");
  stack()->undo();
  EXPECT_EQ(window.document().background_prompt(), "simple white background");
}

TEST_F(TextCommitTest, CtrlSSavesTextTypedWithoutEnter) {
  const QString path = file("typed.ora");
  ASSERT_TRUE(window.file_actions()->save_to(path));
  retype(editor()->prompt_edit(), "a golden eagle");
  retype(window.generation()->step_indices_edit(), "0, 10, 20");
  window.generation()->seed_spin()->selectAll();
  QTest::keyClicks(window.generation()->seed_spin(), "77");
  EXPECT_EQ(window.document().seed(), 77u) << "the seed commits as it is typed";
  ASSERT_TRUE(window.file_actions()->save());  // what Ctrl+S does with a file open
  EXPECT_FALSE(window.isWindowModified());
  const doc::Document saved = reopen(path);
  ASSERT_EQ(saved.regions().size(), window.document().regions().size());
  EXPECT_EQ(saved.regions().back().prompt, "a golden eagle");
  EXPECT_EQ(saved.settings().step_indices, (std::vector<int>{0, 10, 20})) << "the step list typed without Enter";
  EXPECT_EQ(saved.seed(), 77u);
  EXPECT_EQ(window.generation()->step_indices_edit()->text(), "0, 10, 20");
}

TEST_F(TextCommitTest, QuittingAsksAboutTextTypedWithoutEnter) {
  int asked = 0;
  window.file_actions()->ask_save_changes = [&](const QString&) {
    ++asked;
    return SaveChoice::Cancel;
  };
  retype(window.generation()->step_indices_edit(), "0, 10, 20");
  EXPECT_FALSE(window.close()) << "the typed step list is a change to save";
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(window.document().settings().step_indices, (std::vector<int>{0, 10, 20}));
  stack()->undo();
  EXPECT_TRUE(stack()->isClean());

  retype(editor()->prompt_edit(), "a golden eagle");
  EXPECT_FALSE(window.close());
  EXPECT_EQ(asked, 2);
}

TEST_F(TextCommitTest, AStepListBeingTypedSurvivesOtherEdits) {
  QLineEdit* steps = window.generation()->step_indices_edit();
  retype(steps, "0, 10, 2");
  window.generation()->guidance_spin()->setValue(1.5);  // another control, while typing
  EXPECT_EQ(steps->text(), "0, 10, 2");
  QTest::keyClicks(steps, "0");
  QTest::keyClick(steps, Qt::Key_Return);
  EXPECT_EQ(window.document().settings().step_indices, (std::vector<int>{0, 10, 20}));
  stack()->undo();
  EXPECT_EQ(steps->text(), "0, 4, 12, 25, 37") << "undo still reloads the field";

  retype(steps, "0, 99");  // a bad list at save time: shown, the document keeps its steps
  EXPECT_TRUE(window.file_actions()->save_to(file("bad-steps.ora")));
  EXPECT_FALSE(window.generation()->step_error_label()->isHidden());
  EXPECT_EQ(window.document().settings().step_indices, (std::vector<int>{0, 4, 12, 25, 37}));
}

}  // namespace
}  // namespace semdraw::app
