import CGEOS

// Shapes shared by every public GEOS operation: get the thread's context, convert the Swift
// operands, call GEOS once, check its sentinel, convert the result back, free everything.

extension GEOSContext {
    /// Runs `body` with the calling thread's context.
    static func with<R>(_ body: (GEOSContext) throws -> R) throws -> R {
        try body(try current())
    }

    /// `operation(g)` for a GEOS function returning a new geometry or NULL on exception.
    static func unary(_ name: String, _ geometry: Geometry,
                      _ operation: (GEOSContextHandle_t, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        try with { context in
            let g = try context.makeGEOS(geometry)
            context.clearMessages()
            let result = try g.withPointer { try GEOSGeometryHandle.checked(operation(context.handle, $0), name, context: context) }
            return try result.withPointer(context.makeSwift)
        }
    }

    /// `operation(a, b)` for a GEOS function returning a new geometry or NULL on exception.
    static func binary(_ name: String, _ a: Geometry, _ b: Geometry,
                       _ operation: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        try with { context in
            let ga = try context.makeGEOS(a, path: "first geometry")
            let gb = try context.makeGEOS(b, path: "second geometry")
            context.clearMessages()
            let result = try ga.withPointer { pa in
                try gb.withPointer { pb in
                    try GEOSGeometryHandle.checked(operation(context.handle, pa, pb), name, context: context)
                }
            }
            return try result.withPointer(context.makeSwift)
        }
    }

    /// `predicate(a, b)` for a GEOS predicate returning 1 (true), 0 (false) or 2 (exception).
    static func predicate(_ name: String, _ a: Geometry, _ b: Geometry,
                          _ predicate: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        try with { context in
            let ga = try context.makeGEOS(a, path: "first geometry")
            let gb = try context.makeGEOS(b, path: "second geometry")
            context.clearMessages()
            let answer = ga.withPointer { pa in gb.withPointer { pb in predicate(context.handle, pa, pb) } }
            switch answer {  // 1 true, 0 false, 2 exception
            case 1: return true
            case 0: return false
            default: throw context.error(name)
            }
        }
    }

    /// `measure(g, &value)` for GEOS functions returning 1 on success and 0 on exception.
    static func measure(_ name: String, _ geometry: Geometry,
                        _ measure: (GEOSContextHandle_t, OpaquePointer, UnsafeMutablePointer<Double>) -> Int32) throws -> Double {
        try with { context in
            let g = try context.makeGEOS(geometry)
            var value = 0.0
            context.clearMessages()
            let status = g.withPointer { measure(context.handle, $0, &value) }
            guard status == 1 else { throw context.error(name) }
            return value
        }
    }
}
