#pragma once
// The history strip: thumbnails of recent frames (every Generate result, and
// a live frame every few seconds), newest first. Any frame can be kept
// (kept frames never roll off), brought back onto the canvas, or saved.
#include <QDockWidget>
#include <QImage>
#include <chrono>
#include <vector>

#include "app/frame_stats.h"
#include "doc/kept_frame.h"

class QLabel;
class QListWidget;
class QStackedLayout;
class QListWidgetItem;

namespace semdraw::app {

class HistoryStrip : public QDockWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxUnkept = 24;
  static constexpr std::chrono::milliseconds kLiveSampleInterval{3000};

  explicit HistoryStrip(QWidget* parent = nullptr);

  // Renders are always added; live frames at most once per kLiveSampleInterval.
  void add_frame(const QImage& frame, const FrameStats& stats, bool rendered);
  int count() const;
  QImage frame_at(int row) const;
  bool is_kept(int row) const;
  // Marks a frame kept or not (the context menu's Keep); emits kept_changed.
  void set_kept(int row, bool kept);
  QListWidget* list() const { return list_; }

  // The kept frames, newest first, with their captions and tool tips: what
  // the project stores (doc::Document::kept_frames).
  std::vector<doc::KeptFrame> kept_frames() const;
  // An opened project's kept frames take the place of the kept ones shown
  // (those belonged to the document before); recent unkept frames stay,
  // and the project's go after them, in their saved order. No kept_changed.
  void set_kept_frames(const std::vector<doc::KeptFrame>& frames);

 signals:
  // The artist picked a frame to bring back onto the canvas.
  void frame_chosen(const QImage& frame);
  void save_requested(const QImage& frame);
  // A frame was marked kept or no longer kept.
  void kept_changed();

 private:
  void show_menu(const QPoint& pos);
  void drop_oldest_unkept();

  QListWidget* list_;
  QLabel* empty_hint_;
  QStackedLayout* pages_;
  std::chrono::steady_clock::time_point last_live_sample_{};
};

}  // namespace semdraw::app
