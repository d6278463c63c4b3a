// Batch normalisation (Ioffe & Szegedy 2015) over the rows of x (rows, cols):
// each column (a feature, or a channel of an NHWC image with rows = B*H*W) is
// normalised with statistics over the rows, forward and backward side by side.
//
//   batchnorm_stats   mean = sum_r x / rows, var = sum_r (x - mean)^2 / rows   (biased, two passes)
//   batchnorm         rstd = 1 / sqrt(var + eps), xhat = (x - mean) rstd, y = gamma xhat + beta
//                     (training: the batch's mean and var; evaluation: the running ones)
//   batchnorm_bwd     training-mode gradient through the batch statistics:
//                     s1 = sum_r dy, s2 = sum_r dy xhat;  dbeta += s1, dgamma += s2,
//                     dx += gamma rstd (dy - s1 / rows - xhat s2 / rows)     (accumulates)
//
// mean, var, rstd, gamma, beta, dgamma, dbeta are (cols). Column sums run over rows in
// order, one column a lane: the SIMD kernels take 4 columns at a time and the scalar
// tail (and the scalar twins) one, with the same operations per column in the same
// order, so the twins are bit-identical. y may alias x; nothing else aliases.
// Bench: none yet (a normalised step is dominated by its GEMMs).

function stats(mean: usize, vr: usize, x: usize, rows: i32, cols: i32, simd: bool): void {
  assert(rows > 0 && cols > 0);
  const ld = <usize>cols << 2;
  const inv = <f32>1 / <f32>rows;
  let o: usize = 0;
  if (simd) {
    const vinv = f32x4.splat(inv);
    for (; o + 16 <= ld; o += 16) {
      let s = f32x4.splat(0);
      for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(x + <usize>r * ld + o));
      const m = f32x4.mul(s, vinv);
      let q = f32x4.splat(0);
      for (let r = 0; r < rows; r++) {
        const d = f32x4.sub(v128.load(x + <usize>r * ld + o), m);
        q = f32x4.add(q, f32x4.mul(d, d));
      }
      v128.store(mean + o, m);
      v128.store(vr + o, f32x4.mul(q, vinv));
    }
  }
  for (; o < ld; o += 4) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) s += load<f32>(x + <usize>r * ld + o);
    const m = s * inv;
    let q: f32 = 0;
    for (let r = 0; r < rows; r++) {
      const d = load<f32>(x + <usize>r * ld + o) - m;
      q += d * d;
    }
    store<f32>(mean + o, m);
    store<f32>(vr + o, q * inv);
  }
}

function normalise(y: usize, xhat: usize, rstd: usize, x: usize, mean: usize, vr: usize, gamma: usize, beta: usize, rows: i32, cols: i32, eps: f32, simd: bool): void {
  assert(rows >= 0 && cols > 0);
  const ld = <usize>cols << 2;
  for (let o: usize = 0; o < ld; o += 4) store<f32>(rstd + o, <f32>1 / Mathf.sqrt(load<f32>(vr + o) + eps));
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * ld, yr = y + <usize>r * ld, hr = xhat + <usize>r * ld;
    let o: usize = 0;
    if (simd) {
      for (; o + 16 <= ld; o += 16) {
        const h = f32x4.mul(f32x4.sub(v128.load(xr + o), v128.load(mean + o)), v128.load(rstd + o));
        v128.store(hr + o, h);
        v128.store(yr + o, f32x4.add(f32x4.mul(h, v128.load(gamma + o)), v128.load(beta + o)));
      }
    }
    for (; o < ld; o += 4) {
      const h = (load<f32>(xr + o) - load<f32>(mean + o)) * load<f32>(rstd + o);
      store<f32>(hr + o, h);
      store<f32>(yr + o, h * load<f32>(gamma + o) + load<f32>(beta + o));
    }
  }
}

/** Four columns from byte offset o of the backward pass. */
function backward4(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, ld: usize, o: usize, vinv: v128): void {
  let s1 = f32x4.splat(0), s2 = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const d = v128.load(dy + <usize>r * ld + o);
    s1 = f32x4.add(s1, d);
    s2 = f32x4.add(s2, f32x4.mul(d, v128.load(xhat + <usize>r * ld + o)));
  }
  v128.store(dbeta + o, f32x4.add(v128.load(dbeta + o), s1));
  v128.store(dgamma + o, f32x4.add(v128.load(dgamma + o), s2));
  const k = f32x4.mul(v128.load(gamma + o), v128.load(rstd + o));
  const m1 = f32x4.mul(s1, vinv), m2 = f32x4.mul(s2, vinv);
  for (let r = 0; r < rows; r++) {
    const at = <usize>r * ld + o;
    const t = f32x4.sub(f32x4.sub(v128.load(dy + at), m1), f32x4.mul(v128.load(xhat + at), m2));
    v128.store(dx + at, f32x4.add(v128.load(dx + at), f32x4.mul(k, t)));
  }
}

/** One column at byte offset o of the backward pass: the same operations as one lane of backward4. */
function backward1(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, ld: usize, o: usize, inv: f32): void {
  let s1: f32 = 0, s2: f32 = 0;
  for (let r = 0; r < rows; r++) {
    const d = load<f32>(dy + <usize>r * ld + o);
    s1 += d;
    s2 += d * load<f32>(xhat + <usize>r * ld + o);
  }
  store<f32>(dbeta + o, load<f32>(dbeta + o) + s1);
  store<f32>(dgamma + o, load<f32>(dgamma + o) + s2);
  const k = load<f32>(gamma + o) * load<f32>(rstd + o);
  const m1 = s1 * inv, m2 = s2 * inv;
  for (let r = 0; r < rows; r++) {
    const at = <usize>r * ld + o;
    store<f32>(dx + at, load<f32>(dx + at) + k * ((load<f32>(dy + at) - m1) - load<f32>(xhat + at) * m2));
  }
}

function backward(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, cols: i32, simd: bool): void {
  assert(rows > 0 && cols > 0);
  const ld = <usize>cols << 2;
  const inv = <f32>1 / <f32>rows;
  let o: usize = 0;
  if (simd) for (; o + 16 <= ld; o += 16) backward4(dx, dgamma, dbeta, dy, xhat, rstd, gamma, rows, ld, o, f32x4.splat(inv));
  for (; o < ld; o += 4) backward1(dx, dgamma, dbeta, dy, xhat, rstd, gamma, rows, ld, o, inv);
}

/** mean, var (cols) = column mean and biased variance of x (rows, cols). */
export function batchnorm_stats_f32_simd(mean: usize, vr: usize, x: usize, rows: i32, cols: i32): void {
  stats(mean, vr, x, rows, cols, true);
}
/** Scalar twin of batchnorm_stats_f32_simd. */
export function batchnorm_stats_f32_scalar(mean: usize, vr: usize, x: usize, rows: i32, cols: i32): void {
  stats(mean, vr, x, rows, cols, false);
}
/** y = gamma (x - mean) rstd + beta per column; writes rstd (cols) and xhat (rows, cols). */
export function batchnorm_f32_simd(y: usize, xhat: usize, rstd: usize, x: usize, mean: usize, vr: usize, gamma: usize, beta: usize, rows: i32, cols: i32, eps: f32): void {
  normalise(y, xhat, rstd, x, mean, vr, gamma, beta, rows, cols, eps, true);
}
/** Scalar twin of batchnorm_f32_simd. */
export function batchnorm_f32_scalar(y: usize, xhat: usize, rstd: usize, x: usize, mean: usize, vr: usize, gamma: usize, beta: usize, rows: i32, cols: i32, eps: f32): void {
  normalise(y, xhat, rstd, x, mean, vr, gamma, beta, rows, cols, eps, false);
}
/** Training-mode backward: dx, dgamma, dbeta += ... (see the header). */
export function batchnorm_bwd_f32_simd(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, cols: i32): void {
  backward(dx, dgamma, dbeta, dy, xhat, rstd, gamma, rows, cols, true);
}
/** Scalar twin of batchnorm_bwd_f32_simd. */
export function batchnorm_bwd_f32_scalar(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, cols: i32): void {
  backward(dx, dgamma, dbeta, dy, xhat, rstd, gamma, rows, cols, false);
}
