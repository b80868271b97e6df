/// The coordinate reference systems of `gpkg_spatial_ref_sys`.
extension GeoPackage {
    /// Every row of `gpkg_spatial_ref_sys`, by `srs_id`.
    ///
    /// - Throws: ``StoreError`` (`.format` for a row with a NULL where the spec requires a value).
    public func spatialReferenceSystems() throws -> [GeoPackageSpatialReferenceSystem] {
        try database.rows("""
            SELECT srs_name, srs_id, organization, organization_coordsys_id, definition, description
            FROM gpkg_spatial_ref_sys ORDER BY srs_id
            """).map { row in
            guard let name = row[0].textValue, let id = row[1].integerValue, let organization = row[2].textValue,
                  let code = row[3].integerValue, let definition = row[4].textValue else {
                throw StoreError(.format, "gpkg_spatial_ref_sys has a row with a missing or mistyped value: \(row)",
                                 at: SourceLocation(file: path))
            }
            return GeoPackageSpatialReferenceSystem(name: name, id: Int32(truncatingIfNeeded: id), organization: organization,
                                                    organizationID: Int32(truncatingIfNeeded: code), definition: definition,
                                                    description: row[5].textValue)
        }
    }

    /// Adds a coordinate reference system, so feature tables can use its `id`.
    ///
    /// - Parameter srs: the row; `definition` should be WKT1 (e.g. PROJ's `WKT1_GDAL` export),
    ///   which every GeoPackage reader understands.
    /// - Throws: ``StoreError``: `.argument` when `srs.id` is taken (by a different definition;
    ///   adding an identical row again is a no-op), or SQLite's error.
    public func addSpatialReferenceSystem(_ srs: GeoPackageSpatialReferenceSystem) throws {
        try requireWritable("add srs_id \(srs.id)")
        if let existing = try spatialReferenceSystems().first(where: { $0.id == srs.id }) {
            guard existing == srs else {
                throw StoreError(.argument, "srs_id \(srs.id) is already defined as \(existing.organization):\(existing.organizationID) \"\(existing.name)\"",
                                 at: SourceLocation(file: path))
            }
            return
        }
        try withTransaction {
            try database.execute("""
                INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(srs.name), .integer(Int64(srs.id)), .text(srs.organization), .integer(Int64(srs.organizationID)),
                      .text(srs.definition), srs.description.map { .text($0) } ?? .null])
        }
    }
}
