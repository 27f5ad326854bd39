// Times ONNX Runtime (CPU) on the standard configurations, printing one JSON line per configuration
// in the same shape as `rnn bench --json`. Usage: node ort_bench.js MODEL_DIR [seconds]
'use strict';
const ort = require('onnxruntime-node');
const path = require('path');
const os = require('os');

const CONFIGS = {
  'lstm-infer': { gates: 4, input: 256, hidden: 512, layers: 2, dirs: 1, batch: 64, seq: 100 },
  'gru-infer': { gates: 3, input: 256, hidden: 512, layers: 2, dirs: 1, batch: 64, seq: 100 },
  'bilstm-infer': { gates: 4, input: 128, hidden: 256, layers: 1, dirs: 2, batch: 32, seq: 200 },
  'rnn-infer': { gates: 1, input: 256, hidden: 512, layers: 2, dirs: 1, batch: 64, seq: 100 },
};

function flops(c) {
  let total = 0;
  for (let l = 0; l < c.layers; l++) {
    const inSize = l === 0 ? c.input : c.dirs * c.hidden;
    total += 2 * c.gates * c.hidden * (inSize + c.hidden) * c.batch * c.seq * c.dirs;
  }
  return total;
}

async function main() {
  const dir = process.argv[2] || 'models';
  const seconds = Number(process.argv[3] || 3);
  const only = process.argv[4];
  for (const [name, c] of Object.entries(CONFIGS)) {
    if (only && only !== name) continue;
    // ORT's default counts physical cores, which on a 2-vCPU VM means one thread; give it every core, as rnn bench uses.
    const session = await ort.InferenceSession.create(path.join(dir, `${name}.onnx`),
      { executionProviders: ['cpu'], intraOpNumThreads: os.cpus().length });
    const data = new Float32Array(c.seq * c.batch * c.input).map(() => Math.random() * 2 - 1);
    const feeds = { x: new ort.Tensor('float32', data, [c.seq, c.batch, c.input]) };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    let runs = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < seconds) {
      await session.run(feeds);
      runs++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    const ms = (elapsed * 1000) / runs;
    console.log(JSON.stringify({
      config: name, backend: 'onnxruntime-1.30-cpu', precision: 'f32', threads: os.cpus().length, runs,
      ms_per_batch: ms, seq_per_s: (c.batch * 1000) / ms, gflops: flops(c) / (ms * 1e6),
    }));
  }
}

main().catch((e) => { console.error(`ort_bench: ${e.message}`); process.exit(1); });
