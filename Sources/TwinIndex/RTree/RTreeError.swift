/// Why an R-tree refused its input: what is wrong, and for which item.
///
/// Thrown by ``PackedRTree/Builder`` and ``DynamicRTree``. The ``description`` is a
/// sentence meant for a person, naming the item index (the number that
/// ``PackedRTree/Builder/add(minX:minY:maxX:maxY:)`` would have returned, or the
/// ``DynamicRTree`` id) and the offending values.
public struct RTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal. New kinds may be added; treat an unknown one as a failure.
    public enum Kind: Sendable, Equatable {
        /// A coordinate is NaN or infinite.
        case nonFiniteCoordinate
        /// `minX > maxX` or `minY > maxY`.
        case invertedBox
        /// The node size is outside `2...65535`.
        case invalidNodeSize
        /// More items than the 32-bit item indices of the packed layout can address.
        case tooManyItems
        /// An id that the tree never handed out (``DynamicRTree/retire(_:)``).
        case unknownItem
        /// A batch query's buffers do not have the sizes the query needs.
        case bufferMismatch
    }

    /// What is wrong.
    public let kind: Kind
    /// The item concerned, if the problem is about one item.
    public let item: Int?
    /// The whole sentence, with the item index and the values.
    public let message: String

    @usableFromInline
    init(_ kind: Kind, item: Int?, message: String) {
        self.kind = kind
        self.item = item
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }

    /// The error for a box that `IndexBox.rtreeProblem` refused.
    @usableFromInline
    static func badBox(
        _ kind: Kind, item: Int, minX: Double, minY: Double, maxX: Double, maxY: Double
    ) -> RTreeError {
        let values = "minX=\(minX) minY=\(minY) maxX=\(maxX) maxY=\(maxY)"
        switch kind {
        case .nonFiniteCoordinate:
            return RTreeError(kind, item: item, message: "R-tree item \(item): coordinates must be finite (\(values))")
        case .invertedBox:
            return RTreeError(kind, item: item, message: "R-tree item \(item): min must not exceed max (\(values))")
        default:
            return RTreeError(kind, item: item, message: "R-tree item \(item): bad box (\(values))")
        }
    }
}
