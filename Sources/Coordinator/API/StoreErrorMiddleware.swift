import Hummingbird

/// A change the store cannot take now, or at all, is a 503 with a JSON body that says why,
/// not a bare 500: the client may retry later, and reads keep working meanwhile.
struct StoreErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as StoreUnavailable {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"], message: error.description)
        } catch let error as CoordinatorFailure {
            throw HTTPError(.serviceUnavailable, message: error.description)
        }
    }
}
