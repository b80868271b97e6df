import Dispatch
import Hummingbird
import Logging

/// Turns every error into a JSON answer and counts every request.
///
/// Hummingbird's own refusals (unknown route: 404, wrong method: 405) and ``APIError``s leave
/// as `{"error","field"}` JSON; anything else is a server fault: logged with the request, and
/// answered 500 without details.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = DispatchRequestContext
    let metrics: DispatchMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let message = error.status == .notFound ? "no such endpoint: \(request.method) \(request.uri.path)"
                : error.status == .methodNotAllowed ? "\(request.method) is not allowed on \(request.uri.path)"
                : (error as? HTTPError)?.body ?? error.status.reasonPhrase
            response = try APIError(error.status, message).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = try APIError(.internalServerError, "internal error").response(from: request, context: context)
        }
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        metrics.recordRequest(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                              status: response.status.code, nanoseconds: elapsed)
        return response
    }
}
