import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the client's address, which the admin
/// endpoint checks when no token is configured.
public struct DispatchRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address; `nil` when there is no socket (Hummingbird's in-process test client).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
