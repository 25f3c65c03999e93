#pragma once
// What every edit needs: the document, the undo stack that owns its history,
// the region the brush paints, and signals that tell views what changed
// (the document itself is a plain value type with no signals).
#include <QObject>
#include <QRect>
#include <QSize>

#include "doc/document.h"

class QUndoStack;

namespace semdraw::app {

class EditContext : public QObject {
  Q_OBJECT
 public:
  EditContext(doc::Document* document, QUndoStack* stack, QObject* parent = nullptr)
      : QObject(parent), document_(document), stack_(stack) {}

  doc::Document* document() const { return document_; }
  QUndoStack* stack() const { return stack_; }

  // Index into document()->regions() (0 = bottom); -1 when there is none.
  int current_region() const { return current_; }
  void set_current_region(int index);

  // Called by the undo commands after they touch the document.
  void notify_mask_changed(int region, QRect rect) { emit mask_changed(region, rect); }
  void notify_region_changed(int region) { emit region_changed(region); }
  void notify_regions_reset();
  void notify_settings_changed() { emit settings_changed(); }
  void notify_background_changed() { emit background_changed(); }
  // Every mask was replaced: canvas_resized, then regions_reset and background_changed.
  void notify_canvas_resized();

  // Before the document is saved, exported, rendered or closed: editors that
  // hold typed text not yet in the document (a validated field mid-edit, such
  // as the step list) commit it now (pending_edits_requested, connected
  // directly). Free-text fields commit as they are typed and hold nothing.
  void commit_pending_edits() { emit pending_edits_requested(); }

 signals:
  void mask_changed(int region, QRect canvas_rect);
  void region_changed(int region);  // name, prompt, colour, strengths...
  void regions_reset();             // added, removed or reordered
  void current_region_changed(int region);
  void settings_changed();    // document()->settings(): seed, steps, mask mode, guidance...
  void background_changed();  // background image or prompts
  void canvas_resized(QSize size);
  void pending_edits_requested();  // see commit_pending_edits()

 private:
  doc::Document* document_;
  QUndoStack* stack_;
  int current_ = -1;
};

}  // namespace semdraw::app
