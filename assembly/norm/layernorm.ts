// Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis, forward
// and backward side by side.
//
//   forward   for each row r of x (rows, cols):
//               mean = sum x / cols, var = sum (x - mean)^2 / cols, rstd = 1 / sqrt(var + eps)
//               xhat = (x - mean) rstd,  y = gamma xhat + beta       gamma, beta (cols)
//             writes y, xhat (rows, cols) and rstd (rows); y may alias x, xhat must not.
//   backward  dgamma += sum_r dy xhat,  dbeta += sum_r dy,
//             dx += rstd (g - mean_c(g) - xhat mean_c(g xhat)),  g = dy gamma
//             accumulates into dx, dgamma, dbeta (none may alias dy or xhat).
//
// Row sums: element j adds into f32 partial sum j mod 4, folded as (s0 + s2) + (s1 + s3),
// then the tail in order; the scalar twins keep the same partial sums and fold, so the
// twins are bit-identical. Tail: 4 elements an iteration, then scalar.
// Bench: none yet (a normalised MLP step is dominated by its GEMMs).

// @ts-ignore: decorator
@inline function fold(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 2)) + (f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 3));
}

export function layernorm_f32_simd(y: usize, xhat: usize, rstd: usize, x: usize, gamma: usize, beta: usize, rows: i32, cols: i32, eps: f32): void {
  assert(rows >= 0 && cols > 0);
  const end = <usize>cols << 2;
  const inv = <f32>1 / <f32>cols;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * end, yr = y + <usize>r * end, hr = xhat + <usize>r * end;
    let vs = f32x4.splat(0);
    let o: usize = 0;
    for (; o + 16 <= end; o += 16) vs = f32x4.add(vs, v128.load(xr + o));
    let s = fold(vs);
    for (; o < end; o += 4) s += load<f32>(xr + o);
    const mean = s * inv;
    const vmean = f32x4.splat(mean);
    let vq = f32x4.splat(0);
    o = 0;
    for (; o + 16 <= end; o += 16) {
      const d = f32x4.sub(v128.load(xr + o), vmean);
      vq = f32x4.add(vq, f32x4.mul(d, d));
    }
    let q = fold(vq);
    for (; o < end; o += 4) {
      const d = load<f32>(xr + o) - mean;
      q += d * d;
    }
    const rs = <f32>1 / Mathf.sqrt(q * inv + eps);
    store<f32>(rstd + (<usize>r << 2), rs);
    const vrs = f32x4.splat(rs);
    o = 0;
    for (; o + 16 <= end; o += 16) {
      const h = f32x4.mul(f32x4.sub(v128.load(xr + o), vmean), vrs);
      v128.store(hr + o, h);
      v128.store(yr + o, f32x4.add(f32x4.mul(h, v128.load(gamma + o)), v128.load(beta + o)));
    }
    for (; o < end; o += 4) {
      const h = (load<f32>(xr + o) - mean) * rs;
      store<f32>(hr + o, h);
      store<f32>(yr + o, h * load<f32>(gamma + o) + load<f32>(beta + o));
    }
  }
}

export function layernorm_f32_scalar(y: usize, xhat: usize, rstd: usize, x: usize, gamma: usize, beta: usize, rows: i32, cols: i32, eps: f32): void {
  assert(rows >= 0 && cols > 0);
  const end = <usize>cols << 2;
  const inv = <f32>1 / <f32>cols;
  const main = end & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * end, yr = y + <usize>r * end, hr = xhat + <usize>r * end;
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let o: usize = 0; o < main; o += 16) {
      s0 += load<f32>(xr + o); s1 += load<f32>(xr + o, 4); s2 += load<f32>(xr + o, 8); s3 += load<f32>(xr + o, 12);
    }
    let s = (s0 + s2) + (s1 + s3);
    for (let o = main; o < end; o += 4) s += load<f32>(xr + o);
    const mean = s * inv;
    let q0: f32 = 0, q1: f32 = 0, q2: f32 = 0, q3: f32 = 0;
    for (let o: usize = 0; o < main; o += 16) {
      const d0 = load<f32>(xr + o) - mean, d1 = load<f32>(xr + o, 4) - mean, d2 = load<f32>(xr + o, 8) - mean, d3 = load<f32>(xr + o, 12) - mean;
      q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3;
    }
    let q = (q0 + q2) + (q1 + q3);
    for (let o = main; o < end; o += 4) {
      const d = load<f32>(xr + o) - mean;
      q += d * d;
    }
    const rs = <f32>1 / Mathf.sqrt(q * inv + eps);
    store<f32>(rstd + (<usize>r << 2), rs);
    for (let o: usize = 0; o < end; o += 4) {
      const h = (load<f32>(xr + o) - mean) * rs;
      store<f32>(hr + o, h);
      store<f32>(yr + o, h * load<f32>(gamma + o) + load<f32>(beta + o));
    }
  }
}

export function layernorm_bwd_f32_simd(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols > 0);
  const end = <usize>cols << 2;
  const inv = <f32>1 / <f32>cols;
  for (let r = 0; r < rows; r++) {
    const dyr = dy + <usize>r * end, hr = xhat + <usize>r * end, dxr = dx + <usize>r * end;
    let va = f32x4.splat(0), vb = f32x4.splat(0);
    let o: usize = 0;
    for (; o + 16 <= end; o += 16) {
      const vdy = v128.load(dyr + o), vh = v128.load(hr + o);
      const g = f32x4.mul(vdy, v128.load(gamma + o));
      va = f32x4.add(va, g);
      vb = f32x4.add(vb, f32x4.mul(g, vh));
      v128.store(dgamma + o, f32x4.add(v128.load(dgamma + o), f32x4.mul(vdy, vh)));
      v128.store(dbeta + o, f32x4.add(v128.load(dbeta + o), vdy));
    }
    let a = fold(va), b = fold(vb);
    for (; o < end; o += 4) {
      const d = load<f32>(dyr + o), h = load<f32>(hr + o);
      const g = d * load<f32>(gamma + o);
      a += g;
      b += g * h;
      store<f32>(dgamma + o, load<f32>(dgamma + o) + d * h);
      store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
    }
    const ma = a * inv, mb = b * inv, rs = load<f32>(rstd + (<usize>r << 2));
    const vma = f32x4.splat(ma), vmb = f32x4.splat(mb), vrs = f32x4.splat(rs);
    o = 0;
    for (; o + 16 <= end; o += 16) {
      const g = f32x4.mul(v128.load(dyr + o), v128.load(gamma + o));
      const t = f32x4.sub(f32x4.sub(g, vma), f32x4.mul(v128.load(hr + o), vmb));
      v128.store(dxr + o, f32x4.add(v128.load(dxr + o), f32x4.mul(vrs, t)));
    }
    for (; o < end; o += 4) {
      const g = load<f32>(dyr + o) * load<f32>(gamma + o);
      store<f32>(dxr + o, load<f32>(dxr + o) + rs * (g - ma - load<f32>(hr + o) * mb));
    }
  }
}

export function layernorm_bwd_f32_scalar(dx: usize, dgamma: usize, dbeta: usize, dy: usize, xhat: usize, rstd: usize, gamma: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols > 0);
  const end = <usize>cols << 2;
  const inv = <f32>1 / <f32>cols;
  const main = end & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const dyr = dy + <usize>r * end, hr = xhat + <usize>r * end, dxr = dx + <usize>r * end;
    let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0, b0: f32 = 0, b1: f32 = 0, b2: f32 = 0, b3: f32 = 0;
    for (let o: usize = 0; o < main; o += 16) {
      for (let j: usize = 0; j < 16; j += 4) {
        const d = load<f32>(dyr + o + j), h = load<f32>(hr + o + j);
        const g = d * load<f32>(gamma + o + j);
        if (j == 0) { a0 += g; b0 += g * h; } else if (j == 4) { a1 += g; b1 += g * h; } else if (j == 8) { a2 += g; b2 += g * h; } else { a3 += g; b3 += g * h; }
        store<f32>(dgamma + o + j, load<f32>(dgamma + o + j) + d * h);
        store<f32>(dbeta + o + j, load<f32>(dbeta + o + j) + d);
      }
    }
    let a = (a0 + a2) + (a1 + a3), b = (b0 + b2) + (b1 + b3);
    for (let o = main; o < end; o += 4) {
      const d = load<f32>(dyr + o), h = load<f32>(hr + o);
      const g = d * load<f32>(gamma + o);
      a += g;
      b += g * h;
      store<f32>(dgamma + o, load<f32>(dgamma + o) + d * h);
      store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
    }
    const ma = a * inv, mb = b * inv, rs = load<f32>(rstd + (<usize>r << 2));
    for (let o: usize = 0; o < end; o += 4) {
      const g = load<f32>(dyr + o) * load<f32>(gamma + o);
      store<f32>(dxr + o, load<f32>(dxr + o) + rs * (g - ma - load<f32>(hr + o) * mb));
    }
  }
}
