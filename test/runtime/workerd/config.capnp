# workerd config for the edge test. The test copies this file next to the
# modules it embeds (a temp dir) and replaces @PORT@ with a free port.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .gradtraceWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:@PORT@", http = (), service = "main") ],
);

const gradtraceWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "gradtrace.js", esModule = embed "gradtrace.js"),
    (name = "scenario.mjs", esModule = embed "scenario.mjs"),
    (name = "gradtrace.wasm", wasm = embed "gradtrace.wasm"),
  ],
  compatibilityDate = "2025-01-01",
);
