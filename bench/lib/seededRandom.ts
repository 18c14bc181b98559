// A seeded random source, so a benchmark's document, annotations and edits are the same on
// every run and two runs' figures compare like for like.

/** Deterministic random numbers from a 32-bit seed (mulberry32). */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** An independent copy at the current state: it gives the same sequence from here on. */
  fork(): SeededRandom;
}

/** A random source that gives the same sequence for the same seed. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)]!;
    },
    chance: (probability) => next() < probability,
    // The state is the seed of the copy: mulberry32's state is all it remembers.
    fork: () => seededRandom(state),
  };
}
