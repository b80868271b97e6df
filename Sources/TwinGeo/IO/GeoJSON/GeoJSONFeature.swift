/// One GeoJSON Feature (RFC 7946 §3.2).
public struct GeoJSONFeature: Hashable, Sendable {
    /// The feature's `id`: a string or a number, or `nil` when absent.
    public var id: JSONValue?
    /// The geometry; `nil` for `"geometry": null` (an unlocated feature).
    public var geometry: Geometry?
    /// The `properties` members in document order; `"properties": null` reads as empty.
    public var properties: JSONObject
    /// The feature's `bbox` member (2D), if present.
    public var bbox: BoundingBox?

    public init(id: JSONValue? = nil, geometry: Geometry?, properties: JSONObject = JSONObject(), bbox: BoundingBox? = nil) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
        self.bbox = bbox
    }
}

/// Options shared by the GeoJSON readers.
public struct GeoJSONReadOptions: Sendable, Hashable {
    /// Drop altitude (a position's third and later numbers, and the 3D half of a 6-number
    /// `bbox`) instead of refusing it.
    public var dropZM: Bool
    /// The deepest array/object nesting accepted by the JSON parser.
    public var maxDepth: Int

    public init(dropZM: Bool = false, maxDepth: Int = 256) {
        self.dropZM = dropZM
        self.maxDepth = maxDepth
    }
}
