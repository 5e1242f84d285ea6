/// The SIMD vector the element-wise kernels work in: 16 lanes, two AVX registers.
typealias Vector = SIMD16<Float>

extension UnsafePointer where Pointee == Float {
    /// Loads `Vector.scalarCount` consecutive elements, with no alignment requirement.
    @inline(__always)
    func loadVector(at index: Int) -> Vector {
        UnsafeRawPointer(self + index).loadUnaligned(as: Vector.self)
    }

    /// Loads the first `count` (< 16) elements at `index`, zero in the other lanes (one small
    /// copy: cheaper than inserting lanes one by one).
    @inline(__always)
    func loadPartialVector(at index: Int, count: Int) -> Vector {
        var vector = Vector()
        withUnsafeMutableBytes(of: &vector) { lanes in
            lanes.baseAddress!.copyMemory(from: self + index, byteCount: count * MemoryLayout<Float>.stride)
        }
        return vector
    }

    /// Loads `lanes` (≤ 16) consecutive elements at `index`, zero in the other lanes.
    @inline(__always)
    func loadVector(at index: Int, lanes: Int) -> Vector {
        lanes == Vector.scalarCount ? loadVector(at: index) : loadPartialVector(at: index, count: lanes)
    }

    /// Loads `count` (≤ 16) elements `stride` apart starting at `index`, zero in the other lanes.
    @inline(__always)
    func gatherVector(at index: Int, stride: Int, count: Int) -> Vector {
        var vector = Vector()
        for lane in 0..<count { vector[lane] = self[index + lane * stride] }
        return vector
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Loads `Vector.scalarCount` consecutive elements, with no alignment requirement.
    @inline(__always)
    func loadVector(at index: Int) -> Vector {
        UnsafeRawPointer(self + index).loadUnaligned(as: Vector.self)
    }

    /// Loads the first `count` (< 16) elements at `index`, zero in the other lanes.
    @inline(__always)
    func loadPartialVector(at index: Int, count: Int) -> Vector {
        UnsafePointer(self).loadPartialVector(at: index, count: count)
    }

    /// Stores all lanes of `vector` at `index`, with no alignment requirement.
    @inline(__always)
    func storeVector(_ vector: Vector, at index: Int) {
        UnsafeMutableRawPointer(self + index).storeBytes(of: vector, as: Vector.self)
    }

    /// Loads `lanes` (≤ 16) consecutive elements at `index`, zero in the other lanes.
    @inline(__always)
    func loadVector(at index: Int, lanes: Int) -> Vector {
        UnsafePointer(self).loadVector(at: index, lanes: lanes)
    }

    /// Stores the first `lanes` (≤ 16) lanes of `vector` at `index`.
    @inline(__always)
    func storeVector(_ vector: Vector, at index: Int, lanes: Int) {
        if lanes == Vector.scalarCount { storeVector(vector, at: index) } else { storePartialVector(vector, at: index, count: lanes) }
    }

    /// Stores the first `count` (< 16) lanes of `vector` at `index`.
    @inline(__always)
    func storePartialVector(_ vector: Vector, at index: Int, count: Int) {
        withUnsafeBytes(of: vector) { lanes in
            UnsafeMutableRawPointer(self + index).copyMemory(from: lanes.baseAddress!, byteCount: count * MemoryLayout<Float>.stride)
        }
    }
}

extension Vector {
    /// Applies a scalar function lane by lane (for functions with no vector form).
    @inline(__always)
    func mapLanes(_ function: (Float) -> Float) -> Vector {
        var result = Vector()
        for lane in indices { result[lane] = function(self[lane]) }
        return result
    }
}
