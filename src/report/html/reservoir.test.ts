import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng.js';
import { createReservoir } from './reservoir.js';

describe('createReservoir', () => {
  it('keeps with slot() and put() what add() keeps, drawing the same numbers', () => {
    const byAdd = createReservoir<number>(10, createRng(5).next);
    const bySlot = createReservoir<number>(10, createRng(5).next);
    for (let i = 0; i < 1000; i++) {
      byAdd.add(i);
      const slot = bySlot.slot();
      if (slot >= 0) bySlot.put(slot, i);
    }
    expect(bySlot.seen).toBe(1000);
    expect(bySlot.items()).toEqual(byAdd.items());
    // Past the capacity: later items did replace earlier ones.
    expect(Math.max(...bySlot.items())).toBeGreaterThan(9);
  });
});
