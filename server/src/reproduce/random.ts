/**
 * Seeded random numbers computed in plain float64 JavaScript, so the sample data and initial weights
 * are identical on every backend and every run with the same seed.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so that neighbouring seeds (0, 1, 2) give unrelated streams.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  integer(below: number): number {
    return Math.floor(this.next() * below);
  }

  uniformArray(size: number, bound: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.uniform(-bound, bound);
    return out;
  }

  normalArray(size: number, scale = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.normal() * scale;
    return out;
  }
}

/** Streams that must not depend on each other: same data for every variant, same weights too. */
export function seededStreams(seed: number): { weights: SeededRandom; data: SeededRandom } {
  return { weights: new SeededRandom(seed * 2 + 1), data: new SeededRandom(seed * 2 + 2) };
}
