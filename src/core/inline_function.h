#pragma once
// A move-only std::function with room for its captures inside it. The core
// makes a few of these for every room message (the task each loop runs to
// deliver it, the decision the room's loop takes, the answer to a refusal),
// and std::function keeps anything but a trivially copyable 16 bytes on the
// heap: these closures hold shared pointers and strings. A callable that
// fits in `Bytes` (and moves without throwing) lives inline; a larger one
// goes to the heap, as std::function's would. Move-only, so a closure may
// hold what cannot be copied; calling an empty one is undefined, as a
// null function pointer's is (std::function throws).
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace parley::core {

template <class Signature, std::size_t Bytes>
class InlineFunction;

template <class R, class... Args, std::size_t Bytes>
class InlineFunction<R(Args...), Bytes> {
 public:
  InlineFunction() noexcept = default;
  InlineFunction(std::nullptr_t) noexcept {}  // NOLINT: as std::function's

  template <class F, class Stored = std::decay_t<F>>
    requires(!std::is_same_v<Stored, InlineFunction> && std::is_invocable_r_v<R, Stored&, Args...>)
  InlineFunction(F&& f) {  // NOLINT: implicit, as std::function's
    if constexpr (kInline<Stored>) {
      ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(f));
      ops_ = &kInlineOps<Stored>;
    } else {
      ::new (static_cast<void*>(storage_)) Stored*(new Stored(std::forward<F>(f)));
      ops_ = &kHeapOps<Stored>;
    }
  }

  InlineFunction(InlineFunction&& other) noexcept { take(other); }
  InlineFunction& operator=(InlineFunction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InlineFunction& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  InlineFunction(const InlineFunction&) = delete;
  InlineFunction& operator=(const InlineFunction&) = delete;
  ~InlineFunction() { reset(); }

  // const, as std::function's: the callable itself may change its captures.
  R operator()(Args... args) const { return ops_->call(storage_, std::forward<Args>(args)...); }
  explicit operator bool() const noexcept { return ops_ != nullptr; }
  // Whether a callable of this type is kept inside (tests, and static_asserts
  // beside closures that must not allocate).
  template <class F>
  static constexpr bool kInline = sizeof(F) <= Bytes && alignof(F) <= alignof(std::max_align_t) &&
                                  std::is_nothrow_move_constructible_v<F>;

 private:
  struct Ops {
    R (*call)(void* storage, Args&&... args);
    void (*move)(void* from, void* to) noexcept;  // and destroys what `from` held
    void (*destroy)(void* storage) noexcept;
  };
  template <class F>
  static constexpr Ops kInlineOps{
      [](void* s, Args&&... args) -> R { return (*static_cast<F*>(s))(std::forward<Args>(args)...); },
      [](void* from, void* to) noexcept {
        F& f = *static_cast<F*>(from);
        ::new (to) F(std::move(f));
        f.~F();
      },
      [](void* s) noexcept { static_cast<F*>(s)->~F(); }};
  template <class F>
  static constexpr Ops kHeapOps{
      [](void* s, Args&&... args) -> R { return (**static_cast<F**>(s))(std::forward<Args>(args)...); },
      [](void* from, void* to) noexcept { ::new (to) F*(*static_cast<F**>(from)); },
      [](void* s) noexcept { delete *static_cast<F**>(s); }};

  void take(InlineFunction& other) noexcept {
    if (!other.ops_) return;
    other.ops_->move(other.storage_, storage_);
    ops_ = std::exchange(other.ops_, nullptr);
  }
  void reset() noexcept {
    if (ops_) std::exchange(ops_, nullptr)->destroy(storage_);
  }

  alignas(std::max_align_t) mutable unsigned char storage_[Bytes < sizeof(void*) ? sizeof(void*) : Bytes];
  const Ops* ops_ = nullptr;
};

}  // namespace parley::core
