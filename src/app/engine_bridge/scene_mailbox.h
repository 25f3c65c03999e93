#pragma once
// The one-slot mailbox between the UI and the engine worker: the UI posts the
// latest document snapshot, the worker takes whatever is newest. Older
// snapshots are simply replaced, so a slow engine never builds a backlog of
// stale edits. Both sides hold the lock for a pointer
// swap only: the UI never waits on the engine.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "doc/document.h"

namespace semdraw::app {

struct SceneSnapshot {
  // A copy of the document: cheap, the masks are implicitly shared QImages
  // (the UI's next edit detaches its own copy; this one stays as it was).
  doc::Document document;
  // The size the live stream runs this document at (LivePreview); empty =
  // the canvas size. Renders leave it empty: Generate is always full size.
  QSize stream_size;
  uint64_t serial = 0;
  std::chrono::steady_clock::time_point submitted;
};

class SceneMailbox {
 public:
  // Replaces any snapshot not yet taken. Returns true when the slot was
  // empty (the worker needs a wake-up), false when it was only replaced.
  bool post(std::shared_ptr<const SceneSnapshot> snapshot) {
    std::lock_guard lock(mutex_);
    const bool was_empty = !latest_;
    latest_ = std::move(snapshot);
    return was_empty;
  }
  // Whether a snapshot waits to be taken.
  bool has_pending() {
    std::lock_guard lock(mutex_);
    return latest_ != nullptr;
  }
  // The newest snapshot, or null when nothing arrived since the last take.
  std::shared_ptr<const SceneSnapshot> take() {
    std::lock_guard lock(mutex_);
    return std::move(latest_);
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const SceneSnapshot> latest_;
};

}  // namespace semdraw::app
