import TwinIndex

/// The records of one asset kind, their metric shapes and their R-tree.
///
/// A record lives in a *slot*: its position in `records`/`shapes`, which is also its id in
/// `tree` (``DynamicRTree`` ids of a tree packed from slots `0..<n`, then one new id per
/// insert, in order). Retiring empties the slot and retires the id; moving is retire plus a
/// new slot, so a slot's shape never changes while it is live.
struct AssetSlots<Record: Sendable, Shape: Sendable>: Sendable {
    var records: [Record?]
    var shapes: [Shape]
    var ids: [String]
    var tree: DynamicRTree
    var slotByID: [String: Int]

    /// Packs the tree over `boxes`, one per record. Ids must be unique (checked by the caller).
    init(records: [Record], ids: [String], shapes: [Shape], boxes: [IndexBox]) throws {
        var builder = try PackedRTree.Builder(capacity: boxes.count)
        for b in boxes { _ = try builder.add(b) }
        tree = DynamicRTree(try builder.finish())
        self.records = records
        self.ids = ids
        self.shapes = shapes
        slotByID = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
    }

    /// The number of live records.
    var count: Int { slotByID.count }

    /// Appends a record in a new slot (the tree's next id).
    mutating func insert(_ record: Record, id: String, shape: Shape, box: IndexBox) throws -> Int {
        let slot = try tree.insert(box)
        precondition(slot == records.count, "asset slots and R-tree ids out of step")  // internal invariant
        records.append(record)
        shapes.append(shape)
        ids.append(id)
        slotByID[id] = slot
        return slot
    }

    /// Retires the record `id`; returns its slot, or `nil` when there is none.
    mutating func retire(id: String) throws -> Int? {
        guard let slot = slotByID.removeValue(forKey: id) else { return nil }
        _ = try tree.retire(slot)
        records[slot] = nil
        return slot
    }

    /// Packs the tree again when many updates are pending (queries scan pending items linearly).
    mutating func compactIfNeeded() {
        if tree.pendingCount > 256 { tree = tree.rebuilt() }
    }
}
