#pragma once
// Undoable mask edits. They store only the changed rectangle's pixels before
// and after, never whole masks.
#include <QImage>
#include <QRect>
#include <QUndoCommand>

namespace semdraw::app {

class EditContext;

// Replaces `rect` of a region's mask with `after` on redo and `before` on undo.
// Strokes push one per mouse-move segment with the same stroke id and the
// rectangle the whole stroke has touched so far; those merge into one step.
class MaskPatchCommand : public QUndoCommand {
 public:
  static constexpr int kStrokeId = 0x5d01;

  MaskPatchCommand(EditContext* context, int region, QRect rect, QImage before, QImage after, const QString& text,
                   int stroke = -1, bool already_applied = false);

  void undo() override;
  void redo() override;
  int id() const override { return stroke_ >= 0 ? kStrokeId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

  QRect rect() const { return rect_; }

 private:
  void apply(const QImage& patch);

  EditContext* context_;
  int region_;
  QRect rect_;
  QImage before_, after_;
  int stroke_;
  // Live strokes edit the mask as the pen moves; their first redo (from
  // QUndoStack::push) has nothing left to write.
  bool skip_next_redo_;
};

// Builds a patch command from a mask snapshot and the mask after an edit that
// changed `rect`; the live mask already holds the new pixels.
MaskPatchCommand* make_patch(EditContext* context, int region, const QImage& before_mask, QRect rect,
                             const QString& text, int stroke = -1);

// Flood fill at a canvas point into the region's mask, bounded by the
// composite of what is painted. Returns nullptr when nothing would change.
MaskPatchCommand* make_fill(EditContext* context, int region, QPoint seed);

// Clears the region's mask. Returns nullptr when it is already empty.
MaskPatchCommand* make_clear(EditContext* context, int region);

}  // namespace semdraw::app
