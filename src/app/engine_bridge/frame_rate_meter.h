#pragma once
// Frames per second over a sliding window of arrival times (the status bar's
// figure: what the artist sees, including queueing, not just engine time).
#include <chrono>
#include <deque>

namespace semdraw::app {

class FrameRateMeter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit FrameRateMeter(Clock::duration window = std::chrono::seconds(2)) : window_(window) {}

  void add(Clock::time_point at = Clock::now()) {
    arrivals_.push_back(at);
    while (arrivals_.size() > 2 && at - arrivals_.front() > window_) arrivals_.pop_front();
  }
  // 0 until two frames arrived.
  double fps() const {
    if (arrivals_.size() < 2) return 0;
    const double seconds = std::chrono::duration<double>(arrivals_.back() - arrivals_.front()).count();
    return seconds > 0 ? static_cast<double>(arrivals_.size() - 1) / seconds : 0;
  }
  void reset() { arrivals_.clear(); }

 private:
  Clock::duration window_;
  std::deque<Clock::time_point> arrivals_;
};

}  // namespace semdraw::app
