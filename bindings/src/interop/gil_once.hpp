#pragma once
// A value computed once per process by code that runs Python (an import, a call): the replacement for a
// function-local static there. Such an initializer may let another thread take the GIL (the eval loop
// switches threads, an import waits on its lock); with a static, that thread would then block on the
// static's guard while holding the GIL the first one needs to finish: a deadlock (it hung batch checks on
// two threads). Here a thread waits for another's computation with the GIL released.

#include <nanobind/nanobind.h>

#include <atomic>
#include <mutex>
#include <optional>

namespace importspy::bindings {

template <typename T>
class GilSafeOnce {
public:
  // Called with the GIL held; `make` runs once, with the GIL, and may throw (then a later call tries again).
  template <typename Make>
  const T& get(Make make) {
    if (!done_.load(std::memory_order_acquire)) {
      nanobind::gil_scoped_release released;
      std::call_once(flag_, [&] {
        nanobind::gil_scoped_acquire acquired;
        value_.emplace(make());
        done_.store(true, std::memory_order_release);
      });
    }
    return *value_;
  }

private:
  std::once_flag flag_;
  std::atomic<bool> done_{false};
  std::optional<T> value_;
};

}  // namespace importspy::bindings
