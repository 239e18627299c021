//! A GEMM's depth split into several launches that accumulate into C: launch `i` adds
//! alpha op(A)[:, chunk i] op(B)[chunk i, :] with beta on the first launch and 1 after.
//! The tensor-core DGEMM loses speed on very deep products (ZGEMM by 1m at n = 16384,
//! real depth 32768: 41 TFLOP/s in one launch, 49 in two on an H200; BENCHMARKS.md),
//! and another pass over C costs little next to a launch of such depth.

use super::Result;

/// Which product a depth chunk is for: their defaults were measured separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Product {
    /// The real product of the 1m method (depth twice the complex one).
    OneM,
    /// A real or complex product on the tensor-core kernel.
    TensorCore,
    /// A product on the portable kernel.
    Portable,
}

/// The default depth of one launch of `product` (`None`: one launch, whatever the depth).
/// Real DGEMM on the tensor cores stays in one launch: at n = 16384 (depth 16384) launches
/// of 8192, 4096 and 2048 ran 1%, 2.5% and 5.5% slower on an H200 (BENCHMARKS.md, "GPU:
/// DGEMM depth split"); only the 1m product, twice as deep, gains.
fn default_chunk(product: Product) -> Option<usize> {
    match product {
        Product::OneM => Some(16384),
        Product::TensorCore | Product::Portable => None,
    }
}

/// The depth of one launch of `product`: the default, or for experiments and tests
/// `LAPACK_AI_K_CHUNK=<depth>` for every product (0: one launch whatever the depth).
pub fn chunk(product: Product) -> Option<usize> {
    static OVERRIDE: once_cell::sync::Lazy<Option<usize>> = once_cell::sync::Lazy::new(|| {
        std::env::var("LAPACK_AI_K_CHUNK")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    match *OVERRIDE {
        Some(0) => None,
        Some(c) => Some(c),
        None => default_chunk(product),
    }
}

/// Calls `launch(k0, kc, first)` for consecutive depth ranges `k0..k0 + kc` covering
/// `0..k`, each at most `chunk` deep (rounded up to a multiple of `granule`, the kernel's
/// K tile, so every launch's depth stays a multiple of it); `first` on the first range
/// only. `k == 0` gives one call with `kc == 0` (C := beta C).
pub fn for_each_chunk(
    k: usize,
    chunk: Option<usize>,
    granule: usize,
    mut launch: impl FnMut(usize, usize, bool) -> Result<()>,
) -> Result<()> {
    let chunk = chunk
        .map_or(k, |c| c.next_multiple_of(granule.max(1)))
        .max(1);
    let mut k0 = 0;
    loop {
        let kc = chunk.min(k - k0);
        launch(k0, kc, k0 == 0)?;
        k0 += kc;
        if k0 >= k {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::for_each_chunk;

    fn ranges(k: usize, chunk: Option<usize>, granule: usize) -> Vec<(usize, usize, bool)> {
        let mut v = Vec::new();
        for_each_chunk(k, chunk, granule, |k0, kc, first| {
            v.push((k0, kc, first));
            Ok(())
        })
        .unwrap();
        v
    }

    #[test]
    fn ranges_cover_the_depth() {
        assert_eq!(ranges(0, Some(64), 8), [(0, 0, true)]);
        assert_eq!(ranges(100, None, 8), [(0, 100, true)]);
        assert_eq!(ranges(64, Some(64), 8), [(0, 64, true)]);
        assert_eq!(
            ranges(150, Some(60), 8),
            [(0, 64, true), (64, 64, false), (128, 22, false)]
        );
        assert_eq!(
            ranges(3, Some(1), 1),
            [(0, 1, true), (1, 1, false), (2, 1, false)]
        );
    }
}
