// Counter-based random numbers: a draw is a pure function of (seed, stream,
// index), so results do not depend on the order in which threads ask for them.
// The mixing function is the SplitMix64 finalizer (Steele, Lea & Flood 2014,
// "Fast splittable pseudorandom number generators", OOPSLA), applied to a
// combination of the three keys.
#pragma once

#include <cmath>
#include <cstdint>

namespace betanmf {

[[nodiscard]] inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The key of stream `stream` under `seed`: draws of one stream mix only
// their index into it (random_bits()), so a loop over a stream computes it
// once.
[[nodiscard]] inline std::uint64_t stream_key(std::uint64_t seed, std::uint64_t stream) {
  return mix64(mix64(seed) ^ stream);
}

// 64 random bits for position `index` of stream `stream` under `seed`.
[[nodiscard]] inline std::uint64_t random_bits(std::uint64_t seed, std::uint64_t stream,
                                               std::uint64_t index) {
  return mix64(stream_key(seed, stream) ^ index);
}

// Uniform on (0, 1) at `index` of the stream with key `key`: the top 53
// bits scaled by 2^-53, shifted by half a step so that neither 0 nor 1 is
// returned. Same value on every platform.
[[nodiscard]] inline double uniform_at(std::uint64_t key, std::uint64_t index) {
  const std::uint64_t b = mix64(key ^ index) >> 11;
  return (static_cast<double>(b) + 0.5) * 0x1.0p-53;
}

[[nodiscard]] inline double random_uniform(std::uint64_t seed, std::uint64_t stream,
                                           std::uint64_t index) {
  return uniform_at(stream_key(seed, stream), index);
}

// Standard normal by the Box-Muller transform of two uniforms.
[[nodiscard]] inline double random_normal(std::uint64_t seed, std::uint64_t stream,
                                          std::uint64_t index) {
  const double u1 = random_uniform(seed, stream, 2 * index);
  const double u2 = random_uniform(seed, stream, 2 * index + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace betanmf
