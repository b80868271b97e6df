import TwinGeo

/// What a `twin_assets_t *` points at: the asset catalog of a twin file (buildings, pipes,
/// cameras, sensors, each in its R-tree, distances in metres on CGCS2000 GK EPSG:4549).
///
/// Like ``TwinHandle``, the C handle is this object's retained opaque pointer: `twin_assets_open`
/// retains it once, `twin_assets_close` releases it once. ``AssetCatalog`` is an immutable
/// `Sendable` value, so any number of threads may query one handle at once.
final class AssetsHandle: Sendable {
    let catalog: AssetCatalog

    init(_ catalog: AssetCatalog) { self.catalog = catalog }

    /// The object behind `a`; throws `.argument` for NULL.
    static func require(_ a: OpaquePointer?) throws -> AssetsHandle {
        let a = try CArgument.require(a, "the assets handle")
        return Unmanaged<AssetsHandle>.fromOpaque(UnsafeRawPointer(a)).takeUnretainedValue()
    }
}

/// The C asset kinds (`TWIN_ASSET_*` in include/twin.h); values are ABI, never renumbered.
enum CAssetKind {
    static let kinds: [AssetKind] = [.building, .pipe, .camera, .sensor]

    /// The kind for a C value; `.argument` for any other number.
    static func kind(_ value: Int32) throws -> AssetKind {
        guard value >= 0, Int(value) < kinds.count else {
            throw TwinQueryError(.argument, "kind \(value) is not an asset kind (TWIN_ASSET_BUILDING 0, PIPE 1, CAMERA 2, SENSOR 3)")
        }
        return kinds[Int(value)]
    }

    /// The C pipe networks (`TWIN_PIPE_*`), in the order of `network_lengths`.
    static let networks: [AssetPipeNetwork] = [.waterSupply, .drainage, .gas, .power, .telecom, .heating]
}

/// `int twin_assets_open(const char *path, twin_assets_t **out)`: loads the assets of a twin file.
@c(twin_assets_open)
public func twinAssetsOpen(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return callC(nil, "twin_assets_open") {
        let out = try CArgument.require(out, "out (the handle's address)")
        let path = String(cString: try CArgument.require(path, "path"))
        let handle = AssetsHandle(try AssetCatalog.load(twinAt: path))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
        return twinOK
    }
}

/// `void twin_assets_close(twin_assets_t *a)`: frees an assets handle; NULL is a no-op.
@c(twin_assets_close)
public func twinAssetsClose(_ a: OpaquePointer?) {
    guard let a else { return }
    ThreadMessages.forget(a)
    Unmanaged<AssetsHandle>.fromOpaque(UnsafeRawPointer(a)).release()
}

/// `const char *twin_assets_errmsg(const twin_assets_t *a)`: the calling thread's last message
/// from a call on `a` (NULL: from a call without a handle); "" when there is none.
@c(twin_assets_errmsg)
public func twinAssetsErrmsg(_ a: OpaquePointer?) -> UnsafePointer<CChar> {
    ThreadMessages.message(for: a)
}

/// `int twin_assets_count(const twin_assets_t *a, int kind, size_t *count)`: assets of a kind;
/// their slots are 0 ..< count.
@c(twin_assets_count)
public func twinAssetsCount(_ a: OpaquePointer?, _ kind: Int32, _ count: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(a, "twin_assets_count") {
        let handle = try AssetsHandle.require(a)
        let kind = try CAssetKind.kind(kind)
        try CArgument.require(count, "count").pointee = UInt(handle.catalog.count(kind))
        return twinOK
    }
}

/// `int twin_asset_id(const twin_assets_t *a, int kind, int32_t slot, char *buf, size_t n, size_t *needed)`.
@c(twin_asset_id)
public func twinAssetID(_ a: OpaquePointer?, _ kind: Int32, _ slot: Int32, _ buf: UnsafeMutablePointer<CChar>?, _ n: UInt,
                        _ needed: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(a, "twin_asset_id") {
        let handle = try AssetsHandle.require(a)
        let kind = try CAssetKind.kind(kind)
        guard let id = handle.catalog.id(kind, slot: Int(slot)) else { throw CAssetKind.noSlot(kind, slot, handle) }
        return try CBuffer.write(id, to: buf, size: n, needed: needed, what: "the id of \(kind) \(slot)")
    }
}

/// `int twin_asset_type(const twin_assets_t *a, int kind, int32_t slot, char *buf, size_t n, size_t *needed)`:
/// a pipe's network, a sensor's type, a building's use, a camera's name.
@c(twin_asset_type)
public func twinAssetType(_ a: OpaquePointer?, _ kind: Int32, _ slot: Int32, _ buf: UnsafeMutablePointer<CChar>?, _ n: UInt,
                          _ needed: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(a, "twin_asset_type") {
        let handle = try AssetsHandle.require(a)
        let kind = try CAssetKind.kind(kind)
        guard let type = handle.catalog.typeName(kind, slot: Int(slot)) else { throw CAssetKind.noSlot(kind, slot, handle) }
        return try CBuffer.write(type, to: buf, size: n, needed: needed, what: "the type of \(kind) \(slot)")
    }
}

extension CAssetKind {
    static func noSlot(_ kind: AssetKind, _ slot: Int32, _ handle: AssetsHandle) -> TwinQueryError {
        TwinQueryError(.notFound, "there is no \(kind) \(slot) (the twin has \(handle.catalog.count(kind)) \(kind)s)")
    }
}
