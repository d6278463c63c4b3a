/**
 * The help texts of `gradtrace` and its commands. `run --help` shows a
 * complete run file that runs as it is (#9: the fields used to be found by
 * trial); the CLI test runs the very text printed here.
 *
 * @since 0.1.0
 */
import { optimizerDefaults } from '../codec/optimizer'
import { exampleRunFile } from './runFile'

const defaults = Object.entries(optimizerDefaults)
  .map(([k, d]) => `${k} ${Object.entries(d).map(([f, v]) => `${f} ${v}`).join(', ')}`)
  .join('; ')

const runHelp = `gradtrace run <spec.json> [--out DIR]

Trains the network a run file describes and writes DIR/report.html and
DIR/traces.json (default ./gradtrace-run; replaced if they exist). Options may
come before or after the file. Every problem is found before training starts:
a bad or unknown field, an input that does not match the data, an output
folder that cannot be written. It prints one line naming it and exits with 2.

A complete run file (save it as run.json, then: gradtrace run run.json):

${JSON.stringify(exampleRunFile, null, 2)}

Fields:
  network   input (features per example; the data's: 64 for digits, 784 for
            fashion-mnist), loss (softmaxCrossEntropy | mse | binaryCrossEntropy),
            spec (a layer: dense, activation, dropout, layerNorm, serial,
            residual, parallel, fanOut, fanInSum, fanInConcat, rnn, lstm, gru)
  data      source (digits | fashion-mnist-small | fashion-mnist), dir?,
            testFraction? (0.2), standardize? (true)
  training  optimizer {kind, lr} (kinds: sgd, momentum, rmsprop, adam,
            clipByGlobalNorm {max}, clipByValue {max}, chain {items}; lr may be a
            schedule; defaults: ${defaults}),
            epochs, batchSize, seed? (0), trace? (norms), every? (about 100 traces a run)`

/** @category constants */
export const HELP: { readonly [cmd: string]: string } = {
  main: `gradtrace — see why a deep or recurrent network does not learn

usage:
  gradtrace demo [--out DIR] [--quick] [--only ID,...]   run the headline experiments, write DIR/report.html, traces.json, results.json
  gradtrace run <spec.json> [--out DIR]                  train what a run file describes, write its report and traces
  gradtrace report <traces.json> [--out FILE] [--force]  an HTML report from saved traces
  gradtrace <command> --help                             help for one command (run --help shows a complete run file)`,
  demo: `gradtrace demo [--out DIR] [--quick] [--only ID,...]

Runs the experiments on data that ships with the package (about a minute on
one core; --quick: a few seconds), prints each results table and writes
DIR/report.html (self-contained: opens from disk), DIR/traces.json and
DIR/results.json (the figures of every section), replacing them if they
exist. DIR defaults to ./gradtrace-report.
Experiments: {ids}.`,
  run: runHelp,
  report: `gradtrace report <traces.json> [--out FILE] [--force]

Writes an HTML report from a traces file written by 'gradtrace demo' or
'gradtrace run'; FILE defaults to <traces>.report.html beside the traces.
An existing FILE is not replaced without --force.`,
}
