//! Real GEMM beyond the small-product size, blocked for the caches the way BLIS and
//! OpenBLAS block it: a KC x NC block of op(B) is packed once and stays in L3, each
//! MC x KC block of op(A) is packed into L2, and a register kernel multiplies an MR-row
//! panel of A by an NR-column panel of B (in L1) into MR x NR accumulators. Threads take
//! disjoint slices of C, each packing into its own buffers, so they never wait on each
//! other inside a call.
//!
//! C(i,j) becomes alpha * (the sum over k, in KC-long runs of fused multiply-adds) +
//! beta * C(i,j): not the reference summation order, which only the small-product path
//! (`gemm_small`) promises.

use crate::blas::args::{GemmArgs, Trans, Uplo};
use crate::blas::vector::Vector;
use crate::scalar::Scalar;
use crate::simd::{level, Level};
use std::cell::RefCell;
use std::ops::Range;

mod shared_b;

/// Whether a product of this shape runs here: both sides of C at least a few kernel
/// panels, and a depth not far beyond them (faer's unpacked kernels do better on
/// matrix-vector-like and long thin products).
pub fn serves((m, n, k): (usize, usize, usize)) -> bool {
    m >= 64 && n >= 64 && k <= 4 * m.min(n)
}

/// C := alpha * op(A) * op(B) + beta * C for f32, f64, c32 and c64 (the complex types as
/// real products, [`Complex`]) on AVX2 or AVX-512 machines; false (nothing done) on other
/// machines, which faer serves.
///
/// # Safety
/// As for `level3::gemm`; m, n, k > 0 and alpha != 0.
pub unsafe fn gemm<T: Scalar>(args: &GemmArgs<T>) -> bool {
    if T::IS_COMPLEX {
        if args.m.min(args.n).min(args.k) < COMPLEX_FROM {
            return false;
        }
        return match complex_product(args) {
            Some(product) => dispatch(&product),
            None => false,
        };
    }
    dispatch(&Product {
        args: *args,
        part: Part::All,
        packed_a: None,
        complex: None,
    })
}

/// Complex products run here from this order in every dimension; faer's complex kernels
/// serve smaller ones. 2 threads on the AMD EPYC (Zen 4) developer machine, zgemm, square,
/// against faer: 0.91-0.96x the speed at 512-1536, 1.03x at 2048, 1.04x at 4096.
const COMPLEX_FROM: usize = 2048;

/// The complex product `args` (T is c32 or c64) as a real product on the kernel of T's
/// real type ([`Complex`]), or None where no kernel serves it. A beta that is not real
/// scales C here, so that the real product adds to it.
///
/// # Safety
/// As for [`gemm`].
unsafe fn complex_product<T: Scalar>(args: &GemmArgs<T>) -> Option<Product<T::RealPart>> {
    type R<T> = <T as Scalar>::RealPart;
    shape_for::<R<T>>()?;
    let beta = if args.beta.im().is_zero() {
        args.beta.re()
    } else {
        let c = crate::blas::level3::view_mut(args.c, args.m, args.n, args.ldc);
        crate::blas::level3::scale(c, args.beta);
        R::<T>::one()
    };
    // T is a (re, im) pair of R: C and B read as reals, every leading dimension doubles.
    let real = |x: *const T| x as *const R<T>;
    Some(Product {
        args: GemmArgs::new(
            (args.transa, args.transb),
            (2 * args.m, args.n, 2 * args.k),
            R::<T>::one(),
            (real(args.a), 2 * args.lda),
            (real(args.b), 2 * args.ldb),
            beta,
            (args.c as *mut R<T>, 2 * args.ldc),
        ),
        part: Part::All,
        packed_a: None,
        complex: Some(Complex {
            alpha: (args.alpha.re(), args.alpha.im()),
            conj_a: args.transa == Trans::ConjTrans,
            conj_b: args.transb == Trans::ConjTrans,
        }),
    })
}

/// The `uplo` triangle of the n x n matrix C := alpha * op(A) * op(B)^T + beta * C
/// (op(A) and op(B) n x k; B = A for SYRK, and SYR2K is two of these) for f32 and f64
/// on AVX2 or AVX-512 machines, the other triangle untouched; false (nothing done)
/// elsewhere.
///
/// # Safety
/// As for `level3::rank_k`; n, k > 0 and alpha != 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn triangle_product<T: Scalar>(
    uplo: Uplo,
    trans: Trans,
    (n, k): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) -> bool {
    // op(B)^T is B's storage read the other way round.
    let (transa, transb) = if trans.is_transposed() {
        (Trans::Trans, Trans::No)
    } else {
        (Trans::No, Trans::Trans)
    };
    let part = match uplo {
        Uplo::Lower => Part::Lower,
        Uplo::Upper => Part::Upper,
    };
    let args = GemmArgs::new((transa, transb), (n, n, k), alpha, a, b, beta, c);
    dispatch(&Product {
        args,
        part,
        packed_a: None,
        complex: None,
    })
}

/// op(A) packed once for several products that share it (LU's panel of L against every
/// chunk of the columns right of it): the packing each of them would repeat, done once.
/// The memory is kept for the next `pack`.
pub struct PackedA<T> {
    memory: Vec<u64>,
    /// op(A)'s rows and depth; 0 x 0 when nothing is packed.
    rows: usize,
    depth: usize,
    _scalar: std::marker::PhantomData<T>,
}

impl<T: Scalar> Default for PackedA<T> {
    fn default() -> Self {
        PackedA {
            memory: Vec::new(),
            rows: 0,
            depth: 0,
            _scalar: std::marker::PhantomData,
        }
    }
}

impl<T: Scalar> PackedA<T> {
    /// Packs op(A) (m x k, m and k > 0) the way [`gemm_packed_a`] reads it: for each
    /// depth block of the kernel, all of A's row panels. False (nothing packed) where no
    /// kernel serves T.
    ///
    /// # Safety
    /// `a` valid for op(A) m x k with leading dimension `lda`.
    pub unsafe fn pack(
        &mut self,
        transa: Trans,
        (m, k): (usize, usize),
        (a, lda): (*const T, usize),
    ) -> bool {
        self.pack_in_blocks(transa, (m, k), (a, lda), &|blocks, pack| {
            (0..blocks).for_each(pack)
        })
    }

    /// [`PackedA::pack`] in row blocks, `run_blocks(count, pack_block)` calling
    /// `pack_block(0..count)` in any order and on any threads (the blocks write disjoint
    /// parts).
    ///
    /// # Safety
    /// As for [`PackedA::pack`].
    pub unsafe fn pack_in_blocks(
        &mut self,
        transa: Trans,
        (m, k): (usize, usize),
        (a, lda): (*const T, usize),
        run_blocks: &RunBlocks<'_>,
    ) -> bool {
        let Some((mr, blocking)) = geometry::<T>() else {
            self.rows = 0;
            return false;
        };
        let padded_rows = m.div_ceil(mr) * mr;
        let bytes = padded_rows * k * std::mem::size_of::<T>();
        let words = bytes.div_ceil(8) + 8;
        if self.memory.len() < words {
            self.memory.resize(words, 0);
        }
        self.rows = m;
        self.depth = k;
        // Whole kernel panels a block, about a quarter of a megabyte of A each.
        let block_rows = ((1 << 15) / k.max(1)).div_ceil(mr).max(1) * mr;
        let blocks = m.div_ceil(block_rows);
        let (a, dst) = (a as usize, self.start() as usize);
        run_blocks(blocks, &|b| {
            let rows = b * block_rows..((b + 1) * block_rows).min(m);
            pack_whole_a(
                transa,
                (rows, k),
                (a as *const T, lda),
                (mr, blocking),
                (dst as *mut T, padded_rows),
            );
        });
        true
    }

    /// The rows of a kernel panel: products may start at a multiple of it.
    pub fn row_unit(&self) -> Option<usize> {
        geometry::<T>().map(|(mr, _)| mr)
    }

    /// The first packed element, 64-byte aligned.
    fn start(&self) -> *const T {
        let base = self.memory.as_ptr() as *const u8;
        unsafe { base.add(base.align_offset(64)) as *const T }
    }
}

/// Runs `block(0..count)` in any order, on any threads: `run_blocks(count, block)`.
pub type RunBlocks<'a> = dyn Fn(usize, &(dyn Fn(usize) + Sync)) + 'a;

/// Writes the `rows` (starting at a multiple of `mr`) of [`PackedA`]'s layout for a
/// kernel of `mr` rows and this blocking into `dst` (padded rows x k elements).
unsafe fn pack_whole_a<R: Scalar>(
    transa: Trans,
    (rows, k): (Range<usize>, usize),
    (a, lda): (*const R, usize),
    (mr, blocking): (usize, Blocking),
    (dst, padded_rows): (*mut R, usize),
) {
    let product = Product {
        args: GemmArgs::new(
            (transa, Trans::No),
            (rows.end, 0, k),
            R::one(),
            (a, lda),
            (std::ptr::null(), 1),
            R::zero(),
            (std::ptr::null_mut(), 1),
        ),
        part: Part::All,
        packed_a: None,
        complex: None,
    };
    for (pc, kc) in steps(0..k, blocking.kc, 1) {
        let block = dst.add(pc * padded_rows + rows.start * kc);
        pack_a(&product, rows.clone(), pc..pc + kc, mr, block);
    }
}

/// [`gemm`] with op(A) taken from `packed`: its rows first_row..first_row + args.m
/// (first_row a multiple of [`PackedA::row_unit`]; args.a is not read); false (nothing
/// done) where no kernel serves T.
///
/// # Safety
/// As for [`gemm`].
pub unsafe fn gemm_packed_a<T: Scalar>(
    args: &GemmArgs<T>,
    packed: &PackedA<T>,
    first_row: usize,
) -> bool {
    let Some(unit) = packed.row_unit() else {
        return false;
    };
    assert!(
        first_row.is_multiple_of(unit)
            && first_row + args.m <= packed.rows
            && args.k == packed.depth,
        "packed A does not hold this product's rows"
    );
    dispatch(&Product {
        args: *args,
        part: Part::All,
        packed_a: Some(Prepacked {
            start: packed.start(),
            padded_rows: packed.rows.div_ceil(unit) * unit,
            first_row,
        }),
        complex: None,
    })
}

/// The row panel height and blocking of the kernel serving T on this machine.
fn geometry<T: Scalar>() -> Option<(usize, Blocking)> {
    shape_for::<T>().map(|shape| (shape.mr, shape.blocking))
}

/// The kernel serving T on this machine: f32 and f64 on AVX2 or AVX-512; None elsewhere
/// (faer serves those).
fn shape_for<T: Scalar>() -> Option<&'static Shape<T>> {
    // SAFETY: each item is a reference to the Shape of the scalar named before it.
    match level() {
        #[cfg(target_arch = "x86_64")]
        Level::Avx512 => unsafe {
            crate::for_scalar!(T; f64 => &shapes::AVX512_F64, f32 => &shapes::AVX512_F32)
        },
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => unsafe {
            crate::for_scalar!(T; f64 => &shapes::AVX2_F64, f32 => &shapes::AVX2_F32)
        },
        _ => None,
    }
}

/// Runs `product` on the kernel for this machine and scalar type; false if there is none.
unsafe fn dispatch<T: Scalar>(product: &Product<T>) -> bool {
    let Some(shape) = shape_for::<T>() else {
        return false;
    };
    let (m, n, k) = (product.m, product.n, product.k);
    let volume = match product.part {
        Part::All => 2.0 * m as f64 * n as f64 * k as f64,
        _ => m as f64 * n as f64 * k as f64,
    };
    run(product, shape, crate::threads::threads_for(volume));
    true
}

/// Cache blocking of one kernel shape: depth of a packed block, rows of a packed A
/// block (a multiple of the kernel's rows), columns of a packed B block.
#[derive(Clone, Copy)]
struct Blocking {
    kc: usize,
    mc: usize,
    nc: usize,
}

impl Blocking {
    /// Rows of a packed A block for a product of depth `k` (depth blocks in whole
    /// `unit`s): MC, or up to MAX_ROW_BLOCKS times more when the depth blocks are
    /// shorter than KC (the same footprint in L2), so that C's columns are swept in
    /// longer runs. Rank-32 updates (the blocked LAPACK algorithms' trailing updates)
    /// on 2 threads, 1024 x 1000: 49 -> 62 GFLOP/s.
    fn rows(&self, k: usize, unit: usize, mr: usize) -> usize {
        let depth = steps(0..k, self.kc, unit).next().map_or(1, |(_, len)| len);
        let rows = self.mc * self.kc / depth.max(1) / mr * mr;
        rows.clamp(self.mc, MAX_ROW_BLOCKS * self.mc)
    }
}

/// See [`Blocking::rows`].
const MAX_ROW_BLOCKS: usize = 16;

/// [`multiply_block`] compiled for one kernel: product, block, next rows, A's packing
/// buffer, op(B) packed.
type BlockFn<R> = unsafe fn(&Product<R>, &Block, Option<Range<usize>>, *mut R, *const R);

/// One kernel, compiled for its vector unit: its panel sizes, blocking, the function
/// that computes a slice of C (rows, columns) with the given packing buffers for A and B,
/// and the one that computes a [`Block`] from op(B) packed by the caller.
struct Shape<R> {
    mr: usize,
    nr: usize,
    blocking: Blocking,
    slice: unsafe fn(&Product<R>, Range<usize>, Range<usize>, *mut R, *mut R),
    block: BlockFn<R>,
    /// [`pack_b`] for this kernel's NR.
    pack_b: unsafe fn(&Product<R>, Range<usize>, Range<usize>, *mut R),
}

#[cfg(target_arch = "x86_64")]
mod shapes {
    use super::{multiply_block, pack_b, slice, Block, Blocking, Product, Range, Shape};
    use crate::blas::vector::x86;

    /// A `Shape` whose slice function enables the instructions its kernel is built from
    /// (the kernel must be compiled inside such a function to use them).
    macro_rules! shape {
        ($name:ident, $function:ident, $block:ident, $features:literal, $r:ty, $v:ty,
         $vr:literal, $nr:literal, $blocking:expr) => {
            #[target_feature(enable = $features)]
            unsafe fn $function(
                p: &Product<$r>,
                rows: Range<usize>,
                cols: Range<usize>,
                a: *mut $r,
                b: *mut $r,
            ) {
                slice::<$v, $vr, $nr>(p, rows, cols, $name.blocking, a, b)
            }
            #[target_feature(enable = $features)]
            unsafe fn $block(
                p: &Product<$r>,
                block: &Block,
                next_rows: Option<Range<usize>>,
                a: *mut $r,
                b: *const $r,
            ) {
                multiply_block::<$v, $vr, $nr>(p, block, next_rows, a, b)
            }
            pub(super) static $name: Shape<$r> = Shape {
                mr: $vr * <$v as crate::blas::vector::Vector>::LANES,
                nr: $nr,
                blocking: $blocking,
                slice: $function,
                block: $block,
                pack_b: pack_b::<$r, $nr>,
            };
        };
    }

    // Two vectors of rows by 12 columns: 24 accumulators of the 32 registers. A B panel
    // (KC x 12, 36 KB) streams through L1, an A block (MC x KC, 192 KB) stays in L2;
    // measured on the 2-core AMD EPYC (Zen 4) developer machine, where 3 vectors by 8
    // columns lost up to 15% to row padding at n = 256 and KC 256 / MC 192 ran 3-8%
    // slower from n = 2048 (more passes over C, larger A blocks).
    shape!(
        AVX512_F64,
        avx512_f64,
        avx512_f64_block,
        "avx512f,fma",
        f64,
        x86::F64x8,
        2,
        12,
        Blocking {
            kc: 384,
            mc: 64,
            nc: 2040
        }
    );
    shape!(
        AVX512_F32,
        avx512_f32,
        avx512_f32_block,
        "avx512f,fma",
        f32,
        x86::F32x16,
        2,
        12,
        Blocking {
            kc: 768,
            mc: 64,
            nc: 2040
        }
    );
    // AVX2 has 16 registers: 2 vectors by 6 columns, 12 accumulators, 2 of A and one
    // broadcast of B (BLIS's Haswell shape). 3 vectors by 4 columns needs all 16, and
    // the compiler then spilled an accumulator and rotated the rest through moves in
    // every step: half of OpenBLAS's speed on a 2-core AMD EPYC without AVX-512. f64
    // blocks of 320 x 144 (A 360 KB in the 1 MB L2) beat 256 x 192, 384 x 96, 512 x 96
    // and 256 x 96 there by 2-7% at n = 1024 / 2048 (noisy; all within 0.9-1.05x OpenBLAS).
    shape!(
        AVX2_F64,
        avx2_f64,
        avx2_f64_block,
        "avx2,fma",
        f64,
        x86::F64x4,
        2,
        6,
        Blocking {
            kc: 320,
            mc: 144,
            nc: 2040
        }
    );
    shape!(
        AVX2_F32,
        avx2_f32,
        avx2_f32_block,
        "avx2,fma",
        f32,
        x86::F32x8,
        2,
        6,
        Blocking {
            kc: 384,
            mc: 192,
            nc: 2040
        }
    );
}

/// One product: its GEMM arguments and the part of C it computes (the rest of C is left
/// as it is).
#[derive(Clone, Copy)]
struct Product<R> {
    args: GemmArgs<R>,
    part: Part,
    /// op(A) packed beforehand ([`PackedA`]), or None: each block packs its own.
    packed_a: Option<Prepacked<R>>,
    /// Set when the product is a complex one read as real ([`Complex`]).
    complex: Option<Complex<R>>,
}

/// A complex product computed as a real one (BLIS's "1m" method): C, m x n complex, is
/// read as the real 2m x n matrix of its parts (each column's re, im in turn), op(B) as
/// the real 2k x n matrix whose rows 2l and 2l + 1 hold the real and imaginary parts of
/// its row l, and op(A) is packed as the real 2m x 2k matrix whose 2 x 2 block (i, l) is
/// [re, -im; im, re] of alpha * op(A)(i, l). The real kernel's product is then the
/// complex one, at the real kernel's rate, with the same count of flops. The product's
/// GemmArgs are the real form's: dimensions 2m, n, 2k, leading dimensions in reals,
/// alpha one.
#[derive(Clone, Copy)]
struct Complex<R> {
    /// The complex alpha, folded into op(A)'s packing.
    alpha: (R, R),
    conj_a: bool,
    conj_b: bool,
}

/// Where a product finds op(A) packed: the buffer, its rows rounded up to whole panels
/// (the stride of its depth blocks), and the buffer's row that is the product's row 0
/// (a whole number of panels in).
#[derive(Clone, Copy)]
struct Prepacked<R> {
    start: *const R,
    padded_rows: usize,
    first_row: usize,
}

impl<R> std::ops::Deref for Product<R> {
    type Target = GemmArgs<R>;
    fn deref(&self) -> &GemmArgs<R> {
        &self.args
    }
}

/// The elements of C a product computes: all, or one triangle (SYRK).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    All,
    Lower,
    Upper,
}

/// How much of a block of C lies in the computed part.
#[derive(PartialEq, Eq)]
enum Cover {
    Nothing,
    Partly,
    Everything,
}

impl Part {
    /// Whether element (i, j) is computed.
    fn keeps(self, i: usize, j: usize) -> bool {
        match self {
            Part::All => true,
            Part::Lower => i >= j,
            Part::Upper => i <= j,
        }
    }

    /// How much of C(rows, cols) (non-empty ranges) is computed.
    fn cover(self, rows: &Range<usize>, cols: &Range<usize>) -> Cover {
        let (first_row, last_row) = (rows.start, rows.end - 1);
        let (first_col, last_col) = (cols.start, cols.end - 1);
        // The corners nearest to and farthest from the kept side decide.
        let (none, all) = match self {
            Part::All => return Cover::Everything,
            Part::Lower => (last_row < first_col, first_row >= last_col),
            Part::Upper => (first_row > last_col, last_row <= first_col),
        };
        if none {
            Cover::Nothing
        } else if all {
            Cover::Everything
        } else {
            Cover::Partly
        }
    }
}

// Threads read A and B and write disjoint slices of C.
unsafe impl<R> Sync for Product<R> {}

/// Splits C into a grid of one block per thread, in whole kernel panels. A few blocks
/// run through `threads::run_parts` (the caller computes one while a pool thread wakes
/// for the next: handing all of them to rayon from outside its pool costs two wake-ups
/// in a row, and on the 2-core machine a dgemm 256 then often ran its two blocks one
/// after the other, 1.8x the time); many blocks on rayon's pool (run_parts measured
/// 1.3-1.5x slower at n = 256 on the 16-core GPU machine, rayon 1.1x).
unsafe fn run<R: Scalar>(p: &Product<R>, shape: &Shape<R>, threads: usize) {
    let row_units = p.m.div_ceil(shape.mr);
    let col_units = p.n.div_ceil(shape.nr);
    let (grid_rows, grid_cols) = match p.part {
        Part::All => grid(threads, (p.m, row_units), (p.n, col_units)),
        // A triangle splits into column blocks of equal area.
        _ => (1, threads.min(col_units).max(1)),
    };
    // Panels before part `s` of `parts` splitting `units` panels: equal counts, or for a
    // triangle equal areas (column j of the lower triangle has n - j elements, of the
    // upper j + 1).
    let boundary = |s: usize, parts: usize, units: usize, split: Part| {
        let share = s as f64 / parts as f64;
        let fraction = match split {
            Part::All => return units * s / parts,
            Part::Lower => 1.0 - (1.0 - share).sqrt(),
            Part::Upper => share.sqrt(),
        };
        ((units as f64 * fraction).round() as usize).min(units)
    };
    let range = |s: usize, parts: usize, units: usize, unit: usize, extent: usize, split| {
        let start = boundary(s, parts, units, split) * unit;
        let end = (boundary(s + 1, parts, units, split) * unit).min(extent);
        start..end
    };
    if shared_b::serves(
        p.m.div_ceil(shape.blocking.rows(p.k, depth_unit(p), shape.mr)),
        threads,
    ) {
        return shared_b::run(p, shape, threads);
    }
    let compute = |s: usize| {
        let rows = range(
            s / grid_cols,
            grid_rows,
            row_units,
            shape.mr,
            p.m,
            Part::All,
        );
        let cols = range(s % grid_cols, grid_cols, col_units, shape.nr, p.n, p.part);
        if rows.is_empty() || cols.is_empty() {
            return;
        }
        with_buffers::<R, _>(shape, |a_pack, b_pack| unsafe {
            (shape.slice)(p, rows, cols, a_pack, b_pack)
        });
    };
    match grid_rows * grid_cols {
        1 => compute(0),
        blocks if blocks <= FEW_BLOCKS => crate::threads::run_parts(blocks, &compute),
        blocks => crate::threads::for_rayon(faer::Par::rayon(0), || {
            use rayon::prelude::*;
            (0..blocks).into_par_iter().for_each(compute);
        }),
    }
}

/// Up to this many blocks of C run through `threads::run_parts`.
const FEW_BLOCKS: usize = 4;

/// The grid (rows x columns of blocks) for `threads`: as many blocks as possible (at most
/// one per thread and per panel), then the least to pack per thread: a block of C packs
/// its rows of A and its columns of B, so the grid minimizes m / rows + n / columns. Two
/// threads split the longer side.
fn grid(
    threads: usize,
    (m, row_units): (usize, usize),
    (n, col_units): (usize, usize),
) -> (usize, usize) {
    (1..=threads.min(row_units).max(1))
        .map(|rows| (rows, (threads / rows).min(col_units).max(1)))
        .min_by_key(|&(rows, cols)| (std::cmp::Reverse(rows * cols), m / rows + n / cols))
        .unwrap_or((1, 1))
}

thread_local! {
    /// This thread's packing memory, kept between calls (a call must not allocate).
    static PACKING: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's packing buffers for A (mc x kc) and B (kc x nc), 64-byte
/// aligned; fresh ones if the thread's are in use.
fn with_buffers<R, F: FnOnce(*mut R, *mut R)>(shape: &Shape<R>, f: F) {
    let (blocking, mr, nr) = (shape.blocking, shape.mr, shape.nr);
    let size = std::mem::size_of::<R>();
    let a_elements = blocking.mc.div_ceil(mr) * mr * blocking.kc;
    let b_elements = blocking.nc.div_ceil(nr) * nr * blocking.kc;
    let a_bytes = (a_elements * size).div_ceil(64) * 64;
    let words = (a_bytes + b_elements * size + 64).div_ceil(8);
    let carve = |memory: &mut Vec<u64>| {
        if memory.len() < words {
            memory.resize(words, 0);
        }
        let base = memory.as_mut_ptr() as *mut u8;
        let base = unsafe { base.add(base.align_offset(64)) };
        (base as *mut R, unsafe { base.add(a_bytes) } as *mut R)
    };
    PACKING.with(|cell| match cell.try_borrow_mut() {
        Ok(mut memory) => {
            let (a, b) = carve(&mut memory);
            f(a, b)
        }
        Err(_) => {
            let (a, b) = carve(&mut Vec::new());
            f(a, b)
        }
    });
}

/// C(rows, cols) on one thread.
#[inline(always)]
unsafe fn slice<V: Vector, const VR: usize, const NR: usize>(
    p: &Product<V::R>,
    rows: Range<usize>,
    cols: Range<usize>,
    blocking: Blocking,
    a_pack: *mut V::R,
    b_pack: *mut V::R,
) {
    let mr = VR * V::LANES;
    let row_block = blocking.rows(p.k, depth_unit(p), mr);
    for (jc, nc) in steps(cols.clone(), blocking.nc, NR) {
        for (pc, kc) in steps(0..p.k, blocking.kc, depth_unit(p)) {
            pack_b::<V::R, NR>(p, pc..pc + kc, jc..jc + nc, b_pack);
            let mut blocks = steps(rows.clone(), row_block, mr).peekable();
            while let Some((ic, mc)) = blocks.next() {
                let next = blocks
                    .peek()
                    .map(|&(next_ic, next_mc)| next_ic..next_ic + next_mc);
                let block = Block {
                    rows: ic..ic + mc,
                    cols: jc..jc + nc,
                    depth: pc..pc + kc,
                };
                multiply_block::<V, VR, NR>(p, &block, next, a_pack, b_pack);
            }
        }
    }
}

/// A complex product's depth blocks hold whole complex columns of op(A).
fn depth_unit<R>(p: &Product<R>) -> usize {
    if p.complex.is_some() {
        2
    } else {
        1
    }
}

/// One block of the product: C(rows, cols) gets op(A)(rows, depth) * op(B)(depth, cols)
/// (scaled by beta first when `depth` is the first depth block).
struct Block {
    rows: Range<usize>,
    cols: Range<usize>,
    depth: Range<usize>,
}

/// C(block) from op(B)(depth, cols) already packed at `b_pack`; op(A)(rows, depth) is
/// packed into `a_pack` (unless the product has it packed beforehand). `next_rows`, the
/// rows of the block this thread will likely take next, is fetched into L2 meanwhile.
#[inline(always)]
unsafe fn multiply_block<V: Vector, const VR: usize, const NR: usize>(
    p: &Product<V::R>,
    block: &Block,
    next_rows: Option<Range<usize>>,
    a_pack: *mut V::R,
    b_pack: *const V::R,
) {
    let mr = VR * V::LANES;
    let (ic, mc) = (block.rows.start, block.rows.len());
    let (jc, nc) = (block.cols.start, block.cols.len());
    let (pc, kc) = (block.depth.start, block.depth.len());
    // Only the first KC block scales C by beta; the others add to it.
    let beta = if pc == 0 { Some(p.beta) } else { None };
    if p.part.cover(&block.rows, &block.cols) == Cover::Nothing {
        return;
    }
    let a_block = match p.packed_a {
        None => {
            pack_a::<V::R>(p, block.rows.clone(), block.depth.clone(), mr, a_pack);
            a_pack as *const V::R
        }
        // `PackedA`'s layout: depth block pc holds every row panel (row blocks start at
        // whole panels).
        Some(packed) => packed
            .start
            .add(pc * packed.padded_rows + (packed.first_row + ic) * kc),
    };
    for jr in (0..nc).step_by(NR) {
        // The next A block's source comes into L2 a part per B panel: packing waited on
        // it from memory (4% of a dgemm 4096 on 2 threads).
        if let (Some(next), None) = (&next_rows, p.packed_a) {
            let parts = (jr / NR, nc.div_ceil(NR));
            prefetch_a(p, next.clone(), block.depth.clone(), parts);
        }
        for ir in (0..mc).step_by(mr) {
            let (i, j) = (ic + ir, jc + jr);
            let tile = Tile {
                c: p.c.add(i + j * p.ldc),
                ldc: p.ldc,
                rows: mr.min(mc - ir),
                cols: NR.min(nc - jr),
                alpha: p.alpha,
                beta,
            };
            let (a, b) = (a_block.add(ir * kc), b_pack.add(jr * kc));
            match p.part.cover(&(i..i + tile.rows), &(j..j + tile.cols)) {
                Cover::Nothing => {}
                Cover::Everything => kernel::<V, VR, NR>(kc, a, b, &tile),
                Cover::Partly => diagonal_tile::<V, VR, NR>(kc, a, b, &tile, |ii, jj| {
                    p.part.keeps(i + ii, j + jj)
                }),
            }
        }
    }
}

/// Fetches part `part` of `parts` of op(A)(rows, depth) into L2.
#[inline(always)]
unsafe fn prefetch_a<R>(
    p: &Product<R>,
    rows: Range<usize>,
    depth: Range<usize>,
    (part, parts): (usize, usize),
) {
    // Runs of contiguous elements: columns of A, or rows of A when op(A) = A^T.
    let (runs, run_start, run_length) = if p.transa.is_transposed() {
        (rows, depth.start, depth.len())
    } else {
        (depth, rows.start, rows.len())
    };
    // Each complex element holds two rows or depth indices of the real form.
    let runs = match p.complex {
        Some(_) => runs.start / 2..runs.end.div_ceil(2),
        None => runs,
    };
    let count = runs.len();
    let first = runs.start + count * part / parts;
    let last = runs.start + count * (part + 1) / parts;
    for run in first..last {
        prefetch_run(p.a.add(run_start + run * p.lda), run_length);
    }
}

/// Fetches `count` elements from `start` into L2 (a prefetch never faults).
#[inline(always)]
unsafe fn prefetch_run<R>(start: *const R, count: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T1};
        let (start, bytes) = (start as *const i8, count * std::mem::size_of::<R>());
        for at in (0..bytes).step_by(64) {
            _mm_prefetch::<_MM_HINT_T1>(start.add(at));
        }
        if bytes > 0 {
            _mm_prefetch::<_MM_HINT_T1>(start.add(bytes - 1));
        }
    }
}

/// A tile the diagonal of a triangular C crosses: the kernel writes the whole product
/// into a scratch tile, and only the elements `keeps` accepts reach C.
#[inline(always)]
unsafe fn diagonal_tile<V: Vector, const VR: usize, const NR: usize>(
    kc: usize,
    a: *const V::R,
    b: *const V::R,
    tile: &Tile<V::R>,
    keeps: impl Fn(usize, usize) -> bool,
) {
    let mr = VR * V::LANES;
    // The kernel writes every element of the scratch tile (beta zero never reads it).
    let mut scratch = std::mem::MaybeUninit::<[V::R; SCRATCH]>::uninit();
    let scratch = scratch.as_mut_ptr() as *mut V::R;
    assert!(mr * NR <= SCRATCH);
    let whole = Tile {
        c: scratch,
        ldc: mr,
        rows: mr,
        cols: NR,
        alpha: tile.alpha,
        beta: Some(V::R::zero()),
    };
    kernel::<V, VR, NR>(kc, a, b, &whole);
    for jj in 0..tile.cols {
        for ii in (0..tile.rows).filter(|&ii| keeps(ii, jj)) {
            let c = tile.c.add(ii + jj * tile.ldc);
            let product = *scratch.add(ii + jj * mr);
            *c = match tile.beta {
                None => *c + product,
                Some(beta) if beta.is_zero() => product,
                Some(beta) => beta * *c + product,
            };
        }
    }
}

/// Elements of the scratch tile: the largest MR x NR (32 x 12 for f32 on AVX-512).
const SCRATCH: usize = 384;

/// `range` in as few blocks of at most `block` as possible, of about equal size in
/// whole `unit`s (`block` is a multiple of `unit`): no thin last block that would cost
/// a whole pass over the other operand. Yields (start, length).
fn steps(range: Range<usize>, block: usize, unit: usize) -> impl Iterator<Item = (usize, usize)> {
    let blocks = range.len().div_ceil(block).max(1);
    let size = (range.len().div_ceil(blocks).div_ceil(unit) * unit).max(1);
    let end = range.end;
    range
        .step_by(size)
        .map(move |start| (start, size.min(end - start)))
}

/// Packs op(A)(rows, depth) as panels of `mr` rows, each stored depth-major (the `mr`
/// values of one depth index together), the last panel padded with zeros.
#[inline(always)]
unsafe fn pack_a<R: Scalar>(
    p: &Product<R>,
    rows: Range<usize>,
    depth: Range<usize>,
    mr: usize,
    dst: *mut R,
) {
    if let Some(complex) = p.complex {
        return pack_a_complex(p, complex, rows, depth, mr, dst);
    }
    let kc = depth.len();
    let panels = rows.clone().step_by(mr).enumerate();
    if !p.transa.is_transposed() {
        // Columns of A run along the rows: one pass over the depth fills all the
        // block's panels, reading each column's part as one run.
        for (l, d) in depth.clone().enumerate() {
            let column = p.a.add(d * p.lda);
            for (panel, i0) in panels.clone() {
                let height = mr.min(rows.end - i0);
                let o = dst.add(panel * mr * kc + l * mr);
                for ii in 0..height {
                    *o.add(ii) = *column.add(i0 + ii);
                }
                for ii in height..mr {
                    *o.add(ii) = R::zero();
                }
            }
        }
        return;
    }
    for (panel, i0) in panels {
        let height = mr.min(rows.end - i0);
        let out = dst.add(panel * mr * kc);
        for (l, d) in depth.clone().enumerate() {
            let o = out.add(l * mr);
            for ii in 0..height {
                *o.add(ii) = *p.a.add(d + (i0 + ii) * p.lda);
            }
            for ii in height..mr {
                *o.add(ii) = R::zero();
            }
        }
    }
}

/// [`pack_a`] for a complex product ([`Complex`]): rows and depth are the real form's,
/// both starting even.
#[inline(always)]
unsafe fn pack_a_complex<R: Scalar>(
    p: &Product<R>,
    complex: Complex<R>,
    rows: Range<usize>,
    depth: Range<usize>,
    mr: usize,
    dst: *mut R,
) {
    let kc = depth.len();
    let (alpha_re, alpha_im) = complex.alpha;
    let unit_alpha = alpha_re == R::one() && alpha_im.is_zero();
    // alpha * op(A)(i, l) as (re, im); i and l count complex elements, lda reals.
    let element = |i: usize, l: usize| {
        let at = if p.transa.is_transposed() {
            2 * l + i * p.lda
        } else {
            2 * i + l * p.lda
        };
        let (re, im) = (*p.a.add(at), *p.a.add(at + 1));
        let im = if complex.conj_a { -im } else { im };
        if unit_alpha {
            (re, im)
        } else {
            (alpha_re * re - alpha_im * im, alpha_re * im + alpha_im * re)
        }
    };
    for (panel, r0) in rows.clone().step_by(mr).enumerate() {
        let height = mr.min(rows.end - r0);
        let out = dst.add(panel * mr * kc);
        for (pair, d) in depth.clone().step_by(2).enumerate() {
            // Depth 2l multiplies B's real parts, 2l + 1 its imaginary parts.
            let (even, odd) = (out.add(2 * pair * mr), out.add((2 * pair + 1) * mr));
            for ii in (0..height).step_by(2) {
                let (re, im) = element((r0 + ii) / 2, d / 2);
                *even.add(ii) = re;
                *even.add(ii + 1) = im;
                *odd.add(ii) = -im;
                *odd.add(ii + 1) = re;
            }
            for ii in height..mr {
                *even.add(ii) = R::zero();
                *odd.add(ii) = R::zero();
            }
        }
    }
}

/// [`pack_b`] for a complex product ([`Complex`]) with op(B) = B^T or B^H: rows 2l and
/// 2l + 1 of the real form are the parts of stored row l (conjugated for B^H).
#[inline(always)]
unsafe fn pack_b_complex_transposed<R: Scalar, const NR: usize>(
    p: &Product<R>,
    conj: bool,
    depth: Range<usize>,
    cols: Range<usize>,
    dst: *mut R,
) {
    let kc = depth.len();
    let panels = cols.len().div_ceil(NR);
    // As in `pack_b`: a group of panels a pass over the depth, each stored row's part
    // read as one run.
    const GROUP: usize = 8;
    for first in (0..panels).step_by(GROUP) {
        for (pair, d) in depth.clone().step_by(2).enumerate() {
            let row = p.b.add((d / 2) * p.ldb);
            for panel in first..panels.min(first + GROUP) {
                let j0 = cols.start + panel * NR;
                let width = NR.min(cols.end - j0);
                let even = dst.add(panel * NR * kc + 2 * pair * NR);
                let odd = even.add(NR);
                for jj in 0..NR {
                    let (re, im) = if jj < width {
                        let at = row.add(2 * (j0 + jj));
                        (*at, *at.add(1))
                    } else {
                        (R::zero(), R::zero())
                    };
                    *even.add(jj) = re;
                    *odd.add(jj) = if conj { -im } else { im };
                }
            }
        }
    }
}

/// Packs op(B)(depth, cols) as panels of `NR` columns, each stored depth-major, the last
/// panel padded with zeros.
#[inline(always)]
unsafe fn pack_b<R: Scalar, const NR: usize>(
    p: &Product<R>,
    depth: Range<usize>,
    cols: Range<usize>,
    dst: *mut R,
) {
    let kc = depth.len();
    let panels = cols.len().div_ceil(NR);
    if let (Some(complex), true) = (p.complex, p.transb.is_transposed()) {
        return pack_b_complex_transposed::<R, NR>(p, complex.conj_b, depth, cols, dst);
    }
    // (A complex op(B) = B read as reals is already the real form: row 2l + t of column
    // j is element 2l + t of its stored column.)
    if p.transb.is_transposed() {
        // Rows of the stored B run along op(B)'s columns: one pass over the depth fills
        // a group of panels, reading each stored column's part as one run (one page
        // visit a group instead of one a panel; large strides made this 20% of a SYRK).
        const GROUP: usize = 8;
        for first in (0..panels).step_by(GROUP) {
            for (l, d) in depth.clone().enumerate() {
                let row = p.b.add(d * p.ldb);
                for panel in first..panels.min(first + GROUP) {
                    let j0 = cols.start + panel * NR;
                    let width = NR.min(cols.end - j0);
                    let o = dst.add(panel * NR * kc + l * NR);
                    if width == NR {
                        for jj in 0..NR {
                            *o.add(jj) = *row.add(j0 + jj);
                        }
                    } else {
                        for jj in 0..NR {
                            *o.add(jj) = if jj < width {
                                *row.add(j0 + jj)
                            } else {
                                R::zero()
                            };
                        }
                    }
                }
            }
        }
        return;
    }
    for panel in 0..panels {
        let j0 = cols.start + panel * NR;
        let width = NR.min(cols.end - j0);
        let out = dst.add(panel * NR * kc);
        for (l, d) in depth.clone().enumerate() {
            let o = out.add(l * NR);
            for jj in 0..NR {
                *o.add(jj) = if jj >= width {
                    R::zero()
                } else {
                    *p.b.add(d + (j0 + jj) * p.ldb)
                };
            }
        }
    }
}

/// Where a kernel's MR x NR result goes: the top-left element of C, the part of the tile
/// inside C, and the scaling (`beta` None: add to C as it is).
struct Tile<R> {
    c: *mut R,
    ldc: usize,
    rows: usize,
    cols: usize,
    alpha: R,
    beta: Option<R>,
}

/// `body` for `i` = 0, 1, ..., n - 1 (n a constant, at most 16) as straight-line code:
/// with constant indices LLVM keeps arrays of accumulators in registers (in a loop it
/// leaves rolled, or a closure it does not inline, they go to memory).
macro_rules! unrolled {
    ($i:ident < $n:expr => $body:expr) => {
        unrolled!(@ $i, $n, $body, 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
    };
    (@ $i:ident, $n:expr, $body:expr, $($k:literal)*) => {{
        const { assert!($n <= 16) };
        $( if $k < $n { let $i: usize = $k; $body; } )*
    }};
}

/// C(tile) := alpha * (A panel x B panel) + beta * C(tile). A beta of zero never reads C.
#[inline(always)]
unsafe fn kernel<V: Vector, const VR: usize, const NR: usize>(
    kc: usize,
    a: *const V::R,
    b: *const V::R,
    tile: &Tile<V::R>,
) {
    let mr = VR * V::LANES;
    // The tile of C is read at the end: start fetching it now, into L2 only: with a
    // leading dimension of a power of two its 12 columns map to one L1 set (8 ways)
    // and evict each other before the end (T0 cost 7% at n = 2048, lda = 2048).
    for j in 0..tile.cols {
        prefetch_run(tile.c.add(j * tile.ldc), mr);
    }
    let zero = V::splat(V::R::zero());
    let mut sums = [[zero; VR]; NR];
    for l in 0..kc {
        let mut column = [zero; VR];
        unrolled!(r < VR => column[r] = V::load::<false>(a.add(l * mr + r * V::LANES), V::LANES));
        unrolled!(j < NR => {
            let factor = V::splat(*b.add(l * NR + j));
            unrolled!(r < VR => sums[j][r] = sums[j][r].add_product_fused(factor, column[r]));
        });
    }
    let alpha = V::splat(tile.alpha);
    if tile.rows == mr && tile.cols == NR {
        // A whole tile: constant indices keep the sums in registers.
        unrolled!(j < NR => unrolled!(r < VR => {
            let at = tile.c.add(r * V::LANES + j * tile.ldc);
            update::<V, false>(sums[j][r], alpha, tile.beta, at, V::LANES);
        }));
        return;
    }
    // A clipped tile indexes the sums by its bounds: from a copy in memory, so that the
    // sums themselves stay in registers (with them in memory LLVM zeroed the array by
    // a call to memset before every tile: 10% of a rank-32 update on two threads).
    let mut stored = std::mem::MaybeUninit::<[[V; VR]; NR]>::uninit();
    let stored = stored.as_mut_ptr() as *mut V;
    unrolled!(j < NR => unrolled!(r < VR => stored.add(j * VR + r).write(sums[j][r])));
    for j in 0..tile.cols {
        for r in 0..VR {
            let start = r * V::LANES;
            if start >= tile.rows {
                break;
            }
            let value = &*stored.add(j * VR + r);
            let count = V::LANES.min(tile.rows - start);
            let at = tile.c.add(start + j * tile.ldc);
            if count == V::LANES {
                update::<V, false>(*value, alpha, tile.beta, at, count);
            } else {
                update::<V, true>(*value, alpha, tile.beta, at, count);
            }
        }
    }
}

/// `count` elements of C at `at` := alpha * sum + beta * C (`beta` None: + C).
#[inline(always)]
unsafe fn update<V: Vector, const PART: bool>(
    sum: V,
    alpha: V,
    beta: Option<V::R>,
    at: *mut V::R,
    count: usize,
) {
    let product = sum.mul(alpha);
    let result = match beta {
        None => product.add_product(V::splat(V::R::one()), V::load::<PART>(at, count)),
        Some(beta) if beta.is_zero() => product,
        Some(beta) => product.add_product_fused(V::splat(beta), V::load::<PART>(at, count)),
    };
    result.store::<PART>(at, count);
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::blas::test_values::reals;

    /// Runs one product through `shape` on `threads` slices and compares every element
    /// of C in `part` with a plain sum in f64 (within k ulps of the operands' scale);
    /// the other elements and the padding rows below C must stay untouched.
    #[allow(clippy::too_many_arguments)]
    fn check<R: Scalar<RealPart = R>>(
        shape: &Shape<R>,
        (part, prepacked): (Part, bool),
        threads: usize,
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        alpha: f64,
        beta: f64,
        eps: f64,
    ) {
        let to = |v: f64| R::from_f64_lossy(v);
        let back = |v: R| -> f64 { format!("{:?}", v).parse().unwrap() };
        let (a_rows, a_cols) = transa.stored_shape(m, k);
        let (b_rows, b_cols) = transb.stored_shape(k, n);
        let (lda, ldb, ldc) = (a_rows + 3, b_rows + 1, m + 2);
        let a: Vec<R> = reals(lda * a_cols, 1).into_iter().map(to).collect();
        let b: Vec<R> = reals(ldb * b_cols, 2).into_iter().map(to).collect();
        let mut c: Vec<R> = reals(ldc * n, 3).into_iter().map(to).collect();
        if beta == 0.0 {
            // beta = 0 must not read C: NaN there must not survive.
            for j in 0..n {
                for i in 0..m {
                    c[i + j * ldc] = to(f64::NAN);
                }
            }
        }
        let before = c.clone();
        let args = GemmArgs::new(
            (transa, transb),
            (m, n, k),
            to(alpha),
            (a.as_ptr(), lda),
            (b.as_ptr(), ldb),
            to(beta),
            (c.as_mut_ptr(), ldc),
        );
        // A packed beforehand, as `PackedA` does (with this shape's geometry): op(A) as
        // stored, or (for odd k) below one panel of other rows, as its rows from the
        // second panel on.
        let skip = if k % 2 == 1 { shape.mr } else { 0 };
        let padded = (m + skip).div_ceil(shape.mr) * shape.mr;
        let mut packed = vec![R::zero(); padded * k];
        if prepacked && skip == 0 {
            let geometry = (shape.mr, shape.blocking);
            let source = (a.as_ptr(), lda);
            let dst = (packed.as_mut_ptr(), padded);
            unsafe { pack_whole_a(transa, (0..m, k), source, geometry, dst) };
        } else if prepacked {
            let taller: Vec<R> = (0..k)
                .flat_map(|l| (0..m + skip).map(move |i| (i, l)))
                .map(|(i, l)| match i.checked_sub(skip) {
                    None => to(7.0),
                    Some(i) if transa == Trans::No => a[i + l * lda],
                    Some(i) => a[l + i * lda],
                })
                .collect();
            let geometry = (shape.mr, shape.blocking);
            let source = (taller.as_ptr(), m + skip);
            let (rows, dst) = ((0..m + skip, k), (packed.as_mut_ptr(), padded));
            unsafe { pack_whole_a(Trans::No, rows, source, geometry, dst) };
        }
        let product = Product {
            args,
            part,
            packed_a: prepacked.then_some(Prepacked {
                start: packed.as_ptr(),
                padded_rows: padded,
                first_row: skip,
            }),
            complex: None,
        };
        unsafe { run(&product, shape, threads) };
        // Widened once: the reference sums below read every element many times.
        let (a, b): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|&v| back(v)).collect(),
            b.iter().map(|&v| back(v)).collect(),
        );
        let at = |x: &[f64], ld: usize, t: Trans, row: usize, col: usize| match t {
            Trans::No => x[row + col * ld],
            _ => x[col + row * ld],
        };
        for j in 0..n {
            for i in (0..m).filter(|&i| !part.keeps(i, j)) {
                assert_eq!(
                    format!("{:?}", c[i + j * ldc]),
                    format!("{:?}", before[i + j * ldc]),
                    "{part:?}: C({i},{j}) outside the part changed"
                );
            }
            for i in (0..m).filter(|&i| part.keeps(i, j)) {
                let sum: f64 = (0..k)
                    .map(|l| at(&a, lda, transa, i, l) * at(&b, ldb, transb, l, j))
                    .sum();
                let old = if beta == 0.0 {
                    0.0
                } else {
                    beta * back(before[i + j * ldc])
                };
                let expected = alpha * sum + old;
                let got = back(c[i + j * ldc]);
                let bound = eps * (k as f64 + 2.0);
                assert!(
                    (got - expected).abs() <= bound,
                    "{part:?} {transa:?}{transb:?} {m}x{n}x{k} threads {threads} alpha {alpha} beta {beta}: \
                     C({i},{j}) = {got}, expected {expected}"
                );
            }
            for i in m..ldc {
                assert_eq!(
                    format!("{:?}", c[i + j * ldc]),
                    format!("{:?}", before[i + j * ldc]),
                    "padding row {i} of column {j} changed"
                );
            }
        }
    }

    /// Every transpose pair, edge sizes around the panel sizes and beyond one KC block,
    /// alpha and beta special values, 1-4 and 6 blocks (run_parts and rayon); all of C and each
    /// triangle (SYRK's, here of general products and shapes).
    fn every_case<R: Scalar<RealPart = R>>(shape: &Shape<R>, eps: f64) {
        let kc = shape.blocking.kc;
        // Depths whose row blocks are 3 and 4 times MC.
        let (k3, k4) = (kc / 3, kc / 4);
        let rows = |k| shape.blocking.rows(k, 1, shape.mr);
        assert_eq!(
            (rows(k3), rows(k4)),
            (3 * shape.blocking.mc, 4 * shape.blocking.mc)
        );
        let sizes = [
            (1, 1, 1),
            (shape.mr, shape.nr, 7),
            (shape.mr + 1, shape.nr - 1, 33),
            (2 * shape.mr - 3, 2 * shape.nr + 5, kc + 5),
            (67, 29, 2 * kc + 1),
            (rows(k3) + 7, 13, k3),
            (2 * rows(k4) + 5, 2 * shape.blocking.mc + 5, k4),
        ];
        let transposes = [Trans::No, Trans::Trans];
        for (s, &dims) in sizes.iter().enumerate() {
            for &ta in &transposes {
                for &tb in &transposes {
                    let (alpha, beta) = [(1.0, 0.0), (0.7, 1.0), (-1.5, 0.3), (2.0, -1.0)][s % 4];
                    for threads in [1, 2, 3, 4, 6] {
                        for how in [
                            (Part::All, false),
                            (Part::Lower, false),
                            (Part::Upper, false),
                            (Part::All, true),
                        ] {
                            check(shape, how, threads, (ta, tb), dims, alpha, beta, eps);
                        }
                    }
                }
            }
        }
    }

    /// One complex product through `shape` (the kernel of T's real type) on `threads`
    /// slices against a plain sum in f64; C's padding rows must stay untouched, and with
    /// beta = 0 the NaN in C must not survive.
    fn check_complex<T: Scalar>(
        shape: &Shape<T::RealPart>,
        threads: usize,
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        (alpha, beta): ((f64, f64), (f64, f64)),
        eps: f64,
    ) {
        use crate::blas::test_values::values;
        use crate::scalar::num_traits_lite::Float;
        let to = |(re, im): (f64, f64)| {
            T::from_parts(
                <T::RealPart as Float>::from_f64(re),
                <T::RealPart as Float>::from_f64(im),
            )
        };
        let parts = |v: T| (v.re().to_f64(), v.im().to_f64());
        let (a_rows, a_cols) = transa.stored_shape(m, k);
        let (b_rows, b_cols) = transb.stored_shape(k, n);
        let (lda, ldb, ldc) = (a_rows + 2, b_rows + 1, m + 3);
        let a: Vec<T> = values(lda * a_cols, 11);
        let b: Vec<T> = values(ldb * b_cols, 12);
        let mut c: Vec<T> = values(ldc * n, 13);
        if beta == (0.0, 0.0) {
            for j in 0..n {
                for i in 0..m {
                    c[i + j * ldc] = to((f64::NAN, f64::NAN));
                }
            }
        }
        let before = c.clone();
        let args = GemmArgs::new(
            (transa, transb),
            (m, n, k),
            to(alpha),
            (a.as_ptr(), lda),
            (b.as_ptr(), ldb),
            to(beta),
            (c.as_mut_ptr(), ldc),
        );
        let product = unsafe { complex_product(&args) }.expect("a kernel for the real type");
        unsafe { run(&product, shape, threads) };
        let op = |x: &[T], ld: usize, t: Trans, row: usize, col: usize| {
            let (re, im) = match t {
                Trans::No => parts(x[row + col * ld]),
                _ => parts(x[col + row * ld]),
            };
            (re, if t == Trans::ConjTrans { -im } else { im })
        };
        let times = |(a, b): (f64, f64), (c, d): (f64, f64)| (a * c - b * d, a * d + b * c);
        for j in 0..n {
            for i in 0..m {
                let (mut re, mut im) = (0.0, 0.0);
                for l in 0..k {
                    let p = times(op(&a, lda, transa, i, l), op(&b, ldb, transb, l, j));
                    re += p.0;
                    im += p.1;
                }
                let (mut re, mut im) = times(alpha, (re, im));
                if beta != (0.0, 0.0) {
                    let old = times(beta, parts(before[i + j * ldc]));
                    re += old.0;
                    im += old.1;
                }
                let got = parts(c[i + j * ldc]);
                let bound = eps * 4.0 * (k as f64 + 2.0);
                assert!(
                    (got.0 - re).abs() <= bound && (got.1 - im).abs() <= bound,
                    "{transa:?}{transb:?} {m}x{n}x{k} threads {threads} alpha {alpha:?} beta \
                     {beta:?}: C({i},{j}) = {got:?}, expected ({re}, {im})"
                );
            }
            for i in m..ldc {
                assert_eq!(
                    format!("{:?}", c[i + j * ldc]),
                    format!("{:?}", before[i + j * ldc]),
                    "padding row {i} of column {j} changed"
                );
            }
        }
    }

    /// Every pair of N, T and C, sizes around the panels (in complex rows: half the real
    /// form's) and across depth blocks, complex and real alpha and beta, 1-3 slices.
    fn every_complex_case<T: Scalar>(shape: &Shape<T::RealPart>, eps: f64) {
        let (mr, nr, kc) = (shape.mr / 2, shape.nr, shape.blocking.kc / 2);
        let sizes = [
            (1, 1, 1),
            (mr, nr, 7),
            (mr + 1, nr - 1, 33),
            (2 * mr - 3, 2 * nr + 5, kc + 5),
            (67, 29, 2 * kc + 1),
            // Past one row block of the real form (2 rows and depths an element).
            (
                shape.blocking.rows(2 * (kc / 3), 2, shape.mr) / 2 + 7,
                13,
                kc / 3,
            ),
        ];
        let scalars = [
            ((1.0, 0.0), (0.0, 0.0)),
            ((0.7, -0.3), (1.0, 0.0)),
            ((-1.5, 0.0), (0.3, 0.2)),
            ((0.0, 2.0), (-1.0, 0.0)),
        ];
        let transposes = [Trans::No, Trans::Trans, Trans::ConjTrans];
        for (s, &dims) in sizes.iter().enumerate() {
            for &ta in &transposes {
                for &tb in &transposes {
                    for threads in [1, 2, 3] {
                        let (alpha, beta) = scalars[(s + threads) % 4];
                        check_complex::<T>(shape, threads, (ta, tb), dims, (alpha, beta), eps);
                    }
                }
            }
        }
    }

    /// Packing in row blocks, run in any order (here last first), writes what one pass
    /// writes: every transpose, depths across kernel depth blocks, a ragged last panel.
    #[test]
    fn packing_in_blocks_matches_one_pass() {
        for (transa, (m, k)) in [(Trans::No, (1000, 70)), (Trans::Trans, (517, 300))] {
            let lda = m.max(k) + 3;
            let a = reals(lda * m.max(k), 11);
            let mut whole = PackedA::<f64>::default();
            let mut blocks = PackedA::<f64>::default();
            unsafe {
                if !whole.pack(transa, (m, k), (a.as_ptr(), lda)) {
                    return;
                }
                let backwards =
                    |count: usize, pack: &(dyn Fn(usize) + Sync)| (0..count).rev().for_each(pack);
                assert!(blocks.pack_in_blocks(transa, (m, k), (a.as_ptr(), lda), &backwards));
            }
            let mr = whole.row_unit().expect("packed");
            let len = m.div_ceil(mr) * mr * k;
            let packed = |p: &PackedA<f64>| unsafe { std::slice::from_raw_parts(p.start(), len) };
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(packed(&whole)),
                bits(packed(&blocks)),
                "{transa:?} {m}x{k}"
            );
        }
    }

    #[test]
    fn complex_products_on_the_real_kernels_match_plain_sums() {
        use crate::scalar::{c32, c64};
        if level() == Level::Avx512 {
            every_complex_case::<c64>(&shapes::AVX512_F64, f64::EPSILON);
            every_complex_case::<c32>(&shapes::AVX512_F32, f32::EPSILON as f64);
        }
        if level() != Level::Baseline {
            every_complex_case::<c64>(&shapes::AVX2_F64, f64::EPSILON);
            every_complex_case::<c32>(&shapes::AVX2_F32, f32::EPSILON as f64);
        }
    }

    /// A complex product from `COMPLEX_FROM` on through `gemm` (the real kernel, with
    /// the threads it is given) against faer's complex kernels, B conjugated.
    #[test]
    fn large_complex_products_match_faer() {
        use crate::blas::level3::{op, view, view_mut};
        use crate::blas::test_values::values;
        use crate::scalar::c64;
        if level() == Level::Baseline {
            return;
        }
        let (m, n, k) = (COMPLEX_FROM + 3, COMPLEX_FROM, COMPLEX_FROM + 1);
        let (lda, ldb, ldc) = (m + 1, n, m + 2);
        let a: Vec<c64> = values(lda * k, 21);
        let b: Vec<c64> = values(ldb * k, 22);
        let c0: Vec<c64> = values(ldc * n, 23);
        let (alpha, beta) = (c64::new(0.5, -1.25), c64::new(0.25, 0.75));
        let mut c = c0.clone();
        let args = GemmArgs::new(
            (Trans::No, Trans::ConjTrans),
            (m, n, k),
            alpha,
            (a.as_ptr(), lda),
            (b.as_ptr(), ldb),
            beta,
            (c.as_mut_ptr(), ldc),
        );
        assert!(unsafe { gemm(&args) }, "the blocked kernel serves it");
        let mut expected: Vec<c64> = c0.iter().map(|&x| beta * x).collect();
        unsafe {
            let (a, conj_a) = op(view(a.as_ptr(), m, k, lda), Trans::No);
            let (b, conj_b) = op(view(b.as_ptr(), n, k, ldb), Trans::ConjTrans);
            let target = view_mut(expected.as_mut_ptr(), m, n, ldc);
            let par = faer::Par::Seq;
            let accum = faer::Accum::Add;
            faer::linalg::matmul::matmul_with_conj(target, accum, a, conj_a, b, conj_b, alpha, par);
        }
        // Sums of k products of parts below 0.5 in size, times |alpha| < 1.4.
        let bound = 8.0 * k as f64 * f64::EPSILON;
        for j in 0..n {
            for i in 0..ldc {
                let (got, want) = (c[i + j * ldc], expected[i + j * ldc]);
                if i >= m {
                    assert_eq!(
                        got,
                        c0[i + j * ldc],
                        "padding row {i} of column {j} changed"
                    );
                    continue;
                }
                let error = (got.re - want.re).abs().max((got.im - want.im).abs());
                assert!(error <= bound, "C({i},{j}) = {got:?}, faer {want:?}");
            }
        }
    }

    #[test]
    fn avx512_kernels_match_plain_sums() {
        if level() != Level::Avx512 {
            return;
        }
        every_case(&shapes::AVX512_F64, f64::EPSILON);
        every_case(&shapes::AVX512_F32, f32::EPSILON as f64);
    }

    #[test]
    fn avx2_kernels_match_plain_sums() {
        if level() == Level::Baseline {
            return;
        }
        every_case(&shapes::AVX2_F64, f64::EPSILON);
        every_case(&shapes::AVX2_F32, f32::EPSILON as f64);
    }

    /// Products tall enough that threads share op(B)'s packed blocks (`shared_b`): every
    /// transpose pair, A packed or not, a triangle of C, several depth blocks and (last)
    /// column blocks.
    fn shared_b_cases<R: Scalar<RealPart = R>>(shape: &Shape<R>, eps: f64) {
        let Blocking { kc, nc, .. } = shape.blocking;
        let rows = |k| shape.blocking.rows(k, 1, shape.mr);
        let transposes = [Trans::No, Trans::Trans];
        for threads in [2, 3] {
            let dims = (
                2 * threads * rows(kc + 5) + shape.mr + 3,
                shape.nr + 3,
                kc + 5,
            );
            assert!(shared_b::serves(dims.0.div_ceil(rows(kc + 5)), threads));
            for (t, (&ta, &tb)) in transposes
                .iter()
                .flat_map(|ta| transposes.iter().map(move |tb| (ta, tb)))
                .enumerate()
            {
                let (alpha, beta) = [(1.0, 0.0), (0.7, 1.0), (-1.5, 0.3), (2.0, -1.0)][t];
                for how in [
                    (Part::All, false),
                    (Part::All, true),
                    (Part::Lower, false),
                    (Part::Upper, false),
                ] {
                    check(shape, how, threads, (ta, tb), dims, alpha, beta, eps);
                }
            }
        }
        let dims = (4 * rows(7) + 5, nc + 2 * shape.nr + 1, 7);
        let how = (Part::All, false);
        check(shape, how, 2, (Trans::No, Trans::No), dims, 1.0, 0.5, eps);
    }

    #[test]
    fn shared_b_products_match_plain_sums() {
        match level() {
            Level::Avx512 => {
                shared_b_cases(&shapes::AVX512_F64, f64::EPSILON);
                shared_b_cases(&shapes::AVX512_F32, f32::EPSILON as f64);
            }
            Level::Avx2 => {
                shared_b_cases(&shapes::AVX2_F64, f64::EPSILON);
                shared_b_cases(&shapes::AVX2_F32, f32::EPSILON as f64);
            }
            _ => {}
        }
    }

    #[test]
    fn the_grid_gives_each_thread_the_least_to_pack() {
        assert_eq!(grid(2, (1000, 63), (500, 42)), (2, 1));
        assert_eq!(grid(2, (500, 32), (1000, 84)), (1, 2));
        assert_eq!(grid(16, (1024, 64), (1024, 86)), (4, 4));
        assert_eq!(grid(16, (4096, 256), (64, 6)), (16, 1));
        assert_eq!(grid(7, (100, 7), (100, 9)), (1, 7));
        // Fewer panels than threads: as many blocks as panels.
        assert_eq!(grid(8, (16, 1), (24, 2)), (1, 2));
        assert_eq!(grid(7, (64, 4), (64, 6)), (2, 3));
    }

    #[test]
    fn a_wider_block_than_nc_is_split() {
        if level() != Level::Avx512 {
            return;
        }
        let nc = shapes::AVX512_F64.blocking.nc;
        check(
            &shapes::AVX512_F64,
            (Part::All, false),
            2,
            (Trans::No, Trans::No),
            (17, nc + 13, 3),
            1.0,
            0.5,
            f64::EPSILON,
        );
    }
}
