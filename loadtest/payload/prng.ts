/** The same seeded PRNG (mulberry32) as the engine: the same seed gives the same prompts on every run and machine. */
export { mulberry32 as createPrng } from '../../lib/planner/engine/prng';
