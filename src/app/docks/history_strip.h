#pragma once
// The history strip: thumbnails of recent frames (every Generate result, and
// a live frame every few seconds when it shows something new), newest first.
// Any frame can be kept (kept frames never roll off), brought back onto the
// canvas, or saved.
#include <QDockWidget>
#include <QImage>
#include <chrono>
#include <vector>

#include "app/engine_bridge/frame_stats.h"
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
  // How different (mean absolute difference per channel, 0..255, on a
  // kCompareSide² downscale of both) a live frame must be from the newest
  // live frame added, to be added too. 3 of 255 levels is about 1 %, the
  // smallest change a 64 px thumbnail shows to the eye; an unchanged or
  // settled stream repeats its frame exactly (0), a repainted region or a
  // new prompt moves the whole 32² average by far more.
  static constexpr double kMinLiveChange = 3.0;
  static constexpr int kCompareSide = 32;

  explicit HistoryStrip(QWidget* parent = nullptr);

  // Renders are always added. A live frame is added when it differs by at
  // least kMinLiveChange from the newest live frame added, and either
  // kLiveSampleInterval passed since then or it is the settled frame (the
  // last of its scene: the stream rests after it).
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
  QImage last_live_small_;  // the newest added live frame, kCompareSide² RGB888
};

}  // namespace semdraw::app
