import CFedKernels

/// Packing: copying blocks of op(A) and op(B) into the layouts the micro-kernel streams through.
/// The transposes are absorbed here, so all four `transA`/`transB` variants share one kernel.
extension GEMMProblem {
    /// Packs rows of tiles `tiles` of op(A), depths `depth`, tile after tile: a tile of height h
    /// starting at row r becomes `depth.count` steps of h floats (`dst[p·h + i] = op(A)[r+i][p]`).
    /// Tile t's panel starts at `(tiling.start(t) - tiling.start(tiles.lowerBound)) · depth.count`.
    func packA(
        tiles: Range<Int>, tiling: RowTiling, depth: Range<Int>, transpose: cfk_transpose_fn,
        into dst: UnsafeMutablePointer<Float>
    ) {
        let kc = depth.count
        var out = dst
        for t in tiles {
            let row = tiling.start(t), h = tiling.height(t)
            if transA {
                // A is stored K×M: the h values of one step are contiguous.
                Self.copyRuns(a + depth.lowerBound * lda + row, lds: lda, rows: kc, h: h, to: out)
                out += h * kc
            } else {
                // A is stored M×K: h rows, each contiguous in p, interleaved (a transposing copy).
                transpose(a + row * lda + depth.lowerBound, lda, h, kc, out, h)
                out += h * kc
            }
        }
    }

    /// Packs op(B) columns `columns`, depths `depth`, into consecutive panels of `panelWidth`
    /// columns: panel q holds `depth.count` steps of `panelWidth` floats
    /// (`dst[q·panelWidth·kc + p·panelWidth + j] = op(B)[p][columns.lowerBound + q·panelWidth + j]`),
    /// the last one zero-padded so that padded columns compute zeros.
    func packB(
        columns: Range<Int>, depth: Range<Int>, panelWidth: Int, transpose: cfk_transpose_fn,
        packPanels: cfk_pack_panels_fn, into dst: UnsafeMutablePointer<Float>
    ) {
        let kc = depth.count, width = columns.count
        let panels = (width + panelWidth - 1) / panelWidth
        if transB {
            // B is stored N×K: column j of op(B) is row j of B, contiguous in p.
            for q in 0..<panels {
                let first = q * panelWidth, count = min(panelWidth, width - first)
                let out = dst + q * panelWidth * kc
                transpose(b + (columns.lowerBound + first) * ldb + depth.lowerBound, ldb, count, kc, out, panelWidth)
                if count < panelWidth {
                    // Zero the padding columns (4 at a time from the first multiple of 4; the
                    // transposing copy may have written zeros or nothing below that).
                    let padStart = count & ~3
                    for p in 0..<kc {
                        let row = out + p * panelWidth
                        for j in count..<min(padStart + 4, panelWidth) { row[j] = 0 }
                        var j = padStart + 4
                        while j < panelWidth {
                            UnsafeMutableRawPointer(row + j).storeBytes(of: SIMD4<Float>.zero, as: SIMD4<Float>.self)
                            j += 4
                        }
                    }
                }
            }
        } else {
            // B is stored K×N: each step's row is read once, front to back, and dealt out to the
            // panels (reading one panel at a time would stride through B by whole rows).
            packPanels(b + depth.lowerBound * ldb + columns.lowerBound, ldb, kc, width, panelWidth, dst)
        }
    }

    /// Copies `rows` runs of `h` ≤ 8 floats from stride `lds` to a dense `rows × h` block.
    @inline(__always)
    private static func copyRuns(
        _ src: UnsafePointer<Float>, lds: Int, rows: Int, h: Int, to dst: UnsafeMutablePointer<Float>
    ) {
        func run<V: SIMD, W: SIMD>(_ v: V.Type, _ w: W.Type) where V.Scalar == Float, W.Scalar == Float {
            // h = V.scalarCount + W.scalarCount: two moves per run.
            var (src, out) = (src, dst)
            for _ in 0..<rows {
                let raw = UnsafeRawPointer(src), rawOut = UnsafeMutableRawPointer(out)
                rawOut.storeBytes(of: raw.loadUnaligned(as: V.self), as: V.self)
                rawOut.storeBytes(
                    of: raw.loadUnaligned(fromByteOffset: V.scalarCount * 4, as: W.self),
                    toByteOffset: V.scalarCount * 4, as: W.self)
                src += lds
                out += h
            }
        }
        switch h {
        case 8: run(SIMD4<Float>.self, SIMD4<Float>.self)
        case 6: run(SIMD4<Float>.self, SIMD2<Float>.self)
        case 4: run(SIMD2<Float>.self, SIMD2<Float>.self)
        default:
            var (src, out) = (src, dst)
            for _ in 0..<rows {
                for i in 0..<h { out[i] = src[i] }
                src += lds
                out += h
            }
        }
    }
}
