//! A GEMM's output split into blocks, one launch (or depth-split run of launches) each:
//! block (i0, j0) of C gets alpha op(A)[i0.., :] op(B)[:, j0..] + beta C, from views of the
//! same buffers. A sibling of [`super::depth_split`]: it splits m and n where that one
//! splits k.

use super::Result;

/// The largest output block of one launch (`None`: the whole of C in one launch): the
/// default, or for experiments and tests `LAPACK_AI_MN_BLOCK=<order>` (0: one launch).
pub fn block() -> Option<usize> {
    static OVERRIDE: once_cell::sync::Lazy<Option<usize>> = once_cell::sync::Lazy::new(|| {
        std::env::var("LAPACK_AI_MN_BLOCK")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    match *OVERRIDE {
        Some(0) | None => None,
        Some(b) => Some(b),
    }
}

/// Calls `launch((i0, mb), (j0, nb))` for blocks of C covering `0..m` x `0..n`, each at most
/// `block` rows and columns (rounded up to the kernel's tiles `(gm, gn)`, so that every
/// block stays padded), column of blocks by column of blocks. An empty C gives one call
/// with the whole (empty) shape.
pub fn for_each_block(
    (m, n): (usize, usize),
    block: Option<usize>,
    (gm, gn): (usize, usize),
    mut launch: impl FnMut((usize, usize), (usize, usize)) -> Result<()>,
) -> Result<()> {
    let (bm, bn) = match block {
        Some(b) => (
            b.next_multiple_of(gm.max(1)).max(1),
            b.next_multiple_of(gn.max(1)).max(1),
        ),
        None => (m.max(1), n.max(1)),
    };
    if m == 0 || n == 0 {
        return launch((0, m), (0, n));
    }
    for j0 in (0..n).step_by(bn) {
        for i0 in (0..m).step_by(bm) {
            launch((i0, bm.min(m - i0)), (j0, bn.min(n - j0)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::for_each_block;

    type Blocks = Vec<((usize, usize), (usize, usize))>;

    fn blocks(mn: (usize, usize), block: Option<usize>, g: (usize, usize)) -> Blocks {
        let mut v = Vec::new();
        for_each_block(mn, block, g, |i, j| {
            v.push((i, j));
            Ok(())
        })
        .unwrap();
        v
    }

    #[test]
    fn blocks_cover_the_output() {
        assert_eq!(blocks((0, 5), Some(4), (1, 1)), [((0, 0), (0, 5))]);
        assert_eq!(blocks((10, 6), None, (2, 2)), [((0, 10), (0, 6))]);
        assert_eq!(blocks((8, 4), Some(8), (4, 4)), [((0, 8), (0, 4))]);
        // 5 rounds up to the tiles: 8 rows (gm 4), 6 columns (gn 3).
        assert_eq!(
            blocks((12, 9), Some(5), (4, 3)),
            [
                ((0, 8), (0, 6)),
                ((8, 4), (0, 6)),
                ((0, 8), (6, 3)),
                ((8, 4), (6, 3))
            ]
        );
    }
}
