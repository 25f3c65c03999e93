// The palette model over the document's regions: add, remove, reorder and
// property edits all land in the document and are undoable.
#include "app/docks/palette_model.h"

#include <gtest/gtest.h>

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListView>
#include <QTest>
#include <QUndoStack>

#include "app/commands/edit_context.h"
#include "app/docks/palette_dock.h"
#include "app/docks/region_editor.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

QStringList names(const MainWindow& window) {
  QStringList out;
  for (const auto& region : window.document().regions()) out << region.name;
  return out;
}

TEST(PaletteModel, ListsRegionsTopFirst) {
  MainWindow window;
  PaletteModel* model = window.palette()->model();
  ASSERT_EQ(model->rowCount(), 2);
  EXPECT_TRUE(model->data(model->index(0), Qt::DisplayRole).toString().startsWith("Eagle"));
  EXPECT_TRUE(model->data(model->index(1), Qt::DisplayRole).toString().startsWith("Sky"));
  EXPECT_EQ(window.palette()->list()->model(), model);
}

TEST(PaletteModel, AddRemoveAndReorderAreUndoable) {
  MainWindow window;
  PaletteModel* model = window.palette()->model();
  QUndoStack* stack = window.undo_stack();

  model->add_region();
  ASSERT_EQ(window.document().regions().size(), 3u);
  EXPECT_EQ(model->rowCount(), 3);
  EXPECT_EQ(window.edit_context()->current_region(), 2) << "a new region becomes the brush's region";
  EXPECT_EQ(window.document().regions().back().mask.size(), window.document().canvas_size());
  stack->undo();
  EXPECT_EQ(names(window), QStringList({"Sky", "Eagle"}));
  EXPECT_EQ(model->rowCount(), 2);

  // Paint into Eagle directly, so removing and restoring it must keep the mask.
  window.edit_context()->document()->region(1).mask.scanLine(9)[7] = 200;
  const QImage eagle_mask = window.document().regions()[1].mask.copy();
  model->remove_row(0);  // row 0 = top = Eagle
  EXPECT_EQ(names(window), QStringList({"Sky"}));
  EXPECT_EQ(window.edit_context()->current_region(), 0);
  stack->undo();
  EXPECT_EQ(names(window), QStringList({"Sky", "Eagle"}));
  EXPECT_EQ(window.document().regions()[1].mask, eagle_mask);

  model->move_row_down(0);  // Eagle below Sky
  EXPECT_EQ(names(window), QStringList({"Eagle", "Sky"}));
  EXPECT_TRUE(model->data(model->index(0), Qt::DisplayRole).toString().startsWith("Sky"));
  model->move_row_up(1);
  EXPECT_EQ(names(window), QStringList({"Sky", "Eagle"}));
  stack->undo();
  EXPECT_EQ(names(window), QStringList({"Eagle", "Sky"}));
  stack->undo();
  EXPECT_EQ(names(window), QStringList({"Sky", "Eagle"}));
  stack->redo();
  EXPECT_EQ(names(window), QStringList({"Eagle", "Sky"}));
}

TEST(PaletteModel, SelectingARowChoosesTheBrushRegion) {
  MainWindow window;
  window.show();
  QListView* list = window.palette()->list();
  list->setCurrentIndex(list->model()->index(1, 0));  // Sky
  EXPECT_EQ(window.edit_context()->current_region(), 0);
  list->setCurrentIndex(list->model()->index(0, 0));  // Eagle
  EXPECT_EQ(window.edit_context()->current_region(), 1);
}

TEST(RegionEditor, EditsGoThroughTheUndoStack) {
  MainWindow window;
  window.show();
  RegionEditor* editor = window.palette()->editor();
  const int current = window.edit_context()->current_region();
  ASSERT_GE(current, 0);
  const double sigma = window.document().regions()[static_cast<size_t>(current)].blur_sigma;

  editor->sigma_spin()->setValue(sigma + 3);
  editor->sigma_spin()->setValue(sigma + 4);
  EXPECT_EQ(window.document().regions()[static_cast<size_t>(current)].blur_sigma, sigma + 4);
  EXPECT_EQ(window.undo_stack()->count(), 1) << "spin box steps merge into one edit";

  editor->prompt_edit()->setText("a golden eagle");
  emit editor->prompt_edit()->editingFinished();
  EXPECT_EQ(window.document().regions()[static_cast<size_t>(current)].prompt, "a golden eagle");
  EXPECT_EQ(window.undo_stack()->count(), 2);

  window.undo_stack()->undo();
  EXPECT_EQ(window.document().regions()[static_cast<size_t>(current)].prompt, "a red eagle, wings spread");
  EXPECT_EQ(editor->prompt_edit()->text(), "a red eagle, wings spread") << "the editor follows undo";
  window.undo_stack()->undo();
  EXPECT_EQ(window.document().regions()[static_cast<size_t>(current)].blur_sigma, sigma);
}

}  // namespace
}  // namespace semdraw::app
