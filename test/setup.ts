// fast-check runs from a fixed seed so that CI is reproducible; set
// FC_SEED=<n> to replay a seed, or FC_SEED=random to explore new inputs
// (a failure prints its seed and path either way).
import fc from 'fast-check'

const env = process.env.FC_SEED
if (env !== 'random') fc.configureGlobal({ seed: env !== undefined ? Number(env) : 20261127 })
