import TwinGeo

extension TwinHandle {
    /// The layer at C index `layer`; `.notFound` when out of range.
    func layer(_ layer: UInt) throws -> TwinLayer {
        guard layer < UInt(twin.layers.count) else {
            throw TwinQueryError(.notFound, "layer \(layer) does not exist (the twin has \(twin.layers.count) layers)")
        }
        return twin.layers[Int(layer)]
    }

    /// Cell `index` of layer `layer`; `.notFound` for -1 or an index out of range.
    func cell(_ layer: UInt, _ index: Int32) throws -> TwinCell {
        let l = try self.layer(layer)
        guard index >= 0, Int(index) < l.cells.count else {
            throw TwinQueryError(.notFound, "layer \(l.name) has no cell \(index) (it has \(l.cells.count))")
        }
        return l.cells[Int(index)]
    }
}

/// `int twin_layer_count(const twin_t *t, size_t *count)`.
@c(twin_layer_count)
public func twinLayerCount(_ t: OpaquePointer?, _ count: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(t, "twin_layer_count") {
        let handle = try TwinHandle.require(t)
        try CArgument.require(count, "count").pointee = UInt(handle.twin.layers.count)
        return twinOK
    }
}

/// `int twin_layer_name(const twin_t *t, size_t layer, char *buf, size_t n, size_t *needed)`.
@c(twin_layer_name)
public func twinLayerName(_ t: OpaquePointer?, _ layer: UInt, _ buf: UnsafeMutablePointer<CChar>?, _ n: UInt,
                          _ needed: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(t, "twin_layer_name") {
        let handle = try TwinHandle.require(t)
        let name = try handle.layer(layer).name
        return try CBuffer.write(name, to: buf, size: n, needed: needed, what: "the name of layer \(layer)")
    }
}

/// `int twin_cell_code(const twin_t *t, size_t layer, int32_t cell, char *buf, size_t n, size_t *needed)`.
@c(twin_cell_code)
public func twinCellCode(_ t: OpaquePointer?, _ layer: UInt, _ cell: Int32, _ buf: UnsafeMutablePointer<CChar>?,
                         _ n: UInt, _ needed: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(t, "twin_cell_code") {
        let handle = try TwinHandle.require(t)
        let code = try handle.cell(layer, cell).code
        return try CBuffer.write(code, to: buf, size: n, needed: needed, what: "the code of cell \(cell) of layer \(layer)")
    }
}

/// `int twin_cell_name(const twin_t *t, size_t layer, int32_t cell, char *buf, size_t n, size_t *needed)`;
/// a cell without a name gives "".
@c(twin_cell_name)
public func twinCellName(_ t: OpaquePointer?, _ layer: UInt, _ cell: Int32, _ buf: UnsafeMutablePointer<CChar>?,
                         _ n: UInt, _ needed: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(t, "twin_cell_name") {
        let handle = try TwinHandle.require(t)
        let name = try handle.cell(layer, cell).name ?? ""
        return try CBuffer.write(name, to: buf, size: n, needed: needed, what: "the name of cell \(cell) of layer \(layer)")
    }
}

/// `int twin_cell_count(const twin_t *t, size_t layer, size_t *count)`: cells of layer `layer`
/// (valid cell indexes are 0 ..< count).
@c(twin_cell_count)
public func twinCellCount(_ t: OpaquePointer?, _ layer: UInt, _ count: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(t, "twin_cell_count") {
        let handle = try TwinHandle.require(t)
        let cells = try handle.layer(layer).cells.count
        try CArgument.require(count, "count").pointee = UInt(cells)
        return twinOK
    }
}
