#pragma once
// Undoable region edits: add, remove, reorder, and property changes (name,
// prompts, colour, strengths, sigma, enabled).
#include <QColor>
#include <QString>
#include <QUndoCommand>

#include "doc/region.h"

namespace semdraw::app {

class EditContext;

class AddRegionCommand : public QUndoCommand {
 public:
  // Adds `region` (its mask is made canvas-sized and empty if null) on top.
  AddRegionCommand(EditContext* context, doc::Region region);
  void undo() override;
  void redo() override;

 private:
  EditContext* context_;
  doc::Region region_;
  int index_ = -1;
};

class RemoveRegionCommand : public QUndoCommand {
 public:
  RemoveRegionCommand(EditContext* context, int index);
  void undo() override;
  void redo() override;

 private:
  EditContext* context_;
  int index_;
  doc::Region removed_;
};

class MoveRegionCommand : public QUndoCommand {
 public:
  MoveRegionCommand(EditContext* context, int from, int to);
  void undo() override;
  void redo() override;

 private:
  EditContext* context_;
  int from_, to_;
};

// Everything about a region except its mask.
struct RegionProperties {
  QString name, prompt, negative_prompt;
  QColor colour;
  double prompt_strength = 1.0, mask_strength = 1.0, blur_sigma = 8.0;
  bool enabled = true;

  static RegionProperties of(const doc::Region& region);
  void apply_to(doc::Region& region) const;
  bool operator==(const RegionProperties&) const = default;
};

// Changes a region's properties. Consecutive changes of the same region with
// the same text and the same `burst` (e.g. dragging a σ spin box, or the
// keystrokes of one typing burst in a prompt field, which the editor numbers)
// merge into one undo step; a merge that ends where it started drops the step.
class SetRegionPropertiesCommand : public QUndoCommand {
 public:
  static constexpr int kId = 0x5d02;
  SetRegionPropertiesCommand(EditContext* context, int index, RegionProperties after, const QString& text,
                             int burst = 0);
  void undo() override;
  void redo() override;
  int id() const override { return kId; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  EditContext* context_;
  int index_;
  RegionProperties before_, after_;
  int burst_;
};

}  // namespace semdraw::app
